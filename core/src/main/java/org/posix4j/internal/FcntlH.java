package org.posix4j.internal;

/// Raw bindings for <fcntl.h> and <sys/ioctl.h>. No policy here. posix_fallocate and
/// posix_fadvise are in [FileSpaceH], for the reason [UnistdH] gives.
public final class FcntlH {
    private FcntlH() {}

    /// int open(const char *pathname, int flags, ... /* mode_t mode */);   open(2)
    public static final CIntFunction OPEN = Libc.intFunction("open");
    /// int fcntl(int fd, int cmd, ... /* int arg, or a pointer */);   fcntl(2)
    public static final CIntFunction FCNTL = Libc.intFunction("fcntl");
    /// int ioctl(int fd, unsigned long request, ... /* unsigned long arg, or a pointer */);   ioctl(2)
    public static final CIntFunction IOCTL = Libc.intFunction("ioctl");

    /// O_RDONLY
    public static final int O_RDONLY = 0;
    /// O_WRONLY
    public static final int O_WRONLY = 1;
    /// O_RDWR
    public static final int O_RDWR = 2;
    /// O_CREAT
    public static final int O_CREAT = 0100;
    /// O_EXCL
    public static final int O_EXCL = 0200;
    /// O_NOCTTY
    public static final int O_NOCTTY = 0400;
    /// O_TRUNC
    public static final int O_TRUNC = 01000;
    /// O_APPEND
    public static final int O_APPEND = 02000;
    /// O_NONBLOCK
    public static final int O_NONBLOCK = 04000;
    /// The open(2) flags whose bits differ between architectures (asm/fcntl.h: x86_64 takes
    /// the generic values, aarch64 its own).
    ///
    /// @param directory O_DIRECTORY
    /// @param noFollow O_NOFOLLOW
    /// @param direct O_DIRECT
    public record ArchOpenFlags(int directory, int noFollow, int direct) {
        /// The flags of `arch` (a [Syscalls#arch()] name; anything but "aarch64" gets the
        /// generic values, which x86_64 uses).
        public static ArchOpenFlags of(String arch) {
            return "aarch64".equals(arch) ? new ArchOpenFlags(040000, 0100000, 0200000)
                    : new ArchOpenFlags(0200000, 0400000, 040000);
        }
    }

    /// The [ArchOpenFlags] of the architecture this JVM runs on.
    public static final ArchOpenFlags ARCH = ArchOpenFlags.of(
            "aarch64".equals(System.getProperty("os.arch")) ? "aarch64" : "x86_64");
    /// O_DIRECTORY
    public static final int O_DIRECTORY = ARCH.directory();
    /// O_NOFOLLOW
    public static final int O_NOFOLLOW = ARCH.noFollow();
    /// O_DIRECT
    public static final int O_DIRECT = ARCH.direct();
    /// O_CLOEXEC
    public static final int O_CLOEXEC = 02000000;
    /// O_PATH
    public static final int O_PATH = 010000000;
    /// AT_FDCWD
    public static final int AT_FDCWD = -100;

    /// F_DUPFD_CLOEXEC
    public static final int F_DUPFD_CLOEXEC = 1030;
    /// F_GETFD
    public static final int F_GETFD = 1;
    /// F_SETFD
    public static final int F_SETFD = 2;
    /// F_GETFL
    public static final int F_GETFL = 3;
    /// FD_CLOEXEC
    public static final int FD_CLOEXEC = 1;
}
