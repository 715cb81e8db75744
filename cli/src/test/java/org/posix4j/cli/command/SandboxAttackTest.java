package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.posix4j.cli.command.RunCommandTest.concat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.posix4j.Feature;
import org.posix4j.Features;
import org.posix4j.cli.Main;
import org.posix4j.cli.testing.ChildProcess;
import org.posix4j.cli.testing.ChildProcess.Result;
import org.posix4j.cli.testing.Gcc;
import org.posix4j.cli.testing.Requires;
import org.posix4j.landlock.Landlock;
import org.posix4j.testing.ScaledTimeout;
import org.posix4j.testing.TimeFactor;

/// `posix4j sandbox` against hostile programs, part one: the file system. Each attacker (C
/// programs under resources sandbox/attack) tries to reach a secret file holding a random
/// token, or to change a file it may only read; the tests check the token never shows in
/// anything the attacker printed or could write, that protected files keep their bytes, mode
/// and mtime, that nothing appears outside the writable tree, and the errno the program saw
/// where the spec fixes it. Each attacker was checked to succeed when run without the sandbox.
///
/// Each attack runs in each [Mode] it applies to: the broker deciding every file call, and the
/// kernel (Landlock) enforcing the file rules. Where the kernel's answer differs (EACCES from
/// Landlock, EXDEV for a link or rename across trees, metadata that kernel mode documents as
/// visible) the test says so; the target stays untouched in both.
///
/// The other parts: [SandboxAttackProcessTest] (bypasses, sockets, the supervisor, audit) and
/// [SandboxAttackLoadTest] (races with signals and deaths, floods).
@ScaledTimeout(60)
class SandboxAttackTest {
    static final String PROBE = "sandbox/attack/probe.c";

    /// The TOCTOU attack on the path buffer: a second thread rewrites the string open(2)
    /// points at between an allowed file and a denied one of the same length, 10,000 times
    /// while the first thread opens it. Every open that succeeds gave the allowed file, and
    /// the flips were seen (some opens were denied).
    @ParameterizedTest
    @EnumSource(Mode.class)
    void rewritingThePathBufferNeverOpensTheDeniedFile(Mode mode, @TempDir Path tmp) throws Exception {
        Tree t = Tree.create(tmp);
        Path race = Gcc.compile("sandbox/attack/race.c", tmp);
        Result r = sandbox(t, mode.enforce("--allow-read", t.ok.toString()),
                race.toString(), "path", t.okFile.toString(), t.noFile.toString(), "10000");
        t.assertNothingLeaked(r);
        Matcher m = match(r, "race path: opens=(\\d+) allowed=(\\d+) errors=(\\d+) first-error=(\\w+)");
        assertEquals(m.group(1), m.group(2), () -> "every open answered with the allowed file: " + r);
        assertTrue(Long.parseLong(m.group(2)) > 0, r::toString);
        assertTrue(Long.parseLong(m.group(3)) > 0, () -> "the flipped path was seen: " + r);
        assertEquals("EACCES", m.group(4), r::toString);
        t.assertUnchanged();
    }

    /// The TOCTOU attack on a symlink: in a writable tree, a second thread swaps (by three
    /// renames) a symlink to an allowed file with one to the secret while the first opens it.
    @ParameterizedTest
    @EnumSource(Mode.class)
    void swappingASymlinkNeverOpensTheSecret(Mode mode, @TempDir Path tmp) throws Exception {
        Tree t = Tree.create(tmp);
        Path race = Gcc.compile("sandbox/attack/race.c", tmp);
        Path links = Files.createDirectory(t.rw.resolve("links"));
        Files.createSymbolicLink(links.resolve("cur"), t.okFile);
        Files.createSymbolicLink(links.resolve("spare"), t.secret);
        Result r = sandbox(t, mode.enforce("--allow-read", t.ok.toString(), "--allow-write", t.rw.toString()),
                race.toString(), "symlink", links.toString(), "10000");
        t.assertNothingLeaked(r);
        Matcher m = match(r, "race symlink: opens=(\\d+) allowed=(\\d+) errors=(\\d+) first-error=(\\w+)");
        assertEquals(m.group(1), m.group(2), () -> "every open answered with the allowed file: " + r);
        assertTrue(Long.parseLong(m.group(2)) > 0, r::toString);
        assertTrue(Long.parseLong(m.group(3)) > 0, () -> "the swapped link was seen: " + r);
        assertTrue(Set.of("EACCES", "ENOENT").contains(m.group(4)), r::toString);
        try (Stream<Path> left = Files.list(links)) {
            assertEquals(2, left.count(), "the renames were performed, none lost or doubled");
        }
        t.assertUnchanged();
    }

    /// The TOCTOU attack on the working directory: a second thread tries to move the program
    /// between the allowed directory and one holding a file of the same name with the token,
    /// while the first opens that name relatively. chdir is decided like a stat, so the move
    /// into the other directory is refused, and no open is ever answered with its file. In
    /// kernel mode chdir is not decided (Landlock does not govern it): every move succeeds and
    /// the kernel refuses each open made from the other directory.
    @ParameterizedTest
    @EnumSource(Mode.class)
    void changingTheWorkingDirectoryNeverOpensTheOtherFile(Mode mode, @TempDir Path tmp) throws Exception {
        Tree t = Tree.create(tmp);
        Path race = Gcc.compile("sandbox/attack/race.c", tmp);
        Result r = sandbox(t, mode.enforce("--allow-read", t.ok.toString()),
                race.toString(), "cwd", t.ok.toString(), t.noFile.getParent().toString(), "file", "10000");
        t.assertNothingLeaked(r);
        Matcher m = match(r, "race cwd: opens=(\\d+) allowed=(\\d+) errors=(\\d+) first-error=(\\w+)");
        assertEquals(m.group(1), m.group(2), () -> "every open answered with the allowed file: " + r);
        assertTrue(Long.parseLong(m.group(2)) > 0, r::toString);
        if (mode == Mode.KERNEL) {
            assertEquals("none", match(r, "race cwd: chdir=(\\w+)").group(1), r::toString);
            assertTrue(Long.parseLong(m.group(3)) > 0, () -> "opens from the other directory were made: " + r);
            assertEquals("EACCES", m.group(4), r::toString);
        } else {
            assertEquals("EACCES", match(r, "race cwd: chdir=(\\w+)").group(1),
                    () -> "the chdir into the other directory was refused: " + r);
        }
    }

