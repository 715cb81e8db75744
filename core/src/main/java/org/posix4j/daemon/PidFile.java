package org.posix4j.daemon;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.internal.CStrings;
import org.posix4j.internal.DupH;
import org.posix4j.internal.FileLockH;
import org.posix4j.internal.Libc;
import org.posix4j.io.Fd;
import org.posix4j.io.OpenFlags;
import org.posix4j.process.CurrentProcess;

/// A pid file held for the life of a daemon: it contains the pid and a newline, and an
/// open-file-description write lock (fcntl(2) F_OFD_SETLK over the whole file) on a descriptor
/// this object keeps open says the daemon is alive. The lock, not the pid, is the truth: it
/// vanishes with the process however that ends, so a pid file left behind by a killed daemon
/// is recognised as stale and taken over, and a recycled pid is never mistaken for the daemon.
/// The lock shows in /proc/locks as `OFDLCK ADVISORY WRITE`.
///
/// Completes Prosody's and slimta's `daemonize`, which leave the pid file to the caller.
///
/// Thread safety: an instance may be shared; [#close()] runs once however often it is called.
/// The static methods may be called from any thread.
public final class PidFile implements Closeable {
    private static final int MAX_ATTEMPTS = 20;

    private final Path path;
    private final Fd fd;
    private final int pid;
    private final Map<String, Object> identity;
    private final Thread hook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PidFile(Path path, Fd fd, int pid, Map<String, Object> identity) {
        this.path = path;
        this.fd = fd;
        this.pid = pid;
        this.identity = identity;
        this.hook = Thread.ofPlatform().unstarted(this::closeQuietly);
    }

