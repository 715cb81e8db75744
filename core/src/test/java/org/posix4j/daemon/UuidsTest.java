package org.posix4j.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.posix4j.testing.Proc;

class UuidsTest {

    /// java.util.UUID.compareTo compares signed longs; RFC 9562 order is the unsigned 128-bit value.
    private static int unsigned(UUID a, UUID b) {
        int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return c != 0 ? c : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    @Test
    void randomIsVersion4Variant10() {
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            UUID u = Uuids.random();
            assertEquals(4, u.version());
            assertEquals(2, u.variant());
            assertTrue(seen.add(u), "duplicate " + u);
        }
    }

    @Test
    void timeOrderedCarriesTheClockAndTheVersionBits() {
        long before = System.currentTimeMillis();
        UUID u = Uuids.timeOrdered();
        long after = System.currentTimeMillis();
        assertEquals(7, u.version());
        assertEquals(2, u.variant());
        long millis = Uuids.unixMillis(u);
        assertTrue(before <= millis && millis <= after, before + " <= " + millis + " <= " + after);
        assertEquals(millis, Long.parseLong(u.toString().replace("-", "").substring(0, 12), 16));
        assertThrows(IllegalArgumentException.class, () -> Uuids.unixMillis(Uuids.random()));
    }

    @Test
    void pythonParsesBothVersions() {
        UUID v4 = Uuids.random();
        UUID v7 = Uuids.timeOrdered();
        String out = Proc.run("python3", "-c",
                "import sys, uuid\nfor a in sys.argv[1:]:\n u = uuid.UUID(a)\n print(u.version, u.variant == uuid.RFC_4122, u)",
                v4.toString(), v7.toString());
        assertEquals(List.of("4 True " + v4, "7 True " + v7), out.lines().toList());
    }

    @Test
    void strictlyIncreasingAndUniqueAcrossFourThreads() throws Exception {
        int threads = 4;
        int each = 250_000;
        UUID[][] made = new UUID[threads][each];
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        long before = System.currentTimeMillis();
        for (int t = 0; t < threads; t++) {
            UUID[] mine = made[t];
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < each; i++) {
                    mine[i] = Uuids.timeOrdered();
                }
            }));
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        long after = System.currentTimeMillis();
        UUID[] all = new UUID[threads * each];
        for (int t = 0; t < threads; t++) {
            for (int i = 1; i < each; i++) {
                assertTrue(unsigned(made[t][i - 1], made[t][i]) < 0, made[t][i - 1] + " then " + made[t][i]);
            }
            System.arraycopy(made[t], 0, all, t * each, each);
        }
        Arrays.sort(all, UuidsTest::unsigned);
        for (int i = 1; i < all.length; i++) {
            assertTrue(unsigned(all[i - 1], all[i]) < 0, "duplicate " + all[i]);
        }
        assertTrue(Uuids.unixMillis(all[0]) >= before, "first " + all[0] + " before " + before);
        // The counter has 2^41 steps per millisecond at least, so the clock is never overtaken here.
        assertTrue(Uuids.unixMillis(all[all.length - 1]) <= after, "last " + all[all.length - 1] + " after " + after);
        // Text order is the unsigned order, which the signed UUID.compareTo does not give.
        for (int i = 1; i < all.length; i += 997) {
            assertTrue(all[i - 1].toString().compareTo(all[i].toString()) < 0);
        }
    }

    @Test
    void totalOrderAcrossThreadsTakingTurns() throws Exception {
        Object turn = new Object();
        UUID[] last = new UUID[1];
        long[] violations = new long[1];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 25_000; i++) {
                    synchronized (turn) {
                        UUID u = Uuids.timeOrdered();
                        if (last[0] != null && unsigned(last[0], u) >= 0) {
                            violations[0]++;
                        }
                        last[0] = u;
                    }
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        assertEquals(0, violations[0]);
        assertTrue(last[0] != null);
    }
}
