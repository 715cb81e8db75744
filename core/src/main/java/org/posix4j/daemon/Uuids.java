package org.posix4j.daemon;

import java.security.SecureRandom;
import java.util.UUID;

/// UUIDs generated in Java, without libuuid: random (version 4) and time-ordered (version 7,
/// RFC 9562). Equivalent to slimta's `slimta.uuid` (which wraps libuuid's `uuid_generate`).
///
/// Version 7 layout (RFC 9562 section 5.7): 48 bits of Unix time in milliseconds, the version
/// `0111`, 12 bits `rand_a`, the variant `10`, 62 bits `rand_b`. Here `rand_a` and the top 30 bits
/// of `rand_b` form one 42-bit counter (RFC 9562 section 6.2, method 1, "fixed bit-length dedicated
/// counter"); the last 32 bits are fresh random bits in each UUID. The counter starts at a random
/// value with its top bit clear at each new millisecond, and grows by one for each further UUID in
/// the same millisecond. One generator state is shared by all threads, so every UUID is greater,
/// as an unsigned 128-bit number and therefore in its text form, than every UUID generated before it
/// in this JVM: within a millisecond, across threads, and when the clock steps back (the last
/// timestamp is kept until the clock passes it). Should the counter ever overflow, the timestamp
/// moves one millisecond ahead of the clock.
///
/// Thread safety: all methods may be called from any thread.
public final class Uuids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int COUNTER_BITS = 42;
    private static final long COUNTER_MAX = (1L << COUNTER_BITS) - 1;
    private static final long SEED_MASK = (1L << (COUNTER_BITS - 1)) - 1;

    private static final Object LOCK = new Object();
    private static long lastMillis = Long.MIN_VALUE;
    private static long counter;

    private Uuids() {}

    /// A random UUID, version 4, variant 10, with 122 bits from [SecureRandom].
    public static UUID random() {
        return UUID.randomUUID();
    }

    /// A time-ordered UUID, version 7 (RFC 9562), strictly greater than every one this method
    /// returned before in this JVM; see the class comment for the layout.
    public static UUID timeOrdered() {
        long random = RANDOM.nextLong();
        long seed = random >>> 32 & SEED_MASK; // 32 random bits suffice to scatter the start
        long tail = random & 0xFFFF_FFFFL;
        long millis;
        long count;
        synchronized (LOCK) {
            long now = System.currentTimeMillis();
            if (now > lastMillis) {
                lastMillis = now;
                counter = seed;
            } else if (counter < COUNTER_MAX) {
                counter++;
            } else {
                lastMillis++;
                counter = seed;
            }
            millis = lastMillis;
            count = counter;
        }
        long msb = (millis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | count >>> 30;
        long lsb = 0x8000_0000_0000_0000L | (count & 0x3FFF_FFFFL) << 32 | tail;
        return new UUID(msb, lsb);
    }

    /// The Unix time in milliseconds a version 7 UUID carries.
    ///
    /// @throws IllegalArgumentException if `uuid` is not version 7 with variant 10
    public static long unixMillis(UUID uuid) {
        if (uuid.version() != 7 || uuid.variant() != 2) {
            throw new IllegalArgumentException("uuid is not an RFC 9562 version 7 UUID: " + uuid);
        }
        return uuid.getMostSignificantBits() >>> 16;
    }
}