    /// Path forms, decided after the kernel's resolution against the program's own cwd and
    /// dirfds: "", relative paths, "..", trailing "/", "//", look-alike prefixes, symlinks in
    /// the allowed tree pointing out, the 4095/4096-byte boundary of PATH_MAX, a path running
    /// into unmapped memory and one whose NUL is the last readable byte. posix4j's JVM runs in the directory holding the secret and holds
    /// the secret open as its fd 7, so a broker resolving "relative" or "/proc/self" in its own
    /// context would hand the secret out. In kernel mode, as documented, stat and readlink
    /// outside the allowances succeed and a trailing "/" on the secret file says ENOTDIR.
    @ParameterizedTest
    @EnumSource(Mode.class)
    void pathFormsAreResolvedAsTheProgramsKernelWould(Mode mode, @TempDir Path tmp) throws Exception {
        Tree t = Tree.create(tmp);
        Path probe = Gcc.compile(PROBE, tmp);
        String root = t.root.toString();
        String ok = t.ok.toString();
        String fits = ok + "/" + "/".repeat(4095 - ok.length() - 1 - "file".length()) + "file";
        String tooLong = fits.replace(ok + "/", ok + "//");
        assertEquals(4095, fits.length());
        assertEquals(4096, tooLong.length());
        String longName = ok + "/" + "n".repeat(256);
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        expected.put("open  RDONLY", Set.of("ENOENT", "EACCES"));
        expected.put("open file RDONLY", Set.of("OK"));
        expected.put("open secret RDONLY", Set.of("ENOENT"));
        expected.put("open ../secret RDONLY", Set.of("EACCES"));
        expected.put("open ../ok/file RDONLY", Set.of("OK"));
        expected.put("open ./../okx/file RDONLY", Set.of("EACCES"));
        expected.put("openat " + ok + " ../secret RDONLY", Set.of("EACCES"));
        expected.put("openat " + ok + " file RDONLY", Set.of("OK"));
        expected.put("openat " + ok + " " + t.secret + " RDONLY", Set.of("EACCES"));
        expected.put("openat " + ok + " link-in RDONLY", Set.of("OK"));
        expected.put("openat " + ok + " dir-out/secret RDONLY", Set.of("EACCES"));
        expected.put("openat " + root + " ok/file RDONLY", Set.of("EACCES"));
        expected.put("open " + ok + "/.. RDONLY", Set.of("EACCES"));
        expected.put("stat " + ok + "/..", Set.of("OK"));
        expected.put("open " + ok + "/../secret RDONLY", Set.of("EACCES"));
        expected.put("open " + t.okFile + "/ RDONLY", Set.of("ENOTDIR"));
        expected.put("open " + t.secret + "/ RDONLY", mode.pick(Set.of("EACCES"), Set.of("ENOTDIR")));
        expected.put("open /" + ok + "//file RDONLY", Set.of("OK"));
        expected.put("open /" + root + "//secret RDONLY", Set.of("EACCES"));
        expected.put("open <len:4095> RDONLY", Set.of("OK"));
        expected.put("open <len:4096> RDONLY", Set.of("ENAMETOOLONG"));
        expected.put("open <len:" + longName.length() + "> RDONLY", Set.of("ENAMETOOLONG"));
        expected.put("edge " + t.secret, Set.of("EFAULT"));
        expected.put("edge " + t.okFile, Set.of("EFAULT"));
        expected.put("null", Set.of("EFAULT"));
        expected.put("edgenul " + t.okFile, Set.of("OK"));
        expected.put("edgenul " + t.secret, Set.of("EACCES"));
        expected.put("open " + root + "/okx/file RDONLY", Set.of("EACCES"));
        expected.put("stat " + root + "/okx", mode.pick(Set.of("EACCES"), Set.of("OK")));
        expected.put("stat " + root + "/okx/file", mode.pick(Set.of("EACCES"), Set.of("OK")));
        expected.put("open " + ok + "/link-out RDONLY", Set.of("EACCES"));
        expected.put("stat " + ok + "/link-out", mode.pick(Set.of("EACCES"), Set.of("OK")));
        expected.put("lstat " + ok + "/link-out", Set.of("OK"));
        expected.put("readlink " + ok + "/link-out", Set.of("OK"));
        expected.put("open " + ok + "/dir-out/secret RDONLY", Set.of("EACCES"));
        expected.put("open " + ok + "/link-in RDONLY", Set.of("OK"));
        expected.put("open " + ok + "/abs-in RDONLY", Set.of("OK"));
        // The program's own /proc/self may be readable; its magic links are then refused by the
        // kernel (ELOOP), which is fine where the target is allowed, but the secret is a denial.
        expected.put("open /proc/self/root" + t.secret + " RDONLY", Set.of("EACCES"));
        expected.put("open /proc/self/root" + t.okFile + " RDONLY", Set.of("OK", "EACCES", "ELOOP"));
        expected.put("open /proc/self/cwd/secret RDONLY", Set.of("EACCES", "ENOENT", "ELOOP"));
        expected.put("open /proc/self/cwd/file RDONLY", Set.of("OK", "EACCES", "ELOOP"));
        expected.put("open /proc/self/fd/7 RDONLY", Set.of("EACCES", "ENOENT"));
        expected.put("open /proc/thread-self/fd/7 RDONLY", Set.of("EACCES", "ENOENT"));
        expected.put("open /proc/%ppid/fd/7 RDONLY", Set.of("EACCES"));
        expected.put("open /proc/%ppid/cwd/secret RDONLY", Set.of("EACCES"));
        expected.put("open /proc/%ppid/root" + t.secret + " RDONLY", Set.of("EACCES"));
        expected.put("open /proc/%ppid/environ RDONLY", Set.of("EACCES"));
        expected.put("open /proc/%ppid/mem RDONLY", Set.of("EACCES"));
        expected.put("open /proc/%ppid/cmdline RDONLY", Set.of("EACCES"));
        // chdir is not checked: relative paths from a denied directory are still decided.
        expected.put("chdir " + root, Set.of("OK"));
        expected.put("open ./secret RDONLY", Set.of("EACCES"));
        expected.put("open ./ok/file RDONLY", Set.of("OK"));
        expected.put("openat " + ok + " .. RDONLY", Set.of("EACCES"));
        expected.put("openat " + ok + " . RDONLY", Set.of("OK"));
        List<String> ops = new ArrayList<>();
        for (String label : expected.keySet()) {
            ops.addAll(opOf(label, Map.of("<len:4095>", fits, "<len:4096>", tooLong,
                    "<len:" + longName.length() + ">", longName)));
        }
        Result r = sandboxHoldingSecret(t, mode.enforce("--allow-read", ok, "--allow-write", t.rw.toString(),
                "--chdir", ok), probe, ops);
        t.assertNothingLeaked(r);
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, String> results = results(r);
        results.forEach((label, got) -> {
            if (got.startsWith("OK") && label.startsWith("open") && !label.startsWith("openat " + ok + " . ")) {
                assertTrue(got.contains("data=" + t.okContent), () -> label + " opened something else: " + got);
            }
        });
        assertTrue(String.valueOf(results.get("readlink " + ok + "/link-out")).endsWith("target=../secret"), r::toString);
        t.assertUnchanged();
        assertEquals(List.of(), unexpected(expected, results), r::toString);
    }

