package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/// Raw bindings for open-file-description record locks: fcntl(2) with F_OFD_SETLK / F_OFD_GETLK
/// and `struct flock`. No policy here.
///
/// OFD locks belong to the open file description rather than to the process, so closing some
/// other descriptor of the same file does not drop them (unlike classic POSIX locks), and
/// F_OFD_GETLK can ask whether someone holds a lock without taking one (unlike flock(2)).
public final class FileLockH {
    private FileLockH() {}

    /// int fcntl(int fd, int cmd, ... /* struct flock *lock */);   fcntl(2)
    public static final CIntFunction FCNTL_FLOCK = Libc.intFunction("fcntl");

    /// struct flock { short l_type; short l_whence; off_t l_start; off_t l_len; pid_t l_pid; };
    /// 32 bytes on x86_64 and aarch64.
    public static final StructLayout FLOCK = MemoryLayout.structLayout(
            JAVA_SHORT.withName("l_type"),
            JAVA_SHORT.withName("l_whence"),
            MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("l_start"),
            JAVA_LONG.withName("l_len"),
            JAVA_INT.withName("l_pid"),
            MemoryLayout.paddingLayout(4));

    static {
        if (FLOCK.byteSize() != 32) {
            throw new ExceptionInInitializerError("struct flock must be 32 bytes, is " + FLOCK.byteSize());
        }
    }

    /// Byte offset of l_type.
    public static final long L_TYPE = FLOCK.byteOffset(MemoryLayout.PathElement.groupElement("l_type"));
    /// Byte offset of l_whence.
    public static final long L_WHENCE = FLOCK.byteOffset(MemoryLayout.PathElement.groupElement("l_whence"));
    /// Byte offset of l_start.
    public static final long L_START = FLOCK.byteOffset(MemoryLayout.PathElement.groupElement("l_start"));
    /// Byte offset of l_len.
    public static final long L_LEN = FLOCK.byteOffset(MemoryLayout.PathElement.groupElement("l_len"));
    /// Byte offset of l_pid.
    public static final long L_PID = FLOCK.byteOffset(MemoryLayout.PathElement.groupElement("l_pid"));

    /// F_OFD_GETLK
    public static final int F_OFD_GETLK = 36;
    /// F_OFD_SETLK
    public static final int F_OFD_SETLK = 37;
    /// F_RDLCK
    public static final short F_RDLCK = 0;
    /// F_WRLCK
    public static final short F_WRLCK = 1;
    /// F_UNLCK
    public static final short F_UNLCK = 2;
    /// SEEK_SET
    public static final short SEEK_SET = 0;
}
