package org.posix4j.cli.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/// The `posix4j` command itself. It does nothing but hold the subcommands: picocli reports a
/// missing subcommand as a usage error because this class is neither Runnable nor Callable.
///
/// A new subcommand is one class in this package, listed in [#SUBCOMMANDS]. The root's model is
/// built with picocli's programmatic API, as `sandbox`'s is ([SandboxCommand] says why).
public final class RootCommand {
    /// The names of the subcommands, in the order the usage lists them. picocli builds the model
    /// of a command from its annotations, which was a fifth of a short command's start when every
    /// subcommand was built for each run: [#commandLine] builds only the one named.
    private static final List<String> SUBCOMMANDS = List.of("info", "run", "logger", "daemon", "ipc", "sandbox", "help");

    private RootCommand() {}

    /// A new subcommand object of each name of [#SUBCOMMANDS]. A switch rather than a map of
    /// constructor references: the JVM's AOT cache training (the launcher's) fails on a lambda
    /// that names one of picocli's classes, which the cache cannot hold.
    private static Object create(String name) {
        return switch (name) {
            case "info" -> new InfoCommand();
            case "run" -> new RunCommand();
            case "logger" -> new LoggerCommand();
            case "daemon" -> new DaemonCommand();
            case "ipc" -> new IpcCommand();
            case "sandbox" -> SandboxCommand.spec();
            case "help" -> new HelpCommand();
            default -> throw new IllegalArgumentException("no subcommand " + name);
        };
    }

    /// The names of the subcommands, in the order the usage lists them.
    public static List<String> subcommandNames() {
        return SUBCOMMANDS;
    }

    /// The command line to parse `args` with: the root and, when `args` starts with the name of
    /// a subcommand other than `help`, that subcommand alone; for `--version` (or `-V`) alone,
    /// none; otherwise (no arguments, another option of the root, `help`, an unknown name) every
    /// subcommand, which the usage, the help command and picocli's suggestions for a mistyped
    /// name list. No argument is read as picocli's `@FILE` of arguments: `posix4j` has no use for
    /// them, and the commands that run a program pass its arguments as they are.
    public static CommandLine commandLine(String... args) {
        CommandLine line = new CommandLine(spec()).setExpandAtFiles(false);
        String first = args.length == 0 ? null : args[0];
        if (first != null && !first.equals("help") && SUBCOMMANDS.contains(first)) {
            add(line, first);
        } else if (args.length != 1 || !(first.equals("--version") || first.equals("-V"))) {
            for (String name : SUBCOMMANDS) {
                add(line, name);
            }
        }
        return line;
    }

    /// The root's model: what its `@Command` would say.
    private static CommandSpec spec() {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(new RootCommand()).name("posix4j")
                .versionProvider(new Version());
        spec.usageMessage().synopsisSubcommandLabel("COMMAND").description("POSIX facilities the JDK lacks, from the shell.");
        addHelpOptions(spec);
        return spec;
    }

    /// Adds `-h, --help` and `-V, --version` as `mixinStandardHelpOptions` does, whose mixin is an
    /// annotated class of picocli's, to a model built without annotations.
    static void addHelpOptions(CommandSpec spec) {
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
    }

    /// Adds subcommand `name`. Adding one gives it the root's parser settings, over those its
    /// model transformer had set (`run` stops at its PROGRAM), so the transformer runs again.
    private static void add(CommandLine root, String name) {
        root.addSubcommand(name, create(name));
        CommandSpec spec = root.getSubcommands().get(name).getCommandSpec();
        if (spec.modelTransformer() != null) {
            spec.modelTransformer().transform(spec);
        }
    }

    /// The project version, filtered into version.properties by Maven, and the runtime, since
    /// a bug report needs both.
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "posix4j " + projectVersion(),
                "Java " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor")
                        + "), " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch")
            };
        }

        private static String projectVersion() {
            try (InputStream in = RootCommand.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    throw new IllegalStateException("version.properties is missing from the posix4j-cli jar");
                }
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
