package org.posix4j.cli.command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.posix4j.PosixException;
import org.posix4j.cli.Main;
import org.posix4j.daemon.AlreadyRunningException;
import org.posix4j.daemon.Daemon;
import org.posix4j.daemon.PidFile;
import org.posix4j.daemon.Privileges;
import org.posix4j.daemon.Stdio;
import org.posix4j.io.Fd;
import org.posix4j.signal.Signal;
import org.posix4j.signal.SignalChannel;
import org.posix4j.spawn.Child;
import org.posix4j.spawn.ExitStatus;
import org.posix4j.spawn.ProcessGroup;
import org.posix4j.spawn.Redirect;
import org.posix4j.spawn.Spawn;
import org.posix4j.syslog.Facility;
import org.posix4j.syslog.Level;
import org.posix4j.syslog.Option;
import org.posix4j.syslog.Syslog;

/// The supervisor of `posix4j daemon`, run in the daemonized JVM: takes the pid file, sets up
/// output, drops privileges, starts the program, tells the launcher it is ready, then waits for the
/// program (restarting it under `--respawn`) and exits with its status.
///
/// A failure before the program runs is reported to the launcher, which prints it and exits 1.
/// Later messages (restarts, giving up) go to syslog (facility daemon) and to the supervisor's
/// standard error, which is the `--output` file or /dev/null.
///
/// Thread safety: [#run()] is called once, by the command's thread; one virtual thread per relayed
/// signal and one platform thread per `--syslog` stream work alongside, sharing state under `lock`.
final class DaemonSupervisor {
    private static final List<Signal> RELAYED = List.of(Signal.TERM, Signal.INT, Signal.HUP);
    private static final int MAX_RAPID_FAILURES = 5;
    private static final Duration RAPID = Duration.ofSeconds(10);
    /// The longest wait between restarts, and the longest `--respawn-delay`.
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    private static final Duration DRAIN = Duration.ofSeconds(2);

    private final DaemonCommand options;
    private final String name;
    private final Object lock = new Object();
    /// Set by SIGTERM or SIGINT: the program is not to be restarted. Guarded by `lock`.
    private boolean stopping;
    /// The program while it runs, for the signal relays. Guarded by `lock`.
    private Child current;

    DaemonSupervisor(DaemonCommand options, String name) {
        this.options = options;
        this.name = name;
    }

    /// Starts the program and supervises it to the end.
    ///
    /// @return the exit code: the program's last status as a shell reports it, or 1 when
    ///     `--respawn` gave up
    int run() throws InterruptedException {
        List<SignalChannel> channels = new ArrayList<>();
        PidFile pidFile = null;
        Started first;
        try {
            // Before anything else, so that a SIGTERM during start-up ends the program, not the JVM.
            channels = openChannels();
            if (options.pidFile != null) {
                pidFile = createPidFile();
            }
            if (options.output != null) {
                Stdio.redirect(Stdio.Target.unchanged(), Stdio.Target.appendTo(options.output),
                        Stdio.Target.appendTo(options.output));
            }
            Syslog.open(options.syslogTag != null ? options.syslogTag : "posix4j-daemon", Set.of(Option.PID),
                    Facility.DAEMON);
            if (!Files.isDirectory(options.chdir)) {
                throw new IOException("cannot change directory to " + options.chdir + ": not a directory");
            }
            if (options.user != null) {
                int colon = options.user.indexOf(':');
                if (colon < 0) {
                    Privileges.drop(options.user);
                } else {
                    Privileges.drop(options.user.substring(0, colon), options.user.substring(colon + 1));
                }
            }
            first = start();
            Daemon.ready();
        } catch (AlreadyRunningException e) {
            return startFailed(e.getMessage(), pidFile);
        } catch (PosixException e) {
            return startFailed(e.getMessage(), pidFile);
        } catch (IOException | RuntimeException e) {
            return startFailed(Optional.ofNullable(e.getMessage()).orElse(e.toString()), pidFile);
        }
        for (SignalChannel channel : channels) {
            Thread.ofVirtual().name("posix4j daemon: relay " + channel.signals()).start(() -> relay(channel));
        }
        try {
            return supervise(first);
        } finally {
            closeAll(channels);
            if (pidFile != null) {
                try {
                    pidFile.close();
                } catch (IOException e) {
                    // After --user, the pid file's directory may refuse the unlink; the lock is gone.
                    log(Level.WARNING, "cannot remove the pid file: " + e.getMessage());
                }
            }
        }
    }

