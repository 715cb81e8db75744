package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/// Raw bindings for the <fcntl.h> calls that reserve a file's space and advise the kernel on
/// its use. No policy here.
///
/// Apart from [FcntlH] so that a command needing none of them does not link them: see there.
public final class FileSpaceH {
    private FileSpaceH() {}

    /// int posix_fallocate(int fd, off_t offset, off_t len);   posix_fallocate(3); returns an error number.
    public static final MethodHandle POSIX_FALLOCATE = Libc.plain("posix_fallocate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    /// int posix_fadvise(int fd, off_t offset, off_t len, int advice);   posix_fadvise(2); returns an error number.
    public static final MethodHandle POSIX_FADVISE = Libc.plain("posix_fadvise",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
}
