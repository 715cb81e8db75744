package org.posix4j.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.Errno;
import org.posix4j.Features;
import org.posix4j.io.Fd;
import org.posix4j.io.OpenFlags;
import org.posix4j.io.Pipe;
import org.posix4j.spawn.ExitStatus;
import org.posix4j.spawn.Redirect;
import org.posix4j.spawn.Spawn;
import org.posix4j.testing.Proc;
import org.posix4j.testing.Requires;

/// The seed's raw master API on a real program: a static C binary (no loader, so every call it
/// makes is one of its own) whose brokered calls the test answers by hand, and whose output says
/// what arrived in its memory and descriptor table.
class MasterTest {
    @TempDir
    static Path dir;
    private static Path calls;
    private static Path net;

    @BeforeAll
    static void compile() throws Exception {
        Requires.that(Features.seccompUserNotification().available(), Features.seccompUserNotification().reason());
        calls = compile("calls");
        net = compile("net");
    }

    private static Path compile(String name) throws Exception {
        Path source = dir.resolve(name + ".c");
        try (InputStream in = MasterTest.class.getResourceAsStream("/broker/" + name + ".c")) {
            Files.write(source, in.readAllBytes());
        }
        Path binary = dir.resolve(name);
        Process gcc = new ProcessBuilder("gcc", "-static", "-O2", "-Wall", "-Werror", "-o", binary.toString(),
                source.toString()).redirectErrorStream(true).start();
        String out = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, gcc.waitFor(), out);
        return binary;
    }

    private static final Instant MTIME = Instant.ofEpochSecond(1_000_000, 123_456_789);
    private static final StatResult STAT = new StatResult(StatWriter.makedev(8, 1), 4242, 0100644, 3, 0, 0, 0, 77,
            MTIME, MTIME, MTIME, 4096, 8);

    @Test
    void everyCallArrivesWithTheSeedsArgumentsAndTheAnswersReachTheProgram() throws Exception {
        int before = Proc.openFds();
        List<Call> seen = new ArrayList<>();
        String output;
        ExitStatus status;
        int pid;
        try (Pipe injected = Pipe.open();
                Sandbox sandbox = Sandbox.start(Spawn.program(calls.toString()).stdout(Redirect.PIPE))) {
            Master master = sandbox.master();
            pid = sandbox.child().pid();
            for (Call call; (call = master.receive()) != null; ) {
                seen.add(call);
                answer(master, call, injected.writeEnd());
            }
            injected.writeEnd().close();
            output = read(sandbox.child().stdoutPipe().orElseThrow());
            status = sandbox.child().waitFor();
            assertEquals("via-injected-fd", read(injected.readEnd()), "the program wrote through the injected fd: "
                    + output);
        }
        assertEquals(0, status.shellCode(), output);
        assertTrue(output.contains("mkdir 0 0\n"), output);
        assertTrue(output.contains("rename 0 0\n"), output);
        assertTrue(output.contains("access 0 0\n"), output);
        assertTrue(output.contains("eaccess -1 13\n"), output);
        assertTrue(output.contains("stat 0 ino=4242 size=77 mode=100644 nlink=3 mtime=1000000.123456789 blocks=8\n"),
                output);
        assertTrue(output.contains("statx 0 ino=4242 size=77 mode=100644 mtime=1000000.123456789\n"), output);
        assertTrue(output.contains("readlink 10 target-of-\n"), "truncated to the program's 10 bytes: " + output);
        assertTrue(output.contains("open 1 cloexec=1\n"), output);
        assertTrue(output.contains("unlink -1 2\n"), output);
        assertTrue(output.contains("rmdir 0 0\n"), output);
        assertTrue(output.contains("relative -1 13\n"), output);
        assertTrue(output.contains("openat2 -1 13\n"), output);
        assertTrue(output.contains("chmod 0 0\n"), output);
        assertTrue(output.contains("utimensat 0 0\n"), output);
        assertTrue(output.contains("futimens-pipe -1 1\n"), "a descriptor without a path: EPERM: " + output);
        assertTrue(output.contains("utimensat-badfd -1 9\n"), output);
        assertTrue(output.contains("utimensat-fault -1 14\n"), output);
        assertTrue(output.contains("utimensat-nsec -1 22\n"), output);
        assertTrue(output.contains("utimensat-omit 0 0\n"), "two UTIME_OMIT succeed unasked, as in the kernel: " + output);
        for (String answered : List.of("symlink", "link", "truncate", "mknod")) {
            assertTrue(output.contains(answered + " 0 0\n"), answered + ": " + output);
        }
        assertTrue(output.contains("link-empty -1 1\n"), "AT_EMPTY_PATH: EPERM: " + output);
        assertTrue(output.contains("truncate-negative -1 22\n"), output);
        assertTrue(output.contains("mknod-setuid -1 1\n"), output);
        assertTrue(output.contains("mknod-dir -1 1\n"), output);

        assertEquals(new Arguments.Mkdir("/m/dir", 0750), find(seen, Function.MKDIR).arguments());
        assertEquals(new Arguments.Rename("/m/a", "/m/b", false, false), find(seen, Function.RENAME).arguments());
        assertEquals(new Arguments.Access("/m/acc", EnumSet.of(AccessMode.READ, AccessMode.WRITE)),
                find(seen, Function.ACCESS).arguments());
        assertEquals(new Arguments.Access("/m/eacc", EnumSet.of(AccessMode.EXECUTE)),
                find(seen, Function.EACCESS).arguments());
        assertEquals(new Arguments.Path("/m/st"), find(seen, Function.STAT).arguments());
        assertEquals(new Arguments.Path("/m/sx"), find(seen, Function.LSTAT).arguments(),
                "statx with AT_SYMLINK_NOFOLLOW is the seed's lstat");
        assertEquals(new Arguments.Path("/m/link"), find(seen, Function.READLINK).arguments());
        Call open = seen.stream().filter(c -> c.function() == Function.OPEN
                && ((Arguments.Open) c.arguments()).path().equals("/m/new")).findFirst().orElseThrow();
        assertEquals(new Arguments.Open("/m/new", Set.of(OpenFlag.WRITE_ONLY, OpenFlag.CREATE, OpenFlag.EXCLUSIVE),
                OptionalInt.of(0640)), open.arguments());
        assertEquals("openat", open.syscall(), "glibc's open is openat(AT_FDCWD)");
        Call relative = seen.stream().filter(c -> c.arguments() instanceof Arguments.Open(String p, var f, var m)
                && p.equals("rel/x")).findFirst().orElseThrow();
        assertEquals("/tmp/rel/x", relative.absolutePath(), "joined to the program's real cwd");
        Call openat2 = find(seen, Function.OPENAT);
        assertEquals(new Arguments.Open("q", Set.of(OpenFlag.READ_ONLY, OpenFlag.RESOLVE_BENEATH), OptionalInt.empty()),
                openat2.arguments());
        assertEquals(new Arguments.Chmod("/m/ch", 04755), find(seen, Function.CHMOD).arguments());
        Call utimes = find(seen, Function.UTIMES);
        assertEquals(new Arguments.Utimes("/m/ut", new Arguments.Utimes.Time(978307200, 5), Arguments.Utimes.Time.OMIT),
                utimes.arguments());
        assertEquals("utimensat", utimes.syscall());
        assertEquals(1, seen.stream().filter(c -> c.function() == Function.UTIMES).count(),
                "only the valid utimensat reached the loop");
        assertEquals(new Arguments.Symlink("t", "/m/sym"), find(seen, Function.SYMLINK).arguments());
        assertEquals(new Arguments.Link("/m/old", "/m/hard", true), find(seen, Function.LINK).arguments());
        assertEquals("/m/hard", find(seen, Function.LINK).absolutePath2());
        assertEquals(new Arguments.Truncate("/m/tr", 7), find(seen, Function.TRUNCATE).arguments());
        assertEquals(new Arguments.Mknod("/m/fifo", 0010640, 0), find(seen, Function.MKNOD).arguments());
        for (Function once : List.of(Function.LINK, Function.TRUNCATE, Function.MKNOD)) {
            assertEquals(1, seen.stream().filter(c -> c.function() == once).count(),
                    once + ": only the valid call reached the loop");
        }
        for (Call c : seen) {
            assertEquals(pid, c.pid());
            assertTrue(c.isAnswered());
        }
        assertEquals(before, Proc.openFds(), "the master's descriptors are all closed");
    }

    private static void answer(Master master, Call call, Fd injected) {
        switch (call.function()) {
            case MKDIR, RENAME, ACCESS, RMDIR, CHMOD, UTIMES, SYMLINK, LINK, TRUNCATE, MKNOD -> master.send(0);
            case UNLINK -> master.send(-1, Errno.ENOENT);
            case STAT, LSTAT -> master.send(STAT);
            case CHDIR -> {
                assertEquals("/tmp", call.absolutePath(), "chdir arrives decoded");
                master.performAsAsked();
            }
            case READLINK -> {
                if (call.absolutePath().equals("/m/link")) {
                    master.sendLink("target-of-link");
                } else {
                    master.send(-1, Errno.ENOENT);
                }
            }
            case OPEN -> {
                if (call.absolutePath().equals("/m/new")) {
                    master.sendWithFds(0, List.of(injected), 0);
                } else {
                    master.send(-1, Errno.EACCES);
                }
            }
            default -> master.send(-1, Errno.EACCES);
        }
    }

    /// A descriptor the kernel would refuse to install (O_PATH), one whose number is not open
    /// and a closed [Fd] are refused before the call is marked answered: the loop can still
    /// answer it, and the program gets the descriptor given then.
    @Test
    void refusedDescriptorsThrowBeforeTheCallIsAnswered() throws Exception {
        try (Pipe injected = Pipe.open();
                Fd path = Fd.open("/tmp", OpenFlags.PATH | OpenFlags.DIRECTORY, 0);
                Sandbox sandbox = Sandbox.start(Spawn.program(calls.toString()).stdout(Redirect.PIPE))) {
            Master master = sandbox.master();
            Fd closed = Fd.open("/dev/null", OpenFlags.READ_ONLY, 0);
            closed.close();
            Fd notOpen = Fd.adopt(4000);
            boolean tried = false;
            for (Call call; (call = master.receive()) != null; ) {
                if (call.function() == Function.OPEN && call.absolutePath().equals("/m/new")) {
                    IllegalArgumentException opath = assertThrows(IllegalArgumentException.class,
                            () -> master.sendWithFds(0, List.of(path), 0));
                    assertTrue(opath.getMessage().contains("O_PATH"), opath.getMessage());
                    IllegalArgumentException unused = assertThrows(IllegalArgumentException.class,
                            () -> master.sendWithFds(0, List.of(notOpen), 0));
                    assertTrue(unused.getMessage().contains("4000 is not open"), unused.getMessage());
                    assertThrows(IllegalStateException.class, () -> master.sendWithFds(0, List.of(closed), 0));
                    assertFalse(call.isAnswered(), "still this thread's to answer");
                    tried = true;
                }
                answer(master, call, injected.writeEnd());
            }
            injected.writeEnd().close();
            String output = read(sandbox.child().stdoutPipe().orElseThrow());
            assertEquals(0, sandbox.child().waitFor().shellCode(), output);
            assertTrue(tried, output);
            assertEquals("via-injected-fd", read(injected.readEnd()), "the descriptor given afterwards arrived: "
                    + output);
        }
    }

    /// Closing the master, then the sandbox, then both again, in any order, is quiet.
    @Test
    void closingInAnyOrderTwiceIsQuiet() throws Exception {
        Sandbox sandbox = Sandbox.start(Spawn.program(calls.toString()).stdout(Redirect.NULL));
        sandbox.master().close();
        sandbox.close();
        sandbox.master().close();
        sandbox.close();
        assertNull(sandbox.master().receive(), "a closed master receives nothing");
        sandbox.child().waitFor();
    }

    private static Call find(List<Call> calls, Function f) {
        return calls.stream().filter(c -> c.function() == f && !c.absolutePath().startsWith("/proc/")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + f + " in " + calls));
    }

    private static String read(Fd fd) throws IOException {
        return new String(fd.inputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aCallIsAnsweredOnceAndBeforeTheNextReceive() throws Exception {
        try (Sandbox sandbox = Sandbox.start(Spawn.program(calls.toString()).stdout(Redirect.NULL))) {
            Master master = sandbox.master();
            Call first = master.receive();
            while (first.function() != Function.MKDIR) {
                master.send(-1, Errno.ENOENT);
                first = master.receive();
            }
            IllegalStateException unanswered = assertThrows(IllegalStateException.class, master::receive);
            assertTrue(unanswered.getMessage().contains("not answered"), unanswered.getMessage());
            assertThrows(IllegalArgumentException.class, () -> master.send(0, -1), "a negative errno");
            master.send(-1, Errno.EEXIST);
            assertThrows(IllegalStateException.class, () -> master.send(0), "answered twice");
            Call second = master.receive();
            assertEquals(Function.RENAME, second.function());
            assertThrows(IllegalStateException.class, () -> master.send(STAT), "a rename is no stat");
            assertThrows(IllegalArgumentException.class, () -> master.sendWithFds(0, List.of(Fd.stdin()), 0),
                    "a rename takes no descriptors");
            master.send(0);
            for (Call c; (c = master.receive()) != null; ) {
                master.send(-1, Errno.EACCES);
            }
            assertEquals(0, sandbox.child().waitFor().shellCode());
            assertNull(master.receive(), "nothing left to receive");
        }
    }

    @Test
    void aSocketCallIsPerformedOnTheProgramsOwnSocketOrRefused() throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
                java.net.DatagramSocket udp = new java.net.DatagramSocket(server.getLocalPort(),
                        java.net.InetAddress.getLoopbackAddress());
                Sandbox sandbox = Sandbox.start(Spawn.program(net.toString())
                        .args(Integer.toString(server.getLocalPort())).stdout(Redirect.PIPE))) {
            Master master = sandbox.master();
            List<Call> connects = new ArrayList<>();
            for (Call call; (call = master.receive()) != null; ) {
                if (call.function() == Function.CONNECT_INET) {
                    connects.add(call);
                    if (connects.size() == 1 || call.syscall().equals("sendto")) {
                        master.performAsAsked();
                    } else {
                        master.send(-1, Errno.EACCES);
                    }
                } else {
                    master.send(-1, Errno.ENOENT);
                }
            }
            String output = read(sandbox.child().stdoutPipe().orElseThrow());
            assertEquals(0, sandbox.child().waitFor().shellCode(), output);
            assertEquals("connect 0 0\nconnect -1 13\nsendto 5 0\n", output);
            try (java.net.Socket accepted = server.accept()) {
                assertEquals("hello", new String(accepted.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                        "the program's own socket was connected: its write arrived");
            }
            java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[16], 16);
            udp.receive(p);
            assertEquals("dgram", new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
            assertEquals(new Arguments.Inet(java.net.InetAddress.getLoopbackAddress(), server.getLocalPort()),
                    connects.getFirst().arguments());
            assertEquals(3, connects.size(), "two connects and a sendto with a destination: " + connects);
        }
    }

    @Test
    void aProgramThatCannotBeFoundIsTheSpawnsError() {
        var e = assertThrows(org.posix4j.PosixException.class,
                () -> Sandbox.start(Spawn.program(dir.resolve("missing").toString())));
        assertEquals(Errno.ENOENT, e.errno().orElseThrow());
    }
}
