package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/// Raw bindings for <semaphore.h>. No policy here.
public final class SemaphoreH {
    private SemaphoreH() {}

    private static final FunctionDescriptor INT_PTR = FunctionDescriptor.of(JAVA_INT, ADDRESS);

    /// sem_t *sem_open(const char *name, int oflag, ... /* mode_t mode, unsigned int value */);   sem_open(3)
    public static final CLongFunction SEM_OPEN = Libc.longFunction("sem_open");
    /// int sem_close(sem_t *sem);   sem_close(3)
    public static final CIntFunction SEM_CLOSE = Libc.intFunction("sem_close");
    /// int sem_unlink(const char *name);   sem_unlink(3)
    public static final CIntFunction SEM_UNLINK = Libc.intFunction("sem_unlink");
    /// int sem_init(sem_t *sem, int pshared, unsigned int value);   sem_init(3)
    public static final MethodHandle SEM_INIT = Libc.errnoSetting("sem_init",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    /// int sem_destroy(sem_t *sem);   sem_destroy(3)
    public static final MethodHandle SEM_DESTROY = Libc.errnoSetting("sem_destroy", INT_PTR);
    /// int sem_post(sem_t *sem);   sem_post(3)
    public static final MethodHandle SEM_POST = Libc.errnoSetting("sem_post", INT_PTR);
    /// int sem_wait(sem_t *sem);   sem_wait(3)
    public static final MethodHandle SEM_WAIT = Libc.errnoSetting("sem_wait", INT_PTR);
    /// int sem_trywait(sem_t *sem);   sem_wait(3)
    public static final MethodHandle SEM_TRYWAIT = Libc.errnoSetting("sem_trywait", INT_PTR);
    /// int sem_clockwait(sem_t *sem, clockid_t clockid, const struct timespec *abstime);   sem_wait(3), glibc 2.30+
    public static final MethodHandle SEM_CLOCKWAIT = Libc.errnoSetting("sem_clockwait",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    /// int sem_getvalue(sem_t *sem, int *sval);   sem_getvalue(3)
    public static final MethodHandle SEM_GETVALUE = Libc.errnoSetting("sem_getvalue",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

    /// sem_t: an opaque 32-byte union aligned like a long on the LP64 Linux ABIs.
    public static final MemoryLayout SEM_T = MemoryLayout.sequenceLayout(4, JAVA_LONG).withName("sem_t");
    /// sizeof(sem_t)
    public static final int SEM_SIZE = (int) SEM_T.byteSize();
    /// alignof(sem_t)
    public static final int SEM_ALIGN = (int) SEM_T.byteAlignment();
    /// _SC_SEM_VALUE_MAX, for sysconf.
    public static final int SC_SEM_VALUE_MAX = 33;
    /// SEM_FAILED, what sem_open returns on failure: (sem_t *) 0 in glibc.
    public static final long SEM_FAILED = 0L;
    /// NAME_MAX, the longest file name /dev/shm accepts.
    public static final int NAME_MAX = 255;

    static {
        Abi.check("sem_t", SEM_T, 32);
    }

    /// The `sem_t` at `address` (from sem_open) as a segment of sizeof(sem_t) bytes whose lifetime
    /// is `arena`: a downcall given it keeps `arena` alive, so a shared arena cannot close under
    /// a thread blocked in sem_wait.
    @SuppressWarnings("restricted")
    public static MemorySegment attach(MemorySegment address, Arena arena) {
        return address.reinterpret(SEM_SIZE, arena, null);
    }
}