    /// Creates the pid file; a failure other than another holder names the file, since a failed
    /// write(2) on a full file system only names its descriptor.
    private PidFile createPidFile() throws IOException {
        try {
            return PidFile.create(options.pidFile);
        } catch (AlreadyRunningException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot create the pid file " + options.pidFile + ": " + e.getMessage(), e);
        }
    }

    /// Removes the pid file (`null`: none made yet), then reports a start-up failure to the
    /// launcher, which prints it as the one line `posix4j daemon: REASON` and exits 1;
    /// [Daemon#fail(String)] then exits this JVM with status 1. The pid file goes first: left to
    /// the JVM's exit, it was still there when the launcher had exited, for a script that looks
    /// right after (a flaky CI run, 2026-12-07).
    private int startFailed(String reason, PidFile pidFile) {
        if (pidFile != null) {
            try {
                pidFile.close();
            } catch (IOException e) {
                log(Level.WARNING, "cannot remove the pid file: " + e.getMessage());
            }
        }
        Daemon.fail(name + ": " + reason);
        throw new AssertionError("Daemon.fail exits the JVM");
    }

    /// The program started, with its start time for `--respawn` and the threads relaying its output.
    private record Started(Child child, long startNanos, List<Thread> relays) {}

    private int supervise(Started first) throws InterruptedException {
        Started started = first;
        // Why the last restart could not start the program, or null when it runs.
        String startFailure = null;
        int code = 0;
        int rapidFailures = 0;
        Duration firstDelay = Duration.ofMillis(options.respawnDelayMillis);
        Duration delay = firstDelay;
        while (true) {
            String failure;
            boolean rapid;
            if (startFailure == null) {
                ExitStatus end = started.child().waitFor();
                long ranNanos = System.nanoTime() - started.startNanos();
                synchronized (lock) {
                    current = null;
                }
                for (Thread relay : started.relays()) {
                    relay.join(DRAIN);
                }
                started.child().close();
                code = end.shellCode();
                boolean failed = !(end instanceof ExitStatus.Exited(int exit) && exit == 0);
                if (!options.respawn || !failed || isStopping()) {
                    return code;
                }
                failure = describe(end);
                rapid = ranNanos < RAPID.toNanos();
            } else {
                // The binary may be missing for a moment, as while a package upgrade replaces it:
                // a start that fails counts against the budget like a run that fails at once.
                failure = "could not be started (" + startFailure + ")";
                rapid = true;
            }
            if (rapid) {
                rapidFailures++;
            } else {
                rapidFailures = 1;
                delay = firstDelay;
            }
            if (rapidFailures >= MAX_RAPID_FAILURES) {
                log(Level.ERR, "giving up: " + options.program + " failed " + rapidFailures + " times in a row within "
                        + RAPID.toSeconds() + " s of its start (last: " + failure + ")");
                return Main.EXIT_FAILURE;
            }
            log(Level.WARNING, options.program + " " + failure + "; restarting in " + delay.toMillis() + " ms");
            if (sleepUnlessStopped(delay)) {
                return code;
            }
            delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
            try {
                started = start();
                startFailure = null;
            } catch (IOException e) {
                startFailure = e.getMessage();
                continue;
            }
            if (started == null) {
                return code;
            }
        }
    }

    private static String describe(ExitStatus end) {
        return switch (end) {
            case ExitStatus.Exited(int code) -> "exited with status " + code;
            case ExitStatus.Signaled(int signal, _) -> "was killed by signal " + signal;
        };
    }

    private boolean isStopping() {
        synchronized (lock) {
            return stopping;
        }
    }

