package org.posix4j.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.posix4j.testing.TimeFactor;

/// `Child.asProcess()` used with the JDK's usual idioms, checked against what the child did and
/// against the JDK's own view of this JVM's children.
class ProcessAdapterTest {

    @Test
    void readAllBytesAndExitValue() throws Exception {
        try (Child c = Spawn.program("/bin/sh").args("-c", "echo hello; echo oops >&2; exit 4")
                .stdout(Redirect.PIPE).stderr(Redirect.PIPE).start()) {
            Process p = c.asProcess();
            assertSame(p, c.asProcess());
            assertEquals("hello\n", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals("oops", p.errorReader().readLine());
            assertEquals(4, p.waitFor());
            assertEquals(4, p.exitValue());
            assertFalse(p.isAlive());
            assertEquals(c.pid(), p.pid());
        }
    }

    @Test
    void writeToStdin() throws Exception {
        try (Child c = Spawn.program("/bin/cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE).start()) {
            Process p = c.asProcess();
            try (OutputStream in = p.getOutputStream()) {
                in.write("round trip\n".getBytes(StandardCharsets.UTF_8));
            }
            assertEquals("round trip", p.inputReader().readLine());
            assertTrue(p.waitFor(TimeFactor.scale(10), TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
        }
    }

    @Test
    void streamsOfStdioThatIsNotAPipe() throws Exception {
        try (Child c = Spawn.program("/bin/true").stdout(Redirect.NULL).start()) {
            Process p = c.asProcess();
            assertEquals(-1, p.getInputStream().read());
            assertEquals(-1, p.getErrorStream().read());
            assertThrows(IOException.class, () -> p.getOutputStream().write(1), "stdin is not a pipe");
            p.waitFor();
        }
    }

    @Test
    void waitForTimeoutDestroyAndOnExit() throws Exception {
        try (Child c = Spawn.program("/bin/sleep").args("30").start()) {
            Process p = c.asProcess();
            assertFalse(p.waitFor(50, TimeUnit.MILLISECONDS));
            assertTrue(p.isAlive());
            assertThrows(IllegalThreadStateException.class, p::exitValue);
            assertTrue(ProcessHandle.current().children().anyMatch(h -> h.pid() == c.pid()), "the JDK sees our child");
            assertTrue(p.supportsNormalTermination());
            p.destroy();
            assertSame(p, p.onExit().get(TimeFactor.scale(10), TimeUnit.SECONDS));
            assertEquals(143, p.exitValue(), "SIGTERM, reported as the JDK does: 128 + 15");
            assertFalse(p.isAlive());
        }
        try (Child c = Spawn.program("/bin/sleep").args("30").start()) {
            Process p = c.asProcess();
            assertSame(p, p.destroyForcibly());
            assertEquals(137, p.waitFor());
            p.destroy();
            assertEquals(137, p.exitValue(), "destroying an ended process does nothing");
        }
    }

    @Test
    void processHandle() throws Exception {
        try (Child c = Spawn.program("/bin/sleep").args("30").start()) {
            ProcessHandle h = c.asProcess().toHandle();
            assertEquals(c.pid(), h.pid());
            assertTrue(h.isAlive());
            assertEquals(ProcessHandle.current().pid(), h.parent().orElseThrow().pid());
            assertEquals(Path.of("/bin/sleep").toRealPath().toString(), h.info().command().orElseThrow());
            assertEquals(0, h.children().count());
            assertTrue(h.destroy());
            assertEquals(h, h.onExit().get(TimeFactor.scale(10), TimeUnit.SECONDS));
            assertFalse(h.isAlive());
            assertTrue(h.info().command().isEmpty(), "nothing is known of a reaped process");
            assertTrue(h.parent().isEmpty());
            assertFalse(h.destroyForcibly(), "nothing left to destroy");
        }
    }
}