    /// Outside the allowed trees a missing path answers like an existing one, EACCES, so that
    /// the program cannot probe which files exist: beside the trees, in a denied directory,
    /// under a missing directory, and far away; through open, stat, lstat, access, readlink,
    /// and a unix socket connect. Inside an allowed tree, a missing file is ENOENT as usual.
    /// Broker mode only: kernel mode documents that stat outside the allowances succeeds and a
    /// missing path is ENOENT.
    @Test
    void existenceOutsideTheTreesIsNotLeaked(@TempDir Path tmp) throws Exception {
        Tree t = Tree.create(tmp);
        Path probe = Gcc.compile(PROBE, tmp);
        String root = t.root.toString();
        List<String> paths = List.of(t.secret.toString(), root + "/missing", root + "/okx/file", root + "/okx/missing",
                root + "/missing-dir/missing", "/posix4j-missing-" + t.root.getParent().getFileName() + "/x");
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        for (String p : paths) {
            expected.put("open " + p + " RDONLY", Set.of("EACCES"));
            expected.put("stat " + p, Set.of("EACCES"));
            expected.put("lstat " + p, Set.of("EACCES"));
            expected.put("access " + p, Set.of("EACCES"));
            expected.put("readlink " + p, Set.of("EACCES"));
            expected.put("connect-unix " + p, Set.of("EACCES"));
        }
        expected.put("open " + t.ok + "/missing RDONLY", Set.of("ENOENT"));
        expected.put("stat " + t.ok + "/missing", Set.of("ENOENT"));
        List<String> ops = new ArrayList<>();
        for (String label : expected.keySet()) {
            ops.addAll(opOf(label, Map.of()));
        }
        Result r = sandbox(t, List.of("--enforce", "broker", "--allow-read", t.ok.toString()), probe, ops);
        t.assertNothingLeaked(r);
        assertEquals(0, r.exitCode(), r::toString);
        t.assertUnchanged();
        assertEquals(List.of(), unexpected(expected, results(r)), r::toString);
    }

