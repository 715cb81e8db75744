package org.posix4j.cli.command;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import org.posix4j.cli.command.RunArguments.DurationConverter;
import org.posix4j.ipc.NamedSemaphore;
import org.posix4j.ipc.SemaphoreFlag;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/// `posix4j ipc sem create|post|wait|value|unlink NAME ...`: a POSIX named semaphore, through
/// [NamedSemaphore]. Each action opens the semaphore, does one call and closes it.
@Command(
        name = "sem",
        mixinStandardHelpOptions = true,
        synopsisSubcommandLabel = "create|post|wait|value|unlink",
        description = "POSIX named semaphores; NAME is given with or without its leading '/'.",
        subcommands = {
            IpcSemCommand.Create.class, IpcSemCommand.Post.class, IpcSemCommand.Wait.class,
            IpcSemCommand.Value.class, IpcSemCommand.Unlink.class
        })
final class IpcSemCommand {
    /// Creates the command; picocli fills in its options when it parses.
    IpcSemCommand() {}

    /// `sem create NAME [--value N] [--mode MODE]`: sem_open with O_CREAT|O_EXCL.
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates the semaphore NAME; fails if it exists.")
    static final class Create extends IpcCommand.Action {
        @Parameters(index = "0", paramLabel = "NAME", description = "The semaphore's name.")
        private String name;

        @Option(names = "--value", paramLabel = "N", defaultValue = "0",
                description = "Its initial value, 0 to SEM_VALUE_MAX. Default: ${DEFAULT-VALUE}.")
        private int value;

        @Option(names = "--mode", paramLabel = "MODE", converter = IpcCommand.ModeConverter.class,
                defaultValue = "0600",
                description = "Permission bits in octal, less the umask. Default: ${DEFAULT-VALUE}.")
        private int mode;

        @Override
        int run() throws IOException {
            NamedSemaphore.open(IpcCommand.objectName(name),
                    EnumSet.of(SemaphoreFlag.CREATE, SemaphoreFlag.EXCLUSIVE), mode, value).close();
            return 0;
        }
    }

    /// `sem post NAME`: sem_post.
    @Command(name = "post", mixinStandardHelpOptions = true, description = "Adds one to the value of NAME.")
    static final class Post extends IpcCommand.Action {
        @Parameters(index = "0", paramLabel = "NAME", description = "The semaphore's name.")
        private String name;

        @Override
        int run() throws IOException {
            try (NamedSemaphore sem = NamedSemaphore.open(IpcCommand.objectName(name))) {
                sem.post();
            }
            return 0;
        }
    }

    /// `sem wait NAME [--timeout SECONDS]`: sem_wait, or sem_timedwait with exit code 1 and no
    /// message when the time runs out, so that a script can tell it from success.
    @Command(name = "wait", mixinStandardHelpOptions = true,
            description = "Waits until the value of NAME is positive and takes one from it.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:took one", "1:--timeout ran out (nothing printed), or the call failed", "2:usage"})
    static final class Wait extends IpcCommand.Action {
        @Parameters(index = "0", paramLabel = "NAME", description = "The semaphore's name.")
        private String name;

        @Option(names = "--timeout", paramLabel = "SECONDS", converter = DurationConverter.class,
                description = "Give up after this long: seconds (0.5), or a number with unit s, m, h or d.")
        private Duration timeout;

        @Override
        int run() throws IOException {
            try (NamedSemaphore sem = NamedSemaphore.open(IpcCommand.objectName(name))) {
                if (timeout == null) {
                    sem.await();
                    return 0;
                }
                return sem.await(timeout) ? 0 : 1;
            }
        }
    }

    /// `sem value NAME`: sem_getvalue, printed in decimal.
    @Command(name = "value", mixinStandardHelpOptions = true, description = "Prints the value of NAME.")
    static final class Value extends IpcCommand.Action {
        @Parameters(index = "0", paramLabel = "NAME", description = "The semaphore's name.")
        private String name;

        @Override
        int run() throws IOException {
            try (NamedSemaphore sem = NamedSemaphore.open(IpcCommand.objectName(name))) {
                spec.commandLine().getOut().println(sem.value());
            }
            return 0;
        }
    }

    /// `sem unlink NAME`: sem_unlink.
    @Command(name = "unlink", mixinStandardHelpOptions = true,
            description = "Removes the name NAME; processes that have the semaphore open keep it.")
    static final class Unlink extends IpcCommand.Action {
        @Parameters(index = "0", paramLabel = "NAME", description = "The semaphore's name.")
        private String name;

        @Override
        int run() throws IOException {
            NamedSemaphore.unlink(IpcCommand.objectName(name));
            return 0;
        }
    }
}
