package org.posix4j.process;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.posix4j.PosixException;
import org.posix4j.internal.CStrings;
import org.posix4j.internal.Libc;
import org.posix4j.internal.StdlibH;

/// The real environment of the process (libc's `environ`), which children started by posix4j
/// inherit by default.
///
/// `System.getenv()` is a snapshot: the JDK copies the environment once, the first time
/// `System.getenv` or `ProcessBuilder` is used, and never reads it again. Changes made here after
/// that moment are not visible through `System.getenv()`, and `ProcessBuilder` children get that
/// snapshot plus their own changes, not this environment. Read what you set here with
/// [#get(String)]; children started by posix4j see it.
///
/// Thread safety: calls through this class are serialised with one lock. setenv(3) is not safe
/// against native code that reads the environment at the same moment without that lock (a
/// getenv in another library); change the environment early, before such threads run.
public final class Environment {
    private static final ReentrantLock LOCK = new ReentrantLock();

    private Environment() {}

    /// The value of `name` in the real environment: getenv(3).
    ///
    /// @throws IllegalArgumentException if `name` is empty or contains NUL
    public static Optional<String> get(String name) {
        checkName(name);
        LOCK.lock();
        try (Arena arena = Arena.ofConfined()) {
            long value = StdlibH.GETENV.call(Libc.errnoSlot(), CStrings.of(arena, "name", name).address());
            return value == 0 ? Optional.empty() : Optional.of(CStrings.read(MemorySegment.ofAddress(value)));
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        } finally {
            LOCK.unlock();
        }
    }

    /// Sets `name` to `value`, replacing any value: setenv(3). Equivalent to Prosody's
    /// `pposix.setenv`.
    ///
    /// @throws IllegalArgumentException if `name` is empty or contains `=` or NUL, or `value` contains NUL
    /// @throws PosixException ENOMEM when the environment cannot grow
    public static void set(String name, String value) throws PosixException {
        set(name, value, true);
    }

    /// Sets `name` to `value`: setenv(3); an existing value is kept unless `overwrite`.
    ///
    /// @throws IllegalArgumentException as [#set(String, String)]
    /// @throws PosixException ENOMEM when the environment cannot grow
    public static void set(String name, String value, boolean overwrite) throws PosixException {
        checkName(name);
        CStrings.check("value", value);
        MemorySegment errno = Libc.errnoSlot();
        LOCK.lock();
        try (Arena arena = Arena.ofConfined()) {
            int r = StdlibH.SETENV.call(errno, CStrings.of(arena, "name", name).address(),
                    CStrings.of(arena, "value", value).address(), overwrite ? 1 : 0);
            Libc.check(r, errno, "setenv", name);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        } finally {
            LOCK.unlock();
        }
    }

    /// Removes `name` from the environment: unsetenv(3). Removing an absent name is not an error.
    ///
    /// @throws IllegalArgumentException if `name` is empty or contains `=` or NUL
    public static void unset(String name) {
        checkName(name);
        MemorySegment errno = Libc.errnoSlot();
        LOCK.lock();
        try (Arena arena = Arena.ofConfined()) {
            int r = StdlibH.UNSETENV.call(errno, CStrings.of(arena, "name", name).address());
            if (r < 0) {
                throw new IllegalStateException(new PosixException("unsetenv", Libc.errno(errno), name));
            }
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        } finally {
            LOCK.unlock();
        }
    }

    private static void checkName(String name) {
        CStrings.checkNonEmpty("name", name);
        if (name.indexOf('=') >= 0) {
            throw new IllegalArgumentException("name must not contain '=': " + name);
        }
    }
}
