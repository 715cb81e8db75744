package org.posix4j.cli.command;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.posix4j.PosixException;
import org.posix4j.cli.Main;
import org.posix4j.daemon.Daemon;
import org.posix4j.daemon.PidFile;
import org.posix4j.signal.Signal;
import org.posix4j.signal.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/// `posix4j daemon [OPTIONS] -- PROGRAM [ARG...]`: runs a program as a supervised daemon, as
/// libslack's daemon(1) and start-stop-daemon(8) do; `--stop` and `--status` act on a running one
/// through its pid file.
///
/// The command's JVM becomes the supervisor with [Daemon#daemonize(int)] (a new session it does
/// not lead, no terminal, cwd "/"); the launcher, which the caller waits for, returns only once the
/// supervisor holds the pid file and the program runs, or prints why not. [DaemonSupervisor] does
/// the supervisor's part.
@Command(
        name = "daemon",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        modelTransformer = RunCommand.ProgramArguments.class,
        customSynopsis = {
            "posix4j daemon [OPTIONS] [--] PROGRAM [ARG...]",
            "posix4j daemon --stop --pidfile FILE",
            "posix4j daemon --status --pidfile FILE"
        },
        description = {
            "Starts PROGRAM with ARGs as a daemon under a supervisor process, which passes SIGTERM and SIGHUP on"
                    + " to the program's process group (SIGINT is ignored by daemons, which a shell starts in the"
                    + " background), removes the pid file when the program ends and exits with its status. Returns"
                    + " once both run, or fails with the reason.",
            "The program gets standard input from /dev/null, standard output and error on /dev/null, --output"
                    + " or --syslog, and the supervisor's umask.",
            ""
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:started; --stop: stopped; --status: running",
            "1:the daemon could not be started or stopped (the reason on stderr)",
            "3:--status: not running (as an LSB init script reports it)",
            "2:the command line is wrong"
        })
final class DaemonCommand implements Callable<Integer> {
    /// The LSB init script code of `status` for a service that is not running.
    static final int EXIT_NOT_RUNNING = 3;
    /// How long `--stop` waits for the supervisor to go.
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_POLL = Duration.ofMillis(50);

    @Option(names = "--pidfile", paramLabel = "FILE",
            description = "Absolute path of the pid file, which holds the supervisor's pid and its lock.")
    Path pidFile;

    @Option(names = "--user", paramLabel = "USER[:GROUP]",
            description = "Run as USER (and GROUP, else USER's group) from after the pid file is created.")
    String user;

    @Option(names = "--chdir", paramLabel = "DIR", description = "The program's working directory (default: /).")
    Path chdir = Path.of("/");

