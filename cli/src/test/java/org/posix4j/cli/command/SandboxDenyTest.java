package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.posix4j.Feature;
import org.posix4j.Features;
import org.posix4j.cli.command.SandboxAttackTest.Mode;
import org.posix4j.cli.testing.ChildProcess;
import org.posix4j.cli.testing.ChildProcess.Result;
import org.posix4j.cli.testing.Requires;
import org.posix4j.testing.ScaledTimeout;

/// `--deny` and the own-/proc default against existence and name leaks (issue 11, item 7): a
/// denial of a path that does not exist yet holds for names created there later, through a
/// symlinked parent too, and /proc/PID/net does not list unix socket paths of denied trees.
/// Each case runs in each [Mode] it applies to.
@ScaledTimeout(60)
class SandboxDenyTest {
    private static void requireBroker() throws Exception {
        Requires.that(ChildProcess.output("id", "-u").equals("0"), "needs root (CI runs as root)");
        Feature notification = Features.seccompUserNotification();
        Requires.that(notification.available(), "needs seccomp user notification: " + notification.reason());
        Requires.programs("sh", "mkdir", "cat");
    }

    private static Result sandbox(Path dir, List<String> options, String script) throws Exception {
        ProcessBuilder b = new ProcessBuilder(SandboxAttackTest.posix4j(options, List.of("sh", "-c", script)))
                .directory(dir.toFile());
        return SandboxAttackTest.finish(b);
    }

    /// `--deny LINK/private`, where LINK is a symbolic link to the writable box and private does
    /// not exist yet: the program can create neither BOX/private nor anything below it, by either
    /// name. Control: without the denial the same script creates both. Broker mode only: kernel
    /// mode refuses a deny inside a writable tree (exit 2, SandboxEnforceTest).
    @Test
    void aDenialOfAMissingPathHoldsThroughASymlinkedParent(@TempDir Path tmp) throws Exception {
        requireBroker();
        Path box = Files.createDirectory(tmp.resolve("box")).toRealPath();
        Path link = Files.createSymbolicLink(tmp.resolve("link"), box);
        String script = "mkdir " + box + "/private; mkdir " + link + "/private; echo x > " + box + "/private/f; "
                + "echo y > " + link + "/private/g; ls " + box;

        Result control = sandbox(tmp, List.of("--allow-write", box.toString()), script);
        assertTrue(Files.isRegularFile(box.resolve("private/f")), control::toString);
        Files.delete(box.resolve("private/f"));
        Files.deleteIfExists(box.resolve("private/g"));
        Files.delete(box.resolve("private"));

        Result r = sandbox(tmp, List.of("--allow-write", box.toString(), "--deny", link + "/private"), script);
        assertFalse(Files.exists(box.resolve("private")), r::toString);
        assertTrue(r.stderr().contains("Permission denied"), r::toString);
    }

    /// The own-/proc default lets a program read its /proc/PID, but not net/unix (every unix socket
    /// path of the machine, denied trees included) nor net/tcp (every connection); interfaces
    /// (net/if_inet6, net/dev) stay readable. Control: outside the sandbox the socket path shows.
    /// Kernel mode has no own-/proc default: none of /proc/self/net is readable, net/dev neither.
    /// `--deny` of a file, and of a directory, in a read-only tree that holds hard links to the
    /// file and to a file below the directory: in kernel mode a denial is made of rules on the
    /// entries beside the way to it, and a rule is its inode's, so a rule on a link granted the
    /// denied name too (found by two audits, 2026-12-07). The denied names are refused in every
    /// mode; kernel mode also refuses the links (no rule on a file with more than one link there:
    /// stricter, documented), which broker mode, deciding by path, lets read; a plain file beside
    /// them is read in both.
    @ParameterizedTest
    @EnumSource(Mode.class)
    void hardLinksBesideADeniedPathDoNotGrantIt(Mode mode, @TempDir Path tmp) throws Exception {
        requireBroker();
        Path tree = Files.createDirectory(tmp.resolve("tree")).toRealPath();
        Path secret = Files.writeString(tree.resolve("secret"), "SECRET\n");
        Files.createLink(tree.resolve("other"), secret);
        Path denied = Files.createDirectory(tree.resolve("d"));
        Files.createLink(tree.resolve("hl"), Files.writeString(denied.resolve("key"), "KEY\n"));
        Files.writeString(tree.resolve("plain"), "PLAIN\n");
        String script = "for f in secret other d/key hl plain; do cat " + tree + "/$f 2>/dev/null || echo refused; done";
        Result r = sandbox(tmp, mode.enforce("--allow-read", tree.toString(), "--deny", secret.toString(), "--deny",
                denied.toString()), script);
        assertEquals(mode.pick("refused\nSECRET\nrefused\nKEY\nPLAIN\n", "refused\nrefused\nrefused\nrefused\nPLAIN\n"),
                r.stdout(), r::toString);
    }

