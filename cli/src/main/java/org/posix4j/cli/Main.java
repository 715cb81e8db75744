package org.posix4j.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.posix4j.PosixException;
import org.posix4j.cli.command.RootCommand;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/// Entry point of the `posix4j` command.
///
/// Exit codes: 0 success, 1 a failed system call or an invalid argument (the reason on stderr,
/// no stack trace), 2 a usage error (the reason, the synopsis and where the help is on stderr),
/// 70 an internal error (with the stack trace, since it is a bug).
public final class Main {
    /// A system call failed or an argument was invalid.
    public static final int EXIT_FAILURE = 1;
    /// The command line could not be parsed; picocli's own code for it.
    public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;
    /// A bug: EX_SOFTWARE from sysexits.h.
    public static final int EXIT_INTERNAL = 70;

    private Main() {}

    /// Runs the command line `args` and exits the JVM with its exit code.
    ///
    /// Exit code 0 returns from `main` when no other thread could keep the JVM alive: the JVM
    /// then ends as `System.exit(0)` would (shutdown hooks included) without the lookup of
    /// `java.lang.Runtime`'s logger that `System.exit` makes for its debug logging, which loads
    /// the `System.LoggerFinder` service: about 5 ms of every command's end.
    public static void main(String[] args) {
        int garbled = garbledArgument(args);
        if (garbled >= 0) {
            System.err.println("posix4j: argument " + (garbled + 1) + " (" + args[garbled] + ") is not valid in the"
                    + " locale's encoding (" + System.getProperty("sun.jnu.encoding") + "); the JVM would pass it on"
                    + " changed, naming another file");
            System.exit(EXIT_USAGE);
        }
        int code = run(args);
        if (code != 0 || otherUserThreadAlive()) {
            System.exit(code);
        }
    }

    /// The index of the first argument the JVM could not decode as given, -1 when there is none.
    /// The JVM decodes its arguments in the locale's encoding and reads bytes invalid in it as
    /// U+FFFD: a path so changed names another file (`sandbox -- rm` of a name with the byte 0xff
    /// removed the file named by U+FFFD's bytes), and a program run with it gets other bytes. An
    /// argument with U+FFFD in it is compared with the bytes the JVM was given
    /// (`/proc/self/cmdline`, whose last words are the arguments): the same character given in
    /// valid UTF-8 passes.
    static int garbledArgument(String[] args) {
        int first = 0;
        while (first < args.length && args[first].indexOf('\uFFFD') < 0) {
            first++;
        }
        if (first == args.length) {
            return -1;
        }
        List<byte[]> words = new ArrayList<>();
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
            for (int start = 0, end; start < cmdline.length; start = end + 1) {
                end = start;
                while (end < cmdline.length && cmdline[end] != 0) {
                    end++;
                }
                words.add(Arrays.copyOfRange(cmdline, start, end));
            }
        } catch (IOException e) {
            return first;
        }
        if (words.size() < args.length) {
            return first;
        }
        for (int i = first; i < args.length; i++) {
            if (args[i].indexOf('\uFFFD') < 0) {
                continue;
            }
            try {
                byte[] given = words.get(words.size() - args.length + i);
                if (!StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(given)).toString().equals(args[i])) {
                    return i;
                }
            } catch (CharacterCodingException e) {
                return i;
            }
        }
        return -1;
    }

    /// Whether a non-daemon thread besides this one is alive in this thread's group (where every
    /// thread posix4j and its commands start is): the JVM would wait for it after `main`.
    private static boolean otherUserThreadAlive() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        Thread[] threads = new Thread[group.activeCount() + 8];
        int n = group.enumerate(threads);
        for (int i = 0; i < n; i++) {
            if (threads[i] != Thread.currentThread() && !threads[i].isDaemon() && threads[i].isAlive()) {
                return true;
            }
        }
        return n == threads.length;
    }

    /// Runs the command line `args` on standard output and error, without exiting the JVM.
    ///
    /// Output is UTF-8 whatever the locale: JSON must be, and with a C locale the JDK would
    /// otherwise turn every non-ASCII character of a path or host name into '?'.
    ///
    /// @return the exit code, as listed in the class description
    public static int run(String... args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        try {
            return execute(RootCommand.commandLine(args), out, err, args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /// Parses `args` against `command`, runs it and answers the exit code. Separate from
    /// [#run(String...)] so that tests can drive the error handling with commands of their own.
    static int execute(CommandLine command, PrintWriter out, PrintWriter err, String... args) {
        return command
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler(Main::invalid)
                .setExecutionExceptionHandler(Main::failed)
                .execute(args);
    }

    /// Reports a command line that cannot run: the reason and picocli's suggestions for a
    /// mistyped name, then for `posix4j` itself its usage (the list of commands), for a command
    /// its synopsis and where its help is, as GNU tools do: a command's whole usage (a hundred
    /// lines for `sandbox`) would push the reason off the screen.
    private static int invalid(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        if (command.getParent() == null) {
            command.usage(err);
        } else {
            CommandLine.Help help = command.getHelp();
            err.print(help.synopsisHeading() + help.synopsis(help.synopsisHeadingLength()));
            err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        }
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /// Reports what a command threw. Failures the user can act on (a system call refused, an
    /// invalid value, a feature this kernel lacks) are one line; anything else is a bug and
    /// keeps its stack trace for the report.
    private static int failed(Exception e, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        if (e instanceof PosixException || e instanceof IllegalArgumentException
                || e instanceof UnsupportedOperationException) {
            err.println(name + ": " + Objects.requireNonNullElse(e.getMessage(), e.getClass().getName()));
            return EXIT_FAILURE;
        }
        err.println(name + ": internal error, please report it with this trace:");
        e.printStackTrace(err);
        return EXIT_INTERNAL;
    }
}
