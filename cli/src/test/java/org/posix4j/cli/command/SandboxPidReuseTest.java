package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.posix4j.cli.command.SandboxAttackTest.finish;
import static org.posix4j.cli.command.SandboxAttackTest.posix4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.cli.command.SandboxAttackTest.Live;
import org.posix4j.cli.command.SandboxAttackTest.Tree;
import org.posix4j.cli.testing.ChildProcess;
import org.posix4j.cli.testing.ChildProcess.Result;
import org.posix4j.cli.testing.Gcc;
import org.posix4j.cli.testing.Requires;
import org.posix4j.testing.ScaledTimeout;
import org.posix4j.testing.TimeFactor;

/// The pid-reuse attacks of issue 11, item 2, made deterministic: a write-back into a caller that
/// died while its call waited, and a tid or pid taken for the process that once had it.
///
/// Everything runs in a pid namespace of its own (`unshare --pid --fork --mount-proc`, with
/// posix4j's JVM as its first process), so the recycling touches neither the machine's pid_max
/// nor its other processes: a helper run in that namespace with nsenter (outside the sandbox,
/// root there, which the sandboxed program is not allowed to be for /proc/sys) writes
/// /proc/sys/kernel/ns_last_pid = N-1 and forks until its child gets N. Each control run, without
/// the sandbox, shows that the numbers were recycled as planned and that going by them reaches
/// the victim.
@ScaledTimeout(120)
class SandboxPidReuseTest {
    private static final Pattern BLOCKED = Pattern.compile("blocked tid=(\\d+) addr=(0x[0-9a-f]+)");
    private static final Pattern FREED = Pattern.compile("freed pid=(\\d+) tid=(\\d+)");
    private static final Pattern AUDIT = Pattern.compile("\"result\":(-?\\d+),\"errno\":(null|\"(\\w+)\")");

    /// posix4j started as the first process of a new pid namespace, whose process group lies
    /// outside it (getpgrp(2) answers 0): the sandbox runs, and its program can still make a
    /// process group of its own (the program cannot name the JVM's group there at all).
    @Test
    void theSupervisorRunsAsTheFirstProcessOfAPidNamespace(@TempDir Path tmp) throws Exception {
        Requires.that(ChildProcess.output("id", "-u").equals("0"), "unshare --pid needs root (CI runs as root)");
        Requires.programs("unshare");
        Requires.that(Files.isExecutable(Path.of("/usr/bin/python3")), "needs /usr/bin/python3");
        Tree t = Tree.create(tmp);
        List<String> line = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc", "--kill-child"));
        line.addAll(posix4j(List.of(), List.of("/usr/bin/python3", "-S", "-c",
                "import os; os.setpgid(0, 0); print('own group', os.getpgrp() == os.getpid())")));
        Result r = finish(new ProcessBuilder(line).directory(t.root.toFile()));
        assertEquals("own group True\n", r.stdout(), r::toString);
        assertEquals(0, r.exitCode(), r::toString);
    }

    /// What one run of the attack printed: the caller's tid and the address of its msg_len, and
    /// the lines of the caller, the recycler and the victim.
    private record Run(int tid, String address, String recycled, String wrote, String victim, String ended,
            String drained, String check, Result caller) {}

