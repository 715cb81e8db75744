package org.posix4j.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.posix4j.PosixException;
import org.posix4j.signal.SignalEvent;
import org.posix4j.system.GroupEntry;
import org.posix4j.system.PasswdEntry;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Report;
import org.posix4j.testing.Proc;
import org.posix4j.testing.Requires;

class CredentialsTest {

    private static int[] ints(String spaceSeparated) {
        return spaceSeparated.isBlank() ? new int[0]
                : Arrays.stream(spaceSeparated.trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
    }

    @Test
    void idsMatchProcStatus() {
        long pid = ProcessHandle.current().pid();
        int[] uid = ints(Proc.status(pid, "Uid"));
        int[] gid = ints(Proc.status(pid, "Gid"));
        assertEquals(uid[0], Credentials.uid());
        assertEquals(uid[1], Credentials.euid());
        assertEquals(gid[0], Credentials.gid());
        assertEquals(gid[1], Credentials.egid());
        assertEquals(new ResIds(uid[0], uid[1], uid[2]), Credentials.resuid());
        assertEquals(new ResIds(gid[0], gid[1], gid[2]), Credentials.resgid());
        assertArrayEquals(ints(Proc.status(pid, "Groups")), Credentials.groups());
        assertEquals(Integer.parseInt(Proc.run("id", "-u")), Credentials.uid());
    }

    /// Drops to fixed ids, then waits so the parent can read /proc; then tries to regain root.
    public static final class DropAll {
        public static void main(String[] args) throws Exception {
            Credentials.setGroups(100, 200);
            Credentials.setGid(12345);
            Credentials.setUid(12345);
            System.out.println("ready");
            System.in.read();
            try {
                Credentials.setUid(0);
                System.out.println("setuid0=succeeded");
            } catch (PosixException e) {
                System.out.println("setuid0=" + e.getMessage());
            }
            try {
                Credentials.setGroups(0);
                System.out.println("setgroups=succeeded");
            } catch (PosixException e) {
                System.out.println("setgroups=" + e.errno().orElseThrow());
            }
        }
    }

    @Test
    void dropChangesEveryThreadAndCannotBeUndone() throws Exception {
        Requires.root();
        try (ChildJvm child = ChildJvm.start(DropAll.class)) {
            child.expect("ready");
            List<Path> tasks;
            try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(child.pid()), "task"))) {
                tasks = s.toList();
            }
            assertTrue(tasks.size() > 5, "a JVM has many threads: " + tasks.size());
            for (Path task : tasks) {
                String status = Files.readString(task.resolve("status"));
                assertTrue(status.contains("Uid:\t12345\t12345\t12345\t12345"), task + ": " + status);
                assertTrue(status.contains("Gid:\t12345\t12345\t12345\t12345"), task + ": " + status);
                assertTrue(status.contains("Groups:\t100 200"), task + ": " + status);
            }
            ChildJvm.Result r = child.finish().assertSuccess();
            assertEquals("setuid(0): Operation not permitted [EPERM]", r.value("setuid0="));
            assertEquals("EPERM", r.value("setgroups="));
        }
    }

    /// setreuid/setregid with distinct real and effective ids.
    public static final class SetRe {
        public static void main(String[] args) throws Exception {
            Credentials.setRegid(2000, 3000);
            Credentials.setReuid(1000, 1001);
            System.out.println("uid=" + Credentials.resuid());
            System.out.println("gid=" + Credentials.resgid());
            System.out.println("ready");
            System.in.read();
        }
    }

    @Test
    void setReuidAndSetRegidSetRealAndEffective() throws Exception {
        Requires.root();
        try (ChildJvm child = ChildJvm.start(SetRe.class)) {
            assertEquals("ResIds[real=1000, effective=1001, saved=1001]", child.expect("uid="));
            assertEquals("ResIds[real=2000, effective=3000, saved=3000]", child.expect("gid="));
            child.expect("ready");
            // The saved id follows the new effective id because the real id was set (setreuid(2)).
            assertEquals("1000 1001 1001 1001", Proc.status(child.pid(), "Uid"));
            assertEquals("2000 3000 3000 3000", Proc.status(child.pid(), "Gid"));
            child.finish().assertSuccess();
        }
    }

    /// initgroups for the user named in args[0] with gid args[1].
    public static final class InitGroups {
        public static void main(String[] args) throws Exception {
            Credentials.initGroups(args[0], Integer.parseInt(args[1]));
            System.out.println("ready");
            System.in.read();
        }
    }

    @Test
    void initGroupsMatchesId() throws Exception {
        Requires.root();
        // A user listed as a member of some group, so that initgroups has something to add.
        String user = Proc.lines("getent", "group").stream()
                .map(l -> l.split(":", -1))
                .filter(f -> f.length == 4 && !f[3].isEmpty())
                .map(f -> f[3].split(",")[0])
                .findFirst().orElse("root");
        int gid = Integer.parseInt(Proc.run("id", "-g", user));
        int[] expected = ints(Proc.run("id", "-G", user));
        Arrays.sort(expected);
        try (ChildJvm child = ChildJvm.start(InitGroups.class, user, Integer.toString(gid))) {
            child.expect("ready");
            int[] groups = ints(Proc.status(child.pid(), "Groups"));
            Arrays.sort(groups);
            assertArrayEquals(expected, groups, "groups of " + user);
            child.finish().assertSuccess();
        }
    }

    /// Takes ids above 2^31 - 1 (negative as Java ints), prints what posix4j shows for them and
    /// what id(1) shows, then fails to take others as uid 4000000001.
    public static final class HighIds {
        public static void main(String[] args) throws Exception {
            int high = (int) 4_000_000_000L;
            Credentials.setGroups(high, (int) 4_000_000_002L);
            Credentials.setGid(high);
            Credentials.setUid((int) 4_000_000_001L);
            System.out.println("resuid=" + Credentials.resuid());
            System.out.println("resgid=" + Credentials.resgid());
            Process id = new ProcessBuilder("id").redirectErrorStream(true).start();
            System.out.println("id=" + new String(id.getInputStream().readAllBytes()).strip());
            id.waitFor();
            try {
                Credentials.setGid(12345);
            } catch (PosixException e) {
                System.out.println("setgid=" + e.getMessage());
            }
            try {
                Credentials.setGroups(high, 5);
            } catch (PosixException e) {
                System.out.println("setgroups=" + e.getMessage());
            }
            try {
                Credentials.setRegid(-1, (int) 4_000_000_003L);
            } catch (PosixException e) {
                System.out.println("setregid=" + e.getMessage());
            }
        }
    }

    @Test
    void idsAbove2Pow31PrintUnsignedAsIdDoes() throws Exception {
        Requires.root();
        ChildJvm.Result r = ChildJvm.run(HighIds.class).assertSuccess();
        assertEquals("uid=4000000001 gid=4000000000 groups=4000000000,4000000002", r.value("id="));
        assertEquals("ResIds[real=4000000001, effective=4000000001, saved=4000000001]", r.value("resuid="));
        assertEquals("ResIds[real=4000000000, effective=4000000000, saved=4000000000]", r.value("resgid="));
        assertEquals("setgid(12345): Operation not permitted [EPERM]", r.value("setgid="));
        assertEquals("setgroups([4000000000, 5]): Operation not permitted [EPERM]", r.value("setgroups="));
        assertEquals("setregid(-1, 4000000003): Operation not permitted [EPERM]", r.value("setregid="));
        assertEquals("PasswdEntry[name=big, uid=4000000001, gid=4000000000, gecos=, home=/, shell=/bin/sh]",
                new PasswdEntry("big", (int) 4_000_000_001L, (int) 4_000_000_000L, "", "/", "/bin/sh")
                        .toString());
        assertEquals("GroupEntry[name=big, gid=4000000000, members=[big]]",
                new GroupEntry("big", (int) 4_000_000_000L, List.of("big")).toString());
        assertTrue(new SignalEvent(15, OptionalInt.of(0), OptionalInt.of(1), OptionalInt.of((int) 4_000_000_001L),
                OptionalInt.empty()).toString().contains("senderUid=OptionalInt[4000000001]"));
    }

    /// Without privilege, every credential change the kernel guards fails with EPERM.
    public static final class Unprivileged {
        public static void main(String[] args) throws Exception {
            Credentials.setGroups();
            Credentials.setGid(65534);
            Credentials.setUid(65534);
            Report.done("setgid", () -> Credentials.setGid(0));
            Report.done("setreuid", () -> Credentials.setReuid(0, 0));
            Report.done("setregid", () -> Credentials.setRegid(0, 0));
            Report.done("initgroups", () -> Credentials.initGroups("root", 0));
            Report.done("setgroups", () -> Credentials.setGroups(0));
        }


    }

    @Test
    void unprivilegedChangesFailWithEperm() throws Exception {
        Requires.root();
        ChildJvm.Result r = ChildJvm.run(Unprivileged.class).assertSuccess();
        assertEquals("EPERM", r.value("setgid="));
        assertEquals("EPERM", r.value("setreuid="));
        assertEquals("EPERM", r.value("setregid="));
        assertEquals("EPERM", r.value("initgroups="));
        assertEquals("EPERM", r.value("setgroups="));
    }

    @Test
    void invalidArgumentsAreRejectedBeforeTheCall() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Credentials.setUid(-1));
        assertTrue(e.getMessage().startsWith("uid "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Credentials.setGid(-1));
        assertTrue(e.getMessage().startsWith("gid "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Credentials.initGroups("", 0));
        assertTrue(e.getMessage().startsWith("user "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Credentials.initGroups("ro\0ot", 0));
        assertTrue(e.getMessage().startsWith("user "), e.getMessage());
    }
}
