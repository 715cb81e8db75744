package org.posix4j.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.posix4j.process.Credentials;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Proc;
import org.posix4j.testing.Report;
import org.posix4j.testing.Requires;

class PrivilegesTest {

    /// Drops as args say ("user" or "user:group"), reports, then waits for the test to read /proc;
    /// with a second argument, tries a second drop to it afterwards.
    public static final class Drop {
        public static void main(String[] args) throws Exception {
            String[] spec = args[0].split(":", 2);
            Report.done("drop", () -> {
                if (spec.length == 1) {
                    Privileges.drop(spec[0]);
                } else {
                    Privileges.drop(spec[0], spec[1]);
                }
            });
            System.out.println("uid=" + Integer.toUnsignedString(Credentials.uid()));
            if (args.length > 1) {
                Report.done("again", () -> Privileges.drop(args[1]));
            }
            System.out.println("ready");
            System.in.read();
        }
    }

    private static String idsLine(int id) {
        return "\t" + id + "\t" + id + "\t" + id + "\t" + id + "\n";
    }

    private static void assertEveryThread(long pid, int uid, int gid, String groups) throws Exception {
        List<Path> tasks;
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks = s.toList();
        }
        assertTrue(tasks.size() > 5, "a JVM has many threads: " + tasks.size());
        for (Path task : tasks) {
            String status = Files.readString(task.resolve("status"));
            assertTrue(status.contains("Uid:" + idsLine(uid)), task + ": " + status);
            assertTrue(status.contains("Gid:" + idsLine(gid)), task + ": " + status);
            assertTrue(status.contains("Groups:\t" + groups + " \n") || status.contains("Groups:\t" + groups + "\n"),
                    task + " groups " + groups + ": " + status);
        }
    }

    @Test
    void dropToNobodyChangesEveryThreadAsIdSays() throws Exception {
        Requires.root();
        int uid = Integer.parseInt(Proc.run("id", "-u", "nobody"));
        int gid = Integer.parseInt(Proc.run("id", "-g", "nobody"));
        String groups = Proc.run("id", "-G", "nobody");
        try (ChildJvm child = ChildJvm.start(Drop.class, "nobody", "daemon")) {
            assertEquals("ok", child.expect("drop="));
            assertEquals(Integer.toString(uid), child.expect("uid="));
            // Dropped for good: the second drop needs CAP_SETGID for initgroups and gets EPERM.
            assertEquals("EPERM", child.expect("again="));
            assertTrue(child.expect("again.message=").startsWith("initgroups(daemon"));
            child.expect("ready");
            assertEveryThread(child.pid(), uid, gid, groups);
        }
    }

    @Test
    void dropWithAGroupUsesThatGroup() throws Exception {
        Requires.root();
        int uid = Integer.parseInt(Proc.run("id", "-u", "nobody"));
        int gid = Integer.parseInt(Proc.run("getent", "group", "daemon").split(":")[2]);
        try (ChildJvm child = ChildJvm.start(Drop.class, "nobody:daemon")) {
            assertEquals("ok", child.expect("drop="));
            child.expect("ready");
            // initgroups gives the groups that list nobody as a member, plus the group asked
            // for in place of nobody's primary group.
            String expected = Stream.concat(Proc.lines("getent", "group").stream()
                            .map(l -> l.split(":", -1))
                            .filter(f -> List.of(f[3].split(",")).contains("nobody"))
                            .map(f -> f[2]), Stream.of(Integer.toString(gid)))
                    .mapToInt(Integer::parseInt).distinct().sorted()
                    .mapToObj(Integer::toString).reduce((a, b) -> a + " " + b).orElseThrow();
            assertEveryThread(child.pid(), uid, gid, expected);
        }
    }

    private static void assertUnchanged(String spec, String expectedReport) throws Exception {
        try (ChildJvm child = ChildJvm.start(Drop.class, spec)) {
            assertEquals(expectedReport, child.expect("drop="));
            child.expect("ready");
            String me = Proc.status(ProcessHandle.current().pid(), "Uid");
            assertEquals(me, Proc.status(child.pid(), "Uid"));
            assertEquals(Proc.status(ProcessHandle.current().pid(), "Gid"), Proc.status(child.pid(), "Gid"));
            assertEquals(Proc.status(ProcessHandle.current().pid(), "Groups"), Proc.status(child.pid(), "Groups"));
        }
    }

    @Test
    void unknownNamesAndUidZeroFailBeforeAnyChange() throws Exception {
        assertUnchanged("no-such-user-p4j",
                "java.lang.IllegalArgumentException: user: no such user: no-such-user-p4j");
        assertUnchanged("nobody:no-such-group-p4j",
                "java.lang.IllegalArgumentException: group: no such group: no-such-group-p4j");
        assertUnchanged("root",
                "java.lang.IllegalArgumentException: user: root has uid 0; dropping to it keeps root");
    }
}
