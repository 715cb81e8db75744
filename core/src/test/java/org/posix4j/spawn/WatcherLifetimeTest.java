package org.posix4j.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.TimeFactor;

/// The watcher thread ends once it has nothing left to watch (a thread blocked in epoll_wait
/// would hold up the JVM's exit), and comes back for the next child. Read from the child JVM's
/// own /proc/self/task/*/comm.
class WatcherLifetimeTest {
    @Test
    void theWatcherEndsWhenIdleAndComesBackForTheNextChild() throws Exception {
        ChildJvm.Result r = ChildJvm.run(Lifetime.class);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("true", r.value("during="), r.toString());
        assertEquals("false", r.value("after="), r.toString());
        assertEquals("0 true", r.value("again="), r.toString());
        assertEquals("false", r.value("finally="), r.toString());
    }

    /// At exit the watcher ends even when a child was never closed (it would otherwise sit in
    /// epoll_wait, timed for its next sweep, and HotSpot waits up to 300 ms at exit for a thread
    /// in native code), and it still reaps a child that another shutdown hook waits for.
    @Test
    void theWatcherEndsAtExitAfterTheChildrenAnotherHookWaitsFor() throws Exception {
        ChildJvm.Result r = ChildJvm.run(AtExit.class);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("0", r.value("late="), r.toString());
        assertEquals("true", r.value("gone="), r.toString());
    }

    /// Leaves one reaped child unclosed and one running, and exits; a hook of its own waits for
    /// the running one, then for the watcher thread to end.
    public static final class AtExit {
        private static Child unclosed;

        public static void main(String[] args) throws Exception {
            unclosed = Spawn.program("/bin/true").start();
            unclosed.waitFor();
            Child running = Spawn.program("/bin/sleep").args("0.2").start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    System.out.println("late=" + running.waitFor().shellCode());
                    System.out.println("gone=" + Lifetime.awaitGone());
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }));
        }
    }

    /// Runs a child, looks for the watcher thread while it runs and after it was closed.
    public static final class Lifetime {
        public static void main(String[] args) throws Exception {
            try (Child c = Spawn.program("/bin/sleep").args("0.5").start()) {
                System.out.println("during=" + awaitRunning());
                c.waitFor();
            }
            System.out.println("after=" + !awaitGone());
            try (Child c = Spawn.program("/bin/sleep").args("0.5").start()) {
                boolean seen = awaitRunning();
                System.out.println("again=" + c.waitFor().shellCode() + " " + seen);
            }
            System.out.println("finally=" + !awaitGone());
        }

        /// The thread's name is set as it starts, a moment after the spawn returned.
        private static boolean awaitRunning() throws IOException, InterruptedException {
            for (long i = 0, n = TimeFactor.scale(100); i < n && !watcherRuns(); i++) {
                Thread.sleep(2);
            }
            return watcherRuns();
        }

        static boolean awaitGone() throws IOException, InterruptedException {
            for (long i = 0, n = TimeFactor.scale(500); i < n && watcherRuns(); i++) {
                Thread.sleep(10);
            }
            return !watcherRuns();
        }

        private static boolean watcherRuns() throws IOException {
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                return tasks.anyMatch(t -> {
                    try {
                        return Files.readString(t.resolve("comm")).strip().startsWith("posix4j-subproc");
                    } catch (IOException gone) {
                        return false;
                    }
                });
            }
        }
    }
}