    /// Nothing outside the allowances is told through `..` or a symbolic link, whose walks go
    /// elsewhere than the path's spelling: `HIDDEN/../ok/file`, where HIDDEN is a directory, a
    /// missing name or a file outside the allowances, gets from the kernel OK, ENOENT or ENOTDIR
    /// (run outside, the same probe shows it), and of two links in the writable tree, one to a
    /// missing name outside and one to the secret, the first was ENOENT in the sandbox and the
    /// second EACCES: the sandbox answers the policy's denial to each (found by an audit,
    /// 2026-12-07). The same shapes within the allowances keep the kernel's answers. Kernel mode
    /// with `--hide-metadata` sends stats to the master too, and O_PATH opens, whose descriptor
    /// would stat the secret (found by the second audit); other opens in kernel mode are the
    /// kernel's (documented), so they are tried in broker mode only.
    @ParameterizedTest
    @EnumSource(Mode.class)
    void dotDotAndLinksTellNothingOfWhatIsOutside(Mode mode, @TempDir Path tmp) throws Exception {
        Tree t = Tree.create(tmp);
        Path probe = Gcc.compile(PROBE, tmp);
        String root = t.root.toString();
        String f = t.okFile.toString();
        Files.createSymbolicLink(t.rw.resolve("to-missing"), t.root.resolve("missing"));
        Files.createSymbolicLink(t.rw.resolve("to-secret"), t.secret);
        Files.createSymbolicLink(t.rw.resolve("to-missing-in"), t.rw.resolve("missing"));
        List<String> hidden = new ArrayList<>(List.of("stat " + root + "/no/../ok/file",
                "stat " + root + "/missing/../ok/file", "stat " + root + "/secret/../ok/file",
                "stat " + t.rw + "/to-missing", "stat " + t.rw + "/to-secret", "open " + t.secret + " PATH"));
        if (mode == Mode.BROKER) {
            hidden.addAll(List.of("open " + root + "/no/../ok/file RDONLY", "open " + root + "/missing/../ok/file RDONLY"));
        }
        List<String> ops = new ArrayList<>();
        hidden.forEach(label -> ops.addAll(opOf(label, Map.of())));
        Map<String, String> kernel = results(ChildProcess.run(concat(List.of(probe.toString()), ops)));
        List<String> told = hidden.stream().map(label -> kernel.get(label).split(" ")[0]).toList();
        assertTrue(told.containsAll(List.of("OK", "ENOENT", "ENOTDIR")), kernel::toString);

        Map<String, Set<String>> expected = new LinkedHashMap<>();
        hidden.forEach(label -> expected.put(label, Set.of("EACCES")));
        expected.put("stat " + t.ok + "/../ok/file", Set.of("OK"));
        expected.put("stat " + t.ok + "/nope/../file", Set.of("ENOENT"));
        expected.put("stat " + f + "/../file", Set.of("ENOTDIR"));
        expected.put("stat " + t.rw + "/to-missing-in", Set.of("ENOENT"));
        List<String> all = new ArrayList<>();
        expected.keySet().forEach(label -> all.addAll(opOf(label, Map.of())));
        List<String> options = mode.enforce("--allow-read", t.ok.toString(), "--allow-write", t.rw.toString());
        if (mode == Mode.KERNEL) {
            options.add("--hide-metadata");
        }
        Result r = sandbox(t, options, probe, all);
        t.assertNothingLeaked(r);
        assertEquals(List.of(), unexpected(expected, results(r)), r::toString);
    }

    /// Open flags: unknown bits, both access mode bits, O_TRUNC, O_CREAT and O_TMPFILE on what
    /// may only be read (refused; the file keeps its bytes and mtime); O_TMPFILE in the writable
    /// tree (works); O_NOFOLLOW on a symlink (ELOOP); a set-user-
    /// and set-group-ID create mode (no such bit on the created file); O_CLOEXEC honoured
    /// across an exec (and an fd opened without it kept, so the check can fail). Both access
    /// mode bits (O_ACCMODE, an fd for ioctl only, for which Landlock asks no right) open only
    /// where writing is allowed, in kernel mode too: through such a descriptor the program would
    /// read the extended attributes of a file it may not read (outside, the same probe does).
    @ParameterizedTest
    @EnumSource(Mode.class)
    void openFlagsCannotWidenWhatIsAllowed(Mode mode, @TempDir Path tmp) throws Exception {
        Tree t = Tree.create(tmp);
        Path probe = Gcc.compile(PROBE, tmp);
        String f = t.okFile.toString();
        String ok = t.ok.toString();
        String rw = t.rw.toString();
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        expected.put("open " + f + " RDONLY|0x40000000", Set.of("OK", "EINVAL"));
        expected.put("open " + f + " RDONLY|0x1000000", Set.of("OK", "EINVAL"));
        expected.put("open " + t.secret + " RDONLY|0x40000000", Set.of("EACCES"));
        expected.put("open " + f + " WRONLY|0x40000000", Set.of("EACCES"));
        expected.put("open " + f + " 3", Set.of("EACCES"));
        expected.put("open " + t.secret + " 3", Set.of("EACCES"));
        expected.put("fxattr " + t.secret + " user.posix4j", Set.of("EACCES"));
        expected.put("openm " + rw + "/ioctl-only 3|CREAT 0600", Set.of("OK"));
        expected.put("open " + f + " RDONLY|TRUNC", Set.of("EACCES"));
        expected.put("open " + f + " WRONLY", Set.of("EACCES"));
        expected.put("open " + f + " RDWR", Set.of("EACCES"));
        expected.put("open " + f + " WRONLY|APPEND", Set.of("EACCES"));
        expected.put("open " + f + " RDONLY|CREAT", Set.of("EACCES", "OK"));
        expected.put("openm " + ok + "/new RDONLY|CREAT 0644", Set.of("EACCES"));
        expected.put("tmpfile " + ok, Set.of("EACCES"));
        expected.put("tmpfile " + rw, Set.of("OK"));
        expected.put("open " + ok + "/link-in RDONLY|NOFOLLOW", Set.of("ELOOP"));
        expected.put("open " + ok + "/link-out RDONLY|NOFOLLOW", Set.of("ELOOP", "EACCES"));
        // In kernel mode too: the filter sends a creating open with set-ID bits to the master.
        expected.put("openm " + rw + "/suid WRONLY|CREAT|EXCL 06777", Set.of("OK", "EPERM", "EACCES"));
        expected.put("mkdir " + rw + "/made", Set.of("OK"));
        expected.put("open " + ok + "/fifo RDONLY|NONBLOCK", Set.of("OK"));
        expected.put("open " + ok + "/fifo WRONLY|NONBLOCK", Set.of("EACCES"));
        expected.put("cloexec " + f + " cloexec", Set.of("OK"));
        expected.put("cloexec " + f + " keep", Set.of("OK"));
        List<String> ops = new ArrayList<>();
        for (String label : expected.keySet()) {
            ops.addAll(opOf(label, Map.of()));
        }
        Files.getFileAttributeView(t.secret, UserDefinedFileAttributeView.class)
                .write("posix4j", StandardCharsets.UTF_8.encode(t.token));
        assertEquals("fxattr " + t.secret + " user.posix4j: OK value=" + t.token + "\n",
                ChildProcess.output(probe.toString(), "fxattr", t.secret.toString(), "user.posix4j") + "\n");
        Result r = sandbox(t, mode.enforce("--allow-read", ok, "--allow-write", rw), probe, ops);
        t.assertNothingLeaked(r);
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, String> results = results(r);
        results.forEach((label, got) -> {
            if (got.startsWith("OK") && label.startsWith("open " + f + " RDONLY")) {
                assertTrue(got.contains("data=" + t.okContent), () -> label + " read something else: " + got);
            }
            if (got.startsWith("OK") && (label.startsWith("open ") && label.endsWith(" 3") || label.contains(" 3|"))) {
                assertTrue(got.endsWith("read=EBADF"), () -> label + " read through an ioctl-only fd: " + got);
            }
        });
        assertTrue(results.get("tmpfile " + rw).startsWith("OK nlink=0 write=1"), r::toString);
        assertFalse(Files.exists(t.ok.resolve("new"), LinkOption.NOFOLLOW_LINKS));
        Path suid = t.rw.resolve("suid");
        if (results.get("openm " + rw + "/suid WRONLY|CREAT|EXCL 06777").startsWith("OK")) {
            int fileMode = (Integer) Files.getAttribute(suid, "unix:mode");
            assertEquals(0, fileMode & 06000, () -> "the created file is set-ID: " + Integer.toOctalString(fileMode));
        } else {
            assertFalse(Files.exists(suid, LinkOption.NOFOLLOW_LINKS));
        }
        assertTrue(Files.isDirectory(t.rw.resolve("made")));
        // The exec'd probe looks at the descriptor its parent opened: gone with O_CLOEXEC.
        assertTrue(results.get("cloexec " + f + " cloexec").endsWith("FD_CLOEXEC=1"), r::toString);
        assertTrue(results.get("cloexec " + f + " keep").endsWith("FD_CLOEXEC=0"), r::toString);
        List<String> checks = r.stdout().lines().filter(l -> l.startsWith("fdcheck ")).toList();
        assertEquals(2, checks.size(), r::toString);
        assertTrue(checks.get(0).endsWith(": EBADF"), r::toString);
        assertTrue(checks.get(1).contains(": OK ") && checks.get(1).endsWith("data=" + t.okContent), r::toString);
        t.assertUnchanged();
        assertEquals(List.of(), unexpected(expected, results), r::toString);
    }

