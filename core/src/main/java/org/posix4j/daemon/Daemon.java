package org.posix4j.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.posix4j.PosixException;
import org.posix4j.io.Fd;
import org.posix4j.io.Pipe;
import org.posix4j.process.CurrentProcess;
import org.posix4j.process.Environment;
import org.posix4j.spawn.Child;
import org.posix4j.spawn.Redirect;
import org.posix4j.spawn.Spawn;

/// Turns the running Java program into a daemon. Equivalent to Prosody's `pposix.daemonize` and
/// slimta's `daemonize` (fork, setsid, fork, chdir "/", umask, stdio on /dev/null).
///
/// A JVM cannot fork and go on running Java, so [#daemonize(int)] re-launches the program: the
/// same java binary with the same JVM options, class or module path, main class and arguments
/// (read from /proc/self/cmdline), through `/bin/sh -c '"$@" &'` started in a new session. The
/// shell leads that session and exits at once, so the daemon runs in a new session of which it
/// is not the leader (what the seed's second fork is for): it can never acquire a controlling
/// terminal. It starts in "/", with standard input, output and error on /dev/null.
///
/// Since the daemon starts in "/", the paths of the original command line that were relative to
/// the directory the JVM started in are made absolute against it first: the class path (and
/// `CLASSPATH`), module paths and `--patch-module`, the jar of `-jar`, the source file of a
/// source-file launch (`java Server.java`), agent paths (`-javaagent:`, `-agentpath:`),
/// `-Xbootclasspath/a:`, `-splash:`, `-XX:Flags=`, `-XX:VMOptionsFile=`, and `-Dname=value`
/// values that name an existing file or directory (or a file in an existing directory, when the
/// value has a `/`). `@argfiles` are expanded in place, their contents rewritten the same way, and
/// the options of `JDK_JAVA_OPTIONS` move onto the command line, rewritten. The program's own
/// arguments are passed as they are: like any relative path the daemon uses, a relative path
/// among them resolves against "/" in the daemon, as after the seed's chdir. Paths inside other
/// JVM options (`-Xlog:...:file=`), in `JAVA_TOOL_OPTIONS` and `_JAVA_OPTIONS`, and `-D` values
/// that name nothing yet are not rewritten: give them absolute.
///
/// In the launching process `daemonize` does not return: it waits until the daemon calls
/// [#ready()] and then exits with status 0, or, when the daemon throws an uncaught exception or
/// exits before it is ready, prints the daemon's error on its own standard error and exits with
/// status 1; [#fail(String)] has it print a message of the daemon's own instead. In the daemon
/// `daemonize` sets the umask and returns the daemon's pid.
///
/// ```java
/// public static void main(String[] args) throws Exception {
///     Daemon.daemonize(0);            // the launcher stays here until ready() or a failure
///     var server = openListeningSocket();
///     Daemon.ready();                  // the launcher exits 0 now
///     server.serve();
/// }
/// ```
///
/// Call it first thing in `main`, before starting threads or opening files: everything done
/// before the call is done twice, once in the launcher and once in the daemon.
///
/// Thread safety: [#daemonize(int)], [#ready()] and [#fail(String)] may be called from any
/// thread, each once.
public final class Daemon {
    /// The environment variable that tells a re-launched program it is the daemon, and which
    /// descriptor reports readiness.
    public static final String READY_FD_VARIABLE = "POSIX4J_DAEMON_READY_FD";

    private static final String READY = "READY\n";
    private static final String JDK_JAVA_OPTIONS = "JDK_JAVA_OPTIONS";
    private static final String CLASSPATH = "CLASSPATH";
    private static final Object LOCK = new Object();
    private static Fd readiness;

    private Daemon() {}

    /// Daemonizes with umask 0, as the seeds do.
    ///
    /// @return in the daemon, its pid; the launcher never returns
    /// @throws PosixException if the daemon cannot be started (in the launcher) or set up
    /// @throws IOException if /proc/self/cmdline or an `@argfile` it names cannot be read
    public static int daemonize() throws IOException {
        return daemonize(0);
    }

    /// Daemonizes, the daemon getting `umask`.
    ///
    /// @param umask the daemon's file mode creation mask, within 0777
    /// @return in the daemon, its pid; the launcher never returns
    /// @throws PosixException if the daemon cannot be started (in the launcher) or set up
    /// @throws IOException if /proc/self/cmdline or an `@argfile` it names cannot be read
    /// @throws IllegalArgumentException if `umask` has bits outside 0777
    public static int daemonize(int umask) throws IOException {
        if ((umask & ~0777) != 0) {
            throw new IllegalArgumentException("umask must be within 0777: 0" + Integer.toOctalString(umask));
        }
        Optional<String> fd = Environment.get(READY_FD_VARIABLE);
        if (fd.isPresent()) {
            becomeDaemon(fd.get(), umask);
            return CurrentProcess.pid();
        }
        launch();
        throw new AssertionError("launch() exits the JVM");
    }

