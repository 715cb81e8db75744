package org.posix4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.posix4j.cli.testing.ChildProcess;
import org.posix4j.cli.testing.ChildProcess.Result;
import org.posix4j.io.Fd;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/// How [Main] reports what a command throws, driven by real failures of the library: the
/// kernel's ENOENT, an argument the library rejects, and a programming error.
class MainTest {
    /// Fails in the way its argument names.
    @Command(name = "fail")
    static final class Failing implements Callable<Integer> {
        @Parameters
        String how;

        @Override
        public Integer call() throws Exception {
            switch (how) {
                case "errno" -> {
                    try (Fd fd = Fd.open("/nonexistent/posix4j-test", 0, 0)) {
                        return fd.intValue();
                    }
                }
                case "argument" -> Fd.borrow(-1);
                case "bug" -> {
                    Fd fd = Fd.borrow(0);
                    fd.close();
                    return fd.intValue();
                }
                default -> throw new AssertionError(how);
            }
            return 0;
        }
    }

    private record Outcome(int exitCode, String out, String err) {}

    private static Outcome execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new CommandLine(new Failing()), new PrintWriter(out, true), new PrintWriter(err, true),
                args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void failedSystemCallIsOneLineWithTheErrno() {
        Outcome o = execute("errno");
        assertEquals(Main.EXIT_FAILURE, o.exitCode());
        assertEquals("", o.out());
        assertEquals("fail: open(/nonexistent/posix4j-test): No such file or directory [ENOENT]\n", o.err());
    }

    @Test
    void invalidArgumentIsOneLineNamingIt() {
        Outcome o = execute("argument");
        assertEquals(Main.EXIT_FAILURE, o.exitCode());
        assertEquals("fail: fd must not be negative: -1\n", o.err());
    }

    @Test
    void bugKeepsItsStackTrace() {
        Outcome o = execute("bug");
        assertEquals(Main.EXIT_INTERNAL, o.exitCode());
        assertTrue(o.err().startsWith("fail: internal error, please report it with this trace:\n"
                + "java.lang.IllegalStateException: fd 0 is closed\n\tat "), o.err());
    }

    @Test
    void usageErrorIsExitCodeTwo() {
        Outcome o = execute();
        assertEquals(Main.EXIT_USAGE, o.exitCode());
        assertTrue(o.err().startsWith("Missing required parameter: '<how>'\nUsage: fail"), o.err());
    }

    /// An argument with a byte that is not valid UTF-8 (0xff, given by a shell) reaches the JVM
    /// as U+FFFD: passed on, it would name the file whose name is U+FFFD's bytes (found by an
    /// audit, 2026-12-07). The command refuses it (exit 2, naming it) and runs nothing; the same
    /// character given in valid UTF-8 is passed on unchanged (`run -- printf %s`, whose output
    /// is the bytes it got). Under a locale that does not encode as UTF-8 the valid form is
    /// refused too (the JVM would pass it on as other bytes).
    @Test
    void anArgumentTheJvmCannotDecodeIsRefused() throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", "-c", "exec \"$@\" \"$(printf \"$ARG\")\"", "sh"));
        command.addAll(ChildProcess.java(Main.class, "run", "--", "printf", "%s"));
        ProcessBuilder invalid = new ProcessBuilder(command);
        invalid.environment().put("ARG", "a\\377b");
        Result refused = finish(invalid);
        assertEquals(Main.EXIT_USAGE, refused.exitCode(), refused::toString);
        assertTrue(refused.stderr().startsWith("posix4j: argument 5 (a")
                && refused.stderr().contains("b) is not valid in the locale's encoding"), refused::toString);
        assertEquals("", refused.stdout(), refused::toString);

        ProcessBuilder valid = new ProcessBuilder(command);
        valid.environment().put("ARG", "a\\357\\277\\275b");
        Result r = finish(valid);
        if (System.getProperty("sun.jnu.encoding").equals("UTF-8")) {
            assertEquals(new Result(0, "a\uFFFDb", ""), r);
        } else {
            assertEquals(Main.EXIT_USAGE, r.exitCode(), r::toString);
        }
    }

    private static Result finish(ProcessBuilder builder) throws Exception {
        try (ChildProcess child = ChildProcess.start(builder)) {
            return child.finish();
        }
    }
}
