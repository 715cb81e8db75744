package org.posix4j.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.charset.StandardCharsets;

/// Java strings to and from NUL-terminated C strings (UTF-8), with the argument checks every
/// caller needs.
public final class CStrings {
    private CStrings() {}

    /// Rejects a null argument or one with an embedded NUL, naming the argument.
    public static String check(String argument, String value) {
        if (value == null) {
            throw new NullPointerException(argument + " is null");
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(argument + " contains a NUL character: " + value.replace("\0", "\\0"));
        }
        return value;
    }

    /// Like [#check], and also rejects the empty string.
    public static String checkNonEmpty(String argument, String value) {
        if (check(argument, value).isEmpty()) {
            throw new IllegalArgumentException(argument + " is empty");
        }
        return value;
    }

    /// A checked copy of `value` as a C string in `allocator`'s memory.
    public static MemorySegment of(SegmentAllocator allocator, String argument, String value) {
        return allocator.allocateFrom(check(argument, value), StandardCharsets.UTF_8);
    }

    /// The C string at `address`, which must not be NULL.
    public static String read(MemorySegment address) {
        return Libc.unbounded(address).getString(0, StandardCharsets.UTF_8);
    }

    /// The NUL-terminated string in `buffer` starting at `offset`, bounded by the buffer.
    public static String read(MemorySegment buffer, long offset) {
        return buffer.getString(offset, StandardCharsets.UTF_8);
    }
}
