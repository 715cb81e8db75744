package org.posix4j.ipc;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;
import org.posix4j.PosixException;
import org.posix4j.internal.Libc;
import org.posix4j.internal.SemaphoreH;

/// An anonymous POSIX semaphore in memory the caller owns: [Semaphore#SEM_SIZE] bytes of a
/// native segment, initialised with sem_init(3). Process-shared ones live in a shared mapping
/// (a shm object or a file mapped `MAP_SHARED`) and work across every process that maps it.
/// Equivalent to the seed's `Netsys_posix.anon_semaphore`.
///
/// The semaphore lives as long as the segment: once the segment's arena is closed every call
/// throws `IllegalStateException`, and a shared arena cannot close while a thread waits here.
///
/// Thread safety: every operation may be called from any thread; the segment must therefore be
/// accessible from any thread (global, automatic or shared arena, or a mapping).
public final class AnonymousSemaphore extends Semaphore {
    /// An unstarted thread, to ask a segment whether threads other than its owner may use it.
    private static final Thread STRANGER = Thread.ofPlatform().unstarted(() -> { });

    private final MemorySegment sem;
    private final long offset;
    private final AtomicBoolean destroyed = new AtomicBoolean();

    private AnonymousSemaphore(MemorySegment sem, long offset) {
        this.sem = sem;
        this.offset = offset;
    }

    /// Initialises the [Semaphore#SEM_SIZE] bytes of `segment` at `offset` as a semaphore with
    /// value `initial`: sem_init(3). Equivalent to `Netsys_posix.sem_init`.
    ///
    /// @param processShared whether processes mapping the same memory may use it (pshared = 1)
    /// @throws IllegalArgumentException when `segment` is not native, read-only or confined to one
    ///         thread, when `offset` is negative, misaligned for a sem_t (8 bytes) or leaves less
    ///         than SEM_SIZE bytes, or when `initial` is outside 0 to [Semaphore#SEM_VALUE_MAX]
    /// @throws PosixException with sem_init's errno
    public static AnonymousSemaphore init(MemorySegment segment, long offset, boolean processShared, int initial)
            throws PosixException {
        MemorySegment sem = slice(segment, offset);
        if (initial < 0 || initial > SEM_VALUE_MAX) {
            throw new IllegalArgumentException(
                    "initial must be within 0 and SEM_VALUE_MAX (" + SEM_VALUE_MAX + "): " + initial);
        }
        try {
            MemorySegment errno = Libc.errnoSlot();
            Libc.check((int) SemaphoreH.SEM_INIT.invokeExact(errno, sem, processShared ? 1 : 0, initial), errno,
                    "sem_init", "offset " + offset);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
        return new AnonymousSemaphore(sem, offset);
    }

    /// The semaphore that [#init] (here or in another process) already initialised at `offset` of
    /// `segment`; nothing is written. Equivalent to `Netsys_posix.as_sem`.
    ///
    /// @throws IllegalArgumentException as for [#init] about `segment` and `offset`
    public static AnonymousSemaphore view(MemorySegment segment, long offset) {
        return new AnonymousSemaphore(slice(segment, offset), offset);
    }

    private static MemorySegment slice(MemorySegment segment, long offset) {
        if (segment == null) {
            throw new NullPointerException("segment is null");
        }
        if (!segment.isNative()) {
            throw new IllegalArgumentException("segment must be native memory, not a heap segment");
        }
        if (segment.isReadOnly()) {
            throw new IllegalArgumentException("segment is read-only; a semaphore is written by every call");
        }
        if (!segment.isAccessibleBy(STRANGER)) {
            throw new IllegalArgumentException("segment is confined to one thread; use a shared arena or a mapping");
        }
        if (offset < 0 || offset > segment.byteSize() - SEM_SIZE) {
            throw new IllegalArgumentException("offset " + offset + " leaves less than " + SEM_SIZE
                    + " bytes in a segment of " + segment.byteSize());
        }
        if ((segment.address() + offset) % SemaphoreH.SEM_ALIGN != 0) {
            throw new IllegalArgumentException("offset " + offset + " puts the semaphore at address 0x"
                    + Long.toHexString(segment.address() + offset) + ", not aligned to " + SemaphoreH.SEM_ALIGN);
        }
        return segment.asSlice(offset, SEM_SIZE);
    }

    /// Destroys the semaphore: sem_destroy(3). Equivalent to `Netsys_posix.sem_destroy`. Later calls
    /// on this object throw `IllegalStateException`; destroying a semaphore other threads or
    /// processes still wait on is undefined, so do it only once everybody is done with it.
    ///
    /// @throws IllegalStateException if already destroyed through this object
    /// @throws PosixException with sem_destroy's errno
    public void destroy() throws PosixException {
        if (!destroyed.compareAndSet(false, true)) {
            throw new IllegalStateException("semaphore at offset " + offset + " is already destroyed");
        }
        try {
            MemorySegment errno = Libc.errnoSlot();
            Libc.check((int) SemaphoreH.SEM_DESTROY.invokeExact(errno, sem), errno, "sem_destroy", subject());
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    @Override
    MemorySegment sem() {
        if (destroyed.get()) {
            throw new IllegalStateException("semaphore at offset " + offset + " is destroyed");
        }
        return sem;
    }

    @Override
    String subject() {
        return "offset " + offset;
    }
}
