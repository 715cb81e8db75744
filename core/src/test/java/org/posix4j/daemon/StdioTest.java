package org.posix4j.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.daemon.Stdio.Target;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Report;
import org.posix4j.testing.TimeFactor;

class StdioTest {

    /// Reports where 0-2 point, redirects them as args say, prints through System.out/err, and
    /// waits so the test can read /proc/PID/fd and /proc/PID/fdinfo.
    public static final class Redirect {
        public static void main(String[] args) throws Exception {
            System.out.println("before");
            System.out.flush();
            Target in = args[0].equals("null") ? Target.devNull() : Target.readFrom(Path.of(args[0]));
            Target out = Target.appendTo(Path.of(args[1]));
            Target err = args[2].equals("null") ? Target.devNull() : Target.truncate(Path.of(args[2]));
            if (args.length > 3) {
                Report.done("redirect", () -> Stdio.redirect(in, out, err));
                System.in.read();
                return;
            }
            Stdio.redirect(in, out, err);
            System.out.println("to stdout");
            System.err.println("to stderr");
            System.out.flush();
            System.err.flush();
            Thread.sleep(60_000);
        }
    }

    private static String link(long pid, int fd) throws Exception {
        return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "fd", Integer.toString(fd))).toString();
    }

    private static int flags(long pid, int fd) throws Exception {
        String flags = Files.readAllLines(Path.of("/proc", Long.toString(pid), "fdinfo", Integer.toString(fd)))
                .stream().filter(l -> l.startsWith("flags:")).findFirst().orElseThrow();
        return Integer.parseInt(flags.substring(6).strip(), 8);
    }

    @Test
    void descriptorsAndSystemStreamsFollow(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.log");
        Path err = dir.resolve("err.log");
        Files.writeString(out, "old line\n");
        Files.writeString(err, "to be truncated away\n");
        try (ChildJvm child = ChildJvm.start(Redirect.class, "null", out.toString(), err.toString())) {
            assertEquals("before", child.readLine());
            long deadline = TimeFactor.deadline(Duration.ofSeconds(20));
            while (!Files.readString(err).equals("to stderr\n") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals("old line\nto stdout\n", Files.readString(out));
            assertEquals("to stderr\n", Files.readString(err));
            assertEquals("/dev/null", link(child.pid(), 0));
            assertEquals(out.toString(), link(child.pid(), 1));
            assertEquals(err.toString(), link(child.pid(), 2));
            int o = flags(child.pid(), 1);
            assertTrue((o & 02000) != 0, "stdout O_APPEND: " + Integer.toOctalString(o));
            for (int fd = 0; fd <= 2; fd++) {
                int f = flags(child.pid(), fd);
                assertEquals(0, f & 02000000, "fd " + fd + " must not be close-on-exec: " + Integer.toOctalString(f));
            }
            assertEquals(0, flags(child.pid(), 2) & 02000, "stderr truncated, not appended");
        }
    }

    @Test
    void aMissingDirectoryFailsWithEnoentAndChangesNothing(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("no/such/dir/out.log");
        Path err = dir.resolve("err.log");
        try (ChildJvm child = ChildJvm.start(Redirect.class, "null", missing.toString(), err.toString(), "report")) {
            assertEquals("before", child.readLine());
            assertEquals("ENOENT", child.expect("redirect="));
            assertTrue(child.expect("redirect.message=").contains(missing.toString()));
            String stdout = link(child.pid(), 1);
            assertTrue(stdout.startsWith("pipe:"), "stdout still the pipe: " + stdout);
            assertTrue(link(child.pid(), 0).startsWith("pipe:"));
            assertTrue(Files.notExists(err), "stderr's file is not created after stdout's failed");
        }
    }

    @Test
    void aDirectoryAsOutputFailsWithEisdir(@TempDir Path dir) throws Exception {
        try (ChildJvm child = ChildJvm.start(Redirect.class, "null", dir.toString(), "null", "report")) {
            assertEquals("before", child.readLine());
            assertEquals("EISDIR", child.expect("redirect="));
        }
    }

    @Test
    void targetsAreCheckedInJava() {
        Path p = Path.of("/tmp/x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Stdio.redirect(Target.appendTo(p), Target.unchanged(), Target.unchanged()));
        assertTrue(e.getMessage().startsWith("stdin"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Stdio.redirect(Target.unchanged(), Target.readFrom(p), Target.unchanged()));
        assertTrue(e.getMessage().startsWith("stdout"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Target.appendTo(Path.of("")));
        assertTrue(e.getMessage().startsWith("path"), e.getMessage());
    }
}
