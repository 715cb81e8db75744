package org.posix4j.cli.command;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.posix4j.PosixException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/// `posix4j ipc shm|sem ACTION ...`: POSIX shared memory objects and named semaphores from the
/// shell. It only holds the two topics; picocli reports a missing one as a usage error.
///
/// Every action reports a failed call or an invalid value as one line `posix4j ipc: REASON` on
/// stderr and exits 1; a command line that does not parse exits 2 with the usage.
@Command(
        name = "ipc",
        mixinStandardHelpOptions = true,
        synopsisSubcommandLabel = "shm|sem",
        description = "POSIX shared memory objects (/dev/shm/NAME) and named semaphores (/dev/shm/sem.NAME).",
        subcommands = {IpcShmCommand.class, IpcSemCommand.class})
final class IpcCommand {
    /// Creates the command; picocli fills in its options when it parses.
    IpcCommand() {}

    /// Turns a NAME argument into the name shm_open(3) and sem_open(3) take: the leading `/` is
    /// optional on the command line since /dev/shm lists the names without it. The library checks
    /// the rest (no further `/`, length) before any native call.
    static String objectName(String name) {
        return name.startsWith("/") ? name : "/" + name;
    }

    /// One action (`shm create`, `sem post`...): runs [#run()] and turns the failures a user can
    /// act on into the `posix4j ipc: REASON` line and exit code 1, instead of the per-subcommand
    /// prefix the generic handler in Main would print.
    abstract static class Action implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        /// Does the work and answers the exit code.
        abstract int run() throws IOException;

        @Override
        public final Integer call() throws IOException {
            try {
                return run();
            } catch (PosixException | IllegalArgumentException e) {
                spec.commandLine().getErr().println("posix4j ipc: " + e.getMessage());
                return 1;
            }
        }
    }

    /// Parses a permission mode in octal (`600`, `0644`), within 07777 as shm_open and sem_open
    /// accept it.
    static final class ModeConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            if (!value.matches("[0-7]{1,5}")) {
                throw new TypeConversionException("'" + value + "' is not an octal mode such as 0600");
            }
            int mode = Integer.parseInt(value, 8);
            if (mode > 07777) {
                throw new TypeConversionException("mode '" + value + "' is beyond 07777");
            }
            return mode;
        }
    }

    /// Parses a byte count or offset: a decimal number, not negative.
    static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            if (!value.matches("\\d{1,18}")) {
                throw new TypeConversionException("'" + value + "' is not a number of bytes");
            }
            return Long.parseLong(value);
        }
    }
}
