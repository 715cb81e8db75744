package org.posix4j.cli.command;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.cli.command.RunArguments.DescriptorConverter;
import org.posix4j.cli.command.RunArguments.DurationConverter;
import org.posix4j.cli.command.RunArguments.GroupChoice;
import org.posix4j.cli.command.RunArguments.GroupConverter;
import org.posix4j.cli.command.RunArguments.IgnorableSignalConverter;
import org.posix4j.cli.command.RunArguments.SignalConverter;
import org.posix4j.cli.command.RunArguments.Variable;
import org.posix4j.cli.command.RunArguments.VariableConverter;
import org.posix4j.io.Fd;
import org.posix4j.io.OpenFlags;
import org.posix4j.process.Sessions;
import org.posix4j.signal.Signal;
import org.posix4j.spawn.Child;
import org.posix4j.spawn.ExitStatus;
import org.posix4j.spawn.ProcessGroup;
import org.posix4j.spawn.Spawn;
import org.posix4j.terminal.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/// `posix4j run [OPTIONS] [--] PROGRAM [ARG...]`: starts a program with posix_spawn as env(1),
/// setsid(1) and timeout(1) would set it up, waits for it and exits with its status.
///
/// posix4j's JVM stays the program's parent for the whole run (it cannot exec the program in its
/// place and still enforce `--timeout`), and prints nothing but its own failures.
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        modelTransformer = RunCommand.ProgramArguments.class,
        customSynopsis = "posix4j run [OPTIONS] [--] PROGRAM [ARG...]",
        description = {
            "Runs PROGRAM with ARGs, set up as the options say, waits for it and exits with its status.",
            "PROGRAM is looked up in posix4j's PATH (not one that --env gives the program) unless it holds a '/'."
                    + " It inherits standard input, output and error, and no other descriptor unless named by"
                    + " --keep-fd.",
            ""
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0-255:the program's own exit code",
            "128+N:the program was killed by signal N, as a shell reports it",
            "124:--timeout ran out (the program was sent SIGTERM), as with timeout(1)",
            "137:--timeout ran out and the program was killed by the SIGKILL of --kill-after",
            "125:posix4j run failed before starting the program (--chdir, --keep-fd, --pgroup, --foreground)",
            "126:PROGRAM was found but could not be executed (EACCES, ENOEXEC...)",
            "127:PROGRAM was not found",
            "2:the command line is wrong"
        },
        footerHeading = "%nSignals and process groups:%n",
        footer = {
            "SIGINT, SIGTERM and SIGHUP sent to posix4j while the program runs are passed on to it, and posix4j"
                    + " goes on waiting and exits with the program's status, as timeout(1) does. A program with a"
                    + " process group of its own (--setsid, --pgroup new, --foreground, --timeout) gets them on its whole"
                    + " group, followed by SIGCONT. A program in posix4j's group gets SIGTERM and SIGHUP only: a"
                    + " terminal's Ctrl-C reaches it directly.",
            "Unlike timeout(1), posix4j stays in the caller's process group and gives only the program a new one:"
                    + " a program that reads the terminal under --timeout should also get --foreground.",
            "When a --foreground program ends, posix4j gives the terminal back to its own process group if that"
                    + " group was the foreground group when posix4j started, as a shell does after a job: a script"
                    + " that ran posix4j goes on in the foreground."
        })
final class RunCommand implements Callable<Integer> {
    /// timeout(1)'s code for a command that timed out.
    static final int EXIT_TIMED_OUT = 124;
    /// env(1) and timeout(1)'s code for a failure of their own.
    static final int EXIT_RUN_FAILED = 125;
    /// The shell's code for a command found but not executable.
    static final int EXIT_CANNOT_EXECUTE = 126;
    /// The shell's code for a command not found.
    static final int EXIT_NOT_FOUND = 127;
    private static final Duration DEFAULT_KILL_AFTER = Duration.ofSeconds(5);

    @Option(names = "--chdir", paramLabel = "DIR",
            description = "Run the program in DIR; a relative PROGRAM is then found from DIR, as with env --chdir.")
    private Path chdir;

