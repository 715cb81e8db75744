package org.posix4j.internal;

/// Raw bindings for the <fcntl.h> calls that reserve a file's space and advise the kernel on
/// its use. No policy here.
///
/// Apart from [FcntlH] so that a command needing none of them does not link them: see there.
public final class FileSpaceH {
    private FileSpaceH() {}

    /// int posix_fallocate(int fd, off_t offset, off_t len);   posix_fallocate(3); returns an error number.
    public static final CIntFunction POSIX_FALLOCATE = Libc.intFunction("posix_fallocate");
    /// int posix_fadvise(int fd, off_t offset, off_t len, int advice);   posix_fadvise(2); returns an error number.
    public static final CIntFunction POSIX_FADVISE = Libc.intFunction("posix_fadvise");
}
