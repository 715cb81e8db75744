package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/// Which subcommands the root command line is built with: only the one a command line names, and
/// every one where the usage, the help command or picocli's suggestions need them all.
class RootCommandTest {
    private static final List<String> ALL = List.of("info", "run", "logger", "daemon", "ipc", "sandbox", "help");

    @Test
    void aNamedSubcommandIsBuiltAlone() {
        assertEquals(ALL, RootCommand.subcommandNames());
        for (String name : ALL) {
            if (name.equals("help")) {
                continue;
            }
            CommandLine line = RootCommand.commandLine(name, "--help");
            assertEquals(Set.of(name), line.getSubcommands().keySet(), name);
            // The key is the name picocli reads from the class's own @Command: they agree.
            assertEquals(name, line.getSubcommands().get(name).getCommandName());
        }
    }

    /// The commands that run a program stop parsing at it (their model transformer), however the
    /// root was built, and no argument is read as an `@FILE` of arguments.
    @Test
    void theProgramRunnersStopAtTheProgram() {
        for (String name : List.of("run", "daemon", "sandbox")) {
            for (CommandLine line : List.of(RootCommand.commandLine(name), RootCommand.commandLine())) {
                assertTrue(line.getSubcommands().get(name).getCommandSpec().parser().stopAtPositional(), name);
                assertFalse(line.getCommandSpec().parser().expandAtFiles(), name);
            }
        }
        assertFalse(RootCommand.commandLine("info").getSubcommands().get("info").getCommandSpec().parser()
                .stopAtPositional());
    }

    @Test
    void everySubcommandIsBuiltWhenNoneIsNamed() {
        for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"help", "run"},
                new String[] {"sandbx"}, new String[] {"--version", "info"})) {
            assertEquals(ALL, List.copyOf(RootCommand.commandLine(args).getSubcommands().keySet()), List.of(args)::toString);
        }
    }

    /// `--version` alone needs no subcommand's model.
    @Test
    void noSubcommandIsBuiltForTheVersionAlone() {
        for (String option : List.of("--version", "-V")) {
            assertEquals(List.of(), List.copyOf(RootCommand.commandLine(option).getSubcommands().keySet()), option);
        }
    }
}