    /// The writable tree: symlinks in it pointing out (to the secret, and dangling to a name
    /// beside the tree) cannot be written, truncated or created through, only moved and
    /// removed themselves; renames out of it or into it from outside are refused; a read-only
    /// descriptor is not upgraded by reopening /proc/self/fd/N; names that are not UTF-8 are
    /// created byte for byte; the program's umask applies to what it creates.
    @ParameterizedTest
    @EnumSource(Mode.class)
    void theWritableTreeCannotReachOutside(Mode mode, @TempDir Path tmp) throws Exception {
        Tree t = Tree.create(tmp);
        Requires.programs("python3");
        Path probe = Gcc.compile(PROBE, tmp);
        String rw = t.rw.toString();
        String f = t.okFile.toString();
        Files.createSymbolicLink(t.rw.resolve("to-secret"), Path.of("../secret"));
        Files.createSymbolicLink(t.rw.resolve("dangling"), Path.of("../created-outside"));
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        expected.put("open " + rw + "/to-secret WRONLY|TRUNC", Set.of("EACCES"));
        expected.put("open " + rw + "/to-secret RDONLY", Set.of("EACCES"));
        expected.put("openm " + rw + "/dangling WRONLY|CREAT 0644", Set.of("EACCES"));
        expected.put("openm " + rw + "/dangling WRONLY|CREAT|EXCL 0644", Set.of("EEXIST", "EACCES"));
        expected.put("rename " + rw + "/to-secret " + rw + "/moved", Set.of("OK"));
        expected.put("open " + rw + "/moved RDWR", Set.of("EACCES"));
        expected.put("rename " + rw + "/moved " + t.ok + "/moved", Set.of("EACCES"));
        expected.put("rename " + t.secret + " " + rw + "/stolen", Set.of("EACCES"));
        expected.put("unlink " + rw + "/moved", Set.of("OK"));
        expected.put("reopen " + f + " RDWR", Set.of("EACCES"));
        expected.put("reopen " + f + " WRONLY|TRUNC", Set.of("EACCES"));
        expected.put("openm " + rw + "/%xff%xfe WRONLY|CREAT 0644", Set.of("OK"));
        expected.put("mkdir " + rw + "/%xc3%x28", Set.of("OK"));
        expected.put("umask 077", Set.of("OK"));
        expected.put("openm " + rw + "/private WRONLY|CREAT|EXCL 0666", Set.of("OK"));
        expected.put("mkdir " + rw + "/privdir", Set.of("OK"));
        List<String> ops = new ArrayList<>();
        for (String label : expected.keySet()) {
            ops.addAll(opOf(label, Map.of()));
        }
        Result r = sandbox(t, mode.enforce("--allow-read", t.ok.toString(), "--allow-write", rw), probe, ops);
        t.assertNothingLeaked(r);
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, String> results = results(r);
        String names = ChildProcess.output("python3", "-c",
                "import os, sys; print(' '.join(sorted(n.hex() for n in os.listdir(sys.argv[1].encode()))))", rw);
        // dangling, private, privdir, c3 28, ff fe ("to-secret" was moved, then removed)
        assertEquals("64616e676c696e67 70726976617465 70726976646972 c328 fffe", names);
        assertEquals(0600, (Integer) Files.getAttribute(t.rw.resolve("private"), "unix:mode") & 07777);
        assertEquals(0700, (Integer) Files.getAttribute(t.rw.resolve("privdir"), "unix:mode") & 07777);
        t.assertUnchanged();
        assertEquals(List.of(), unexpected(expected, results), r::toString);
    }