    @Option(names = "--env", paramLabel = "NAME=VALUE", converter = VariableConverter.class,
            description = "Set NAME to VALUE in the program's environment (repeatable).")
    private List<Variable> env = new ArrayList<>();

    @Option(names = "--clear-env",
            description = "Start from an empty environment: the program gets only the --env variables (env -i).")
    private boolean clearEnv;

    @Option(names = "--setsid",
            description = "Run the program in a new session, without a controlling terminal (setsid(1)).")
    private boolean setsid;

    @Option(names = "--pgroup", paramLabel = "new|PGID", converter = GroupConverter.class,
            description = "Run the program in a new process group it leads, or in group PGID of this session.")
    private GroupChoice pgroup;

    @Option(names = "--foreground",
            description = "Run the program in a new process group that becomes the foreground group of the"
                    + " terminal on standard input, which must be posix4j's controlling terminal; posix4j takes the"
                    + " terminal back when the program ends if it had it at the start.")
    private boolean foreground;

    @Option(names = "--keep-fd", paramLabel = "N", converter = DescriptorConverter.class,
            description = "Let the program inherit descriptor N (repeatable).")
    private List<Integer> keepFds = new ArrayList<>();

    @Option(names = "--default-signal", paramLabel = "SIG", converter = SignalConverter.class,
            description = "Give SIG its default action in the program (repeatable); SIG is a name (TERM, SIGTERM)"
                    + " or a number.")
    private List<Signal> defaultSignals = new ArrayList<>();