    /// The same with a bind mount of the denied directory beside it (in a mount namespace of the
    /// test's own, made with unshare): the mount point is another name of the denied directory,
    /// so kernel mode gives it no rule and refuses both names; broker mode refuses the denied name
    /// and reads through the other. A tmpfs mounted beside them, another file system, holds
    /// nothing of the denied one and is read in both.
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aBindMountBesideADeniedDirectoryDoesNotGrantIt(Mode mode, @TempDir Path tmp) throws Exception {
        requireBroker();
        Requires.programs("unshare", "mount");
        Path tree = Files.createDirectory(tmp.resolve("tree")).toRealPath();
        Path denied = Files.createDirectory(tree.resolve("d"));
        Files.writeString(denied.resolve("key"), "KEY\n");
        Path mount = Files.createDirectory(tree.resolve("m"));
        Path tmpfs = Files.createDirectory(tree.resolve("t"));
        Files.writeString(tree.resolve("plain"), "PLAIN\n");
        String script = "for f in d/key m/key t/f plain; do cat " + tree + "/$f 2>/dev/null || echo refused; done";
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount --bind \"$1\" \"$2\" && mount -t tmpfs tmpfs \"$3\" && echo TMPFS > \"$3/f\" && shift 3"
                        + " && exec \"$@\"", "sh", denied.toString(), mount.toString(), tmpfs.toString()));
        command.addAll(SandboxAttackTest.posix4j(mode.enforce("--allow-read", tree.toString(), "--deny",
                denied.toString()), List.of("sh", "-c", script)));
        Result r = SandboxAttackTest.finish(new ProcessBuilder(command).directory(tmp.toFile()));
        assertEquals(mode.pick("refused\nKEY\nTMPFS\nPLAIN\n", "refused\nrefused\nTMPFS\nPLAIN\n"), r.stdout(),
                r::toString);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void procNetListsNoSocketPathsOfDeniedTrees(Mode mode, @TempDir Path tmp) throws Exception {
        requireBroker();
        Requires.programs("python3");
        Path secret = Files.createDirectory(tmp.resolve("secret-dir")).toRealPath();
        Path socket = secret.resolve("hidden.sock");
        ProcessBuilder server = new ProcessBuilder("python3", "-c",
                "import socket,sys,time; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(); "
                        + "print('up', flush=True); time.sleep(60)", socket.toString());
        try (ChildProcess peer = ChildProcess.start(server)) {
            peer.readUntil("up");
            String outside = ChildProcess.output("cat", "/proc/self/net/unix");
            assertTrue(outside.contains(socket.toString()), "control: the path is listed outside");

            Result r = sandbox(tmp, mode.enforce("--deny", secret.toString()),
                    "cat /proc/self/net/unix; echo unix=$?; cat /proc/self/net/tcp; echo tcp=$?; "
                            + "cat /proc/self/net/dev | grep -q lo; echo dev=$?");
            assertFalse(r.stdout().contains("hidden.sock"), r::toString);
            assertTrue(r.stdout().contains("unix=1"), r::toString);
            assertTrue(r.stdout().contains("tcp=1"), r::toString);
            assertTrue(r.stdout().contains(mode.pick("dev=0", "dev=1")), r::toString);
            assertEquals(0, r.exitCode(), r::toString);
        }
    }

    /// /dev/tty is a default only when posix4j's standard streams include a terminal: run under a
    /// pseudo-terminal (script(1)) with posix4j's stdin, stdout and stderr redirected to files,
    /// the program cannot open the controlling terminal it was not given (where it could read
    /// what the user types); with posix4j's streams on the terminal it can, as before.
    @ParameterizedTest
    @EnumSource(Mode.class)
    void devTtyIsADefaultOnlyWhenTheProgramWasGivenTheTerminal(Mode mode, @TempDir Path tmp) throws Exception {
        requireBroker();
        Requires.programs("script");
        String probe = "if echo hi > /dev/tty; then echo tty-open > " + tmp + "/result; else echo tty-refused > "
                + tmp + "/result; fi";
        String command = String.join(" ", SandboxAttackTest.posix4j(mode.enforce("--allow-write", tmp.toString()),
                List.of("sh", "-c", "'" + probe + "'")));

        Result given = ChildProcess.run(List.of("script", "-qec", command, "/dev/null"));
        assertEquals("tty-open\n", Files.readString(tmp.resolve("result")), given::toString);

        Result redirected = ChildProcess.run(List.of("script", "-qec",
                command + " < /dev/null > " + tmp + "/out 2> " + tmp + "/err", "/dev/null"));
        assertEquals("tty-refused\n", Files.readString(tmp.resolve("result")), redirected::toString);
        assertTrue(Files.readString(tmp.resolve("err")).contains("Permission denied"), redirected::toString);
    }

    /// `> /dev/null` (open with O_CREAT|O_TRUNC of a file that exists) works where writing is
    /// allowed but creating is not, and still creates nothing where the file is missing, nor
    /// writes where only reading is allowed.
    @ParameterizedTest
    @EnumSource(Mode.class)
    void creatingOpenOfAnExistingWritableFileCreatesNothingElse(Mode mode, @TempDir Path tmp) throws Exception {
        requireBroker();
        Path ro = Files.createDirectory(tmp.resolve("ro")).toRealPath();
        Files.writeString(ro.resolve("kept"), "kept");
        Result r = sandbox(tmp, mode.enforce("--allow-read", ro.toString()),
                "echo a > /dev/null; echo null=$?; echo b >> /dev/null; echo append=$?; echo c > " + ro
                        + "/kept; echo kept=$?; echo d > " + ro + "/new; echo new=$?");
        assertTrue(r.stdout().contains("null=0\nappend=0\n"), r::toString);
        assertTrue(r.stdout().contains("kept=2\nnew=2\n"), r::toString);
        assertEquals("kept", Files.readString(ro.resolve("kept")));
        assertFalse(Files.exists(ro.resolve("new")), r::toString);
    }
}
