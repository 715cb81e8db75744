package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/// The user-notification half of <linux/seccomp.h>: the structures and ioctl requests of a
/// seccomp listener. The requests go through [FcntlH#IOCTL] with the structure's address.
/// No policy here.
public final class SeccompH {
    private SeccompH() {}

    /// struct seccomp_data: nr, arch, instruction_pointer, args[6].
    public static final StructLayout SECCOMP_DATA = MemoryLayout.structLayout(
            JAVA_INT.withName("nr"),
            JAVA_INT.withName("arch"),
            JAVA_LONG.withName("instruction_pointer"),
            MemoryLayout.sequenceLayout(6, JAVA_LONG).withName("args"));
    /// struct seccomp_notif: id, pid (the calling thread's id), flags, data.
    public static final StructLayout SECCOMP_NOTIF = MemoryLayout.structLayout(
            JAVA_LONG.withName("id"),
            JAVA_INT.withName("pid"),
            JAVA_INT.withName("flags"),
            SECCOMP_DATA.withName("data"));
    /// struct seccomp_notif_resp: id, val, error, flags.
    public static final StructLayout SECCOMP_NOTIF_RESP = MemoryLayout.structLayout(
            JAVA_LONG.withName("id"),
            JAVA_LONG.withName("val"),
            JAVA_INT.withName("error"),
            JAVA_INT.withName("flags"));
    /// struct seccomp_notif_addfd: id, flags, srcfd, newfd, newfd_flags.
    public static final StructLayout SECCOMP_NOTIF_ADDFD = MemoryLayout.structLayout(
            JAVA_LONG.withName("id"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("srcfd"),
            JAVA_INT.withName("newfd"),
            JAVA_INT.withName("newfd_flags"));

    /// Offset of seccomp_notif.pid (the calling thread's id).
    public static final long NOTIF_PID = 8;
    /// Offset of seccomp_notif.data.nr.
    public static final long NOTIF_NR = 16;
    /// Offset of seccomp_notif.data.arch.
    public static final long NOTIF_ARCH = 20;
    /// Offset of seccomp_notif.data.args[0]; args[i] is 8 bytes further each.
    public static final long NOTIF_ARGS = 32;

    /// SECCOMP_IOCTL_NOTIF_RECV, _IOWR('!', 0, struct seccomp_notif)
    public static final long IOCTL_NOTIF_RECV = 0xc0502100L;
    /// SECCOMP_IOCTL_NOTIF_SEND, _IOWR('!', 1, struct seccomp_notif_resp)
    public static final long IOCTL_NOTIF_SEND = 0xc0182101L;
    /// SECCOMP_IOCTL_NOTIF_ID_VALID, _IOW('!', 2, __u64)
    public static final long IOCTL_NOTIF_ID_VALID = 0x40082102L;
    /// SECCOMP_IOCTL_NOTIF_ADDFD, _IOW('!', 3, struct seccomp_notif_addfd)
    public static final long IOCTL_NOTIF_ADDFD = 0x40182103L;
    /// SECCOMP_USER_NOTIF_FLAG_CONTINUE: the kernel performs the notified call itself.
    public static final int USER_NOTIF_FLAG_CONTINUE = 1;
    /// SECCOMP_ADDFD_FLAG_SEND: install the descriptor and answer the call with its number, atomically.
    public static final int ADDFD_FLAG_SEND = 1 << 1;

    static {
        Abi.check("struct seccomp_data", SECCOMP_DATA, 64);
        Abi.check("struct seccomp_notif", SECCOMP_NOTIF, 80);
        Abi.check("struct seccomp_notif_resp", SECCOMP_NOTIF_RESP, 24);
        Abi.check("struct seccomp_notif_addfd", SECCOMP_NOTIF_ADDFD, 24);
    }
}
