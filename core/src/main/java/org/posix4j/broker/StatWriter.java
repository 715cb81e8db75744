package org.posix4j.broker;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.time.Instant;
import org.posix4j.internal.Syscalls;

/// Converts between [StatResult] and the kernel's struct statx and struct stat (whose layout
/// differs between x86_64 and the generic table of aarch64).
final class StatWriter {
    private static final boolean X86_64 = Syscalls.CURRENT.arch().equals("x86_64");
    private static final long STATX_SIZE = 256;

    private StatWriter() {}

    static StatResult fromStatx(MemorySegment b) {
        long dev = makedev(b.get(JAVA_INT, 136), b.get(JAVA_INT, 140));
        long rdev = makedev(b.get(JAVA_INT, 128), b.get(JAVA_INT, 132));
        return new StatResult(dev, b.get(JAVA_LONG, 32), Short.toUnsignedInt(b.get(JAVA_SHORT, 28)),
                Integer.toUnsignedLong(b.get(JAVA_INT, 16)), b.get(JAVA_INT, 20), b.get(JAVA_INT, 24), rdev,
                b.get(JAVA_LONG, 40), time(b, 64), time(b, 112), time(b, 96),
                Integer.toUnsignedLong(b.get(JAVA_INT, 4)), b.get(JAVA_LONG, 48));
    }

    private static Instant time(MemorySegment b, long offset) {
        return Instant.ofEpochSecond(b.get(JAVA_LONG, offset), Integer.toUnsignedLong(b.get(JAVA_INT, offset + 8)));
    }

    /// glibc's makedev(3).
    static long makedev(int major, int minor) {
        long ma = Integer.toUnsignedLong(major);
        long mi = Integer.toUnsignedLong(minor);
        return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
    }

    static int major(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL));
    }

    static int minor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xffL));
    }

    /// Writes `st` into `out` in `format`; answers the number of bytes to copy to the program.
    static long write(MemorySegment out, Call.StatFormat format, StatResult st) {
        if (format == Call.StatFormat.STATX) {
            out.asSlice(0, STATX_SIZE).fill((byte) 0);
            out.set(JAVA_INT, 0, 0x7ff);
            out.set(JAVA_INT, 4, (int) st.blksize());
            out.set(JAVA_INT, 16, (int) st.nlink());
            out.set(JAVA_INT, 20, st.uid());
            out.set(JAVA_INT, 24, st.gid());
            out.set(JAVA_SHORT, 28, (short) st.mode());
            out.set(JAVA_LONG, 32, st.ino());
            out.set(JAVA_LONG, 40, st.size());
            out.set(JAVA_LONG, 48, st.blocks());
            statxTime(out, 64, st.atime());
            statxTime(out, 96, st.ctime());
            statxTime(out, 112, st.mtime());
            out.set(JAVA_INT, 128, major(st.rdev()));
            out.set(JAVA_INT, 132, minor(st.rdev()));
            out.set(JAVA_INT, 136, major(st.dev()));
            out.set(JAVA_INT, 140, minor(st.dev()));
            return STATX_SIZE;
        }
        long size = X86_64 ? 144 : 128;
        out.asSlice(0, size).fill((byte) 0);
        out.set(JAVA_LONG, 0, st.dev());
        out.set(JAVA_LONG, 8, st.ino());
        if (X86_64) {
            out.set(JAVA_LONG, 16, st.nlink());
            out.set(JAVA_INT, 24, st.mode());
            out.set(JAVA_INT, 28, st.uid());
            out.set(JAVA_INT, 32, st.gid());
            out.set(JAVA_LONG, 40, st.rdev());
            out.set(JAVA_LONG, 56, st.blksize());
        } else {
            out.set(JAVA_INT, 16, st.mode());
            out.set(JAVA_INT, 20, (int) st.nlink());
            out.set(JAVA_INT, 24, st.uid());
            out.set(JAVA_INT, 28, st.gid());
            out.set(JAVA_LONG, 32, st.rdev());
            out.set(JAVA_INT, 56, (int) st.blksize());
        }
        out.set(JAVA_LONG, 48, st.size());
        out.set(JAVA_LONG, 64, st.blocks());
        statTime(out, 72, st.atime());
        statTime(out, 88, st.mtime());
        statTime(out, 104, st.ctime());
        return size;
    }

    private static void statxTime(MemorySegment out, long offset, Instant t) {
        out.set(JAVA_LONG, offset, t.getEpochSecond());
        out.set(JAVA_INT, offset + 8, t.getNano());
    }

    private static void statTime(MemorySegment out, long offset, Instant t) {
        out.set(JAVA_LONG, offset, t.getEpochSecond());
        out.set(JAVA_LONG, offset + 8, t.getNano());
    }
}
