package org.posix4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Proc;

class FeaturesTest {
    /// Tries each feature from Python (ctypes and the os module), independently of posix4j, and
    /// prints `name=1` or `name=0`. close_range (436) and openat2 (437) have the same number on
    /// every architecture that uses the generic system call table, x86_64 and aarch64 included.
    private static final String PYTHON_PROBES = """
            import ctypes, os
            libc = ctypes.CDLL(None, use_errno=True)
            libc.syscall.restype = ctypes.c_long
            def out(name, ok): print(name + '=' + ('1' if ok else '0'))
            try:
                os.close(os.pidfd_open(os.getpid())); out('pidfd', True)
            except (OSError, AttributeError):
                out('pidfd', False)
            out('close_range', libc.syscall(ctypes.c_long(436), ctypes.c_uint(0xffffffff),
                                            ctypes.c_uint(0xffffffff), ctypes.c_uint(0)) == 0)
            class OpenHow(ctypes.Structure):
                _fields_ = [('flags', ctypes.c_uint64), ('mode', ctypes.c_uint64), ('resolve', ctypes.c_uint64)]
            how = OpenHow(os.O_PATH | os.O_CLOEXEC, 0, 0)
            fd = libc.syscall(ctypes.c_long(437), ctypes.c_int(-100), ctypes.c_char_p(b'/'),
                              ctypes.byref(how), ctypes.c_size_t(ctypes.sizeof(how)))
            if fd >= 0: os.close(fd)
            out('openat2', fd >= 0)
            lib = ctypes.CDLL('libc.so.6')
            for sym, name in (('posix_fadvise', 'fadvise'), ('posix_fallocate', 'fallocate'), ('mallinfo2', 'mallinfo2')):
                out(name, hasattr(lib, sym))
            """;

    private static final Map<String, Boolean> EXPECTED = new HashMap<>();

    private static boolean kernelAtLeast(String release, int major, int minor) {
        String[] v = release.split("[.-]");
        int maj = Integer.parseInt(v[0]);
        int min = Integer.parseInt(v[1]);
        return maj > major || (maj == major && min >= minor);
    }