    /// Arguments the kernel would refuse: stat and readlink buffers that are unmapped or
    /// read-only (the supervisor must not write through a read-only page), a zero-sized
    /// readlink buffer, dirfds that are not directories or not open: the program gets the
    /// kernel's errno (EACCES first for the secret) and the supervisor goes on serving.
    /// Broker mode only: in kernel mode these calls never reach the supervisor.
    @Test
    void badBuffersAndDescriptorsGetTheKernelsErrno(@TempDir Path tmp) throws Exception {
        Tree t = Tree.create(tmp);
        Path probe = Gcc.compile(PROBE, tmp);
        String f = t.okFile.toString();
        String link = t.ok.resolve("link-in").toString();
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        expected.put("statbuf " + f + " null", Set.of("EFAULT"));
        // The master writes results through the caller's /proc/TID/mem (bound to that process),
        // which the kernel lets past the caller's own PROT_READ: a read-only buffer of the
        // program may be filled where the kernel would answer EFAULT. Only its own memory.
        expected.put("statbuf " + f + " ro", Set.of("EFAULT", "OK"));
        expected.put("statbuf " + t.secret + " ro", Set.of("EACCES"));
        expected.put("readlinkbuf " + link + " null", Set.of("EFAULT"));
        expected.put("readlinkbuf " + link + " ro", Set.of("EFAULT", "OK"));
        expected.put("readlinkbuf " + link + " zero", Set.of("EINVAL"));
        expected.put("openatfd 1 file", Set.of("ENOTDIR"));
        expected.put("openatfd 99 file", Set.of("EBADF"));
        expected.put("openatfd -5 file", Set.of("EBADF"));
        expected.put("openatfd 2147483647 file", Set.of("EBADF"));
        expected.put("open " + f + " RDONLY", Set.of("OK"));
        List<String> ops = new ArrayList<>();
        for (String label : expected.keySet()) {
            ops.addAll(opOf(label, Map.of()));
        }
        Result r = sandbox(t, List.of("--enforce", "broker", "--allow-read", t.ok.toString()), probe, ops);
        t.assertNothingLeaked(r);
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, String> results = results(r);
        assertTrue(String.valueOf(results.get("open " + f + " RDONLY")).endsWith("data=" + t.okContent), r::toString);
        assertEquals(List.of(), unexpected(expected, results), r::toString);
    }

    /// A program whose descriptor table is full (RLIMIT_NOFILE lowered to the three it has)
    /// gets EMFILE for an allowed open, as without the sandbox, and the next open after raising
    /// the limit works: a descriptor the supervisor cannot install must still answer the call.
    /// Broker mode only: in kernel mode the kernel opens the file itself, no supervisor installs it.
    @Test
    void aFullDescriptorTableGivesEmfile(@TempDir Path tmp) throws Exception {
        Tree t = Tree.create(tmp);
        Path probe = Gcc.compile(PROBE, tmp);
        String f = t.okFile.toString();
        Result r = sandbox(t, List.of("--enforce", "broker", "--allow-read", t.ok.toString()), probe,
                List.of("nofile", "3", "open", f, "RDONLY", "nofile", "64", "rawopen", f, "RDONLY"));
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, String> results = results(r);
        assertEquals("EMFILE", results.get("open " + f + " RDONLY"), r::toString);
        assertEquals("OK mode=100644 data=" + t.okContent, results.get("rawopen " + f + " RDONLY"), r::toString);
    }

    /// O_PATH: of the secret and of a directory outside the trees, refused; of an allowed file,
    /// answered (a descriptor for fstat, or EACCES), and in either case the program goes on.
    /// In kernel mode O_PATH needs no Landlock right: the secret's descriptor is given, and reads
    /// nothing (EBADF), as documented for metadata outside the allowances.
    @ParameterizedTest
    @EnumSource(Mode.class)
    void oPathIsAnsweredAndRefusedOutside(Mode mode, @TempDir Path tmp) throws Exception {
        Tree t = Tree.create(tmp);
        Path probe = Gcc.compile(PROBE, tmp);
        Result r = sandbox(t, mode.enforce("--allow-read", t.ok.toString()), probe, List.of(
                "open", t.secret.toString(), "PATH", "open", t.root + "/okx", "PATH|DIRECTORY",
                "open", t.okFile.toString(), "PATH", "open", t.ok.toString(), "PATH|DIRECTORY"));
        t.assertNothingLeaked(r);
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, String> results = results(r);
        assertEquals(mode.pick("EACCES", "OK mode=100644 read=EBADF"), results.get("open " + t.secret + " PATH"),
                r::toString);
        assertEquals(mode.pick("EACCES", "OK mode=40755"), results.get("open " + t.root + "/okx PATH|DIRECTORY"),
                r::toString);
        String file = results.get("open " + t.okFile + " PATH");
        // ADDFD cannot install an O_PATH file: where reading is allowed the broker hands out the
        // file opened for reading instead, the same file with more rights; refused elsewhere.
        assertTrue("EACCES".equals(file) || "OK mode=100644 read=EBADF".equals(file)
                || "OK mode=100644 data=ok-content".equals(file), r::toString);
        String dir = results.get("open " + t.ok + " PATH|DIRECTORY");
        assertTrue("EACCES".equals(dir) || "OK mode=40755".equals(dir), r::toString);
    }

    /// A FIFO without a writer in an allowed tree: opening it blocks the caller, as it should,
    /// but not the supervisor: another thread's 200 opens are served meanwhile, and the
    /// program's exit (which ends the blocked thread) ends posix4j promptly.
    /// Broker mode only: in kernel mode the opens never reach the supervisor.
    @Test
    void aFifoWithoutWriterDoesNotStallTheSupervisor(@TempDir Path tmp) throws Exception {
        Tree t = Tree.create(tmp);
        Path probe = Gcc.compile(PROBE, tmp);
        String fifo = t.ok.resolve("fifo").toString();
        long start = System.nanoTime();
        Result r = sandbox(t, List.of("--enforce", "broker", "--allow-read", t.ok.toString()), probe,
                List.of("bgopen", fifo, "RDONLY", "sleepms", "100", "loopopen", t.okFile.toString(), "200"));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, String> results = results(r);
        assertEquals("OK started", results.get("bgopen " + fifo + " RDONLY"), r::toString);
        assertTrue(results.get("loopopen " + t.okFile + " 200").startsWith("OK ok=200 failed=0"), r::toString);
        assertEquals(1, r.stdout().lines().filter(l -> l.startsWith("bgopen")).count(),
                () -> "the FIFO open returned without a writer: " + r);
        assertTrue(seconds < TimeFactor.scale(20), () -> "posix4j took " + seconds + " s");
    }

