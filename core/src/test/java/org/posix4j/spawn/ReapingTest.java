package org.posix4j.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.io.Fd;
import org.posix4j.io.OpenFds;
import org.posix4j.io.OpenFlags;
import org.posix4j.signal.Signal;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.TimeFactor;

/// Every child posix4j starts is reaped by one watcher thread, whatever the caller does with it;
/// checked against /proc (no child of the test JVM left, zombie or not) and /proc/self/fd.
class ReapingTest {
    private static long watcherThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("posix4j-subprocess-watcher")).count();
    }

    @Test
    void thousandShortChildrenLeaveNoZombieNoDescriptorAndOneThread() throws Exception {
        Subprocesses.startWatcher();
        Set<String> before = OpenFds.snapshot();
        Set<Integer> pids = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int half = t % 2;
                results.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 250; i++) {
                        Child c = Spawn.program("/bin/true").start();
                        pids.add(c.pid());
                        if (half == 1) {
                            c.close();
                        }
                        ok += c.waitFor().success() ? 1 : 0;
                        c.close();
                    }
                    return ok;
                }));
            }
            for (Future<Integer> r : results) {
                assertEquals(250, r.get());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(1000, pids.size());
        assertEquals(List.of(), Zombies.among(pids), "no child left, zombie or not");
        OpenFds.assertNoneOpenedSince(before);
        // One watcher for all of them, not one per child; it may already have ended, 50 ms after
        // its last child, when the checks above took longer on a loaded machine.
        long watchers = watcherThreads();
        assertTrue(watchers <= 1, () -> watchers + " watcher threads");
    }

    @Test
    void closedAndForgottenChildrenAreStillReaped() throws Exception {
        List<Integer> pids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Child c = Spawn.program("/bin/sleep").args("0.2").stdout(Redirect.PIPE).start();
            pids.add(c.pid());
            if (i % 2 == 0) {
                Subprocesses.watch(c, true).ignore();
            }
            c.close();
        }
        for (long end = TimeFactor.deadline(Duration.ofSeconds(10)); System.nanoTime() < end; Thread.sleep(20)) {
            if (pids.stream().noneMatch(p -> Files.exists(Path.of("/proc", p.toString())))) {
                break;
            }
        }
        assertEquals(List.of(), Zombies.among(pids), "every one was reaped");
    }

    @Test
    void droppedChildReleasesItsPidfd() throws Exception {
        // In a JVM of its own: in the test JVM, other tests' children and callbacks open pidfds
        // of their own while this one waits for the garbage collector.
        ChildJvm.Result r = ChildJvm.run(DropChildren.class).assertSuccess();
        assertEquals("0", r.value("before="), "no pidfd before the first spawn");
        assertEquals("10", r.value("spawned="), "each child held its pidfd while reachable");
        assertEquals("0", r.value("after="), "the watcher closed the pidfds of unreachable children");
    }

    /// Spawns ten children without keeping them, and counts its pidfds before, while the
    /// children are held, and once they are unreachable and collected.
    public static final class DropChildren {
        static long pidfds() throws Exception {
            long n = 0;
            try (var fds = Files.list(Path.of("/proc/self/fd"))) {
                for (Path fd : fds.toList()) {
                    try {
                        n += Files.readSymbolicLink(fd).toString().equals("anon_inode:[pidfd]") ? 1 : 0;
                    } catch (java.io.IOException closedMeanwhile) {
                        // the listing's own descriptor is gone by the time it is read
                    }
                }
            }
            return n;
        }

        public static void main(String[] args) throws Exception {
            Subprocesses.startWatcher();
            System.out.println("before=" + pidfds());
            List<Child> held = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Child child = Spawn.program("/bin/true").start();
                child.waitFor();
                held.add(child);
            }
            System.out.println("spawned=" + pidfds());
            held.clear();
            long left = pidfds();
            for (long end = TimeFactor.deadline(Duration.ofSeconds(10)); left > 0 && System.nanoTime() < end; left = pidfds()) {
                System.gc();
                Thread.sleep(50);
            }
            System.out.println("after=" + left);
        }
    }

    /// Runs out of descriptors right before pidfd_open, then reports the failure and whether a
    /// child was left behind.
    public static final class NoDescriptorLeft {
        public static void main(String[] args) throws Exception {
            // Loading a class needs a descriptor too: go through the paths once beforehand.
            Spawn.program("/bin/sleep").args("0.1").start().waitFor();
            Child running = Spawn.program("/bin/sleep").args("30").start();
            try {
                Spawn.program("/nonexistent").start();
            } catch (PosixException expected) {
                // loads the failure path's classes while descriptors are still available
            }
            List<Fd> filler = new ArrayList<>();
            try {
                for (;;) {
                    filler.add(Fd.open("/dev/null", OpenFlags.READ_ONLY, 0));
                }
            } catch (PosixException full) {
                System.out.println("filled=" + full.errno().orElseThrow());
            }
            String result;
            try {
                Spawn.program("/bin/sleep").args("30").start();
                result = "started";
            } catch (PosixException e) {
                result = e.function() + " " + e.errno().orElseThrow();
            }
            String pidfd;
            try {
                pidfd = running.pidfd().toString();
            } catch (PosixException e) {
                pidfd = e.function() + " " + e.errno().orElseThrow();
            }
            // Without a descriptor for its eventfd, waitFor waits on the watcher instead.
            running.signal(Signal.KILL);
            String status = running.waitFor().toString();
            for (Fd fd : filler) {
                fd.close();
            }
            System.out.println("spawn=" + result);
            System.out.println("pidfd=" + pidfd);
            System.out.println("status=" + status);
            // This JVM started no child but posix4j's, so every child of it counts.
            System.out.println("children=" + Zombies.children());
        }
    }

    @Test
    void pidfdOpenFailureKillsAndReapsTheChild() throws Exception {
        ChildJvm.Result r = ChildJvm.run(NoDescriptorLeft.class).assertSuccess();
        assertEquals(Errno.EMFILE.name(), r.value("filled="));
        assertEquals("pidfd_open EMFILE", r.value("spawn="));
        assertEquals("fcntl EMFILE", r.value("pidfd="));
        assertEquals("Signaled[signal=9, coreDumped=false]", r.value("status="));
        assertEquals("[]", r.value("children="));
    }
}