    /// Waits `delay` or until SIGTERM or SIGINT came, and answers whether one did.
    private boolean sleepUnlessStopped(Duration delay) throws InterruptedException {
        long deadline = System.nanoTime() + delay.toNanos();
        synchronized (lock) {
            for (long left; !stopping && (left = deadline - System.nanoTime()) > 0; ) {
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return stopping;
        }
    }

    /// Starts the program, or answers null when a stop came first. Under `lock`, so that a relay
    /// either sees the stop before the start or the new program after it.
    private Started start() throws IOException {
        Spawn spawn = Spawn.program(options.program).args(options.args)
                .chdir(options.chdir)
                // Its own group, so that a relayed signal reaches whatever the program started.
                .processGroup(ProcessGroup.NEW_BACKGROUND)
                // The shell that launched the supervisor in the background left these ignored.
                .defaultSignal(Signal.INT)
                .defaultSignal(Signal.QUIT)
                .stdin(Redirect.NULL);
        if (options.syslogTag != null) {
            spawn.stdout(Redirect.PIPE).stderr(Redirect.PIPE);
        } else if (options.output == null) {
            spawn.stdout(Redirect.NULL).stderr(Redirect.NULL);
        }
        synchronized (lock) {
            if (stopping) {
                return null;
            }
            Child child;
            try {
                child = spawn.start();
            } catch (PosixException e) {
                throw new IOException(options.program + ": " + RunCommand.strerror(e), e);
            }
            current = child;
            List<Thread> relays = new ArrayList<>();
            child.stdoutPipe().ifPresent(fd -> relays.add(relayLines(fd, Level.INFO)));
            child.stderrPipe().ifPresent(fd -> relays.add(relayLines(fd, Level.ERR)));
            return new Started(child, System.nanoTime(), relays);
        }
    }

    /// Sends each line read from `fd` to syslog at `level`, until end of file.
    private static Thread relayLines(Fd fd, Level level) {
        // A platform thread: read(2) through FFM holds a virtual thread's carrier while it blocks,
        // and two such readers would take every carrier of a 2-CPU machine from the signal relays.
        return Thread.ofPlatform().daemon().name("posix4j daemon: syslog " + level).start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(fd.inputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    Syslog.log(Facility.DAEMON, level, line);
                }
            } catch (IOException e) {
                // The supervisor closed the pipe after the program's end: nothing more to relay.
            }
        });
    }

    /// One channel per signal: a channel refuses the whole set when one of them is ignored, as
    /// SIGINT is in a process a shell started in the background. An ignored signal stays so.
    private static List<SignalChannel> openChannels() throws PosixException {
        List<SignalChannel> channels = new ArrayList<>();
        for (Signal s : RELAYED) {
            try {
                channels.add(SignalChannel.open(s));
            } catch (IllegalStateException ignored) {
                // SIG_IGN: never delivered, so nothing to relay.
            }
        }
        return channels;
    }

    private void relay(SignalChannel channel) {
        try {
            while (true) {
                Signal signal = channel.read().signal().orElseThrow();
                Child child;
                synchronized (lock) {
                    if (signal != Signal.HUP) {
                        stopping = true;
                        lock.notifyAll();
                    }
                    child = current;
                }
                if (child != null) {
                    try {
                        child.signalGroup(signal);
                        child.signalGroup(Signal.CONT);
                    } catch (PosixException | IllegalStateException ended) {
                        // ESRCH: the group is gone and the program's status is on its way.
                    }
                }
            }
        } catch (IOException | InterruptedException closed) {
            // The supervisor closed the channel on its way out.
        }
    }

    private static void closeAll(List<SignalChannel> channels) {
        for (SignalChannel channel : channels) {
            try {
                channel.close();
            } catch (PosixException e) {
                // EIO closing the pipe: the descriptor is released anyway, and the exit code matters more.
            }
        }
    }

    private static void log(Level level, String message) {
        System.err.println("posix4j daemon: " + message);
        System.err.flush();
        Syslog.log(Facility.DAEMON, level, message);
    }
}
