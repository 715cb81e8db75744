package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.posix4j.cli.command.SandboxProgramsTest.PROGRAMS;
import static org.posix4j.cli.command.SandboxProgramsTest.SECRET;
import static org.posix4j.cli.command.SandboxProgramsTest.inside;
import static org.posix4j.cli.command.SandboxProgramsTest.run;
import static org.posix4j.cli.command.SandboxProgramsTest.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.cli.command.SandboxProgramsTest.Layout;
import org.posix4j.cli.command.SandboxProgramsTest.Sandboxed;
import org.posix4j.cli.testing.ChildProcess;
import org.posix4j.cli.testing.ChildProcess.Result;
import org.posix4j.cli.testing.Gcc;
import org.posix4j.cli.testing.Requires;
import org.posix4j.testing.ScaledTimeout;

/// `posix4j sandbox --audit`, `--dry-run`, `--deny` and `--no-defaults`, checked against what
/// the program printed and what the test knows independently: the path it gave, the file's real
/// path, the pid the program's shell printed before exec'ing it, the clock around the run.
@ScaledTimeout(120)
class SandboxAuditTest {
    /// The fields of every audit line, in the broker's specification.
    private static final Set<String> FIELDS = Set.of("time", "pid", "tid", "syscall", "function", "arguments",
            "resolved", "decision", "result", "errno");
    /// Prints the shell's pid, then becomes `cat FILE` under that pid.
    private static final String CAT_WITH_PID = "echo $$; exec cat \"$1\"";

    @BeforeAll
    static void root() throws Exception {
        Requires.that(ChildProcess.output("id", "-u").equals("0"), "needs root (CI runs as root)");
        Requires.programs("sh", "cat", "ls");
    }

    /// `--audit FILE`: one JSON object per line with exactly the specification's fields; cat's
    /// openat of an allowed file (the seed's function open) is there with the path cat was
    /// given, the file's real path, read_only, decision allow, a descriptor as result, no errno,
    /// cat's pid and tid, and a time within the run; the openat of a denied file has decision
    /// deny, -1 and EACCES.
    @Test
    void auditFileHasALinePerCallWithTheSpecifiedFields(@TempDir Path tmp) throws Exception {
        Layout l = Layout.create(tmp);
        Instant before = Instant.now();
        Sandboxed allowed = inside(tmp, List.of("--allow-read", l.allowed().toString()),
                List.of("sh", "-c", CAT_WITH_PID, "sh", l.allowedFile().toString()));
        Sandboxed denied = inside(tmp, List.of("--allow-read", l.allowed().toString()),
                List.of("sh", "-c", CAT_WITH_PID, "sh", l.secretFile().toString()));
        Instant after = Instant.now();

        assertEquals(0, allowed.result().exitCode(), allowed::describe);
        long catPid = Long.parseLong(allowed.result().stdout().lines().findFirst().orElseThrow());
        assertEquals(catPid + "\nallowed content\n", allowed.result().stdout());
        List<Map<String, Object>> lines = audit(allowed.audit());
        for (Map<String, Object> line : lines) {
            assertEquals(FIELDS, line.keySet(), line::toString);
            Instant time = Instant.parse((String) line.get("time"));
            assertFalse(time.isBefore(before) || time.isAfter(after), line::toString);
            assertTrue(Set.of("allow", "deny").contains(line.get("decision")), line::toString);
        }
        Map<String, Object> open = only(lines, l.allowedFile().toRealPath().toString(), "openat");
        assertEquals(catPid, open.get("pid"), open::toString);
        assertEquals(catPid, open.get("tid"), open::toString);
        // openat(AT_FDCWD, path) names no directory descriptor: the seed's open.
        assertEquals("open", open.get("function"), open::toString);
        Map<?, ?> arguments = (Map<?, ?>) open.get("arguments");
        assertEquals(l.allowedFile().toString(), arguments.get("path"), open::toString);
        assertTrue(((List<?>) arguments.get("flags")).contains("read_only"), open::toString);
        assertFalse(arguments.containsKey("mode"), () -> "mode only with create or temporary: " + open);
        assertEquals("allow", open.get("decision"), open::toString);
        assertTrue((Long) open.get("result") >= 0, open::toString);
        assertNull(open.get("errno"), open::toString);

        assertEquals(1, denied.result().exitCode(), denied::describe);
        assertEquals("cat: " + l.secretFile() + ": Permission denied\n", denied.result().stderr());
        Map<String, Object> refused = only(audit(denied.audit()), l.secretFile().toString(), "openat");
        assertEquals(l.secretFile().toString(), ((Map<?, ?>) refused.get("arguments")).get("path"));
        assertEquals("deny", refused.get("decision"), refused::toString);
        assertEquals(-1L, refused.get("result"), refused::toString);
        assertEquals("EACCES", refused.get("errno"), refused::toString);
    }

