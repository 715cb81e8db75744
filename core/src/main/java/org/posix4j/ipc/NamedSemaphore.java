package org.posix4j.ipc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.posix4j.PosixException;
import org.posix4j.internal.CStrings;
import org.posix4j.internal.FcntlH;
import org.posix4j.internal.Libc;
import org.posix4j.internal.SemaphoreH;

/// A named POSIX semaphore, opened with sem_open(3); on Linux it is the file `/dev/shm/sem.NAME`
/// (NAME without its leading slash), shared by every process that opens the same name.
/// Equivalent to the seed's `Netsys_posix.named_semaphore`.
///
/// Close it with [#close()] (sem_close(3)). As a safety net, a semaphore that becomes unreachable
/// without being closed is closed by a [Cleaner] some time after the garbage collector notices;
/// do not rely on that timing. Closing never removes the name: [#unlink(String)] does.
///
/// Thread safety: every operation may be called from any thread. [#close()] while another thread
/// is inside a call on this semaphore (a wait, typically) fails with `IllegalStateException`
/// instead of unmapping the semaphore under that thread; close it once nobody waits on it.
public final class NamedSemaphore extends Semaphore implements AutoCloseable {
    private static final Cleaner CLEANER =
            Cleaner.create(Thread.ofPlatform().daemon().name("posix4j-sem-cleaner").factory());

    private final String name;
    private final Arena arena;
    private final MemorySegment sem;
    private final Closer closer;
    private final Cleaner.Cleanable cleanable;

    private NamedSemaphore(String name, MemorySegment address) {
        this.name = name;
        this.arena = Arena.ofShared();
        this.sem = SemaphoreH.attach(address, arena);
        this.closer = new Closer(address.address());
        this.cleanable = CLEANER.register(this, closer);
    }

    /// Calls sem_close(3) at most once, from [#close()] or from the cleaner; holds no reference to
    /// the semaphore object, or the cleaner would never run.
    private static final class Closer implements Runnable {
        private final long address;
        private final AtomicBoolean closed = new AtomicBoolean();

        Closer(long address) {
            this.address = address;
        }

        int close() {
            if (!closed.compareAndSet(false, true)) {
                return 0;
            }
            MemorySegment errno = Libc.errnoSlot();
            try {
                int r = SemaphoreH.SEM_CLOSE.call(errno, address);
                return r < 0 ? Libc.errno(errno) : 0;
            } catch (Throwable t) {
                throw Libc.unexpected(t);
            }
        }

        @Override
        public void run() {
            close();
        }
    }