    /// A sandboxed process blocks in a sendmmsg(2) whose answer (msg_len) the master writes back
    /// into its memory, is killed while the call waits, and its tid goes to a new process outside
    /// the sandbox, the victim, which has a page of 0xa5 at the same address; then the send is
    /// released. The control shows the victim got the tid and the address, and that a write by
    /// number there (what a master bound to the number would do) lands in the victim; inside,
    /// the victim's page stays unchanged and the audit says ESRCH (or EINTR, dropped).
    @Test
    void theMasterWritesNothingIntoTheProcessThatGotADeadCallersTid(@TempDir Path tmp) throws Exception {
        Tree t = Tree.create(tmp);
        Requires.programs("unshare", "nsenter", "setsid");
        Path caller = Gcc.compile("sandbox/pidreuse/caller.c", tmp);
        Path recycler = Gcc.compile("sandbox/pidreuse/recycler.c", tmp);
        String factor = String.valueOf(TimeFactor.factor());

        Run control = attack(t, recycler, List.of(caller.toString(), factor), "write", null);
        assertRecycled(control);
        assertEquals("wrote by number: 4", control.wrote(), control::toString);
        assertEquals("victim changed=4 at=00000010", control.check(),
                () -> "the write by number did not reach the victim: " + control);

        Path audit = tmp.resolve("audit.jsonl");
        List<String> sandboxed = posix4j(List.of("--audit", audit.toString()), List.of(caller.toString(), factor));
        Run inside = attack(t, recycler, sandboxed, "none", audit);
        assertRecycled(inside);
        assertEquals("victim unchanged", inside.check(), () -> "the master wrote into the victim: " + inside);
        assertEquals(0, inside.caller().exitCode(), inside::toString);
        List<String> sends = auditOf(audit, inside.tid());
        assertEquals(1, sends.size(), () -> "sendmmsg lines of tid " + inside.tid() + ": " + sends + "; " + inside);
        Matcher m = AUDIT.matcher(sends.getFirst());
        assertTrue(m.find(), sends::toString);
        assertEquals("-1", m.group(1), sends::toString);
        // Sent after the caller died (its message reached the peer): only the write-back was
        // left, and it must have been refused (ESRCH); not sent: the call was dropped (EINTR).
        String expected = inside.drained().endsWith("message=yes") ? "ESRCH" : "EINTR";
        assertEquals(expected, m.group(3), () -> sends + " after " + inside.drained() + "; " + inside);
    }

    /// The stale identity of item 2: thread T of a sandboxed process A makes a brokered call,
    /// then A ends; A's pid goes to an outside victim whose environment holds a token, and T to a
    /// new sandboxed process B, which opens /proc/A/environ; then the program sends SIGTERM to
    /// A's pid. Without the sandbox (control) B, as root, reads the victim's token and the signal
    /// kills the victim, which shows both numbers were recycled as planned; inside, the master
    /// must know B for itself, not for A (whose own /proc entry it would allow), and refuse, and
    /// must not take the victim for a process of the sandbox: the victim lives. Broker mode, which
    /// lets each process read its own /proc/PID (kernel mode refuses all of /proc).
    @Test
    void aRecycledTidIsNotTakenForTheProcessItOnceBelongedTo(@TempDir Path tmp) throws Exception {
        Tree t = Tree.create(tmp);
        Requires.programs("unshare", "nsenter", "setsid");
        Path stale = Gcc.compile("sandbox/pidreuse/stale.c", tmp);
        Path namer = Gcc.compile("sandbox/pidreuse/namer.c", tmp);

        String[] control = staleIdentity(t, namer, List.of(stale.toString()));
        assertEquals("environ=POSIX4J_PIDREUSE_TOKEN=" + t.token, control[0], () -> String.join("; ", control));
        assertEquals("OK", control[1], () -> String.join("; ", control));
        assertEquals("victim ended: signal 15", control[2], () -> String.join("; ", control));

        String[] inside = staleIdentity(t, namer, posix4j(List.of("--enforce", "broker"), List.of(stale.toString())));
        assertTrue(inside[0].matches("environ=error:E[A-Z]+"), () -> String.join("; ", inside));
        assertFalse(inside[3].contains(t.token), () -> "the victim's environment leaked: " + String.join("; ", inside));
        assertTrue(inside[1].matches("EPERM|ESRCH"), () -> String.join("; ", inside));
        assertEquals("victim ended: exit 0", inside[2], () -> "the victim was signalled: " + String.join("; ", inside));
    }

