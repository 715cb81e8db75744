package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/// Raw bindings for <sys/uio.h>: another process's memory. No policy here.
public final class UioH {
    private UioH() {}

    /// struct iovec
    public static final StructLayout IOVEC = MemoryLayout.structLayout(
            ADDRESS.withName("iov_base"),
            JAVA_LONG.withName("iov_len"));

    /// ssize_t process_vm_readv(pid_t pid, const struct iovec *local_iov, unsigned long liovcnt,
    ///     const struct iovec *remote_iov, unsigned long riovcnt, unsigned long flags);   process_vm_readv(2)
    public static final CLongFunction PROCESS_VM_READV = Libc.longFunction("process_vm_readv");
    /// ssize_t process_vm_writev(pid_t pid, ...);   process_vm_writev(2)
    public static final CLongFunction PROCESS_VM_WRITEV = Libc.longFunction("process_vm_writev");

    static {
        Abi.check("struct iovec", IOVEC, 16);
    }
}