    /// Opens the named semaphore `name`, creating it with `mode` and `initial` as its value when
    /// `flags` contains [SemaphoreFlag#CREATE] and it does not exist: sem_open(3). Equivalent to
    /// `Netsys_posix.sem_open`.
    ///
    /// @param name a leading `/` and one name component: not empty, no further `/`, not `.` or
    ///        `..`, at most 251 bytes in UTF-8 after the slash (NAME_MAX less the `sem.` prefix)
    /// @param flags [SemaphoreFlag#CREATE], optionally with [SemaphoreFlag#EXCLUSIVE]; empty to
    ///        open an existing semaphore
    /// @param mode permission bits for a created semaphore (0 to 07777), less the umask
    /// @param initial the value of a created semaphore, 0 to [Semaphore#SEM_VALUE_MAX]
    /// @throws IllegalArgumentException for a bad name, EXCLUSIVE without CREATE, a mode outside
    ///         0 to 07777 or an initial value outside 0 to SEM_VALUE_MAX, before any native call
    /// @throws PosixException ENOENT when it does not exist and CREATE is absent, EEXIST when it
    ///         exists and CREATE and EXCLUSIVE are given, EACCES without permission
    public static NamedSemaphore open(String name, Set<SemaphoreFlag> flags, int mode, int initial)
            throws PosixException {
        checkName(name);
        if (flags == null) {
            throw new NullPointerException("flags is null");
        }
        if (flags.contains(SemaphoreFlag.EXCLUSIVE) && !flags.contains(SemaphoreFlag.CREATE)) {
            throw new IllegalArgumentException("flags: EXCLUSIVE needs CREATE: " + flags);
        }
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException("mode must be within 0 and 07777: 0" + Integer.toOctalString(mode));
        }
        if (initial < 0 || initial > SEM_VALUE_MAX) {
            throw new IllegalArgumentException(
                    "initial must be within 0 and SEM_VALUE_MAX (" + SEM_VALUE_MAX + "): " + initial);
        }
        int oflag = (flags.contains(SemaphoreFlag.CREATE) ? FcntlH.O_CREAT : 0)
                | (flags.contains(SemaphoreFlag.EXCLUSIVE) ? FcntlH.O_EXCL : 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = CStrings.of(arena, "name", name);
            MemorySegment errno = Libc.errnoSlot();
            long sem = SemaphoreH.SEM_OPEN.call(errno, cname.address(), oflag, mode, initial);
            if (sem == SemaphoreH.SEM_FAILED) {
                throw new PosixException("sem_open", Libc.errno(errno), name);
            }
            return new NamedSemaphore(name, MemorySegment.ofAddress(sem));
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// Opens the existing named semaphore `name`: sem_open(3) without O_CREAT.
    ///
    /// @throws IllegalArgumentException for a bad name (see [#open(String, Set, int, int)])
    /// @throws PosixException ENOENT when it does not exist, EACCES without permission
    public static NamedSemaphore open(String name) throws PosixException {
        return open(name, Set.of(), 0, 0);
    }

    /// Removes the name `name`; processes that have it open keep using it until they close it:
    /// sem_unlink(3). Equivalent to `Netsys_posix.sem_unlink`.
    ///
    /// Thread safety: safe from any thread.
    ///
    /// @throws IllegalArgumentException for a bad name (see [#open(String, Set, int, int)])
    /// @throws PosixException ENOENT when no such semaphore exists, EACCES without permission
    public static void unlink(String name) throws PosixException {
        checkName(name);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.errnoSlot();
            Libc.check(SemaphoreH.SEM_UNLINK.call(errno, CStrings.of(arena, "name", name).address()), errno,
                    "sem_unlink", name);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    private static void checkName(String name) {
        CStrings.check("name", name);
        if (!name.startsWith("/")) {
            throw new IllegalArgumentException("name must start with '/': " + name);
        }
        String component = name.substring(1);
        if (component.isEmpty() || component.equals(".") || component.equals("..")) {
            throw new IllegalArgumentException("name needs a file name after '/': " + name);
        }
        if (component.indexOf('/') >= 0) {
            throw new IllegalArgumentException("name must not contain '/' after the first character: " + name);
        }
        int max = SemaphoreH.NAME_MAX - "sem.".length();
        if (component.getBytes(StandardCharsets.UTF_8).length > max) {
            throw new IllegalArgumentException("name is longer than " + max + " bytes after '/': " + name);
        }
    }

    /// The name this semaphore was opened with.
    public String name() {
        return name;
    }

    @Override
    MemorySegment sem() {
        return sem;
    }

    @Override
    String subject() {
        return name;
    }

    /// Whether [#close()] has not succeeded yet.
    public boolean isOpen() {
        return arena.scope().isAlive();
    }

    /// Closes this process's handle on the semaphore: sem_close(3). Equivalent to
    /// `Netsys_posix.sem_close`. Closing twice does nothing the second time; any other call after
    /// closing throws `IllegalStateException`.
    ///
    /// @throws IllegalStateException while another thread is inside a call on this semaphore
    /// @throws PosixException with sem_close's errno
    @Override
    public synchronized void close() throws PosixException {
        if (!arena.scope().isAlive()) {
            return;
        }
        arena.close();
        int errno = closer.close();
        cleanable.clean();
        if (errno != 0) {
            throw new PosixException("sem_close", errno, name);
        }
    }
}