    @Option(names = "--umask", paramLabel = "MODE", converter = UmaskConverter.class,
            description = "The umask, in octal (default: 022).")
    int umask = 022;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Append the program's standard output and error, and the supervisor's messages, to FILE"
                    + " (an absolute path).")
    Path output;

    @Option(names = "--syslog", paramLabel = "TAG",
            description = "Send each line of the program's standard output to syslog at level info and of its"
                    + " standard error at err, facility daemon, tagged TAG.")
    String syslogTag;

    @Option(names = "--respawn",
            description = "Restart the program when it fails (non-zero exit or a signal), waiting --respawn-delay,"
                    + " then twice as long each time up to 30 s; give up after 5 failures in a row that each came"
                    + " within 10 s of their start. A restart that cannot start the program (its file gone) is such"
                    + " a failure.")
    boolean respawn;

    @Option(names = "--respawn-delay", paramLabel = "MS", defaultValue = "1000",
            description = "The first wait before a restart under --respawn, in milliseconds, 1 to 30000"
                    + " (default: ${DEFAULT-VALUE}).")
    int respawnDelayMillis;

    @Option(names = "--stop",
            description = "Send SIGTERM to the supervisor of --pidfile and wait up to 10 s until it is gone.")
    boolean stop;

    @Option(names = "--status", description = "Exit with 0 if the daemon of --pidfile runs, 3 if not.")
    boolean status;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PROGRAM",
            description = "The program: a path, or a name looked up in PATH.")
    String program;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "Its arguments, passed as they are.")
    List<String> args = new ArrayList<>();

    @Spec
    private CommandSpec spec;

    /// Creates the command; picocli fills in its options when it parses.
    DaemonCommand() {}

    /// An octal file mode creation mask within 0777.
    static final class UmaskConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            if (!text.matches("[0-7]{1,4}")) {
                throw new TypeConversionException("'" + text + "' is not an octal mode such as 022");
            }
            int mode = Integer.parseInt(text, 8);
            if (mode > 0777) {
                throw new TypeConversionException("a umask is within 0777: " + text);
            }
            return mode;
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        checkCombinations();
        PrintWriter err = spec.commandLine().getErr();
        if (status) {
            return PidFile.isRunning(pidFile) ? 0 : EXIT_NOT_RUNNING;
        }
        if (stop) {
            return stop(err);
        }
        // Checked in the launcher as well as by the supervisor's PidFile.create, so that the usual
        // case is reported as one line, not through the daemon's start-up failure report.
        OptionalInt holder = runningPid();
        if (holder.isPresent()) {
            err.println(spec.qualifiedName() + ": " + pidFile + ": already running as pid " + holder.getAsInt());
            return Main.EXIT_FAILURE;
        }
        Daemon.daemonize(umask);
        return new DaemonSupervisor(this, spec.qualifiedName()).run();
    }

    private OptionalInt runningPid() throws IOException {
        if (pidFile == null || !PidFile.isRunning(pidFile)) {
            return OptionalInt.empty();
        }
        OptionalInt pid = PidFile.readPid(pidFile);
        // A holder still writing its pid shows an empty file: it runs all the same.
        return pid.isPresent() ? pid : OptionalInt.of(0);
    }

    private void checkCombinations() {
        if (stop && status) {
            throw usage("--stop and --status cannot be used together");
        }
        if ((stop || status) && pidFile == null) {
            throw usage((stop ? "--stop" : "--status") + " needs --pidfile");
        }
        if ((stop || status) && program != null) {
            throw usage((stop ? "--stop" : "--status") + " takes no PROGRAM");
        }
        if (!stop && !status && program == null) {
            throw usage("PROGRAM is missing");
        }
        if (respawnDelayMillis < 1 || respawnDelayMillis > DaemonSupervisor.MAX_DELAY.toMillis()) {
            throw usage("--respawn-delay must be 1.." + DaemonSupervisor.MAX_DELAY.toMillis() + " (ms): "
                    + respawnDelayMillis);
        }
        if (output != null && syslogTag != null) {
            throw usage("--output and --syslog cannot be used together");
        }
        // The supervisor starts in "/": a relative path would silently mean another file.
        requireAbsolute("--pidfile", pidFile);
        requireAbsolute("--output", output);
        requireAbsolute("--chdir", chdir);
        if (user != null && (user.isEmpty() || user.startsWith(":") || user.endsWith(":"))) {
            throw usage("--user is USER or USER:GROUP, not '" + user + "'");
        }
        if (syslogTag != null && syslogTag.isEmpty()) {
            throw usage("--syslog needs a non-empty TAG");
        }
    }

    private void requireAbsolute(String option, Path path) {
        if (path != null && !path.isAbsolute()) {
            throw usage(option + " needs an absolute path, not " + path);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /// `--stop`: SIGTERM to the pid file's supervisor, then waits for its lock to go, which it
    /// holds until it has removed the file or died.
    private int stop(PrintWriter err) throws IOException, InterruptedException {
        String name = spec.qualifiedName();
        OptionalInt pid = runningPid();
        if (pid.isEmpty() || pid.getAsInt() == 0) {
            err.println(name + ": not running (" + pidFile + ")");
            return Main.EXIT_FAILURE;
        }
        try {
            Signals.kill(pid.getAsInt(), Signal.TERM);
        } catch (PosixException e) {
            if (!PidFile.isRunning(pidFile)) {
                // ESRCH: it ended on its own meanwhile.
                return 0;
            }
            throw e;
        }
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        while (PidFile.isRunning(pidFile)) {
            if (System.nanoTime() > deadline) {
                err.println(name + ": pid " + pid.getAsInt() + " still runs " + STOP_TIMEOUT.toSeconds()
                        + " s after SIGTERM");
                return Main.EXIT_FAILURE;
            }
            Thread.sleep(STOP_POLL);
        }
        return 0;
    }
}
