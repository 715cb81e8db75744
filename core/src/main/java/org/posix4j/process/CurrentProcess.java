package org.posix4j.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.posix4j.internal.Libc;
import org.posix4j.internal.StdlibH;
import org.posix4j.internal.SysStatH;
import org.posix4j.internal.UnistdH;

/// Identity and process-wide settings of the calling process: pid, parent pid, umask, abort.
///
/// Thread safety: all methods may be called from any thread. [#setUmask(int)] changes the mask
/// for every thread at once, as umask(2) does.
public final class CurrentProcess {
    private CurrentProcess() {}

    /// The process id: getpid(2). Equivalent to Prosody's `pposix.getpid`.
    public static int pid() {
        try {
            return (int) UnistdH.GETPID.invokeExact();
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// The parent's process id: getppid(2).
    public static int parentPid() {
        try {
            return (int) UnistdH.GETPPID.invokeExact();
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// Sets the file mode creation mask and answers the previous one: umask(2). Equivalent to
    /// Prosody's `pposix.umask`.
    ///
    /// @param mask the new mask, within 0777
    /// @throws IllegalArgumentException if `mask` has bits outside 0777
    public static int setUmask(int mask) {
        if ((mask & ~0777) != 0) {
            throw new IllegalArgumentException("mask must be within 0777: 0" + Integer.toOctalString(mask));
        }
        try {
            return SysStatH.UMASK.call(Libc.errnoSlot(), mask);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// The current file mode creation mask, read from the `Umask:` line of /proc/self/status
    /// (Linux 4.7 and later) so that, unlike calling umask(2) twice, no other thread ever sees a
    /// changed mask.
    ///
    /// @throws IllegalStateException if /proc is not mounted
    public static int umask() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Umask:")) {
                    return Integer.parseInt(line.substring(6).strip(), 8);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the umask from /proc/self/status", e);
        }
        throw new IllegalStateException("/proc/self/status has no Umask line (Linux older than 4.7)");
    }

    /// Terminates the process abnormally with SIGABRT: abort(3). A core file is written when
    /// RLIMIT_CORE and /proc/sys/kernel/core_pattern allow it. Never returns. Equivalent to
    /// Prosody's `pposix.abort`.
    public static void abort() {
        try {
            StdlibH.ABORT.call(Libc.errnoSlot());
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }
}
