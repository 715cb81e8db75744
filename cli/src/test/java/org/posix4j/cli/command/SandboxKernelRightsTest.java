package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.posix4j.cli.command.RunCommandTest.concat;
import static org.posix4j.cli.command.SandboxAttackTest.finish;
import static org.posix4j.cli.command.SandboxAttackTest.posix4j;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.Feature;
import org.posix4j.Features;
import org.posix4j.cli.command.SandboxAttackTest.Live;
import org.posix4j.cli.testing.ChildProcess;
import org.posix4j.cli.testing.ChildProcess.Result;
import org.posix4j.cli.testing.Gcc;
import org.posix4j.cli.testing.Requires;
import org.posix4j.landlock.Landlock;
import org.posix4j.landlock.Scope;
import org.posix4j.testing.ScaledTimeout;
import org.posix4j.testing.TimeFactor;

/// Each Landlock right, `--deny` inside a read-only tree, the scopes and the metadata writes
/// Landlock does not govern, exercised by real programs under `posix4j sandbox --enforce kernel`
/// and compared with `--enforce broker` (issue 12, tests). What the programs did is read back
/// from this JVM: file contents, types, links and metadata, the victim process, the peer's
/// accepted connections.
@ScaledTimeout(180)
class SandboxKernelRightsTest {
    private static final String RIGHTS = "sandbox/rights/rights.c";
    /// Landlock's TRUNCATE right: the ABI kernel mode needs.
    private static final int KERNEL_ABI = 3;

    private static void requireSandbox() throws Exception {
        Requires.that(ChildProcess.output("id", "-u").equals("0"), "needs root (CI runs as root)");
        Feature notification = Features.seccompUserNotification();
        Requires.that(notification.available(), "needs seccomp user notification: " + notification.reason());
        Requires.that(Landlock.abi() >= KERNEL_ABI, "kernel mode needs Landlock ABI " + KERNEL_ABI
                + " (this kernel has " + Landlock.abi() + ")");
        Requires.programs("sh", "cat", "cp", "mkdir", "rm", "mv", "truncate", "mkfifo", "ln", "touch", "chmod",
                "chown");
    }

    private static Result sandbox(String mode, List<String> options, List<String> program) throws Exception {
        return finish(new ProcessBuilder(posix4j(concat(List.of("--enforce", mode), options), program)));
    }