    // ---------------------------------------------------------------- shared by the parts

    /// Who enforces the file rules in a run of an attack: `posix4j sandbox --enforce MODE`.
    enum Mode {
        /// The broker decides every file call.
        BROKER,
        /// The kernel (Landlock) enforces the file rules; the broker decides the rest.
        KERNEL;

        /// `options` after `--enforce MODE`, once checked that the kernel can run this mode
        /// (kernel mode needs Landlock ABI 3: skipped, or failed under CI, without it).
        List<String> enforce(String... options) {
            Requires.that(this == BROKER || Landlock.abi() >= 3, "kernel mode needs Landlock ABI 3");
            List<String> all = new ArrayList<>(List.of("--enforce", name().toLowerCase(Locale.ROOT)));
            all.addAll(List.of(options));
            return all;
        }

        /// `broker` in broker mode, `kernel` in kernel mode: what the attack is expected to get.
        <T> T pick(T broker, T kernel) {
            return this == BROKER ? broker : kernel;
        }
    }

    /// A tree in the directory "tree" of a test's directory (which keeps the compiled programs
    /// and the audit outside it): ok/ (to be allowed read-only) with file, symlinks and a FIFO;
    /// okx/ and no/ (look-alikes holding the token); rw/ (to be allowed read-write); and
    /// secret, holding the token.
    static final class Tree {
        final Path root;
        final Path ok;
        final Path okFile;
        final Path noFile;
        final Path rw;
        final Path secret;
        final String token;
        final String okContent = "ok-content";
        private final Map<Path, String> before;

        private Tree(Path dir) throws IOException, InterruptedException {
            this.root = Files.createDirectory(dir.resolve("tree")).toRealPath();
            this.token = "TOKEN" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
            ok = Files.createDirectory(this.root.resolve("ok"));
            okFile = Files.writeString(ok.resolve("file"), okContent);
            Files.createSymbolicLink(ok.resolve("link-out"), Path.of("../secret"));
            Files.createSymbolicLink(ok.resolve("dir-out"), Path.of(".."));
            Files.createSymbolicLink(ok.resolve("link-in"), Path.of("file"));
            Files.createSymbolicLink(ok.resolve("abs-in"), okFile);
            ChildProcess.output("mkfifo", ok.resolve("fifo").toString());
            Files.writeString(Files.createDirectory(this.root.resolve("okx")).resolve("file"), token);
            noFile = Files.writeString(Files.createDirectory(this.root.resolve("no")).resolve("file"), token);
            rw = Files.createDirectory(this.root.resolve("rw"));
            secret = Files.writeString(this.root.resolve("secret"), token);
            before = snapshot();
        }

        /// Creates the tree in `dir`, after checking the test can run: root (as CI is), gcc,
        /// mkfifo and a kernel with seccomp user notification.
        static Tree create(Path dir) throws IOException, InterruptedException {
            Requires.that(ChildProcess.output("id", "-u").equals("0"), "needs root (CI runs as root)");
            Requires.programs("gcc", "mkfifo");
            Feature notification = Features.seccompUserNotification();
            Requires.that(notification.available(), "needs seccomp user notification: " + notification.reason());
            return new Tree(dir);
        }

