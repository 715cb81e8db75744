package org.posix4j.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;

/// Java strings to and from NUL-terminated C strings (UTF-8), with the argument checks every
/// caller needs.
public final class CStrings {
    private CStrings() {}

    /// The JVM's encoding of file names (`sun.jnu.encoding`, from the locale).
    private static final Charset FILE_NAMES = fileNames();

    private static Charset fileNames() {
        String name = System.getProperty("sun.jnu.encoding", "UTF-8");
        return Charset.isSupported(name) ? Charset.forName(name) : StandardCharsets.UTF_8;
    }

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

    /// `path` as the string the native calls take (encoded as UTF-8), checked to name the same
    /// file: a name whose bytes are not valid in the JVM's encoding of file names (a byte 0xff
    /// under UTF-8) reads back as another name (U+FFFD in its place), and one that encoding
    /// spells otherwise than UTF-8 does (any non-ASCII name under the C locale's ASCII) would
    /// be passed on as other bytes: either way a call made with the string would reach another
    /// file.
    ///
    /// @throws IllegalArgumentException naming `argument` when the name does not read back
    public static String path(String argument, Path path) {
        if (path == null) {
            throw new NullPointerException(argument + " is null");
        }
        String s = path.toString();
        boolean same;
        try {
            same = path.getFileSystem().getPath(s).equals(path);
        } catch (InvalidPathException unencodable) {
            same = false;
        }
        if (!same || !Arrays.equals(s.getBytes(FILE_NAMES), s.getBytes(StandardCharsets.UTF_8))) {
            throw new IllegalArgumentException(argument + ": " + s
                    + " is not a name the JVM can pass on unchanged (bytes invalid in its file name encoding)");
        }
        return s;
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