    /// The "NAME=STATUS" lines a script printed, in order.
    private static Map<String, String> statuses(Result r) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : r.stdout().lines().toList()) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[a-z-]+")) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    /// Runs `program` with `args` unsandboxed and answers what it did.
    private static Result unsandboxed(List<String> program) throws Exception {
        return finish(new ProcessBuilder(program));
    }

    /// A fresh set of trees for one mode: ro (read-only), rw and rw2 (--allow-write), other
    /// (not allowed), bin (read-only, for the helper program).
    private record Trees(Path ro, Path rw, Path rw2, Path other, Path bin) {
        static Trees create(Path root) throws IOException {
            Path r = Files.createDirectories(root).toRealPath();
            return new Trees(Files.createDirectory(r.resolve("ro")), Files.createDirectory(r.resolve("rw")),
                    Files.createDirectory(r.resolve("rw2")), Files.createDirectory(r.resolve("other")),
                    Files.createDirectory(r.resolve("bin")));
        }

        List<String> options() {
            return List.of("--allow-read", ro.toString(), "--allow-read", bin.toString(), "--allow-write",
                    rw.toString(), "--allow-write", rw2.toString());
        }
    }

    /// Every filesystem right by a real program, in kernel and broker mode side by side: the
    /// same outcome for reading, copying, making and removing directories and files, renaming
    /// across two writable trees (REFER) but not into the read-only one, truncating (by
    /// `truncate -s 0`, by truncate(2) and by an O_RDONLY|O_TRUNC open) only a writable file,
    /// executing only from a readable tree; FIFOs, hard and symbolic links made in a writable
    /// tree (the kernel and the broker both make them, and check links where they lead when used).
    @Test
    void eachRightByARealProgramInKernelAndBrokerMode(@TempDir Path tmp) throws Exception {
        requireSandbox();
        Path rights = Gcc.compile(RIGHTS, tmp);
        Path touch = Path.of(ChildProcess.output("sh", "-c", "command -v touch"));
        String script = """
                cat "$RO/f"; echo cat=$?
                cp "$RO/f" "$RW/copy"; echo cp=$?
                mkdir "$RW/d"; echo mkdir=$?
                rm "$RW/gone"; echo rm=$?
                rmdir "$RW/gonedir"; echo rmdir=$?
                mv "$RW/m" "$RW2/m"; echo mv-refer=$?
                mv "$RW/m2" "$RO/m2"; echo mv-read-only=$?
                truncate -s 0 "$RO/f"; echo truncate-read-only=$?
                truncate -s 0 "$RW/f"; echo truncate-writable=$?
                "$RIGHTS" truncate "$RO/f" otrunc "$RO/f" truncate "$RW/t" otrunc "$RW/o"
                "$RO/touch" "$RW/ran-readable"; echo exec-readable=$?
                "$OTHER/touch" "$RW/ran-other"; echo exec-other=$?
                mkfifo "$RW/fifo"; echo mkfifo=$?
                ln "$RW/copy" "$RW/hard"; echo ln=$?
                ln -s "$RO/f" "$RW/sym"; echo ln-s=$?
                """;
        Map<String, Map<String, String>> seen = new TreeMap<>();
        for (String mode : List.of("none", "kernel", "broker")) {
            Trees t = Trees.create(tmp.resolve(mode));
            Files.writeString(t.ro.resolve("f"), "read-only\n");
            Files.writeString(t.rw.resolve("f"), "writable\n");
            Files.writeString(t.rw.resolve("t"), "truncate me\n");
            Files.writeString(t.rw.resolve("o"), "open me with O_TRUNC\n");
            Files.writeString(t.rw.resolve("gone"), "remove me\n");
            Files.createDirectory(t.rw.resolve("gonedir"));
            Files.writeString(t.rw.resolve("m"), "moved\n");
            Files.writeString(t.rw.resolve("m2"), "stays\n");
            Files.copy(rights, t.bin.resolve("rights"));
            Files.copy(touch, t.ro.resolve("touch"));
            Files.copy(touch, t.other.resolve("touch"));
            List<String> program = List.of("sh", "-c", script.replace("$RO", t.ro.toString())
                    .replace("$RW2", t.rw2.toString()).replace("$RW", t.rw.toString())
                    .replace("$OTHER", t.other.toString()).replace("$RIGHTS", t.bin.resolve("rights").toString()));
            if (mode.equals("none")) {
                Result control = unsandboxed(program);
                assertTrue(statuses(control).values().stream().allMatch("0"::equals), control::toString);
                assertEquals(4, SandboxAttackTest.results(control).values().stream().filter("ok"::equals).count(),
                        control::toString);
                assertEquals(0, Files.size(t.ro.resolve("f")), "the control truncated the read-only file");
                assertTrue(Files.exists(t.ro.resolve("m2")), "the control moved into the read-only tree");
                assertTrue(Files.exists(t.rw.resolve("ran-other")), "the control ran the other tree's touch");
                continue;
            }
            Result r = sandbox(mode, t.options(), program);
            assertEquals(0, r.exitCode(), r::toString);
            Map<String, String> got = statuses(r);
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("cat", "0");
            expected.put("cp", "0");
            expected.put("mkdir", "0");
            expected.put("rm", "0");
            expected.put("rmdir", "0");
            expected.put("mv-refer", "0");
            expected.put("mv-read-only", "1");
            expected.put("truncate-read-only", "1");
            expected.put("truncate-writable", "0");
            expected.put("exec-readable", "0");
            expected.put("exec-other", "126");
            expected.put("mkfifo", "0");
            expected.put("ln", "0");
            expected.put("ln-s", "0");
            assertEquals(expected, got, () -> mode + ": " + r);
            assertTrue(r.stdout().startsWith("read-only\n"), r::toString);
            Map<String, String> calls = SandboxAttackTest.results(r);
            assertEquals("EACCES", calls.get("truncate " + t.ro.resolve("f")), () -> mode + ": " + r);
            assertEquals("EACCES", calls.get("otrunc " + t.ro.resolve("f")), () -> mode + ": " + r);
            assertEquals("ok", calls.get("truncate " + t.rw.resolve("t")), () -> mode + ": " + r);
            assertEquals("ok", calls.get("otrunc " + t.rw.resolve("o")), () -> mode + ": " + r);
            seen.put(mode, got);

            assertEquals("read-only\n", Files.readString(t.ro.resolve("f")), mode + ": the read-only file is whole");
            assertEquals(0, Files.size(t.rw.resolve("f")), mode);
            assertEquals(0, Files.size(t.rw.resolve("t")), mode);
            assertEquals(0, Files.size(t.rw.resolve("o")), mode);
            assertEquals("read-only\n", Files.readString(t.rw.resolve("copy")), mode);
            assertTrue(Files.isDirectory(t.rw.resolve("d")), mode);
            assertFalse(Files.exists(t.rw.resolve("gone")), mode);
            assertFalse(Files.exists(t.rw.resolve("gonedir")), mode);
            assertEquals("moved\n", Files.readString(t.rw2.resolve("m")), mode);
            assertFalse(Files.exists(t.rw.resolve("m")), mode);
            assertEquals("stays\n", Files.readString(t.rw.resolve("m2")), mode);
            assertFalse(Files.exists(t.ro.resolve("m2"), LinkOption.NOFOLLOW_LINKS), mode);
            assertTrue(Files.isRegularFile(t.rw.resolve("ran-readable")), mode + ": the readable touch ran");
            assertFalse(Files.exists(t.rw.resolve("ran-other")), mode + ": the other touch never ran");
            int type = (int) Files.getAttribute(t.rw.resolve("fifo"), "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
            assertEquals(0010000, type, mode + ": a FIFO");
            assertTrue(Files.isSameFile(t.rw.resolve("copy"), t.rw.resolve("hard")), mode + ": a hard link");
            assertEquals(2, (int) Files.getAttribute(t.rw.resolve("copy"), "unix:nlink"), mode);
            assertEquals(t.ro.resolve("f"), Files.readSymbolicLink(t.rw.resolve("sym")), mode);
        }
        assertEquals(seen.get("broker"), seen.get("kernel"), "the same outcome in both modes");
    }

    /// Device nodes never, not even in a writable tree (MAKE_CHAR and MAKE_BLOCK are granted
    /// nowhere): mknod of a character device (1:1, /dev/mem) and of a block device (7:0, a loop
    /// device), and the 0:0 character device a RENAME_WHITEOUT rename leaves behind, are refused
    /// in kernel and broker mode, and nothing is made. Control: outside the sandbox root makes all three.
    @Test
    void deviceNodesAreNeverMade(@TempDir Path tmp) throws Exception {
        requireSandbox();
        Path rights = Gcc.compile(RIGHTS, tmp);
        for (String mode : List.of("none", "kernel", "broker")) {
            Trees t = Trees.create(tmp.resolve(mode));
            Files.copy(rights, t.bin.resolve("rights"));
            Files.writeString(t.rw.resolve("renamed"), "renamed\n");
            List<String> program = List.of(t.bin.resolve("rights").toString(), "mknod", t.rw.resolve("mem").toString(),
                    "c", "1", "1", "mknod", t.rw.resolve("loop").toString(), "b", "7", "0", "whiteout",
                    t.rw.resolve("renamed").toString(), t.rw.resolve("to").toString());
            boolean control = mode.equals("none");
            Result r = control ? unsandboxed(program) : sandbox(mode, t.options(), program);
            Map<String, String> calls = SandboxAttackTest.results(r);
            assertEquals(3, calls.size(), r::toString);
            calls.forEach((op, result) -> assertEquals(control, result.equals("ok"),
                    () -> mode + ": " + op + ": " + r));
            for (String node : List.of("mem", "loop", "renamed")) {
                Path p = t.rw.resolve(node);
                int type = Files.exists(p, LinkOption.NOFOLLOW_LINKS)
                        ? (int) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000 : 0;
                assertEquals(control, type == 0020000 || type == 0060000, () -> mode + ": a device at " + node);
            }
            assertEquals(!control, Files.isRegularFile(t.rw.resolve("renamed"), LinkOption.NOFOLLOW_LINKS)
                    && Files.readString(t.rw.resolve("renamed")).equals("renamed\n"), mode);
            assertEquals(control, Files.exists(t.rw.resolve("to")), mode);
        }
    }

    /// A link made in a writable tree gives nothing the policy refuses, in kernel and broker
    /// mode: a symbolic link to a file outside the allowances and a hard link of it cannot be
    /// made to read or write it (the kernel and the broker check a symbolic link where it leads;
    /// a hard link needs the REFER right on the source's tree in kernel mode, and the source
    /// where creating is allowed under the broker).
    @Test
    void linksInAWritableTreeReachNothingOutside(@TempDir Path tmp) throws Exception {
        requireSandbox();
        Trees t = Trees.create(tmp.resolve("t"));
        Path secret = Files.writeString(t.other.resolve("secret"), "secret\n");
        String script = "ln -s " + secret + " " + t.rw + "/sym; echo ln-s=$?; cat " + t.rw + "/sym; echo cat-sym=$?;"
                + " echo overwritten > " + t.rw + "/sym; echo write-sym=$?;"
                + " ln " + secret + " " + t.rw + "/hard; echo ln=$?";
        Result control = unsandboxed(List.of("sh", "-c", script.replace(t.rw.toString(), t.rw2.toString())));
        assertEquals(Map.of("ln-s", "0", "cat-sym", "0", "write-sym", "0", "ln", "0"), statuses(control),
                control::toString);
        Files.writeString(secret, "secret\n");

        for (String mode : List.of("kernel", "broker")) {
            Files.deleteIfExists(t.rw.resolve("sym"));
            Result r = sandbox(mode, t.options(), List.of("sh", "-c", script));
            assertEquals(Map.of("ln-s", "0", "cat-sym", "1", "write-sym", "2", "ln", "1"), statuses(r),
                    () -> mode + ": " + r);
            assertFalse(r.stdout().contains("secret"), r::toString);
            assertEquals("secret\n", Files.readString(secret), mode);
            assertEquals(secret, Files.readSymbolicLink(t.rw.resolve("sym")), mode);
            assertFalse(Files.exists(t.rw.resolve("hard")), mode);
        }
    }

    /// The links, nodes and truncations the broker makes (broker mode, and auto mode when a
    /// `--deny` inside a writable tree gives the file rules to the broker) give nothing more than
    /// the policy and the kernel give, tried by an attacker in the sandbox: a symbolic link into
    /// the denied directory, a hard link of the denied file (plain, through a symbolic link with
    /// `ln -L`, and with the denied directory's name), a truncate of the denied file and through
    /// a symbolic link to the read-only tree, a FIFO in the denied directory, a set-ID FIFO and a
    /// device node; as root, and in broker mode as uid 65534 on files the kernel would let 65534
    /// write. The same attempts outside the sandbox all work (the control). The broker acts
    /// with the program's credentials: as uid 65534, a hard link of root's 0600 file in the
    /// writable tree gets what the kernel answers 65534 outside the sandbox (EPERM where
    /// fs.protected_hardlinks is on, as Debian has it). Each allowed counterpart works, and
    /// `--audit` records each call by its function and arguments.
    @Test
    void theBrokersLinksAndNodesGiveNothingMore(@TempDir Path tmp) throws Exception {
        requireSandbox();
        Requires.programs("python3", "setpriv");
        String script = """
                cd "$RW"
                ln -s ok ok-sym; echo ln-s=$?
                ln -s ok denied/sym; echo ln-s-into-denied=$?
                ln -s denied/secret to-secret; echo ln-s-to-denied=$?
                cat to-secret; echo cat-through-sym=$?
                ln ok ok-hard; echo ln=$?
                ln denied/secret hard; echo ln-denied=$?
                ln -L to-secret hard-l; echo ln-follow-denied=$?
                ln -L ok-sym hard-ok; echo ln-follow=$?
                ln -s "$RO/f" to-ro; python3 -c 'import os; os.truncate("to-ro", 0)'; echo truncate-through-sym=$?
                python3 -c 'import os; os.truncate("denied/secret", 0)'; echo truncate-denied=$?
                python3 -c 'import os; os.truncate("ok", 1)'; echo truncate=$?
                mkfifo denied/fifo; echo mkfifo-denied=$?
                mkfifo fifo; echo mkfifo=$?
                python3 -c 'import os; os.mknod("setid", 0o10000 | 0o4644)'; echo mknod-setid=$?
                python3 -c 'import os; os.mknod("mem", 0o20000 | 0o600, os.makedev(1, 1))'; echo mknod-device=$?
                """;
        Map<String, String> refused = new LinkedHashMap<>();
        for (String attempt : List.of("ln-s-into-denied", "cat-through-sym", "ln-denied", "ln-follow-denied",
                "truncate-through-sym", "truncate-denied", "mkfifo-denied", "mknod-setid", "mknod-device")) {
            refused.put(attempt, "1");
        }
        // "nobody": broker mode with the attacker as uid 65534, on files the kernel would let 65534
        // write, so that every refusal is the policy's.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String mode : List.of("none", "broker", "auto", "nobody")) {
            Path root = Files.createDirectories(tmp.resolve(mode)).toRealPath();
            Path ro = Files.createDirectory(root.resolve("ro"));
            Path rw = Files.createDirectory(root.resolve("rw"));
            Path denied = Files.createDirectory(rw.resolve("denied"));
            Files.writeString(ro.resolve("f"), "read-only\n");
            Files.writeString(rw.resolve("ok"), "ok\n");
            Files.writeString(denied.resolve("secret"), "secret\n");
            for (Path p : List.of(ro.resolve("f"), rw.resolve("ok"), denied.resolve("secret"))) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-rw-rw-"));
            }
            for (Path d : List.of(rw, denied)) {
                Files.setAttribute(d, "unix:mode", 01777);
            }
            Path audit = root.resolve("audit.jsonl");
            List<String> shell = List.of("sh", "-c", script.replace("$RW", rw.toString()).replace("$RO",
                    ro.toString()));
            List<String> program = mode.equals("nobody")
                    ? concat(List.of("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"), shell)
                    : shell;
            String enforce = mode.equals("nobody") ? "broker" : mode;
            Result r = mode.equals("none") ? unsandboxed(program)
                    : finish(new ProcessBuilder(posix4j(List.of("--enforce", enforce, "--allow-read", ro.toString(),
                            "--allow-write", rw.toString(), "--deny", denied.toString(), "--audit",
                            audit.toString()), program)));
            Map<String, String> got = statuses(r);
            if (mode.equals("none")) {
                assertTrue(got.values().stream().allMatch("0"::equals), r::toString);
                assertEquals(0, Files.size(denied.resolve("secret")), "the control truncated the secret");
                continue;
            }
            for (String allowed : List.of("ln-s", "ln-s-to-denied", "ln", "ln-follow", "truncate", "mkfifo")) {
                assertEquals("0", got.get(allowed), () -> mode + ": " + allowed + ": " + r);
            }
            Map<String, String> seen = new LinkedHashMap<>();
            refused.keySet().forEach(k -> seen.put(k, got.get(k)));
            assertEquals(refused, seen, () -> mode + ": " + r);
            assertFalse(r.stdout().contains("secret"), r::toString);
            assertEquals("secret\n", Files.readString(denied.resolve("secret")), mode);
            assertEquals("read-only\n", Files.readString(ro.resolve("f")), mode);
            assertEquals("o", Files.readString(rw.resolve("ok")), mode);
            assertTrue(Files.isSameFile(rw.resolve("ok"), rw.resolve("ok-hard")), mode);
            assertTrue(Files.isSameFile(rw.resolve("ok"), rw.resolve("hard-ok")), mode + ": ln -L linked the file");
            assertFalse(Files.isSymbolicLink(rw.resolve("hard-ok")), mode);
            for (String none : List.of("denied/sym", "hard", "hard-l", "denied/fifo", "setid", "mem")) {
                assertFalse(Files.exists(rw.resolve(none), LinkOption.NOFOLLOW_LINKS), () -> mode + ": " + none);
            }
            String log = Files.readString(audit);
            for (String function : List.of("\"function\":\"symlink\"", "\"function\":\"link\"",
                    "\"function\":\"truncate\"", "\"function\":\"mknod\"", "\"target\":\"ok\"",
                    "\"length\":1")) {
                assertTrue(log.contains(function), () -> mode + ": " + function + " in " + log);
            }
        }

        Path shared = Files.createDirectories(tmp.resolve("shared")).toRealPath();
        Files.setAttribute(shared, "unix:mode", 01777);
        Path rootsFile = Files.writeString(shared.resolve("roots"), "root's\n");
        Files.setPosixFilePermissions(rootsFile, PosixFilePermissions.fromString("rw-------"));
        List<String> nobody = List.of("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", "sh", "-c",
                "ln " + rootsFile + " " + shared + "/mine 2>&1; echo ln=$?");
        Result outside = unsandboxed(nobody);
        boolean linked = Files.deleteIfExists(shared.resolve("mine"));
        assertEquals(linked, outside.stdout().contains("ln=0"), outside::toString);
        Result inside = sandbox("broker", List.of("--allow-write", shared.toString()), nobody);
        assertEquals(outside.stdout(), inside.stdout(), inside::toString);
        assertEquals(linked, Files.exists(shared.resolve("mine")), inside::toString);
    }

    /// A program that restricts itself with Landlock is told, in both modes, that Landlock is
    /// unavailable (EOPNOTSUPP, as where it is disabled at boot) and stays unrestricted by its
    /// own hand: the master performs brokered calls (every open in broker mode, openat2 in
    /// kernel mode) outside the program's domain, so the program's own rules would not have held
    /// for them. Before the filter refused landlock_*, a program that had restricted itself
    /// opened through the broker the files its own ruleset forbade. Control: outside the sandbox
    /// the same program's own ruleset refuses both opens.
    @Test
    void aProgramIsToldItCannotRestrictItselfWithLandlock(@TempDir Path tmp) throws Exception {
        requireSandbox();
        Trees t = Trees.create(tmp.resolve("t"));
        Path rights = Files.copy(Gcc.compile(RIGHTS, tmp), t.bin.resolve("rights"));
        Path f = Files.writeString(t.ro.resolve("f"), "read-only\n");
        List<String> program = List.of(rights.toString(), "restrictself", "read", f.toString());
        Map<String, String> control = SandboxAttackTest.results(unsandboxed(program));
        assertEquals(Map.of("landlock_create_ruleset -", "ok", "landlock_restrict_self -", "ok",
                "open " + f, "EACCES", "openat2 " + f, "EACCES"), control, "the kernel holds the program's own rules");
        for (String mode : List.of("kernel", "broker")) {
            Result r = sandbox(mode, t.options(), program);
            assertEquals(Map.of("landlock_create_ruleset -", "EOPNOTSUPP", "landlock_restrict_self -", "EOPNOTSUPP",
                    "open " + f, "ok", "openat2 " + f, "ok"), SandboxAttackTest.results(r), () -> mode + ": " + r);
        }
    }

    /// truncate(2) by path holds the program's RLIMIT_FSIZE, which the kernel checks against the
    /// process that truncates: the broker, which truncates for the program, reads the program's
    /// limit, so growing a file past it is EFBIG and the thread gets SIGXFSZ (perl, which keeps
    /// the default action, dies of it; ignoring it, perl sees EFBIG), while shrinking and growing
    /// within the limit work. The same outside the sandbox and in kernel mode, and as uid 65534
    /// (whose limit a JVM without CAP_SYS_RESOURCE cannot read with prlimit(2)).
    @Test
    void truncateHoldsTheProgramsFileSizeLimit(@TempDir Path tmp) throws Exception {
        requireSandbox();
        Requires.programs("perl");
        String script = "cd $DIR; ulimit -f 1;"
                + " perl -e 'truncate(q(f), 100) or die qq($!\\n)'; echo shrink=$?;"
                + " perl -e 'truncate(q(f), 400) or die qq($!\\n)'; echo within=$?;"
                + " perl -e 'truncate(q(f), 8192) or die qq($!\\n)'; echo beyond=$?;"
                + " perl -e '$SIG{XFSZ} = q(IGNORE); truncate(q(f), 8192) or die qq($!\\n)'; echo ignored=$?";
        Map<String, String> expected = Map.of("shrink", "0", "within", "0", "beyond", "153", "ignored", "27");
        // As uid 65534 too, in and out of the sandbox: the master reads another user's limit.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> nobody = List.of("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups");
        for (String mode : List.of("none", "kernel", "broker", "none-nobody", "broker-nobody")) {
            Path dir = Files.createDirectories(tmp.resolve(mode)).toRealPath();
            Files.writeString(dir.resolve("f"), "x".repeat(200));
            Files.setPosixFilePermissions(dir.resolve("f"), PosixFilePermissions.fromString("rw-rw-rw-"));
            List<String> shell = List.of("sh", "-c", script.replace("$DIR", dir.toString()));
            List<String> program = mode.endsWith("-nobody") ? concat(nobody, shell) : shell;
            Result r = mode.startsWith("none") ? unsandboxed(program)
                    : sandbox(mode.replace("-nobody", ""), List.of("--allow-write", dir.toString()), program);
            assertEquals(expected, statuses(r), () -> mode + ": " + r);
            assertTrue(r.stderr().contains("File too large"), () -> mode + ": " + r);
            assertEquals(400, Files.size(dir.resolve("f")), mode);
        }
    }

    /// `--deny` of a file inside a read-only tree in kernel mode: the file is unreadable, its
    /// siblings and the rest of the tree readable, as under the broker. Stricter than the broker,
    /// as documented: the directory holding the denied file cannot be listed, and a file created
    /// there (by another process) after the program started is unreadable too.
    @Test
    void aDenialInsideAReadOnlyTree(@TempDir Path tmp) throws Exception {
        requireSandbox();
        for (String mode : List.of("kernel", "broker")) {
            Path ro = Files.createDirectories(tmp.resolve(mode).resolve("ro")).toRealPath();
            Path a = Files.createDirectory(ro.resolve("a"));
            Files.writeString(a.resolve("secret"), "secret\n");
            Files.writeString(a.resolve("sibling"), "sibling\n");
            Files.writeString(Files.createDirectory(ro.resolve("b")).resolve("f"), "b\n");
            Files.writeString(ro.resolve("top"), "top\n");
            String script = "cd " + ro + "; cat a/secret; echo secret=$?; cat a/sibling; echo sibling=$?;"
                    + " cat b/f; echo b=$?; cat top; echo top=$?; ls a >/dev/null; echo ls-a=$?;"
                    + " echo ready; read go; cat a/later; echo later=$?";
            Result control = unsandboxed(List.of("sh", "-c", script.replace("read go; cat a/later", "cat a/sibling")));
            assertTrue(control.stdout().contains("secret\nsecret=0\n"), control::toString);

            Result r;
            try (Live live = new Live(new ProcessBuilder(posix4j(List.of("--enforce", mode, "--allow-read",
                    ro.toString(), "--deny", a.resolve("secret").toString()), List.of("sh", "-c", script))))) {
                live.await("ready");
                Files.writeString(a.resolve("later"), "later\n");
                live.send("go");
                r = live.finish();
            }
            boolean kernel = mode.equals("kernel");
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("secret", "1");
            expected.put("sibling", "0");
            expected.put("b", "0");
            expected.put("top", "0");
            expected.put("ls-a", kernel ? "2" : "0");
            expected.put("later", kernel ? "1" : "0");
            assertEquals(expected, statuses(r), () -> mode + ": " + r);
            assertFalse(r.stdout().contains("secret\n"), r::toString);
            assertTrue(r.stdout().contains("sibling\n") && r.stdout().contains("b\n") && r.stdout().contains("top\n"),
                    r::toString);
            assertEquals(0, r.exitCode(), r::toString);
        }
    }

    /// Scopes (Landlock ABI 6): a signal from the sandbox to a process this JVM started outside
    /// it is refused with EPERM, and the process lives on; a connect to an abstract unix socket
    /// a peer outside the sandbox listens on is refused, and the peer accepts nothing from it.
    /// Control: the same kill and connect outside the sandbox work.
    @Test
    void signalsAndAbstractSocketsStayInsideTheSandbox(@TempDir Path tmp) throws Exception {
        requireSandbox();
        Requires.that(Landlock.abi() >= Scope.ABI, "scopes need Landlock ABI " + Scope.ABI);
        Requires.that(Files.isExecutable(Path.of("/usr/bin/python3")), "needs /usr/bin/python3");
        Process controlVictim = new ProcessBuilder("sleep", "300").start();
        Process victim = new ProcessBuilder("sleep", "300").start();
        String name = "posix4j-rights-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Process peer = new ProcessBuilder("/usr/bin/python3", "-c", """
                import socket, sys
                s = socket.socket(socket.AF_UNIX)
                s.bind("\\0" + sys.argv[1])
                s.listen(8)
                print("ready", flush=True)
                while True:
                    c, _ = s.accept()
                    print("accepted " + c.recv(64).decode(), flush=True)
                    c.close()
                """, name).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader accepted = new BufferedReader(new InputStreamReader(peer.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertEquals("ready", accepted.readLine());
            String connect = "import socket, sys\ns = socket.socket(socket.AF_UNIX)\ns.connect('\\0' + sys.argv[1])\n"
                    + "s.sendall(sys.argv[2].encode())\ns.close()";

            Result killControl = unsandboxed(List.of("kill", "-TERM", Long.toString(controlVictim.pid())));
            assertEquals(0, killControl.exitCode(), killControl::toString);
            assertTrue(controlVictim.waitFor(TimeFactor.scale(10), TimeUnit.SECONDS),
                    "the control victim died of the signal");
            assertEquals(128 + 15, controlVictim.exitValue());
            Result connectControl = unsandboxed(List.of("/usr/bin/python3", "-c", connect, name, "control"));
            assertEquals(0, connectControl.exitCode(), connectControl::toString);
            assertEquals("accepted control", accepted.readLine());

            for (String mode : List.of("kernel", "broker")) {
                Result kill = sandbox(mode, List.of(), List.of("sh", "-c", "kill -TERM " + victim.pid()));
                assertNotEquals(0, kill.exitCode(), kill::toString);
                assertTrue(kill.stderr().contains("Operation not permitted"), kill::toString);
                Result conn = sandbox(mode, List.of(), List.of("/usr/bin/python3", "-c", connect, name, mode));
                assertNotEquals(0, conn.exitCode(), conn::toString);
                assertTrue(conn.stderr().contains("PermissionError"), conn::toString);
            }
            assertFalse(victim.waitFor(1, TimeUnit.SECONDS), "the victim lives on");
            String state = Files.readString(Path.of("/proc/" + victim.pid() + "/stat")).replaceFirst(".*\\) ", "");
            assertTrue(state.startsWith("S"), "the victim still sleeps: " + state);
            Result after = unsandboxed(List.of("/usr/bin/python3", "-c", connect, name, "control-after"));
            assertEquals(0, after.exitCode(), after::toString);
            assertEquals("accepted control-after", accepted.readLine(), "nothing from the sandbox reached the peer");
        } finally {
            for (Process p : List.of(controlVictim, victim, peer)) {
                p.destroyForcibly();
                p.waitFor(TimeFactor.scale(10), TimeUnit.SECONDS);
            }
        }
    }

    /// Metadata writes Landlock does not govern (chmod, chown, utimes by `touch -d`, inode flags
    /// by `chattr`, setxattr and removexattr) on a file the program may only read and on one
    /// outside the allowances are refused in every mode, and the files' metadata (mode, owner,
    /// times, ctime, extended attributes, inode flags) is what it was; on a writable file chmod
    /// and `touch -d` are allowed. Control: the same script changes every one of them outside
    /// the sandbox.
    @Test
    void metadataWritesOutsideTheAllowancesAreRefusedInEveryMode(@TempDir Path tmp) throws Exception {
        requireSandbox();
        Path rights = Gcc.compile(RIGHTS, tmp);
        Requires.programs("chattr", "lsattr");
        String script = "for f in \"$@\"; do chmod 600 \"$f\"; echo chmod=$?; chown 65534:65534 \"$f\"; echo chown=$?;"
                + " touch -d @978307200 \"$f\"; echo touch=$?; chattr +A \"$f\"; echo chattr=$?;"
                + " RIGHTS setxattr \"$f\" user.posix4j changed removexattr \"$f\" user.posix4j; done";

        Trees c = Trees.create(tmp.resolve("control"));
        Path controlFile = withXattr(Files.writeString(c.other.resolve("f"), "control\n"));
        Files.copy(rights, c.bin.resolve("rights"));
        Map<String, Object> before = metadata(controlFile);
        Result control = unsandboxed(List.of("sh", "-c", script.replace("RIGHTS", c.bin.resolve("rights").toString()),
                "sh", controlFile.toString()));
        assertEquals(Map.of("chmod", "0", "chown", "0", "touch", "0", "chattr", "0"), statuses(control),
                control::toString);
        assertEquals(2, SandboxAttackTest.results(control).values().stream().filter("ok"::equals).count(),
                control::toString);
        Map<String, Object> after = metadata(controlFile);
        for (String changed : List.of("mode", "uid", "gid", "lastModifiedTime", "ctime", "xattrs", "flags")) {
            assertNotEquals(before.get(changed), after.get(changed), "the control changed " + changed);
        }

        for (String mode : List.of("auto", "kernel", "broker")) {
            Trees t = Trees.create(tmp.resolve(mode));
            Files.copy(rights, t.bin.resolve("rights"));
            Path readOnly = withXattr(Files.writeString(t.ro.resolve("f"), "read-only\n"));
            Path outside = withXattr(Files.writeString(t.other.resolve("f"), "outside\n"));
            Path writable = Files.writeString(t.rw.resolve("f"), "writable\n");
            Map<String, Object> readOnlyBefore = metadata(readOnly);
            Map<String, Object> outsideBefore = metadata(outside);
            String each = script.replace("RIGHTS", t.bin.resolve("rights").toString());
            for (Path refused : List.of(readOnly, outside)) {
                Result r = sandbox(mode, t.options(), List.of("sh", "-c", each, "sh", refused.toString()));
                Map<String, String> got = statuses(r);
                assertEquals(List.of("chmod", "chown", "touch", "chattr"), List.copyOf(got.keySet()), r::toString);
                got.forEach((op, status) -> assertNotEquals("0", status, () -> mode + ": " + op + " refused: " + r));
                Map<String, String> calls = SandboxAttackTest.results(r);
                for (String op : List.of("setxattr", "removexattr")) {
                    String result = calls.get(op + " " + refused);
                    assertTrue(result != null && !result.equals("ok"), () -> mode + ": " + op + " refused: " + r);
                }
            }
            assertEquals(readOnlyBefore, metadata(readOnly), mode + ": the read-only file's metadata");
            assertEquals(outsideBefore, metadata(outside), mode + ": the outside file's metadata");

            Result allowed = sandbox(mode, t.options(), List.of("sh", "-c", "chmod 600 \"$1\"; echo chmod=$?;"
                    + " touch -d @978307200 \"$1\"; echo touch=$?", "sh", writable.toString()));
            assertEquals(Map.of("chmod", "0", "touch", "0"), statuses(allowed), () -> mode + ": " + allowed);
            Map<String, Object> w = metadata(writable);
            assertEquals(0600, w.get("mode"), mode);
            assertEquals(FileTime.from(Instant.parse("2001-01-01T00:00:00Z")),
                    w.get("lastModifiedTime"), mode);
        }
    }

    /// The owner of a file (here root, as the program runs) may set its times through a
    /// descriptor opened only for reading: futimens(3), utimensat(fd, NULL, ...). On a file the
    /// program may only read, that is a metadata write the policy refuses, in every mode (the
    /// master decides it on the descriptor's path); on a writable file it is allowed. Control:
    /// outside the sandbox the call changes the file's times.
    @Test
    void futimensThroughAReadOnlyDescriptorIsRefusedInEveryMode(@TempDir Path tmp) throws Exception {
        requireSandbox();
        Path rights = Gcc.compile(RIGHTS, tmp);
        Path controlFile = Files.writeString(tmp.resolve("control"), "control\n");
        Map<String, Object> controlBefore = metadata(controlFile);
        Result control = unsandboxed(List.of(rights.toString(), "futimens", controlFile.toString()));
        assertEquals("futimens " + controlFile + ": ok\n", control.stdout(), control::toString);
        assertNotEquals(controlBefore.get("lastModifiedTime"), metadata(controlFile).get("lastModifiedTime"));

        for (String mode : List.of("auto", "kernel", "broker")) {
            Trees t = Trees.create(tmp.resolve(mode));
            Files.copy(rights, t.bin.resolve("rights"));
            Path readOnly = Files.writeString(t.ro.resolve("f"), "read-only\n");
            Map<String, Object> before = metadata(readOnly);
            Result r = sandbox(mode, t.options(), List.of(t.bin.resolve("rights").toString(), "futimens",
                    readOnly.toString()));
            assertNotEquals("ok", SandboxAttackTest.results(r).get("futimens " + readOnly), () -> mode + ": " + r);
            assertEquals(before, metadata(readOnly), mode + ": the read-only file's metadata");

            Path writable = Files.writeString(t.rw.resolve("f"), "writable\n");
            Result w = sandbox(mode, t.options(), List.of(t.bin.resolve("rights").toString(), "futimens",
                    writable.toString()));
            assertEquals("ok", SandboxAttackTest.results(w).get("futimens " + writable), () -> mode + ": " + w);
            assertEquals(FileTime.from(Instant.parse("2001-01-01T00:00:00Z")),
                    metadata(writable).get("lastModifiedTime"), mode + ": futimens on the writable file");
        }
    }

    /// `file`, given the extended attribute user.posix4j=original (for removexattr to remove;
    /// Java names user attributes without their "user." prefix).
    private static Path withXattr(Path file) throws IOException {
        Files.getFileAttributeView(file, UserDefinedFileAttributeView.class)
                .write("posix4j", StandardCharsets.UTF_8.encode("original"));
        return file;
    }

    /// Mode (permission bits), owner, group, modification and change times and the names and
    /// values of the user extended attributes of `file`, read by this JVM, and its inode flags
    /// as lsattr(1) shows them.
    private static Map<String, Object> metadata(Path file) throws Exception {
        Map<String, Object> m = new TreeMap<>();
        Map<String, Object> unix = Files.readAttributes(file, "unix:mode,uid,gid,lastModifiedTime,ctime",
                LinkOption.NOFOLLOW_LINKS);
        m.put("mode", (int) unix.get("mode") & 07777);
        m.put("uid", unix.get("uid"));
        m.put("gid", unix.get("gid"));
        m.put("lastModifiedTime", unix.get("lastModifiedTime"));
        m.put("ctime", unix.get("ctime"));
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        Map<String, String> xattrs = new TreeMap<>();
        for (String name : view.list()) {
            ByteBuffer b = ByteBuffer.allocate(view.size(name));
            view.read(name, b);
            xattrs.put(name, new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
        }
        m.put("xattrs", xattrs);
        m.put("flags", ChildProcess.output("lsattr", "-d", file.toString()).split(" ", 2)[0]);
        return m;
    }
}