    /// Whether this process is a daemon started by [#daemonize(int)] that has not yet called
    /// [#ready()].
    public static boolean isStarting() {
        synchronized (LOCK) {
            return readiness != null;
        }
    }

    /// Tells the launcher that the daemon is up: the launcher exits with status 0. Does nothing
    /// in a process that was not started by [#daemonize(int)], or when called again.
    ///
    /// @throws IOException if the launcher's pipe cannot be written (EPIPE: the launcher was killed)
    public static void ready() throws IOException {
        report(READY);
    }

    /// Ends a starting daemon with a start-up error of its own wording: the launcher prints
    /// `message` and a line end on its standard error, as they are (no exception class, no stack
    /// trace), and exits with status 1; then this process exits with status 1 through
    /// [System#exit(int)], so shutdown hooks run. For failures the daemon diagnosed itself, such as
    /// "cannot bind port 25: Address already in use"; an uncaught exception is reported as a
    /// stack trace instead. Writes to the launcher's pipe (write(2)); no seed function.
    ///
    /// When the launcher is already gone (killed), the message is lost and the daemon still exits.
    ///
    /// Thread safety: may be called from any thread, once, instead of [#ready()].
    ///
    /// @param message the error to print, without its line end
    /// @throws IllegalStateException if this process is not a daemon started by
    ///     [#daemonize(int)] that has not yet called [#ready()]
    /// @throws NullPointerException if `message` is null
    public static void fail(String message) {
        Objects.requireNonNull(message, "message");
        synchronized (LOCK) {
            // Checked and reported under the lock, so that a concurrent ready() cannot slip in between.
            if (readiness == null) {
                throw new IllegalStateException("Daemon.fail is for a starting daemon, and this process is not one"
                        + " (not started by daemonize, or already ready)");
            }
            failed(message + "\n");
        }
        System.exit(1);
    }

    private static void report(String text) throws IOException {
        synchronized (LOCK) {
            if (readiness == null) {
                return;
            }
            try (Fd fd = readiness; OutputStream out = fd.outputStream()) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            } finally {
                readiness = null;
            }
        }
    }

    private static void becomeDaemon(String fd, int umask) throws PosixException {
        int number;
        try {
            number = Integer.parseInt(fd);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(READY_FD_VARIABLE + " is not a descriptor number: " + fd, e);
        }
        Environment.unset(READY_FD_VARIABLE);
        Fd pipe = Fd.adopt(number);
        pipe.setCloseOnExec(true);
        synchronized (LOCK) {
            readiness = pipe;
        }
        CurrentProcess.setUmask(umask);
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            boolean starting = isStarting();
            failed("Exception in thread \"" + thread.getName() + "\" " + trace);
            if (previous != null) {
                previous.uncaughtException(thread, error);
            }
            if (starting) {
                // The launcher has reported the failure: a half-started daemon must not linger.
                System.exit(1);
            }
        });
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(
                () -> failed("the daemon exited before it was ready\n")));
    }

    private static void failed(String text) {
        try {
            report("ERROR\n" + text);
        } catch (IOException e) {
            // The launcher is gone: there is no one left to tell.
        }
    }

    /// The launcher's side: starts the daemon, relays its start-up result, exits.
    private static void launch() throws IOException {
        // The directory the launcher's relative paths were written against: the JVM's own at start.
        Path cwd = Path.of(System.getProperty("user.dir"));
        Optional<String> jdkJavaOptions = Environment.get(JDK_JAVA_OPTIONS);
        List<String> command = new ArrayList<>(List.of("-c", "\"$@\" &", "posix4j-daemon",
                Files.readSymbolicLink(Path.of("/proc/self/exe")).toString()));
        command.addAll(DaemonCommandLine.arguments(commandLine(), jdkJavaOptions.orElse(null), cwd));
        Spawn daemon = Spawn.program("/bin/sh").args(command).unsetEnv(JDK_JAVA_OPTIONS);
        Environment.get(CLASSPATH).ifPresent(cp -> daemon.setEnv(CLASSPATH, DaemonCommandLine.absoluteList(cp, cwd)));
        String text;
        try (Pipe pipe = Pipe.open()) {
            int writeEnd = pipe.writeEnd().intValue();
            try (Child shell = daemon
                    .newSession()
                    .chdir(Path.of("/"))
                    .stdin(Redirect.NULL).stdout(Redirect.NULL).stderr(Redirect.NULL)
                    .keepFd(writeEnd)
                    .setEnv(READY_FD_VARIABLE, Integer.toString(writeEnd))
                    .start()) {
                pipe.writeEnd().close();
                text = readAll(pipe.readEnd().inputStream());
                shell.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                text = "ERROR\ninterrupted while waiting for the daemon\n";
            }
        }
        if (text.equals(READY)) {
            System.exit(0);
        }
        System.err.print(text.startsWith("ERROR\n") ? text.substring(6)
                : "the daemon exited before it was ready\n");
        System.err.flush();
        System.exit(1);
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static List<String> commandLine() throws IOException {
        byte[] raw = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        List<String> argv = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                argv.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return argv;
    }
}
