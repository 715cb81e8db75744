package org.posix4j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.io.Fd;
import org.posix4j.io.OpenFlags;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Report;
import org.posix4j.testing.Proc;
import org.posix4j.testing.Requires;

class UsersTest {
    private static final String NO_SUCH_NAME = "posix4j-no-such-entry";
    private static final long NO_SUCH_ID = 3_999_999_999L;

    private static PasswdEntry passwd(String line) {
        String[] f = line.split(":", -1);
        return new PasswdEntry(f[0], Integer.parseUnsignedInt(f[2]), Integer.parseUnsignedInt(f[3]), f[4], f[5], f[6]);
    }

    private static GroupEntry group(String line) {
        String[] f = line.split(":", -1);
        return new GroupEntry(f[0], Integer.parseUnsignedInt(f[2]), f[3].isEmpty() ? List.of() : Arrays.asList(f[3].split(",")));
    }

    /// Exit status of `getent`: 0 found, 2 not found.
    private static int getentStatus(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "getent";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    @Test
    void everyUserMatchesGetent() throws Exception {
        List<String> lines = Proc.lines("getent", "passwd");
        assertFalse(lines.isEmpty());
        Map<Integer, PasswdEntry> firstByUid = new HashMap<>();
        for (String line : lines) {
            PasswdEntry expected = passwd(line);
            assertEquals(Optional.of(expected), Users.user(expected.name()), line);
            firstByUid.putIfAbsent(expected.uid(), expected);
        }
        for (Map.Entry<Integer, PasswdEntry> e : firstByUid.entrySet()) {
            assertEquals(Optional.of(e.getValue()), Users.user(e.getKey()), "uid " + e.getKey());
        }
    }

    @Test
    void rootAndNobody() throws Exception {
        PasswdEntry root = Users.user("root").orElseThrow();
        assertEquals(passwd(Proc.run("getent", "passwd", "root")), root);
        assertEquals(0, root.uid());
        assertEquals(Optional.of(root), Users.user(0));
        assertEquals(Proc.run("id", "-u", "root"), Integer.toString(root.uid()));
        assertEquals(Proc.run("id", "-g", "root"), Integer.toString(root.gid()));

        PasswdEntry nobody = Users.user("nobody").orElseThrow();
        assertEquals(passwd(Proc.run("getent", "passwd", "nobody")), nobody);
        assertEquals(Proc.run("id", "-u", "nobody"), Integer.toUnsignedString(nobody.uid()));
        assertEquals(Optional.of(nobody), Users.user(nobody.uid()));
    }

    @Test
    void everyGroupMatchesGetent() throws Exception {
        List<String> lines = Proc.lines("getent", "group");
        assertFalse(lines.isEmpty());
        Map<Integer, GroupEntry> firstByGid = new HashMap<>();
        for (String line : lines) {
            GroupEntry expected = group(line);
            assertEquals(Optional.of(expected), Users.group(expected.name()), line);
            firstByGid.putIfAbsent(expected.gid(), expected);
        }
        for (Map.Entry<Integer, GroupEntry> e : firstByGid.entrySet()) {
            assertEquals(Optional.of(e.getValue()), Users.group(e.getKey()), "gid " + e.getKey());
        }
        GroupEntry root = Users.group(0).orElseThrow();
        assertEquals("root", root.name());
        assertEquals(group(Proc.run("getent", "group", "0")), root);
    }

    @Test
    void groupMembersAreListed() throws Exception {
        List<GroupEntry> withMembers = Proc.lines("getent", "group").stream().map(UsersTest::group)
                .filter(g -> !g.members().isEmpty()).toList();
        Requires.that(!withMembers.isEmpty(), "no group in the group database lists members");
        for (GroupEntry g : withMembers) {
            assertEquals(g.members(), Users.group(g.name()).orElseThrow().members(), g.name());
            assertEquals(g.members(), Users.group(g.gid()).orElseThrow().members(), g.name());
            for (String member : g.members()) {
                assertTrue(Proc.run("id", "-Gn", member).contains(g.name()), member + " is in " + g.name());
            }
        }
        assertThrows(UnsupportedOperationException.class, () -> withMembers.get(0).members().add("x"));
    }

    @Test
    void missingEntriesAreEmpty() throws Exception {
        assertEquals(2, getentStatus("passwd", NO_SUCH_NAME));
        assertEquals(2, getentStatus("passwd", Long.toString(NO_SUCH_ID)));
        assertEquals(2, getentStatus("group", NO_SUCH_NAME));
        assertEquals(2, getentStatus("group", Long.toString(NO_SUCH_ID)));
        assertEquals(Optional.empty(), Users.user(NO_SUCH_NAME));
        assertEquals(Optional.empty(), Users.user((int) NO_SUCH_ID));
        assertEquals(Optional.empty(), Users.group(NO_SUCH_NAME));
        assertEquals(Optional.empty(), Users.group((int) NO_SUCH_ID));
    }

    /// A name longer than the first lookup buffer (1 KiB) must still be answered, not fail with ERANGE.
    @Test
    void longNamesAreLookedUp() throws Exception {
        String longName = "x".repeat(5000);
        assertEquals(2, getentStatus("passwd", longName));
        assertEquals(Optional.empty(), Users.user(longName));
        assertEquals(Optional.empty(), Users.group(longName));
    }

    /// Uses every descriptor its limit allows, then looks entries up: the database cannot be
    /// opened. Everything the lookups need is loaded first (classes, NSS modules).
    public static final class WithoutDescriptors {


        public static void main(String[] args) throws Exception {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            Users.user("root");
            Users.user(0);
            Users.group("root");
            Users.group(0);
            Report.value("preload", () -> {
                throw new PosixException("preload", Errno.EMFILE, "");
            });
            Fd.open("/dev/null", OpenFlags.READ_ONLY, 0).close();
            List<Fd> hold = new ArrayList<>();
            try {
                while (true) {
                    hold.add(Fd.open("/dev/null", OpenFlags.READ_ONLY, 0));
                }
            } catch (PosixException e) {
                System.out.println("exhausted=" + e.errno().orElseThrow());
            }
            Report.value("user", () -> Users.user("root").isPresent());
            Report.value("uid", () -> Users.user(0).isPresent());
            Report.value("group", () -> Users.group("root").isPresent());
            Report.value("gid", () -> Users.group(0).isPresent());
            System.out.println("ready");
            in.readLine();
            for (Fd fd : hold) {
                fd.close();
            }
            Report.value("user.again", () -> Users.user("root").isPresent());
        }
    }

    @Test
    void lookupsWithoutAFreeDescriptorFailWithEmfile() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("prlimit", "--nofile=100:100", "--"));
        cmd.addAll(ChildJvm.command(List.of("-XX:-MaxFDLimit"), WithoutDescriptors.class));
        try (ChildJvm child = ChildJvm.start(new ProcessBuilder(cmd))) {
            assertEquals("EMFILE", child.expect("exhausted="));
            assertEquals("EMFILE", child.expect("user="));
            assertEquals("getpwnam_r(root): Too many open files [EMFILE]", child.expect("user.message="));
            assertEquals("EMFILE", child.expect("uid="));
            assertEquals("EMFILE", child.expect("group="));
            assertEquals("EMFILE", child.expect("gid="));
            child.expect("ready");
            try (Stream<Path> fds = Files.list(Path.of("/proc/" + child.pid() + "/fd"))) {
                assertEquals(100, fds.count(), "the child holds every descriptor its limit allows");
            }
            child.send("release");
            assertEquals("true", child.expect("user.again="));
            child.finish().assertSuccess();
        }
    }

    @Test
    void badNamesAreRejectedBeforeTheLookup() {
        for (Executable call : List.<Executable>of(() -> Users.user(""), () -> Users.user("ro\0ot"),
                () -> Users.group(""), () -> Users.group("ro\0ot"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
            assertTrue(e.getMessage().startsWith("name "), e.getMessage());
        }
    }
}