    private static boolean succeeds(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    @BeforeAll
    static void probeIndependently() throws Exception {
        for (String line : Proc.lines("python3", "-c", PYTHON_PROBES)) {
            String[] kv = line.split("=");
            EXPECTED.put(kv[0], kv[1].equals("1"));
        }
        EXPECTED.put("ioprio", succeeds("ionice", "-p", Long.toString(ProcessHandle.current().pid())));
        Path actions = Path.of("/proc/sys/kernel/seccomp/actions_avail");
        boolean userNotif = Files.exists(actions) && List.of(Files.readString(actions).strip().split(" "))
                .contains("user_notif");
        EXPECTED.put("seccomp_user_notif", userNotif);
        String release = Proc.run("uname", "-r");
        EXPECTED.put("seccomp_sync_wake_up", userNotif && kernelAtLeast(release, 6, 6));
        EXPECTED.put("seccomp_wait_killable_recv", userNotif && kernelAtLeast(release, 5, 19));
    }

    private static void check(Feature f) {
        assertEquals(EXPECTED.get(f.name()), f.available(), () -> f.name() + ": " + f.reason());
        assertFalse(f.reason().isBlank(), f.name());
    }

    @Test
    void everyProbeAgreesWithAnIndependentCheck() {
        check(Features.pidfd());
        check(Features.closeRange());
        check(Features.openat2());
        check(Features.ioprio());
        check(Features.seccompUserNotification());
        check(Features.seccompSyncWakeUp());
        check(Features.seccompWaitKillableRecv());
        check(Features.fadvise());
        check(Features.fallocate());
        check(Features.mallinfo2());
        assertEquals(EXPECTED.keySet(), Features.all().keySet());
        Features.all().values().forEach(FeaturesTest::check);
    }

    @Test
    void allIsInAStableOrderAndAnswersTheSameFeatures() {
        assertEquals(List.of("seccomp_user_notif", "seccomp_sync_wake_up", "seccomp_wait_killable_recv", "pidfd",
                "close_range", "openat2", "ioprio", "fadvise", "fallocate", "mallinfo2"),
                new ArrayList<>(Features.all().keySet()));
        assertEquals(Features.all(), Features.all());
        assertEquals(Features.pidfd(), Features.all().get("pidfd"));
    }

    @Test
    void ensureAvailableThrowsWithTheReason() {
        Feature missing = new Feature("frobnicate", false, "the kernel has no frobnicator");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, missing::ensureAvailable);
        assertEquals("frobnicate is not available: the kernel has no frobnicator", e.getMessage());
        new Feature("present", true, "works").ensureAvailable();
        for (Feature f : Features.all().values()) {
            if (f.available()) {
                f.ensureAvailable();
            } else {
                UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class, f::ensureAvailable);
                assertTrue(u.getMessage().startsWith(f.name() + " is not available: "), u.getMessage());
            }
        }
    }

    /// Waits, probes every feature, reports, waits again.
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            System.out.println("ready");
            in.readLine();
            for (Feature f : Features.all().values()) {
                System.out.println("feature." + f.name() + "=" + f.available());
            }
            System.out.println("probed");
            in.readLine();
        }
    }

    /// What each descriptor of `pid` refers to, read from /proc.
    private static List<String> fdTargets(long pid) throws IOException {
        List<String> targets = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    targets.add(fd.getFileName() + " -> " + Files.readSymbolicLink(fd));
                } catch (NoSuchFileException gone) {
                    // closed between listing and reading
                }
            }
        }
        targets.sort(null);
        return targets;
    }

    /// `key` of /proc/PID/task/TID/status for every thread of `pid`, as "TID(comm)=value".
    private static List<String> perThread(long pid, String key) throws IOException {
        List<String> values = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    String value = Files.readAllLines(task.resolve("status")).stream()
                            .filter(l -> l.startsWith(key + ":")).findFirst().orElseThrow()
                            .substring(key.length() + 1).strip();
                    values.add(task.getFileName() + "(" + comm + ")=" + value);
                } catch (NoSuchFileException exited) {
                    // the thread ended while we looked
                }
            }
        }
        return values;
    }

    @Test
    void probingLeavesNoDescriptorNoFilterAndNoNoNewPrivs() throws Exception {
        try (ChildJvm child = ChildJvm.start(Probe.class)) {
            child.expect("ready");
            long pid = child.pid();
            List<String> before = fdTargets(pid);
            child.send("probe");
            Map<String, Boolean> reported = new HashMap<>();
            for (String line; !(line = child.readLine()).equals("probed"); ) {
                String[] kv = line.substring("feature.".length()).split("=");
                reported.put(kv[0], Boolean.parseBoolean(kv[1]));
            }
            assertEquals(EXPECTED, reported, "the child's probes agree with the independent checks");
            List<String> after = fdTargets(pid);
            assertEquals(before, after, "descriptors of the child before and after probing");
            for (String target : after) {
                assertFalse(target.contains("pidfd") || target.contains("seccomp"), target);
            }
            List<String> seccomp = perThread(pid, "Seccomp");
            assertFalse(seccomp.isEmpty());
            for (String t : seccomp) {
                assertTrue(t.endsWith("=0"), "a thread of the child is seccomp-filtered: " + t);
                assertFalse(t.contains("(posix4j-seccomp"), "the probe thread is still alive: " + t);
            }
            for (String t : perThread(pid, "NoNewPrivs")) {
                assertTrue(t.endsWith("=0"), "a thread of the child has no_new_privs: " + t);
            }
            assertEquals("0", Proc.status(pid, "NoNewPrivs"), "main thread NoNewPrivs");
            assertEquals("0", Proc.status(pid, "Seccomp"), "main thread Seccomp");
            child.send("done");
            ChildJvm.Result result = child.finish();
            result.assertSuccess();
        }
    }

    @Test
    void probingInThisJvmLeavesEveryThreadUnfiltered() throws Exception {
        Features.all();
        long pid = ProcessHandle.current().pid();
        for (String t : perThread(pid, "Seccomp")) {
            assertTrue(t.endsWith("=0"), "a test JVM thread is seccomp-filtered: " + t);
        }
        for (String t : perThread(pid, "NoNewPrivs")) {
            assertTrue(t.endsWith("=0"), "a test JVM thread has no_new_privs: " + t);
        }
    }

    /// Uses up every descriptor, asks for the features that need one, frees them and asks again.
    public static final class Exhausted {
        public static void main(String[] args) throws Exception {
            java.util.List<org.posix4j.io.Fd> held = new java.util.ArrayList<>();
            // Loading a class takes a descriptor: load the failure paths' classes while there are
            // some, with probes of features that need none.
            org.posix4j.io.Fd.open("/dev/null", org.posix4j.io.OpenFlags.READ_ONLY, 0).close();
            System.out.println("preload=" + Errno.of(24).orElseThrow() + new PosixException("preload", 24, "").getMessage()
                    + Features.closeRange().available() + Features.ioprio().available());
            try {
                while (true) {
                    held.add(org.posix4j.io.Fd.open("/dev/null", org.posix4j.io.OpenFlags.READ_ONLY, 0));
                }
            } catch (PosixException full) {
                System.out.println("full=" + full.errno().orElseThrow());
            }
            System.out.println("pidfd.full=" + Features.pidfd().available() + " " + Features.pidfd().reason());
            System.out.println("openat2.full=" + Features.openat2().available());
            for (org.posix4j.io.Fd fd : held) {
                fd.close();
            }
            System.out.println("pidfd.freed=" + Features.pidfd().available());
            System.out.println("openat2.freed=" + Features.openat2().available());
        }
    }

    @Test
    void aProbeThatRanOutOfDescriptorsRunsAgain() throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("prlimit", "--nofile=64:64", "--"));
        cmd.addAll(ChildJvm.command(java.util.List.of("-XX:-MaxFDLimit"), Exhausted.class));
        try (ChildJvm child = ChildJvm.start(new ProcessBuilder(cmd))) {
            assertEquals("EMFILE", child.expect("full="));
            assertEquals("false pidfd_open failed: EMFILE (Too many open files)", child.expect("pidfd.full="));
            assertEquals("false", child.expect("openat2.full="));
            assertEquals("true", child.expect("pidfd.freed="), "EMFILE says nothing about the kernel");
            assertEquals("true", child.expect("openat2.freed="));
            child.finish().assertSuccess();
        }
    }
}
