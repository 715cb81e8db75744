package org.posix4j.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.Errno;
import org.posix4j.landlock.FsAccess;
import org.posix4j.landlock.Landlock;
import org.posix4j.landlock.NetAccess;
import org.posix4j.landlock.Scope;
import org.posix4j.spawn.Spawn;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Requires;
import org.posix4j.testing.TimeFactor;

/// The kernel rules of a policy ([KernelRules]), applied to one thread of a child JVM without
/// the broker, which then runs real programs (cat, ls, cp, mkdir, rmdir, rm, mv, truncate,
/// mkfifo, mknod, ln, exec by sh, bash's /dev/tcp, kill, python3's abstract sockets). Each
/// script runs first unrestricted on an identical tree (the control: everything works), then
/// under the rules; what the kernel refused is read from the programs' own messages
/// ("Permission denied" is EACCES, "Operation not permitted" EPERM), and the files are then
/// checked from this JVM.
class KernelRulesTest {

    /// Label, shell command, and whether the kernel rules allow it.
    private record Case(String label, String command, boolean allowed) {}

    private static final List<Case> FILE_CASES = List.of(
            new Case("cat read tree", "cat r/f", true),
            new Case("cat read subtree", "cat r/sub/g", true),
            new Case("ls read subtree", "ls r/sub", true),
            new Case("ls parent of denied", "ls r", false),
            new Case("cat denied", "cat r/secret/s", false),
            new Case("cat outside", "cat o/f", false),
            new Case("cat created later beside denied", "cat r/later", false),
            new Case("cat created later elsewhere", "cat r/sub/later", true),
            new Case("write read tree", "echo x > r/f", false),
            new Case("write read-write tree", "echo written > w/f", true),
            new Case("truncate read tree", "truncate -s 1 r/f", false),
            new Case("truncate read-write tree", "truncate -s 3 w/t", true),
            new Case("create in read-write tree", "echo y > w/new", false),
            new Case("mkdir in read-write tree", "mkdir w/d", false),
            new Case("rm in read-write tree", "rm w/t2", false),
            new Case("cp into create tree", "cp r/f c/copy", true),
            new Case("cp into read-write tree", "cp r/f w/copy", false),
            new Case("mkdir in create tree", "mkdir c/newdir", true),
            new Case("rmdir in create tree", "rmdir c/emptydir", true),
            new Case("rm in create tree", "rm c/gone", true),
            new Case("mv between create trees", "mv c/moving c2/moved", true),
            new Case("mv into read tree", "mv c/stay r/stay", false),
            new Case("mv out of read-write tree", "mv w/t3 c/t3", false),
            new Case("mkfifo in create tree", "mkfifo c/fifo", true),
            new Case("mkfifo in read-write tree", "mkfifo w/fifo", false),
            new Case("mknod in create tree", "mknod c/null c 1 3", false),
            new Case("ln -s and cat through it", "ln -s ../r/f c/link && cat c/link", true),
            new Case("ln -s outside and cat through it", "ln -s ../o/f c/outlink && cat c/outlink", false),
            new Case("ln in create tree", "ln c/copy c/hard", true),
            new Case("exec in create tree", "cp /usr/bin/true c/prog && c/prog", true),
            new Case("exec outside", "o/prog", false),
            new Case("exec denied", "r/secret/prog", false),
            new Case("write /dev/null", "echo x > /dev/null", true),
            new Case("read /dev/urandom", "head -c 1 /dev/urandom > /dev/null", true),
            new Case("read /dev/zero", "head -c 1 /dev/zero > /dev/null", false),
            new Case("read /proc/cpuinfo", "head -c 1 /proc/cpuinfo > /dev/null", true),
            new Case("read own /proc without ownProc", "head -c 1 /proc/self/status > /dev/null", false));