    /// `--audit -` writes the same lines on stderr, which then holds nothing else when the
    /// program writes nothing there; stdout is the program's alone.
    @Test
    void auditToStandardError(@TempDir Path tmp) throws Exception {
        Layout l = Layout.create(tmp);
        Result r = run(sandbox(List.of("--allow-read", l.allowed().toString(), "--audit", "-"),
                List.of("cat", l.allowedFile().toString())), Map.of());
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("allowed content\n", r.stdout());
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : r.stderr().lines().toList()) {
            lines.add(object(Json.parse(line)));
        }
        Map<String, Object> open = only(lines, l.allowedFile().toRealPath().toString(), "openat");
        assertEquals("allow", open.get("decision"), open::toString);
    }

    /// `--dry-run` lets cat read the denied file (its content on stdout) and records the open as
    /// would-deny, with the call's real result; files that do not exist, named directly or
    /// through `..` (also past a directory that does not exist), fail with ENOENT as outside and
    /// are recorded as would-deny too.
    @Test
    void dryRunAllowsButRecordsWouldDeny(@TempDir Path tmp) throws Exception {
        Layout l = Layout.create(tmp);
        Path missing = l.secret().resolve("missing.txt");
        String roundabout = l.secret() + "/../secret/missing.txt";
        // Through a directory that does not exist, as gcc's include path has them.
        String nowhere = "/usr/lib/../posix4j-no-such-directory/../missing.txt";
        List<String> cat = List.of("cat", l.secretFile().toString(), missing.toString(), roundabout, nowhere);
        Sandboxed dry = inside(tmp, List.of("--allow-read", l.allowed().toString(), "--dry-run"), cat);
        Result outside = SandboxProgramsTest.outside(cat);
        assertEquals(1, outside.exitCode(), outside::toString);
        assertEquals(SECRET, outside.stdout());
        SandboxProgramsTest.assertSame(outside, dry);

        List<Map<String, Object>> lines = audit(dry.audit());
        Map<String, Object> open = only(lines, l.secretFile().toString(), "openat");
        assertEquals("would-deny", open.get("decision"), open::toString);
        assertTrue((Long) open.get("result") >= 0, open::toString);
        assertNull(open.get("errno"), open::toString);
        for (String path : List.of(missing.toString(), roundabout, nowhere)) {
            Map<String, Object> absent = lines.stream()
                    .filter(line -> path.equals(((Map<?, ?>) line.get("arguments")).get("path"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no line for " + path + " in " + lines));
            assertEquals("would-deny", absent.get("decision"), absent::toString);
            assertEquals(-1L, absent.get("result"), absent::toString);
            assertEquals("ENOENT", absent.get("errno"), absent::toString);
        }
    }

    /// `--deny` below an allowed tree wins: the file next to it is read, the one below it is
    /// refused, and so is even a stat of the denied directory; the audit says deny for both.
    @Test
    void denyInsideAnAllowedTreeWins(@TempDir Path tmp) throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree/private"));
        Path open = Files.writeString(tmp.resolve("tree/public.txt"), "public\n");
        Path hidden = Files.writeString(tree.resolve("hidden.txt"), SECRET);
        Sandboxed r = inside(tmp, List.of("--allow-read", tmp.resolve("tree").toString(), "--deny", tree.toString()),
                List.of("sh", "-c", "cat \"$1\" \"$2\"; ls -d \"$3\"", "sh", open.toString(),
                        hidden.toString(), tree.toString()));
        assertEquals(2, r.result().exitCode(), r::describe);
        assertEquals("public\n", r.result().stdout(), r::describe);
        assertEquals("cat: " + hidden + ": Permission denied\n"
                + "ls: cannot access '" + tree + "': Permission denied\n", r.result().stderr(), r::describe);
        List<Map<String, Object>> lines = audit(r.audit());
        assertEquals("deny", only(lines, hidden.toString(), "openat").get("decision"));
        assertTrue(lines.stream().anyMatch(line -> tree.toString().equals(line.get("resolved"))
                && "deny".equals(line.get("decision")) && "EACCES".equals(line.get("errno"))), r::describe);
    }

    /// `--no-defaults` takes the loader and its libraries away: a dynamically linked cat cannot
    /// start (the kernel opens its ELF interpreter for execution, which the Landlock ruleset
    /// does not allow, so the exec fails with EACCES and posix4j exits 126, as a shell does for a
    /// program it cannot execute); a statically linked program needs none and reads the one file
    /// allowed.
    @Test
    void noDefaultsStopsDynamicProgramsButNotStaticOnes(@TempDir Path tmp) throws Exception {
        Layout l = Layout.create(tmp);
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        Path files = Gcc.compile(PROGRAMS + "files.c", bin, "-static");
        List<String> options = List.of("--no-defaults", "--allow-read", l.allowed().toString());
        Sandboxed dynamic = inside(tmp, options, List.of("/bin/cat", l.allowedFile().toString()));
        assertEquals(126, dynamic.result().exitCode(), dynamic::describe);
        assertEquals("", dynamic.result().stdout());
        assertEquals("posix4j sandbox: /bin/cat: Permission denied\n", dynamic.result().stderr(), dynamic::describe);

        Sandboxed statically = inside(tmp, options, List.of(files.toString(), "libc", l.allowedFile().toString()));
        assertEquals(0, statically.result().exitCode(), statically::describe);
        assertEquals(l.allowedFile() + ": allowed content\n", statically.result().stdout(), statically::describe);
    }

    /// An audit that cannot be written (/dev/full answers ENOSPC) stops the program rather than
    /// let its calls go on unrecorded: posix4j exits 125 naming the reason, and the program's
    /// later output never appears.
    @Test
    void anAuditThatCannotBeWrittenStopsTheProgram() throws Exception {
        Result r = run(sandbox(List.of("--audit", "/dev/full"),
                List.of("sh", "-c", "cat /etc/passwd > /dev/null; echo still-running")), Map.of());
        assertEquals(125, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("--audit /dev/full: cannot write the audit: No space left on device; the"
                + " program was stopped"), r::toString);
        assertFalse(r.stdout().contains("still-running"), r::toString);
    }

    /// The one audit line of `syscall` whose resolved path is `resolved`.
    private static Map<String, Object> only(List<Map<String, Object>> lines, String resolved, String syscall) {
        List<Map<String, Object>> found = lines.stream()
                .filter(line -> resolved.equals(line.get("resolved")) && syscall.equals(line.get("syscall")))
                .toList();
        assertEquals(1, found.size(), () -> "lines of " + syscall + " resolved to " + resolved + " in " + lines);
        return found.get(0);
    }

    /// The audit file's lines, each parsed as a JSON object.
    private static List<Map<String, Object>> audit(Path file) throws IOException {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            lines.add(object(Json.parse(line)));
        }
        assertFalse(lines.isEmpty(), "no line in " + file);
        return lines;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        assertTrue(value instanceof Map, () -> "not a JSON object: " + value);
        return (Map<String, Object>) value;
    }

    /// Just enough JSON (RFC 8259) for one audit line: objects (in order), arrays, strings with
    /// every escape, integers as Long, other numbers as Double, true, false, null. Anything
    /// else, including trailing text, fails the test.
    static final class Json {
        private final String text;
        private int at;

        private Json(String text) {
            this.text = text;
        }

        /// Parses `text`, which must hold exactly one JSON value.
        static Object parse(String text) {
            Json json = new Json(text);
            Object value = json.value();
            json.blanks();
            if (json.at != text.length()) {
                throw json.error("trailing text");
            }
            return value;
        }

        private Object value() {
            blanks();
            if (at >= text.length()) {
                throw error("a value is missing");
            }
            char c = text.charAt(at);
            switch (c) {
                case '{' -> {
                    return object();
                }
                case '[' -> {
                    return array();
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    for (String word : List.of("true", "false", "null")) {
                        if (text.startsWith(word, at)) {
                            at += word.length();
                            return word.equals("null") ? null : Boolean.valueOf(word);
                        }
                    }
                    return number();
                }
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            at++;
            blanks();
            if (peek('}')) {
                return map;
            }
            do {
                blanks();
                if (!peek('"')) {
                    throw error("a key must be a string");
                }
                at--;
                String key = string();
                blanks();
                expect(':');
                if (map.containsKey(key)) {
                    throw error("duplicate key " + key);
                }
                map.put(key, value());
                blanks();
            } while (peek(','));
            expect('}');
            return map;
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            at++;
            blanks();
            if (peek(']')) {
                return list;
            }
            do {
                list.add(value());
                blanks();
            } while (peek(','));
            expect(']');
            return list;
        }

        private String string() {
            expect('"');
            StringBuilder s = new StringBuilder();
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return s.toString();
                }
                if (c < 0x20) {
                    throw error("a control character in a string");
                }
                if (c != '\\') {
                    s.append(c);
                    continue;
                }
                char e = text.charAt(at++);
                switch (e) {
                    case '"', '\\', '/' -> s.append(e);
                    case 'b' -> s.append('\b');
                    case 'f' -> s.append('\f');
                    case 'n' -> s.append('\n');
                    case 'r' -> s.append('\r');
                    case 't' -> s.append('\t');
                    case 'u' -> {
                        s.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> throw error("a bad escape \\" + e);
                }
            }
            throw error("an unterminated string");
        }

        private Object number() {
            int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            String n = text.substring(start, at);
            if (n.isEmpty()) {
                throw error("not a value");
            }
            return n.matches("-?(0|[1-9][0-9]*)") ? (Object) Long.valueOf(n) : (Object) Double.valueOf(n);
        }

        private void blanks() {
            while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
        }

        private boolean peek(char c) {
            if (at < text.length() && text.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
        }

        private AssertionError error(String what) {
            return new AssertionError("bad JSON at " + at + ": " + what + ": " + text);
        }
    }
}
