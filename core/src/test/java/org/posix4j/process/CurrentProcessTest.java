package org.posix4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Proc;

class CurrentProcessTest {

    @Test
    void pidAndParentPidMatchProc() throws Exception {
        assertEquals(ProcessHandle.current().pid(), CurrentProcess.pid());
        assertEquals(Path.of("/proc/self").toRealPath().getFileName().toString(), Integer.toString(CurrentProcess.pid()));
        assertEquals(Proc.stat(CurrentProcess.pid())[1], Integer.toString(CurrentProcess.parentPid()));
    }

    /// Sets the umask given in octal, prints the old one, then runs sh to print the inherited one.
    public static final class Umask {
        public static void main(String[] args) throws Exception {
            int old = CurrentProcess.setUmask(Integer.parseInt(args[0], 8));
            System.out.println("old=" + Integer.toOctalString(old));
            System.out.println("now=" + Integer.toOctalString(CurrentProcess.umask()));
            Process sh = new ProcessBuilder("sh", "-c", "umask").start();
            System.out.println("sh=" + new String(sh.getInputStream().readAllBytes()).strip());
            System.out.println("ready");
            System.in.read();
        }
    }

    @Test
    void umaskIsSetForTheProcessAndItsChildren() throws Exception {
        try (ChildJvm child = ChildJvm.start(Umask.class, "027")) {
            assertEquals(Proc.status(CurrentProcess.pid(), "Umask").replaceFirst("^0+", ""),
                    child.expect("old=").replaceFirst("^0+", ""), "the child inherited our umask");
            assertEquals("27", child.expect("now="));
            assertEquals("0027", child.expect("sh="));
            child.expect("ready");
            assertEquals("0027", Proc.status(child.pid(), "Umask"));
            child.finish().assertSuccess();
        }
    }

    @Test
    void umaskReadsTheSameAsProc() {
        assertEquals(Integer.parseInt(Proc.status(CurrentProcess.pid(), "Umask"), 8), CurrentProcess.umask());
    }

    @Test
    void umaskOutOfRangeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CurrentProcess.setUmask(01000));
        assertTrue(e.getMessage().startsWith("mask "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CurrentProcess.setUmask(-1));
    }

    /// Sets RLIMIT_CORE as told, then aborts.
    public static final class Abort {
        public static void main(String[] args) throws Exception {
            ResourceLimits.set(Resource.CORE, args[0].equals("core") ? Rlimit.unlimited() : Rlimit.of(0, 0));
            CurrentProcess.abort();
            System.out.println("returned");
        }
    }

    /// Runs the Abort child under python3 so the wait status, with its core-dump bit, is read by
    /// an independent waitpid(2).
    private static String abortStatus(String mode, Path dir) throws Exception {
        List<String> cmd = ChildJvm.command(List.of("-XX:-CreateCoredumpOnCrash"), Abort.class, mode);
        String script = "import os, subprocess, sys\n"
                + "p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
                + "_, st = os.waitpid(p.pid, 0)\n"
                + "print(os.WIFSIGNALED(st), os.WTERMSIG(st) if os.WIFSIGNALED(st) else -1, os.WCOREDUMP(st))\n";
        List<String> full = new java.util.ArrayList<>(List.of("python3", "-c", script));
        full.addAll(cmd);
        Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void abortRaisesSigabrtWithoutCoreWhenRlimitCoreIsZero(@TempDir Path dir) throws Exception {
        assertEquals("True 6 False", abortStatus("nocore", dir));
        try (Stream<Path> s = Files.list(dir)) {
            assertFalse(s.anyMatch(f -> f.getFileName().toString().startsWith("core")));
        }
    }

    @Test
    void abortDumpsCoreWhenRlimitCoreAllows(@TempDir Path dir) throws Exception {
        String pattern = Files.readString(Path.of("/proc/sys/kernel/core_pattern")).strip();
        org.posix4j.testing.Requires.that(!pattern.isEmpty(), "core_pattern is empty: the kernel writes no core");
        assertEquals("True 6 True", abortStatus("core", dir));
        if (pattern.startsWith("core")) {
            try (Stream<Path> s = Files.list(dir)) {
                assertTrue(s.anyMatch(f -> f.getFileName().toString().startsWith("core")), "core file in " + dir);
            }
        }
    }
}