    @Option(names = "--ignore-signal", paramLabel = "SIG", converter = IgnorableSignalConverter.class,
            description = "Ignore SIG in the program (repeatable).")
    private List<Signal> ignoreSignals = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Send SIGTERM and SIGCONT to the program's process group if it still runs after TIME:"
                    + " seconds, or a number with unit s, m, h or d, as for timeout(1); 0 sets no limit. The program"
                    + " gets a process group of its own unless --setsid or --foreground gives it one.")
    private Duration timeout;

    @Option(names = "--kill-after", paramLabel = "TIME", converter = DurationConverter.class,
            description = "With --timeout, send SIGKILL to the group if the program still runs TIME after SIGTERM"
                    + " (default: 5; 0: never).")
    private Duration killAfter;

    @Parameters(index = "0", paramLabel = "PROGRAM", description = "The program: a path, or a name looked up in PATH.")
    private String program;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "Its arguments, passed as they are.")
    private List<String> args = new ArrayList<>();

    @Spec
    private CommandSpec spec;

    /// Sets up the parser for a command line that ends with another command's: everything from
    /// PROGRAM on is PROGRAM's, options included, as with env(1). That no argument is read as
    /// picocli's `@FILE` of arguments is the root command's business ([RootCommand#commandLine]).
    static final class ProgramArguments implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec command) {
            command.parser().stopAtPositional(true);
            return command;
        }
    }

    /// Creates the command; picocli fills in its options when it parses.
    RunCommand() {}

    @Override
    public Integer call() throws InterruptedException {
        checkCombinations();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run();
        } catch (RunFailure e) {
            err.println(spec.qualifiedName() + ": " + e.getMessage());
            return e.exitCode;
        }
    }

    /// The options that make no sense together are a usage error.
    private void checkCombinations() {
        if (setsid && pgroup != null) {
            throw usage("--setsid and --pgroup cannot be used together: a new session is a new process group");
        }
        if (setsid && foreground) {
            throw usage("--setsid and --foreground cannot be used together: a new session has no terminal");
        }
        if (pgroup != null && foreground) {
            throw usage("--pgroup and --foreground cannot be used together: --foreground makes a new group");
        }
        if (hasTimeLimit() && pgroup != null && !pgroup.isNew()) {
            throw usage("--timeout signals the program's whole process group, so the program needs one of its own:"
                    + " use --pgroup new, --setsid or --foreground, or no group option, not --pgroup "
                    + pgroup.existing().getAsInt());
        }
        if (killAfter != null && timeout == null) {
            throw usage("--kill-after needs --timeout");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private boolean hasTimeLimit() {
        return timeout != null && !timeout.isZero();
    }

    /// Whether the program leads a process group of its own, which posix4j may signal as a whole.
    private boolean ownGroup() {
        return setsid || foreground || hasTimeLimit() || (pgroup != null && pgroup.isNew());
    }

    private int run() throws RunFailure, InterruptedException {
        if (program.isEmpty()) {
            // What execve(2) says of an empty path, and env(1) and the shell with it.
            throw new RunFailure(": " + Errno.ENOENT.description(), EXIT_NOT_FOUND);
        }
        Spawn spawn = Spawn.program(program).args(args);
        if (chdir != null) {
            checkDirectory(chdir);
            spawn.chdir(chdir);
        }
        if (clearEnv) {
            spawn.clearEnvironment();
        }
        env.forEach(v -> spawn.setEnv(v.name(), v.value()));
        // The group to give the terminal back to once a --foreground program ends: posix4j's own,
        // when it had the terminal at the start; none otherwise, so that a posix4j run from a
        // background job does not take the terminal from the job in the foreground.
        int returnTo = 0;
        if (setsid) {
            spawn.newSession();
        } else if (foreground) {
            Fd tty = terminalOnStdin();
            int own = Sessions.processGroup();
            if (foregroundGroup(tty) == own) {
                returnTo = own;
            }
            spawn.processGroup(ProcessGroup.newForeground(tty));
        } else if (pgroup != null) {
            spawn.processGroup(pgroup.isNew() ? ProcessGroup.NEW_BACKGROUND : ProcessGroup.join(pgroup.existing().getAsInt()));
        } else if (hasTimeLimit()) {
            spawn.processGroup(ProcessGroup.NEW_BACKGROUND);
        }
        for (int fd : keepFds) {
            // 0, 1 and 2 are always inherited.
            if (fd > 2) {
                checkOpen(fd);
                spawn.keepFd(fd);
            }
        }
        defaultSignals.forEach(spawn::defaultSignal);
        ignoreSignals.forEach(spawn::ignoreSignal);

        try (SignalRelay relay = openRelay(); Child child = start(spawn)) {
            relay.forwardTo(child, ownGroup());
            return await(child);
        } finally {
            if (returnTo != 0) {
                takeTerminalBack(returnTo);
            }
        }
    }

    /// Makes `pgid`, posix4j's group, the foreground group of the terminal on stdin again, as a
    /// shell does when a job ends; otherwise a calling script would be left in the background,
    /// where reading the terminal or changing its settings stops it (or fails with EIO when its
    /// group is orphaned). A failure (the terminal hung up, say) is reported, but the program's
    /// status still decides the exit code.
    private void takeTerminalBack(int pgid) {
        try {
            Terminal.setForegroundProcessGroup(Fd.stdin(), pgid);
        } catch (PosixException e) {
            spec.commandLine().getErr().println(spec.qualifiedName()
                    + ": --foreground: cannot take the terminal back: " + e.getMessage());
        }
    }

    private static SignalRelay openRelay() throws RunFailure {
        try {
            return SignalRelay.open();
        } catch (PosixException e) {
            throw new RunFailure(e.getMessage(), EXIT_RUN_FAILED);
        }
    }

    /// Starts the program. Every failure of posix_spawn is the program's own once the directory
    /// and the descriptors were checked: it comes with the errno of execve (or of a step before
    /// it, which the checks make unlikely), and the shell's exit codes for it.
    private Child start(Spawn spawn) throws RunFailure {
        try {
            return spawn.start();
        } catch (PosixException e) {
            if (!e.function().equals("posix_spawn") && !e.function().equals("posix_spawnp")) {
                throw new RunFailure(e.getMessage(), EXIT_RUN_FAILED);
            }
            if (pgroup != null && !pgroup.isNew() && e.is(Errno.EPERM)) {
                // setpgid(2) refuses a group that does not exist or belongs to another session.
                throw new RunFailure("--pgroup " + pgroup.existing().getAsInt() + ": " + strerror(e)
                        + " (no such process group in this session)", EXIT_RUN_FAILED);
            }
            throw new RunFailure(program + ": " + strerror(e), e.is(Errno.ENOENT) ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE);
        } catch (UnsupportedOperationException e) {
            throw new RunFailure(e.getMessage(), EXIT_RUN_FAILED);
        }
    }

    /// Waits for the program, enforcing `--timeout` as timeout(1) does, and answers the exit code.
    private int await(Child child) throws InterruptedException {
        if (!hasTimeLimit()) {
            return child.waitFor().shellCode();
        }
        Optional<ExitStatus> status = child.waitFor(timeout);
        if (status.isPresent()) {
            return status.get().shellCode();
        }
        signalGroup(child, Signal.TERM);
        signalGroup(child, Signal.CONT);
        Duration grace = killAfter == null ? DEFAULT_KILL_AFTER : killAfter;
        if (!grace.isZero()) {
            status = child.waitFor(grace);
            if (status.isEmpty()) {
                signalGroup(child, Signal.KILL);
            }
        }
        // timeout(1) exits with 128 + 9 when the command died of SIGKILL, so that a caller can tell
        // a forced end from a timely one; with 124 for any other end after the time ran out.
        ExitStatus end = status.isPresent() ? status.get() : child.waitFor();
        return end instanceof ExitStatus.Signaled(int signal, _) && signal == Signal.KILL.number()
                ? end.shellCode()
                : EXIT_TIMED_OUT;
    }

    private static void signalGroup(Child child, Signal signal) {
        try {
            child.signalGroup(signal);
        } catch (PosixException e) {
            // ESRCH: the group is already empty. EPERM: a set-user-ID member refuses us, which
            // timeout(1) ignores as well; the program's end decides.
        }
    }

    /// Whether `dir` can be the program's working directory, so that a chdir failure is reported
    /// as posix4j's, not as the program's: posix_spawn reports both with the same errno.
    private static void checkDirectory(Path dir) throws RunFailure {
        try {
            Fd.open(dir.toString(), OpenFlags.READ_ONLY | OpenFlags.DIRECTORY, 0).close();
        } catch (PosixException e) {
            // A directory one may search but not read is still a working directory.
            if (!(e.is(Errno.EACCES) && Files.isDirectory(dir) && Files.isExecutable(dir))) {
                throw new RunFailure("cannot change directory to " + dir + ": " + strerror(e), EXIT_RUN_FAILED);
            }
        }
    }

    /// Whether descriptor `fd` is open here, for `--keep-fd`: posix_spawn would report EBADF as
    /// if exec had failed.
    private static void checkOpen(int fd) throws RunFailure {
        try {
            Fd.borrow(fd).isCloseOnExec();
        } catch (PosixException e) {
            throw new RunFailure("--keep-fd " + fd + ": " + strerror(e), EXIT_RUN_FAILED);
        }
    }

    /// Standard input, checked to be a terminal.
    private static Fd terminalOnStdin() throws RunFailure {
        Fd stdin = Fd.stdin();
        if (!Terminal.isTerminal(stdin)) {
            throw new RunFailure("--foreground: standard input is not a terminal", EXIT_RUN_FAILED);
        }
        return stdin;
    }

    /// The foreground group of terminal `tty`, checking that it is posix4j's controlling terminal:
    /// tcgetpgrp answers for no other.
    private static int foregroundGroup(Fd tty) throws RunFailure {
        try {
            return Terminal.foregroundProcessGroup(tty);
        } catch (PosixException e) {
            throw new RunFailure("--foreground: standard input is not posix4j's controlling terminal ("
                    + e.getMessage() + ")", EXIT_RUN_FAILED);
        }
    }

    /// A failure reported as one line on stderr, with its exit code.
    static final class RunFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final int exitCode;

        RunFailure(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    /// The error as strerror(3) words it, such as "No such file or directory".
    static String strerror(PosixException e) {
        return e.errno().map(Errno::description).orElse("Unknown error " + e.errnoValue());
    }
}