    /// Creates or takes over the pid file at `path` for this process: open(2) with O_CREAT
    /// (mode 0644 less the umask, never following a symbolic link), the whole-file write lock
    /// with fcntl(2) F_OFD_SETLK, then ftruncate(2) and the pid written. A file left by a dead
    /// holder is taken over. A JVM shutdown hook removes the file if [#close()] was not called.
    ///
    /// While the pid is being written, readers can briefly see an empty file; [#isRunning(Path)]
    /// is not affected as it asks the lock.
    ///
    /// @throws AlreadyRunningException if a live process holds the lock; its message names the pid
    /// @throws PosixException from open(2) (ENOENT for a missing directory, EACCES, ELOOP for a
    ///     symbolic link), fcntl(2), ftruncate(2) or write(2)
    /// @throws IOException if the file keeps being replaced under this call
    /// @throws IllegalArgumentException if `path` is empty or contains NUL
    public static PidFile create(Path path) throws IOException {
        String file = checked(path);
        int pid = CurrentProcess.pid();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Fd fd = Fd.open(file, OpenFlags.READ_WRITE | OpenFlags.CREATE | OpenFlags.NO_FOLLOW
                    | OpenFlags.NO_CONTROLLING_TTY, 0644);
            boolean keep = false;
            try {
                if (!lock(fd, file)) {
                    throw new AlreadyRunningException(path, holderPid(path));
                }
                // A holder that was closing may have unlinked the file between our open and lock:
                // then we locked an orphan inode and must start again on the path's current file.
                Map<String, Object> identity = identity(fd);
                if (!identity.equals(pathIdentity(path))) {
                    continue;
                }
                write(fd, file, pid);
                PidFile pidFile = new PidFile(path, fd, pid, identity);
                Runtime.getRuntime().addShutdownHook(pidFile.hook);
                keep = true;
                return pidFile;
            } finally {
                if (!keep) {
                    fd.close();
                }
            }
        }
        throw new IOException(path + ": the file was replaced " + MAX_ATTEMPTS + " times while being locked");
    }

    /// The pid written in the file at `path`: empty if there is no such file or it is empty (a
    /// holder still writing it). Does not say whether that process lives; see [#isRunning(Path)].
    ///
    /// @throws IOException if the file cannot be read or holds something other than a pid
    /// @throws IllegalArgumentException if `path` is empty or contains NUL
    public static OptionalInt readPid(Path path) throws IOException {
        checked(path);
        String text;
        try {
            text = Files.readString(path, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            return OptionalInt.empty();
        }
        if (text.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            int pid = Integer.parseInt(text);
            if (pid > 0) {
                return OptionalInt.of(pid);
            }
        } catch (NumberFormatException e) {
            // reported below with the file's content
        }
        throw new IOException(path + ": not a pid file: " + text);
    }

    /// Whether a live process holds the lock on the pid file at `path`: fcntl(2) F_OFD_GETLK on
    /// a fresh read-only descriptor, which tests the lock without taking it, so a concurrent
    /// [#create(Path)] is never disturbed. False when the file does not exist. Answers true in the
    /// holding process too.
    ///
    /// @throws PosixException from open(2) (EACCES...) or fcntl(2)
    /// @throws IllegalArgumentException if `path` is empty or contains NUL
    public static boolean isRunning(Path path) throws PosixException {
        String file = checked(path);
        Fd fd;
        try {
            fd = Fd.open(file, OpenFlags.READ_ONLY | OpenFlags.NO_CONTROLLING_TTY, 0);
        } catch (PosixException e) {
            if (e.is(Errno.ENOENT)) {
                return false;
            }
            throw e;
        }
        try (fd; Arena arena = Arena.ofConfined()) {
            MemorySegment lock = wholeFile(arena, FileLockH.F_WRLCK);
            fcntl(fd, FileLockH.F_OFD_GETLK, lock, file);
            return lock.get(JAVA_SHORT, FileLockH.L_TYPE) != FileLockH.F_UNLCK;
        }
    }

    /// The pid file's path.
    public Path path() {
        return path;
    }

    /// The pid written in the file: this process's.
    public int pid() {
        return pid;
    }

    /// Removes the file (unless another file has replaced it meanwhile) while still holding the
    /// lock, then closes the descriptor, which releases the lock; unregisters the shutdown hook.
    /// Later calls do nothing.
    ///
    /// @throws IOException if the file cannot be removed; the lock is released all the same
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down (this may be the hook itself): nothing to unregister.
        }
        try (fd) {
            if (identity.equals(pathIdentity(path))) {
                Files.deleteIfExists(path);
            }
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            System.err.println("posix4j: could not remove pid file: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "PidFile[" + path + ", pid " + pid + (closed.get() ? ", closed]" : "]");
    }

    private static String checked(Path path) {
        Objects.requireNonNull(path, "path is null");
        return CStrings.checkNonEmpty("path", path.toString());
    }

    /// Takes the whole-file write lock; false if another open file description holds a lock.
    private static boolean lock(Fd fd, String file) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            try {
                fcntl(fd, FileLockH.F_OFD_SETLK, wholeFile(arena, FileLockH.F_WRLCK), file);
                return true;
            } catch (PosixException e) {
                if (e.is(Errno.EAGAIN) || e.is(Errno.EACCES)) {
                    return false;
                }
                throw e;
            }
        }
    }

    private static MemorySegment wholeFile(Arena arena, short type) {
        MemorySegment lock = arena.allocate(FileLockH.FLOCK);
        lock.set(JAVA_SHORT, FileLockH.L_TYPE, type);
        lock.set(JAVA_SHORT, FileLockH.L_WHENCE, FileLockH.SEEK_SET);
        // l_start 0 and l_len 0 cover the whole file, however long it grows; l_pid must be 0 for OFD locks.
        return lock;
    }

    private static void fcntl(Fd fd, int cmd, MemorySegment lock, String file) throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        try {
            int r;
            do {
                r = FileLockH.FCNTL_FLOCK.call(errno, fd.intValue(), cmd, lock.address());
            } while (r < 0 && Libc.interrupted(errno));
            Libc.check(r, errno, "fcntl", file);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    private static void write(Fd fd, String file, int pid) throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        try {
            Libc.check(DupH.FTRUNCATE.call(errno, fd.intValue(), 0L), errno, "ftruncate", file);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
        byte[] text = (pid + "\n").getBytes(StandardCharsets.US_ASCII);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(text.length);
            buffer.copyFrom(MemorySegment.ofArray(text));
            long done = 0;
            while (done < text.length) {
                done += fd.write(buffer.asSlice(done));
            }
        }
    }

    /// The holder's pid as the file names it, waiting briefly for a holder that has just taken
    /// the lock and not yet written its pid.
    private static int holderPid(Path path) throws IOException {
        for (int i = 0; i < 50; i++) {
            OptionalInt pid = readPid(path);
            if (pid.isPresent()) {
                return pid.getAsInt();
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return -1;
    }

    /// Device and inode of the open file, read through /proc/self/fd, which resolves even when
    /// the file was unlinked.
    private static Map<String, Object> identity(Fd fd) throws IOException {
        return Files.readAttributes(Path.of("/proc/self/fd", Integer.toString(fd.intValue())), "unix:dev,ino");
    }

    private static Map<String, Object> pathIdentity(Path path) throws IOException {
        try {
            return Files.readAttributes(path, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Map.of();
        }
    }
}