    /// Runs `command` (stale.c, alone or under posix4j) in a new pid namespace, gives its freed
    /// pid to the namer's victim, forks until a child gets the freed tid, then has the program
    /// signal the freed pid; answers what that child printed after "child pid=TID ", what the
    /// kill gave, how the victim ended and all the program printed.
    private static String[] staleIdentity(Tree t, Path namer, List<String> command)
            throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(
                List.of("unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "setsid"));
        line.addAll(command);
        try (Live caller = new Live(new ProcessBuilder(line).directory(t.root.toFile()))) {
            Matcher freed = FREED.matcher(caller.await("freed "));
            assertTrue(freed.matches(), freed::toString);
            String pid = freed.group(1);
            String tid = freed.group(2);
            long init = ProcessHandle.of(caller.process.pid()).orElseThrow().children().findFirst().orElseThrow().pid();
            ProcessBuilder name = new ProcessBuilder("nsenter", "-t", String.valueOf(init), "-p", "-m",
                    namer.toString(), pid, tid);
            name.environment().put("POSIX4J_PIDREUSE_TOKEN", t.token);
            try (Live n = new Live(name)) {
                String victim = n.await("victim ");
                assertTrue(victim.startsWith("victim pid=" + pid + " "), victim);
                String child = null;
                for (int i = 0; i < 50 && (child == null || child.endsWith(" missed")); i++) {
                    n.send("arm");
                    n.await("armed");
                    caller.send("fork");
                    child = caller.await("child ");
                }
                String got = child;
                assertTrue(got.startsWith("child pid=" + tid + " "), () -> "tid " + tid + " not recycled: " + got);
                caller.send("kill");
                String kill = caller.await("kill pid=" + pid + ": ");
                Result namerEnd = n.finish();
                assertEquals(0, namerEnd.exitCode(), namerEnd::toString);
                Result r = caller.finish();
                assertEquals(0, r.exitCode(), r::toString);
                String victimEnd = namerEnd.stdout().strip().lines().toList().getLast();
                return new String[] {got.substring(("child pid=" + tid + " ").length()),
                        kill.substring(("kill pid=" + pid + ": ").length()), victimEnd, r.stdout() + r.stderr()};
            }
        }
    }

    /// The victim got the blocked caller's tid, after the caller was killed and reaped, and has
    /// its page at the caller's address.
    private static void assertRecycled(Run r) {
        assertTrue(r.recycled().startsWith("recycled tid=" + r.tid() + " "), r::toString);
        assertEquals("victim pid=" + r.tid() + " addr=" + r.address(), r.victim(), r::toString);
        assertEquals("child ended: signal 9", r.ended(), r::toString);
        assertTrue(r.drained().matches("drained [1-9]\\d* message=(yes|no)"), r::toString);
    }

    /// Runs `command` (the caller, alone or under posix4j) as the first process of a new pid
    /// namespace; once its child is blocked in sendmmsg, runs the recycler in `mode` in that
    /// namespace; then drains the socket, waits until the audit (if any) has the call's line,
    /// and asks the victim to check its page.
    private static Run attack(Tree t, Path recycler, List<String> command, String mode, Path audit)
            throws IOException, InterruptedException {
        // setsid: posix4j and the program in a group of their own, as a shell would start them.
        List<String> line = new ArrayList<>(
                List.of("unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "setsid"));
        line.addAll(command);
        try (Live caller = new Live(new ProcessBuilder(line).directory(t.root.toFile()))) {
            Matcher blocked = BLOCKED.matcher(caller.await("blocked "));
            assertTrue(blocked.matches(), blocked::toString);
            int tid = Integer.parseInt(blocked.group(1));
            String address = blocked.group(2);
            long init = ProcessHandle.of(caller.process.pid()).orElseThrow().children().findFirst().orElseThrow().pid();
            ProcessBuilder recycle = new ProcessBuilder("nsenter", "-t", String.valueOf(init), "-p", "-m",
                    recycler.toString(), String.valueOf(tid), address, String.valueOf(TimeFactor.millis(300)), mode);
            try (Live r = new Live(recycle)) {
                String recycled = r.await("recycled ");
                String wrote = mode.equals("write") ? r.await("wrote by number: ") : null;
                String victim = r.await("victim ");
                String ended = caller.await("child ended: ");
                caller.send("drain");
                String drained = caller.await("drained ");
                if (audit != null) {
                    awaitAudit(audit, tid);
                }
                r.send("check");
                String check = r.await("victim ");
                Result victimEnd = r.finish();
                assertEquals(0, victimEnd.exitCode(), victimEnd::toString);
                return new Run(tid, address, recycled, wrote, victim, ended, drained, check, caller.finish());
            }
        }
    }

    /// Waits up to 10 s (times the time factor) for the audit's sendmmsg line of `tid`.
    private static void awaitAudit(Path audit, int tid) throws IOException, InterruptedException {
        long deadline = TimeFactor.deadline(Duration.ofSeconds(10));
        while (auditOf(audit, tid).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /// The audit's sendmmsg lines of thread `tid`.
    private static List<String> auditOf(Path audit, int tid) throws IOException {
        if (!Files.exists(audit)) {
            return List.of();
        }
        return Files.readAllLines(audit).stream()
                .filter(l -> l.contains("\"tid\":" + tid + ",") && l.contains("\"syscall\":\"sendmmsg\""))
                .toList();
    }

}
