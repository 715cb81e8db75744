package org.posix4j.cli.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;

/// The `posix4j` command itself. It does nothing but hold the subcommands: picocli reports a
/// missing subcommand as a usage error because this class is neither Runnable nor Callable.
///
/// A new subcommand is one class in this package, listed in `subcommands` below.
@Command(
        name = "posix4j",
        mixinStandardHelpOptions = true,
        versionProvider = RootCommand.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "POSIX facilities the JDK lacks, from the shell.",
        subcommands = {
            InfoCommand.class, RunCommand.class, LoggerCommand.class, DaemonCommand.class, IpcCommand.class, SandboxCommand.class,
            HelpCommand.class
        })
public final class RootCommand {
    /// Creates the command; picocli fills in its options when it parses.
    public RootCommand() {}

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