    @Test
    void eachRightIsTheKernelsAndTheFilesShowIt(@TempDir Path tmp) throws Exception {
        Requires.root();
        Requires.that(Landlock.abi() >= 3, "the kernel's Landlock lacks TRUNCATE (ABI 3)");
        Path control = Files.createDirectory(tmp.resolve("control"));
        Path kernel = Files.createDirectory(tmp.resolve("kernel"));
        tree(control);
        tree(kernel);
        ChildJvm.Result r = ChildJvm.run(FsChild.class, control.toString(), kernel.toString()).assertSuccess();
        assertEquals("true []", r.value("exact: "), "a deny inside a read tree is said (more strictly)");
        Map<String, String> expected = new LinkedHashMap<>();
        Map<String, String> seen = new LinkedHashMap<>();
        for (Case c : FILE_CASES) {
            String before = r.value("control " + c.label() + ": ");
            assertTrue(before.startsWith("rc=0 "), () -> "control: " + c.label() + " works: " + before);
            String after = r.value("kernel " + c.label() + ": ");
            expected.put(c.label(), c.allowed() ? "allowed" : "EACCES");
            seen.put(c.label(), after.startsWith("rc=0 ") ? "allowed"
                    : !after.startsWith("rc=0") && after.contains("Permission denied") ? "EACCES" : after);
        }
        assertEquals(expected, seen, r::toString);
        assertEquals("rc=0 read", r.value("kernel cat read tree: "));
        assertEquals("rc=0 read", r.value("kernel ln -s and cat through it: "));

        assertEquals("read\n", Files.readString(kernel.resolve("r/f")), "the read tree is unchanged");
        assertEquals("written\n", Files.readString(kernel.resolve("w/f")));
        assertEquals(3, Files.size(kernel.resolve("w/t")));
        assertFalse(Files.exists(kernel.resolve("w/new")));
        assertFalse(Files.exists(kernel.resolve("w/d")));
        assertTrue(Files.exists(kernel.resolve("w/t2")));
        assertFalse(Files.exists(kernel.resolve("w/copy")));
        assertEquals("read\n", Files.readString(kernel.resolve("c/copy")));
        assertTrue(Files.isDirectory(kernel.resolve("c/newdir")));
        assertFalse(Files.exists(kernel.resolve("c/emptydir")));
        assertFalse(Files.exists(kernel.resolve("c/gone")));
        assertFalse(Files.exists(kernel.resolve("c/moving")));
        assertEquals("moving\n", Files.readString(kernel.resolve("c2/moved")));
        assertTrue(Files.exists(kernel.resolve("c/stay")));
        assertFalse(Files.exists(kernel.resolve("r/stay")));
        assertTrue(Files.exists(kernel.resolve("w/t3")));
        assertFalse(Files.exists(kernel.resolve("c/t3")));
        assertEquals(0010000, type(kernel.resolve("c/fifo")), "a FIFO");
        assertFalse(Files.exists(kernel.resolve("w/fifo"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(kernel.resolve("c/null"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(0020000, type(control.resolve("c/null")), "control: a character device");
        assertEquals(Path.of("../r/f"), Files.readSymbolicLink(kernel.resolve("c/link")));
        assertEquals(Files.getAttribute(kernel.resolve("c/copy"), "unix:ino"),
                Files.getAttribute(kernel.resolve("c/hard"), "unix:ino"), "a hard link");
    }

    private static int type(Path p) throws IOException {
        return (int) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
    }

    /// r: read (r/secret denied), w: read-write, c and c2: create, o: outside every allowance.
    private static void tree(Path d) throws IOException {
        for (String dir : List.of("r/sub", "r/secret", "w", "c/emptydir", "c2", "o")) {
            Files.createDirectories(d.resolve(dir));
        }
        List<String> files = List.of("r/f", "read\n", "r/sub/g", "g\n", "r/secret/s", "secret\n", "w/f", "old\n",
                "w/t", "abcdef", "w/t2", "t2\n", "w/t3", "t3\n", "c/gone", "gone\n", "c/moving", "moving\n",
                "c/stay", "stay\n", "o/f", "outside\n");
        for (int i = 0; i < files.size(); i += 2) {
            Files.writeString(d.resolve(files.get(i)), files.get(i + 1));
        }
        for (String prog : List.of("o/prog", "r/secret/prog")) {
            Files.copy(Path.of("/usr/bin/true"), d.resolve(prog), StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    /// The script running each case in directory `$1`, one line per case: `PREFIX LABEL: rc=N
    /// OUTPUT` with the output's lines joined.
    static String script(List<Case> cases, String prefix) {
        StringBuilder s = new StringBuilder("cd \"$1\" || exit 9\n");
        for (Case c : cases) {
            s.append("out=$( { ").append(c.command()).append(" ; } 2>&1 ); rc=$?; printf '%s\\n' \"")
                    .append(prefix).append(' ').append(c.label())
                    .append(": rc=$rc $(printf '%s' \"$out\" | tr '\\n' ' ')\"\n");
        }
        return s.toString();
    }

    static void run(String script, String dir) throws Exception {
        System.out.flush();
        Spawn.program("/bin/sh").args("-c", script, "sh", dir).start().waitFor();
    }

    /// Runs `script` on a new platform thread restricted by `rules`, as the sandbox restricts its
    /// spawn thread.
    static void runRestricted(KernelRules rules, String script, String dir) throws Exception {
        Exception[] failure = {null};
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                rules.ruleset().restrictCurrentThread();
                run(script, dir);
            } catch (Exception e) {
                failure[0] = e;
            }
        });
        t.join();
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /// The child JVM of [#eachRightIsTheKernelsAndTheFilesShowIt]: runs the cases unrestricted
    /// in `CONTROL`, then builds the policy on `KERNEL` and runs them on a restricted thread.
    /// `r/later` and `r/sub/later` are created by the unrestricted main thread after the rules
    /// were made.
    static final class FsChild {
        public static void main(String[] args) throws Exception {
            String control = args[0];
            Path kernel = Path.of(args[1]);
            for (String later : List.of("r/later", "r/sub/later")) {
                Files.writeString(Path.of(control, later), "later\n");
            }
            run(script(FILE_CASES, "control"), control);
            try (Policy policy = Policy.builder().ownProc(false).allowRead(Path.of("/usr"))
                    .allowRead(Path.of("/etc/ld.so.cache")).allowReadWrite(Path.of("/dev/null"))
                    .allowRead(Path.of("/dev/urandom")).allowRead(Path.of("/proc/cpuinfo")).allowRead(kernel.resolve("r")).allowReadWrite(kernel.resolve("w"))
                    .allowCreate(kernel.resolve("c")).allowCreate(kernel.resolve("c2"))
                    .deny(kernel.resolve("r/secret")).build();
                    KernelRules rules = KernelRules.of(policy)) {
                List<String> inexact = KernelRules.inexact(policy, Landlock.abi());
                System.out.println("exact: " + inexact.isEmpty() + " " + inexact);
                for (String later : List.of("r/later", "r/sub/later")) {
                    Files.writeString(kernel.resolve(later), "later\n");
                }
                runRestricted(rules, script(FILE_CASES, "kernel"), kernel.toString());
            }
        }
    }

    /// With no network allowance TCP connects are refused by the kernel (the listening socket
    /// sees only the control's connection), signals to a process outside the sandbox and
    /// connects to an abstract socket bound outside are refused by scope (EPERM) while the
    /// program still signals its own child, and a policy allowing the program's own /proc gets
    /// no /proc at all, as documented (stricter): neither its own status nor another process's
    /// cmdline, environ or mem, each of which the control reads.
    @Test
    void tcpSignalsAbstractSocketsAndProcAsDocumented() throws Exception {
        Requires.that(Landlock.abi() >= Scope.ABI, "the kernel's Landlock lacks scopes (ABI 6)");
        ChildJvm.Result r = ChildJvm.run(NetChild.class).assertSuccess();
        assertEquals(EnumSet.allOf(NetAccess.class).toString(), r.value("handled net: "));
        assertEquals(EnumSet.allOf(Scope.class).toString(), r.value("scoped: "));
        assertEquals("1", r.value("accepted: "), "only the control's connection arrived");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("tcp connect", "Permission denied");
        expected.put("signal outside", "Operation not permitted");
        expected.put("signal own child", "rc=0");
        expected.put("abstract connect", "Operation not permitted");
        expected.put("own proc", "Permission denied");
        expected.put("other cmdline", "Permission denied");
        expected.put("other environ", "Permission denied");
        expected.put("other mem", "Permission denied");
        expected.put("outside file", "Permission denied");
        assertEachWorkedThenAsExpected(r, expected);
    }

    /// Each case of `expected` worked in the child's control run, and in its run under the
    /// kernel's rules gave what `expected` says: an exit code (`rc=N`) or a message.
    private static void assertEachWorkedThenAsExpected(ChildJvm.Result r, Map<String, String> expected) {
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String before = r.value("control " + e.getKey() + ": ");
            assertTrue(before.startsWith("rc=0"), () -> "control: " + e.getKey() + " works: " + before);
            String after = r.value("kernel " + e.getKey() + ": ");
            if (e.getValue().startsWith("rc=")) {
                assertTrue(after.startsWith(e.getValue()), () -> e.getKey() + ": " + after + "\n" + r);
            } else {
                assertNotEquals("rc=0", after.substring(0, 4), () -> e.getKey() + ": " + after);
                assertTrue(after.contains(e.getValue()), () -> e.getKey() + ": " + after + "\n" + r);
            }
        }
    }

    /// The child JVM of [#tcpSignalsAbstractSocketsAndProcAsDocumented].
    static final class NetChild {
        public static void main(String[] args) throws Exception {
            String name = "posix4j-kernel-rules-" + ProcessHandle.current().pid();
            ProcessBuilder sleep = new ProcessBuilder("sleep", "60");
            sleep.environment().clear();
            sleep.environment().put("KERNEL_RULES_TEST", "visible");
            Process sleeper = sleep.start();
            Process server = new ProcessBuilder("/usr/bin/python3", "-I", "-c",
                    "import socket,sys\ns=socket.socket(socket.AF_UNIX)\ns.bind(b'\\0" + name + "')\ns.listen(8)\n"
                            + "print('ready',flush=True)\nwhile True: s.accept()[0].close()").start();
            try (ServerSocket listening = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
                BufferedReader ready = new BufferedReader(new InputStreamReader(server.getInputStream(),
                        StandardCharsets.UTF_8));
                if (!"ready".equals(ready.readLine())) {
                    throw new IllegalStateException("the abstract socket server did not start");
                }
                List<Case> cases = List.of(
                        new Case("tcp connect", "bash -c 'exec 3<>/dev/tcp/127.0.0.1/" + listening.getLocalPort() + "'",
                                false),
                        new Case("signal outside", "kill -0 " + sleeper.pid(), false),
                        new Case("signal own child", "sleep 30 & kill $!", true),
                        new Case("abstract connect", "/usr/bin/python3 -I -c \"import socket; socket.socket("
                                + "socket.AF_UNIX).connect(b'\\\\0" + name + "')\"", false),
                        new Case("own proc", "head -c 4 /proc/self/status", true),
                        new Case("other cmdline", "tr '\\0' ' ' < /proc/" + sleeper.pid() + "/cmdline", true),
                        new Case("other environ", "tr '\\0' ' ' < /proc/" + sleeper.pid() + "/environ", true),
                        new Case("other mem", "exec 3< /proc/" + sleeper.pid() + "/mem", false),
                        new Case("outside file", "cat /etc/hostname", false));
                run(script(cases, "control"), "/");
                try (Policy policy = Policy.builder().allowRead(Path.of("/usr")).allowRead(Path.of("/etc/ld.so.cache"))
                        .allowReadWrite(Path.of("/dev/null")).build();
                        KernelRules rules = KernelRules.of(policy)) {
                    System.out.println("handled net: " + rules.ruleset().handledNet());
                    System.out.println("scoped: " + rules.ruleset().scoped());
                    runRestricted(rules, script(cases, "kernel"), "/");
                }
                listening.setSoTimeout(TimeFactor.millis(500));
                int accepted = 0;
                try {
                    while (true) {
                        listening.accept().close();
                        accepted++;
                    }
                } catch (SocketTimeoutException done) {
                    System.out.println("accepted: " + accepted);
                }
            } finally {
                sleeper.destroyForcibly().waitFor();
                server.destroyForcibly().waitFor();
            }
        }
    }

    /// /proc never gets a rule, where the broker would hide posix4j's own entries in it: an
    /// allowance of /proc, or of the JVM's /proc/PID below it, cannot be said; a writable tree
    /// holding /proc cannot either; a read-only tree holding it (`/`) is granted less /proc, which
    /// [KernelRules#stricter] says. A program restricted by the ruleset of `--allow-read /` (a
    /// child JVM, since restricting is for good) reads a file of /etc, but neither its own
    /// /proc/self/status nor the environment, command line or status of a process outside,
    /// which it reads without the rules.
    @Test
    void procIsNeverGrantedWhereTheBrokerWouldHideTheJvm() throws Exception {
        String jvm = "/proc/" + ProcessHandle.current().pid();
        try (Policy p = Policy.builder().ownProc(false).allowRead(Path.of("/proc")).build()) {
            assertEquals(List.of("the allowance of /proc: Landlock would show the program posix4j's own /proc/PID with"
                    + " it (its environment, memory map and descriptors), which only the broker hides"),
                    KernelRules.inexact(p, 7));
        }
        try (Policy p = Policy.builder().ownProc(false).allowRead(Path.of(jvm, "status")).build()) {
            List<String> why = KernelRules.inexact(p, 7);
            assertEquals(1, why.size(), () -> "the JVM's own status: " + why);
        }
        try (Policy p = Policy.builder().ownProc(false).allowRead(Path.of("/proc/cpuinfo")).build()) {
            assertEquals(List.of(), KernelRules.inexact(p, 7), "a file of /proc that is no process's");
        }
        try (Policy p = Policy.builder().ownProc(false).allowReadWrite(Path.of("/")).build()) {
            assertEquals(List.of("/proc inside writable tree /: the kernel's rules must leave /proc out (every"
                    + " process's environment, posix4j's included), and Landlock cannot take rights from a writable"
                    + " tree"), KernelRules.inexact(p, 7));
        }
        try (Policy p = Policy.builder().ownProc(false).allowRead(Path.of("/")).build()) {
            assertEquals(List.of(), KernelRules.inexact(p, 7));
            assertEquals(List.of("/proc, inside allowed tree /: the kernel refuses every file under it, since a rule"
                    + " could only name all of it (every process's environment, the JVM's included), and as for a"
                    + " --deny inside a tree, entries created later in the directories between them get no rights,"
                    + " and those directories cannot be listed"), KernelRules.stricter(p));
        }
        try (Policy p = Policy.builder().ownProc(false).allowRead(Path.of("/")).deny(Path.of("/proc")).build()) {
            assertEquals(List.of(), KernelRules.stricter(p).stream().filter(e -> e.startsWith("/proc")).toList(),
                    "/proc denied already");
        }
        Requires.that(Landlock.abi() >= 3, "the kernel's Landlock lacks TRUNCATE (ABI 3)");
        ChildJvm.Result r = ChildJvm.run(ProcChild.class).assertSuccess();
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("etc file", "rc=0");
        for (String refused : List.of("own proc", "other environ", "other cmdline", "other status")) {
            expected.put(refused, "Permission denied");
        }
        assertEachWorkedThenAsExpected(r, expected);
    }

    /// The child JVM of [#procIsNeverGrantedWhereTheBrokerWouldHideTheJvm].
    static final class ProcChild {
        public static void main(String[] args) throws Exception {
            ProcessBuilder sleep = new ProcessBuilder("sleep", "60");
            sleep.environment().put("KERNEL_RULES_TEST", "visible");
            Process sleeper = sleep.start();
            try {
                List<Case> cases = List.of(
                        new Case("etc file", "cat /etc/hostname", true),
                        new Case("own proc", "head -c 4 /proc/self/status", true),
                        new Case("other environ", "tr '\\0' ' ' < /proc/" + sleeper.pid() + "/environ", true),
                        new Case("other cmdline", "tr '\\0' ' ' < /proc/" + sleeper.pid() + "/cmdline", true),
                        new Case("other status", "head -c 4 /proc/" + sleeper.pid() + "/status", true));
                run(script(cases, "control"), "/");
                try (Policy policy = Policy.builder().ownProc(false).allowRead(Path.of("/")).build();
                        KernelRules rules = KernelRules.of(policy)) {
                    runRestricted(rules, script(cases, "kernel"), "/");
                }
            } finally {
                sleeper.destroyForcibly().waitFor();
            }
        }
    }

    /// The reasons a policy's file rules are not said exactly, by ABI: none for a plain policy
    /// on ABI 7; a denied path inside a writable tree, a temporary-only directory, a write
    /// allowance on a file, another denial errno; and apart, what the broker decides alone:
    /// address rules and ports that differ by family, abstract socket names, and what older
    /// ABIs lack.
    @Test
    void inexactPartsAreNamed(@TempDir Path tmp) throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a/b"));
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Path t = Files.createDirectory(tmp.resolve("t"));
        try (Policy plain = Policy.builder().ownProc(false).allowRead(tmp).allowCreate(tmp.resolve("a"))
                .deny(tmp.resolve("file")).build()) {
            assertEquals(List.of(), KernelRules.inexact(plain, 7));
            assertEquals(List.of(), KernelRules.brokerOnly(plain, 7));
            assertEquals(List.of("truncate: Landlock ABI 2 cannot refuse truncate(2) (TRUNCATE needs ABI 3)"),
                    KernelRules.inexact(plain, 2));
            assertEquals(List.of("TCP bind: Landlock ABI 2 has no network rights (they need ABI 4)",
                    "TCP connect: Landlock ABI 2 has no network rights (they need ABI 4)",
                    "signals to processes outside the sandbox: Landlock ABI 2 cannot refuse them (scopes need ABI 6)",
                    "abstract unix sockets outside the sandbox: Landlock ABI 2 cannot refuse connecting to them"
                            + " (scopes need ABI 6)"), KernelRules.brokerOnly(plain, 2));
            assertTrue(KernelRules.inexact(plain, 1).contains("links and renames across directories of"
                    + " --allow-write trees: Landlock ABI 1 refuses them always (REFER needs ABI 2)"));
        }
        try (Policy p = Policy.builder().allowCreate(tmp.resolve("a")).deny(a).allowTemporary(t)
                .allowCreate(file).denial(Errno.EPERM)
                .allowConnect(new Policy.NetworkRule(InetAddress.getByName("10.0.0.0"), 8, 80, 80))
                .allowBind(new Policy.NetworkRule(InetAddress.getByName("0.0.0.0"), 0, 8080, 8080))
                .allowConnectAbstract("x").build()) {
            String real = tmp.toRealPath().toString();
            assertEquals(List.of("denial errno EPERM: the kernel refuses with EACCES (EXDEV for links and renames"
                            + " across directories)",
                    "--allow-write " + real + "/file: on a file, Landlock cannot allow removing or replacing it,"
                            + " only reading and writing it",
                    "--deny " + real + "/a/b inside writable tree " + real + "/a: Landlock cannot take rights from a"
                            + " tree, so the directories on the way to it could not be listed or changed",
                    "temporary files in " + real + "/t: Landlock cannot allow O_TMPFILE there without allowing"
                            + " writes to the directory's files, so the kernel refuses them"), KernelRules.inexact(p, 7));
            assertEquals(List.of("--allow-bind 0.0.0.0/0 and ::/0 name different ports: Landlock's ports hold for IPv4 and IPv6"
                            + " alike, so TCP bind is left unhandled",
                    "--allow-connect 10.0.0.0/8 port 80: Landlock grants TCP ports on every address, so TCP connect"
                            + " is left unhandled",
                    "connecting to abstract socket @x: Landlock scopes every abstract socket outside the sandbox or"
                            + " none, so it leaves them all unscoped"), KernelRules.brokerOnly(p, 7));
            assertEquals(List.of("the program's own /proc/PID: the kernel refuses it every file under /proc, since a"
                    + " rule could only name all of /proc (every process's environment, the JVM's included)",
                    "--deny " + real + "/a/b: entries created later in the directories between " + real + "/a and it"
                            + " get no rights, nor do files with more than one link and mounts of its file system"
                            + " there, and those directories cannot be listed"),
                    KernelRules.stricter(p));
        }
    }

    /// Any-address rules naming more ports than [KernelRules#MAX_PORTS] leave that right to the broker.
    @Test
    void tooManyPortsAreNamed() throws Exception {
        try (Policy p = Policy.builder().ownProc(false)
                .allowBind(new Policy.NetworkRule(InetAddress.getByName("0.0.0.0"), 0, 1024, 65535))
                .allowBind(new Policy.NetworkRule(InetAddress.getByName("::"), 0, 1024, 65535)).build()) {
            assertEquals(List.of("--allow-bind ports: 64512 ports, over the 4096 a ruleset gets a rule each for, so"
                    + " TCP bind is left unhandled"), KernelRules.brokerOnly(p, 7));
            assertEquals(List.of(), KernelRules.inexact(p, 7), "the broker decides binds in every mode");
        }
    }

    /// On the running kernel: a policy with any-address TCP rules of the same ports for both
    /// families is exact and handled with port rules, every filesystem right of the ABI is
    /// handled; a policy with own /proc is still exact, and says the kernel is stricter there.
    @Test
    void anyAddressPortsAreExactAndEveryRightIsHandled() throws Exception {
        int abi = Landlock.abi();
        Requires.that(abi >= Scope.ABI, "the kernel's Landlock lacks scopes (ABI 6)");
        try (Policy p = Policy.builder().ownProc(false).allowRead(Path.of("/usr"))
                .allowConnect(new Policy.NetworkRule(InetAddress.getByName("0.0.0.0"), 0, 443, 443))
                .allowConnect(new Policy.NetworkRule(InetAddress.getByName("::"), 0, 443, 443)).build();
                KernelRules rules = KernelRules.of(p)) {
            assertEquals(List.of(), KernelRules.inexact(p, abi));
            assertEquals(List.of(), KernelRules.brokerOnly(p, abi));
            assertEquals(List.of(), KernelRules.stricter(p));
            assertEquals(FsAccess.ofAbi(abi), rules.ruleset().handled());
            assertEquals(EnumSet.allOf(NetAccess.class), rules.ruleset().handledNet());
        }
        try (Policy p = Policy.builder().allowRead(Path.of("/usr"))
                .allowConnect(new Policy.NetworkRule(InetAddress.getByName("0.0.0.0"), 0, 0, 65535))
                .allowConnect(new Policy.NetworkRule(InetAddress.getByName("::"), 0, 0, 65535)).build();
                KernelRules rules = KernelRules.of(p)) {
            assertEquals(List.of(), KernelRules.inexact(p, abi));
            assertTrue(KernelRules.stricter(p).getFirst().startsWith("the program's own /proc/PID"));
            assertEquals(EnumSet.of(NetAccess.BIND_TCP), rules.ruleset().handledNet(),
                    "connecting anywhere needs no handling");
        }
    }
}
