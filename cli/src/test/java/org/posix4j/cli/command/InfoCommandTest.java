package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.Feature;
import org.posix4j.Features;
import org.posix4j.cli.Main;
import org.posix4j.cli.testing.ChildProcess;
import org.posix4j.cli.testing.ChildProcess.Result;
import org.posix4j.cli.testing.Gcc;
import org.posix4j.cli.testing.Proc;
import org.posix4j.cli.testing.Requires;
import org.posix4j.cli.testing.RunThenWait;
import org.posix4j.terminal.PseudoTerminal;
import org.posix4j.testing.ScaledTimeout;

/// `posix4j info`, run in a child JVM and checked against what other tools and /proc say.
@ScaledTimeout(120)
class InfoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SECTIONS =
            List.of("System", "Process", "Credentials", "Resource limits", "Memory (malloc, bytes)", "Features");

    /// Limits the test gives the child through prlimit(1), soft and hard, each no higher than
    /// the test JVM's own hard limit (an unprivileged process cannot raise it). None of these
    /// resources matters to a JVM that runs for a second.
    private static final Map<String, long[]> CHOSEN_LIMITS = Map.of(
            "core", new long[] {3_000_000, 7_000_000},
            "locks", new long[] {1234, 4321},
            "msgqueue", new long[] {123_456, 654_321},
            "rttime", new long[] {5_000_000, 9_000_000});

    /// The child is started by sh (umask 027), setsid (a session of its own), ionice
    /// (best-effort 5) and prlimit (four chosen limits), each exec'ing the next, so its answers
    /// differ from anything merely inherited from the test JVM. It stays alive after printing
    /// so that its own /proc entries can be read.
    @Test
    void jsonMatchesTheKernelForAProcessSetUpByOtherTools() throws Exception {
        Requires.programs("sh", "setsid", "ionice", "prlimit", "id", "uname");
        Map<String, List<String>> ownLimits = Proc.limits(ProcessHandle.current().pid());
        Map<String, long[]> chosen = new LinkedHashMap<>();
        List<String> command = new ArrayList<>(List.of(
                "sh", "-c", "umask 027 && exec \"$@\"", "sh",
                "setsid", "--", "ionice", "-c", "2", "-n", "5", "--", "prlimit"));
        CHOSEN_LIMITS.forEach((resource, wanted) -> {
            String ownHard = ownLimits.get(resource).get(1);
            long hard = ownHard.equals("unlimited") ? wanted[1] : Math.min(wanted[1], Long.parseLong(ownHard));
            long soft = Math.min(wanted[0], hard);
            chosen.put(resource, new long[] {soft, hard});
            command.add("--" + resource + "=" + soft + ":" + hard);
        });
        command.add("--");
        command.addAll(ChildProcess.java(RunThenWait.class, "info", "--json"));

        try (ChildProcess child = ChildProcess.start(new ProcessBuilder(command))) {
            String[] printed = child.readUntil(RunThenWait.MARKER);
            assertEquals("0", printed[1], () -> "exit code; output: " + printed[0]);
            JsonNode info = JSON.readTree(printed[0]);
            long pid = child.pid();

            // While the child lives, its pid is its own: compare with the kernel's view of it.
            JsonNode ids = info.get("ids");
            assertEquals(pid, ids.get("pid").asLong());
            assertEquals(ProcessHandle.current().pid(), ids.get("ppid").asLong());
            assertEquals(Long.parseLong(Proc.status(pid, "PPid")), ids.get("ppid").asLong());
            assertEquals(pid, info.get("sid").asLong(), "setsid made the child a session leader");
            assertEquals(pid, info.get("pgid").asLong(), "and a process group leader");
            assertEquals(Proc.stat(pid, 5), info.get("pgid").asLong());
            assertEquals(Proc.stat(pid, 6), info.get("sid").asLong());
            assertEquals("0027", info.get("umask").asText());
            assertEquals(Proc.status(pid, "Umask"), info.get("umask").asText());
            assertTrue(info.get("tty").isNull(), "stdin is a pipe");

            String[] uids = Proc.status(pid, "Uid").split("\\s+");
            String[] gids = Proc.status(pid, "Gid").split("\\s+");
            assertEquals(List.of(uids[0], uids[1], uids[2]), texts(ids, "uid", "euid", "suid"));
            assertEquals(List.of(gids[0], gids[1], gids[2]), texts(ids, "gid", "egid", "sgid"));
            Set<String> groups = new TreeSet<>();
            ids.get("groups").forEach(g -> groups.add(g.asText()));
            Set<String> procGroups = new TreeSet<>(Arrays.asList(Proc.status(pid, "Groups").split("\\s+")));
            procGroups.remove("");
            assertEquals(procGroups, groups);

            Map<String, List<String>> procLimits = Proc.limits(pid);
            JsonNode rlimits = info.get("rlimits");
            assertEquals(procLimits.keySet(), fieldNames(rlimits));
            procLimits.forEach((resource, softHard) -> assertEquals(softHard,
                    List.of(rlimits.get(resource).get("soft").asText(), rlimits.get(resource).get("hard").asText()),
                    resource));
            chosen.forEach((resource, softHard) -> assertEquals(
                    List.of(softHard[0], softHard[1]),
                    List.of(rlimits.get(resource).get("soft").asLong(), rlimits.get(resource).get("hard").asLong()),
                    resource + " as prlimit set it"));
            assertEquals(Long.parseLong(procLimits.get("nofile").get(0)), info.get("open_max").asLong(),
                    "sysconf(_SC_OPEN_MAX) is the soft RLIMIT_NOFILE");

            JsonNode features = info.get("features");
            assertTrue(features.get("ioprio").asBoolean(), "ionice -c 2 worked, so ioprio exists");
            assertEquals("best-effort", info.get("ioprio").get("class").asText());
            assertEquals(5, info.get("ioprio").get("level").asInt());
            assertEquals("best-effort: prio 5", ChildProcess.output("ionice", "-p", Long.toString(pid)));

            Result result = child.finish();
            assertEquals(0, result.exitCode());
            assertEquals("", result.stderr(), "no JVM warning");
        }
    }

    /// A process whose I/O priority carries a hint (Linux 6.5+), set by a C program through
    /// ioprio_set(2) before it execs the JVM: both forms show class, level and hint, and agree
    /// with `ionice -p`, which prints the 13 bits below the class as one number (hint * 8 + level).
    @Test
    void ioPriorityWithAHintIsDecodedLikeIonice(@TempDir Path dir) throws Exception {
        Requires.programs("ionice");
        Path setter = Gcc.compile("info/ioprio-hint.c", dir);
        Result probe = ChildProcess.run(List.of(setter.toString(), "true"));
        Requires.that(probe.exitCode() != 3, "the kernel refused an I/O priority hint (Linux 6.5+): " + probe.stderr());
        assertEquals(0, probe.exitCode(), probe::toString);
        for (String form : List.of("--json", "text")) {
            List<String> command = new ArrayList<>(List.of(setter.toString()));
            command.addAll(form.equals("text") ? ChildProcess.java(RunThenWait.class, "info")
                    : ChildProcess.java(RunThenWait.class, "info", "--json"));
            try (ChildProcess child = ChildProcess.start(new ProcessBuilder(command))) {
                String[] printed = child.readUntil(RunThenWait.MARKER);
                assertEquals("0", printed[1], () -> "exit code; output: " + printed[0]);
                assertEquals("best-effort: prio 12", ChildProcess.output("ionice", "-p", Long.toString(child.pid())));
                if (form.equals("text")) {
                    assertEquals("best-effort: prio 4, hint 1", keyValues(sections(printed[0]).get("Process")).get("ioprio"));
                } else {
                    JsonNode ioprio = JSON.readTree(printed[0]).get("ioprio");
                    assertEquals("best-effort", ioprio.get("class").asText());
                    assertEquals(4, ioprio.get("level").asInt());
                    assertEquals(1, ioprio.get("hint").asInt());
                }
                Result result = child.finish();
                assertEquals(0, result.exitCode());
                assertEquals("", result.stderr(), "no JVM warning, no stack trace");
            }
        }
    }

    /// Values the child shares with the test JVM, its parent: the machine and user (checked
    /// against `uname` and `id`), and the process group and session, which it inherits.
    @Test
    void jsonMatchesUnameIdAndTheInheritedSession() throws Exception {
        Requires.programs("id", "uname");
        JsonNode info = infoJson();
        long self = ProcessHandle.current().pid();
        assertEquals(Proc.stat(self, 5), info.get("pgid").asLong());
        assertEquals(Proc.stat(self, 6), info.get("sid").asLong());
        assertEquals(self, info.get("ids").get("ppid").asLong());

        JsonNode uname = info.get("uname");
        assertEquals(ChildProcess.output("uname", "-s"), uname.get("sysname").asText());
        assertEquals(ChildProcess.output("uname", "-n"), uname.get("nodename").asText());
        assertEquals(ChildProcess.output("uname", "-r"), uname.get("release").asText());
        assertEquals(ChildProcess.output("uname", "-v"), uname.get("version").asText());
        assertEquals(ChildProcess.output("uname", "-m"), uname.get("machine").asText());

        JsonNode ids = info.get("ids");
        assertEquals(ChildProcess.output("id", "-u"), ids.get("uid").asText());
        assertEquals(ChildProcess.output("id", "-u"), ids.get("euid").asText());
        assertEquals(ChildProcess.output("id", "-g"), ids.get("gid").asText());
        assertEquals(ChildProcess.output("id", "-g"), ids.get("egid").asText());
        // id -G lists the effective group first, then getgroups(2), which may or may not hold it.
        Set<String> groups = new HashSet<>(List.of(ids.get("egid").asText()));
        ids.get("groups").forEach(g -> groups.add(g.asText()));
        assertEquals(new HashSet<>(Arrays.asList(ChildProcess.output("id", "-G").split(" "))), groups);
    }

    /// The shape of the rest of the document, and the invariants mallinfo2(3) guarantees.
    @Test
    void jsonHasEveryFeatureAndConsistentMallocStatistics() throws Exception {
        JsonNode info = infoJson();
        Map<String, Feature> expected = Features.all();
        JsonNode features = info.get("features");
        assertEquals(expected.keySet(), fieldNames(features));
        expected.forEach((name, f) -> assertEquals(f.available(), features.get(name).asBoolean(), name));

        JsonNode meminfo = info.get("meminfo");
        assertEquals(features.get("mallinfo2").asBoolean(), !meminfo.isNull());
        if (!meminfo.isNull()) {
            assertEquals(Set.of("allocated", "allocated_mmap", "used", "unused", "returnable"), fieldNames(meminfo));
            long allocated = meminfo.get("allocated").asLong();
            assertTrue(allocated > 0, "a JVM has malloc'ed something");
            // glibc computes uordblks as arena - fordblks, and keepcost is part of fordblks.
            assertEquals(allocated, meminfo.get("used").asLong() + meminfo.get("unused").asLong());
            long returnable = meminfo.get("returnable").asLong();
            assertTrue(0 <= returnable && returnable <= meminfo.get("unused").asLong(), meminfo::toString);
            assertTrue(meminfo.get("allocated_mmap").asLong() >= 0);
        }
        assertEquals(features.get("ioprio").asBoolean(), !info.get("ioprio").isNull());
        assertTrue(info.get("umask").asText().matches("0[0-7]{3}"), info.get("umask")::toString);
    }

    /// With a pseudo-terminal as stdin, `tty` names it, as tty(1) does for the same stdin.
    @Test
    void ttyIsTheTerminalOnStandardInput() throws Exception {
        Requires.programs("tty");
        try (PseudoTerminal pty = PseudoTerminal.open()) {
            File slave = new File(pty.slavePath());
            String expected = ttyOf(slave);
            assertEquals(pty.slavePath(), expected);
            try (ChildProcess child = ChildProcess.start(new ProcessBuilder(ChildProcess.java(Main.class, "info", "--json"))
                    .redirectInput(slave))) {
                Result r = child.finish();
                assertEquals(0, r.exitCode(), r::toString);
                assertEquals("", r.stderr());
                assertEquals(expected, JSON.readTree(r.stdout()).get("tty").asText());
            }
        }
    }

    /// The text form: the sections in order, each row's columns starting at the same place,
    /// with the values the JSON form gives.
    @Test
    void textHasAlignedSectionsWithTheJsonValues() throws Exception {
        Result r = ChildProcess.run(ChildProcess.java(Main.class, "info"));
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.stderr());
        Map<String, List<String>> sections = sections(r.stdout());
        assertEquals(SECTIONS, List.copyOf(sections.keySet()));
        sections.forEach((title, rows) -> assertAligned(title, rows, title.equals("Resource limits") ? 3 : 2));

        JsonNode info = infoJson();
        Map<String, String> system = keyValues(sections.get("System"));
        assertEquals(info.get("uname").get("release").asText(), system.get("release"));
        assertEquals(info.get("uname").get("version").asText(), system.get("version"));
        assertEquals(ChildProcess.output("uname", "-n"), system.get("nodename"));
        Map<String, String> credentials = keyValues(sections.get("Credentials"));
        assertEquals(info.get("ids").get("uid").asText(), credentials.get("uid"));
        assertEquals(ChildProcess.output("id", "-u"), credentials.get("euid"));
        Map<String, String> process = keyValues(sections.get("Process"));
        assertEquals("none", process.get("tty"));
        assertEquals(info.get("umask").asText(), process.get("umask"));
        assertEquals(info.get("open_max").asText(), process.get("open_max"));

        List<String> limits = sections.get("Resource limits");
        assertEquals(List.of("resource", "soft", "hard"), Arrays.asList(limits.getFirst().strip().split("\\s+")));
        JsonNode rlimits = info.get("rlimits");
        assertEquals(rlimits.size(), limits.size() - 1);
        for (String row : limits.subList(1, limits.size())) {
            String[] cells = row.strip().split("\\s+");
            JsonNode limit = rlimits.get(cells[0]);
            assertNotNull(limit, row);
            assertEquals(List.of(limit.get("soft").asText(), limit.get("hard").asText()),
                    List.of(cells[1], cells[2]), row);
        }
        Map<String, String> features = keyValues(sections.get("Features"));
        info.get("features").properties().forEach(e ->
                assertTrue(features.get(e.getKey()).startsWith(e.getValue().asBoolean() ? "yes " : "no "), e::getKey));
    }

    /// A usage error of a command says why, the synopsis and where the help is, in three lines
    /// (sandbox's synopsis has two), not the whole usage, which for sandbox would push the reason
    /// off the screen.
    @Test
    void unknownOptionIsAUsageError() throws Exception {
        Result r = ChildProcess.run(ChildProcess.java(Main.class, "info", "--bogus"));
        assertEquals(2, r.exitCode());
        assertEquals("", r.stdout());
        assertEquals("Unknown option: '--bogus'\nUsage: posix4j info [-hV] [--json]\n"
                + "Try 'posix4j info --help' for more information.\n", r.stderr());
        Result sandbox = ChildProcess.run(ChildProcess.java(Main.class, "sandbox", "--bogus", "--", "true"));
        assertEquals(2, sandbox.exitCode());
        assertEquals("Unknown option: '--bogus'\nUsage: posix4j sandbox [OPTIONS] [--] PROGRAM [ARG...]\n"
                + "       posix4j sandbox [OPTIONS] --print-policy\n"
                + "Try 'posix4j sandbox --help' for more information.\n", sandbox.stderr());
    }

    /// `posix4j` alone, or with a mistyped command, shows its usage: the list of commands.
    @Test
    void missingCommandIsAUsageError() throws Exception {
        Result r = ChildProcess.run(ChildProcess.java(Main.class));
        assertEquals(2, r.exitCode());
        assertEquals("", r.stdout());
        assertTrue(r.stderr().startsWith("Missing required subcommand\nUsage: posix4j"), r.stderr());
        assertTrue(r.stderr().contains("\n  sandbox "), r.stderr());
        Result typo = ChildProcess.run(ChildProcess.java(Main.class, "snadbox"));
        assertEquals(2, typo.exitCode());
        assertTrue(typo.stderr().startsWith("Unmatched argument at index 0: 'snadbox'\nDid you mean: posix4j sandbox?\n"
                + "Usage: posix4j"), typo.stderr());
    }

    @Test
    void helpListsTheCommandsAndVersionNamesTheRelease() throws Exception {
        Result help = ChildProcess.run(ChildProcess.java(Main.class, "--help"));
        assertEquals(0, help.exitCode());
        assertEquals("", help.stderr());
        assertTrue(help.stdout().startsWith("Usage: posix4j [-hV] COMMAND\n"), help.stdout());
        assertTrue(help.stdout().contains("\n  info "), help.stdout());

        Result infoHelp = ChildProcess.run(ChildProcess.java(Main.class, "help", "info"));
        assertEquals(0, infoHelp.exitCode());
        assertTrue(infoHelp.stdout().contains("--json"), infoHelp.stdout());

        Result version = ChildProcess.run(ChildProcess.java(Main.class, "--version"));
        assertEquals(0, version.exitCode());
        assertEquals("", version.stderr());
        assertTrue(version.stdout().matches("(?s)posix4j \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\nJava 2\\d.*"), version.stdout());
    }

    private static JsonNode infoJson() throws IOException, InterruptedException {
        Result r = ChildProcess.run(ChildProcess.java(Main.class, "info", "--json"));
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.stderr(), "no JVM warning");
        return JSON.readTree(r.stdout());
    }

    private static String ttyOf(File stdin) throws IOException, InterruptedException {
        try (ChildProcess tty = ChildProcess.start(new ProcessBuilder("tty").redirectInput(stdin))) {
            Result r = tty.finish();
            assertEquals(0, r.exitCode(), r::toString);
            return r.stdout().strip();
        }
    }

    private static List<String> texts(JsonNode node, String... names) {
        return Arrays.stream(names).map(n -> node.get(n).asText()).toList();
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /// Splits text output into sections: a title line, indented rows, a blank line between.
    private static Map<String, List<String>> sections(String text) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> rows = null;
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                rows = null;
            } else if (rows == null) {
                assertFalse(line.startsWith(" "), () -> "a section title, not indented: " + line);
                rows = new ArrayList<>();
                sections.put(line, rows);
            } else {
                assertTrue(line.startsWith("  ") && !line.startsWith("   "), () -> "a row, indented by two: " + line);
                assertEquals(line.stripTrailing(), line, "no trailing blanks");
                rows.add(line);
            }
        }
        return sections;
    }

    /// Asserts that in every row the first `columns - 1` gaps end at the same place: cells before
    /// the last hold no blanks, so each gap is the first run of blanks after the previous cell.
    private static void assertAligned(String title, List<String> rows, int columns) {
        assertFalse(rows.isEmpty(), title);
        List<Integer> starts = null;
        for (String row : rows) {
            List<Integer> rowStarts = new ArrayList<>();
            int i = 2;
            for (int c = 1; c < columns; c++) {
                i = row.indexOf(' ', i);
                assertTrue(i > 0 && row.startsWith("  ", i), () -> title + ": two blanks between cells: " + row);
                while (row.charAt(i) == ' ') {
                    i++;
                }
                rowStarts.add(i);
            }
            if (starts == null) {
                starts = rowStarts;
            }
            assertEquals(starts, rowStarts, () -> title + ": columns out of line at: " + row);
        }
    }

    private static Map<String, String> keyValues(List<String> rows) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String row : rows) {
            String[] kv = row.strip().split("\\s+", 2);
            values.put(kv[0], kv[1]);
        }
        return values;
    }
}
