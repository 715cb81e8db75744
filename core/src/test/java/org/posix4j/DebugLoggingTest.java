package org.posix4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.process.IoPriorities;
import org.posix4j.process.IoPriorityTarget;
import org.posix4j.testing.ChildJvm;

/// The replacement for Netsys_posix's `Debug` module: failed calls logged at DEBUG to the
/// `org.posix4j` System.Logger, here through java.util.logging's console handler.
class DebugLoggingTest {
    /// A pid above the kernel's PID_MAX_LIMIT, so no process has it.
    private static final int NO_SUCH_PID = 0x3ffffff0;

    /// Makes ioprio_get(2) fail for a pid the kernel does not have, catches the failure, and
    /// prints its message.
    public static final class FailOnce {
        public static void main(String[] args) {
            try {
                IoPriorities.get(IoPriorityTarget.process(NO_SUCH_PID));
            } catch (PosixException e) {
                System.out.println("caught=" + e.getMessage());
            }
        }
    }

    @Test
    void failedCallsAreLoggedAtDebugWhenTheLoggerIsEnabled(@TempDir Path dir) throws Exception {
        Path props = dir.resolve("logging.properties");
        Files.writeString(props, String.join("\n",
                "handlers = java.util.logging.ConsoleHandler",
                "java.util.logging.ConsoleHandler.level = ALL",
                "java.util.logging.SimpleFormatter.format = %3$s %4$s %5$s%n",
                PosixException.LOGGER_NAME + ".level = FINE",
                ""));
        String message = "ioprio_get(process " + NO_SUCH_PID + "): No such process [ESRCH]";
        ChildJvm.Result on;
        try (ChildJvm child = ChildJvm.start(new ProcessBuilder(ChildJvm.command(
                List.of("-Djava.util.logging.config.file=" + props), FailOnce.class)))) {
            on = child.finish().assertSuccess();
        }
        assertEquals(message, on.value("caught="));
        // System.Logger's DEBUG is java.util.logging's FINE.
        assertTrue(on.stderr().contains("org.posix4j FINE " + message), on::toString);

        ChildJvm.Result off = ChildJvm.run(FailOnce.class).assertSuccess();
        assertEquals(message, off.value("caught="));
        assertFalse(off.stderr().contains("ESRCH"), "not logged unless enabled: " + off);
    }
}