        /// Every entry of the tree outside rw/ with its permissions, size, mtime, mode and
        /// content (or symlink target).
        private Map<Path, String> snapshot() throws IOException {
            Map<Path, String> entries = new TreeMap<>();
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : all.filter(p -> !p.startsWith(rw)).toList()) {
                    PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    String content = a.isRegularFile() ? Files.readString(p)
                            : a.isSymbolicLink() ? Files.readSymbolicLink(p).toString() : "";
                    entries.put(p, a.permissions() + " " + a.size() + " " + a.lastModifiedTime().toMillis()
                            + " " + Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) + " " + content);
                }
            }
            return entries;
        }

        /// No file outside rw/ appeared, went or changed (bytes, mode, mtime).
        void assertUnchanged() throws IOException {
            assertEquals(before, snapshot(), "the tree outside rw/ changed");
        }

        /// The token is in nothing the program printed nor in any file under rw/.
        void assertNothingLeaked(Result r) throws IOException {
            assertFalse(r.stdout().contains(token), () -> "the secret leaked to stdout: " + r);
            assertFalse(r.stderr().contains(token), () -> "the secret leaked to stderr: " + r);
            try (Stream<Path> all = Files.walk(rw)) {
                for (Path p : all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                    assertFalse(Files.readString(p, StandardCharsets.ISO_8859_1).contains(token),
                            () -> "the secret was written to " + p);
                }
            }
        }
    }

    /// The `posix4j sandbox OPTIONS -- PROGRAM ARGS` command line in a fresh JVM.
    static List<String> posix4j(List<String> options, List<String> program) {
        List<String> args = new ArrayList<>();
        args.add("sandbox");
        args.addAll(options);
        args.add("--");
        args.addAll(program);
        return ChildProcess.java(Main.class, args.toArray(String[]::new));
    }

    /// Runs `program` under `posix4j sandbox options` with posix4j's JVM in the tree's root.
    static Result sandbox(Tree t, List<String> options, String... program) throws IOException, InterruptedException {
        return finish(new ProcessBuilder(posix4j(options, List.of(program))).directory(t.root.toFile()));
    }

    static Result sandbox(Tree t, List<String> options, Path program, List<String> ops)
            throws IOException, InterruptedException {
        List<String> line = new ArrayList<>();
        line.add(program.toString());
        line.addAll(ops);
        return sandbox(t, options, line.toArray(String[]::new));
    }

    /// As [#sandbox(Tree, List, Path, List)], with posix4j's JVM holding the secret open as its
    /// descriptor 7 (which the program must not inherit nor reach through /proc).
    static Result sandboxHoldingSecret(Tree t, List<String> options, Path program, List<String> ops)
            throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("sh", "-c", "exec 7<\"$1\"; shift; exec \"$@\"", "sh",
                t.secret.toString()));
        List<String> probe = new ArrayList<>();
        probe.add(program.toString());
        probe.addAll(ops);
        line.addAll(posix4j(options, probe));
        return finish(new ProcessBuilder(line).directory(t.root.toFile()));
    }

    /// Runs `builder`'s command with an empty stdin to its end; after 20 s it and its
    /// descendants (the sandboxed program) are killed and the test fails with what they printed.
    static Result finish(ProcessBuilder builder) throws IOException, InterruptedException {
        try (Live live = new Live(builder)) {
            return live.finish();
        }
    }

    /// The probe's arguments for the label it prints for them ("open PATH FLAGS"), with the
    /// `<len:N>` placeholders of long arguments replaced by the arguments themselves.
    static List<String> opOf(String label, Map<String, String> longArguments) {
        List<String> words = new ArrayList<>(Arrays.asList(label.split(" ", -1)));
        words.replaceAll(w -> longArguments.getOrDefault(w, w));
        return words;
    }

    /// The probe's "LABEL: RESULT" lines as a map.
    static Map<String, String> results(Result r) {
        Map<String, String> results = new LinkedHashMap<>();
        for (String line : r.stdout().lines().toList()) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                results.put(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        return results;
    }

    /// The labels of `expected` whose result is missing or not one of the expected ones, each
    /// with what it got ("inthread OP" and "infork OP" print as "thread OP" and "child OP").
    /// Asserted empty after the checks of what the kernel did, so that one unexpected errno
    /// does not hide the rest.
    static List<String> unexpected(Map<String, Set<String>> expected, Map<String, String> results) {
        List<String> wrong = new ArrayList<>();
        expected.forEach((key, allowed) -> {
            String label = key.replaceFirst("^inthread ", "thread ").replaceFirst("^infork ", "child ");
            String got = results.get(label);
            if (got == null || !allowed.contains(got.split(" ")[0])) {
                wrong.add(label + " answered " + got + ", expected one of " + allowed);
            }
        });
        return wrong;
    }

    /// The first line of stdout matching `regex` entirely.
    static Matcher match(Result r, String regex) {
        Pattern p = Pattern.compile(regex);
        for (String line : r.stdout().lines().toList()) {
            Matcher m = p.matcher(line);
            if (m.matches()) {
                return m;
            }
        }
        throw new AssertionError("no line matches " + regex + ": " + r);
    }

    /// The open descriptors of process `pid` and what they point at, from /proc, without the
    /// class path's jar files: the JVM opens a jar when it first loads a class from it, which
    /// may happen at any time and is not the supervisor's doing.
    static Map<Integer, String> fds(long pid) throws IOException {
        Map<Integer, String> fds = new TreeMap<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : entries.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (!target.endsWith(".jar")) {
                        fds.put(Integer.valueOf(fd.getFileName().toString()), target);
                    }
                } catch (NoSuchFileException closedMeanwhile) {
                    // Closed between the listing and the readlink: not open any more.
                }
            }
        }
        return fds;
    }

    /// A program under posix4j sandbox that the test talks to while it runs: lines on its
    /// stdin, its stdout read line by line.
    static final class Live implements AutoCloseable {
        final Process process;
        private final BufferedReader out;
        private final OutputStream in;
        private final StringBuilder seen = new StringBuilder();
        private final CompletableFuture<String> err;

        Live(ProcessBuilder builder) throws IOException {
            process = builder.start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = process.getOutputStream();
            err = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, task -> Thread.ofPlatform().daemon().start(task));
        }

        /// Reads stdout up to a line starting with `prefix` and answers that line.
        String await(String prefix) throws IOException {
            for (String line; (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            throw new AssertionError("stdout ended before a line starting with " + prefix + ": " + seen
                    + "; stderr: " + err.join());
        }

        void send(String line) throws IOException {
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        /// Closes stdin, reads stdout to its end and waits for the process: what it did. After
        /// 20 s the process and its descendants are killed and the test fails.
        Result finish() throws IOException, InterruptedException {
            in.close();
            CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> {
                StringBuilder text = new StringBuilder();
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        text.append(line).append('\n');
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return text.toString();
            }, task -> Thread.ofPlatform().daemon().start(task));
            // A bound for a hang, not a speed: under a loaded machine the longest of these
            // programs (40 sends of 4 MiB and 2000 opens) took more than 20 s.
            if (!process.waitFor(TimeFactor.scale(60), TimeUnit.SECONDS)) {
                close();
                process.waitFor(TimeFactor.scale(5), TimeUnit.SECONDS);
                throw new AssertionError("posix4j did not end within " + TimeFactor.scale(60) + " s; stdout: " + seen
                        + rest.completeOnTimeout("", TimeFactor.scale(5), TimeUnit.SECONDS).join()
                        + "; stderr: " + err.completeOnTimeout("", TimeFactor.scale(5), TimeUnit.SECONDS).join());
            }
            seen.append(rest.join());
            return new Result(process.exitValue(), seen.toString(), err.join());
        }

        /// Kills posix4j and the programs it runs.
        @Override
        public void close() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
