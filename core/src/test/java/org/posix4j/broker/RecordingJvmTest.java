package org.posix4j.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.landlock.Landlock;
import org.posix4j.spawn.ExitStatus;
import org.posix4j.spawn.Spawn;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Requires;
import org.posix4j.testing.ScaledTimeout;
import org.posix4j.testing.TimeFactor;

/// A JVM running Flight Recorder serves its sandboxes as any other does. Two ways it did not,
/// both from the JVM's own use of the threads posix4j runs on:
/// - the thread that carries the filter while it spawns the program: the JVM makes it read its
///   own `/proc/self/task/TID/stat` as it ends, a call the filter sends to the master. It is
///   refused now; unanswered, it held the thread at the JVM's next safepoint and the whole JVM
///   hung, deaf even to SIGTERM.
/// - the serving thread: Flight Recorder samples it with SIGUSR2, and a signal that interrupted
///   SECCOMP_IOCTL_NOTIF_ADDFD with SECCOMP_ADDFD_FLAG_SEND made the program's open return 0, a
///   descriptor it was never given.
/// Each runs in a child JVM started with a recording, with a bounded wait.
@ScaledTimeout(300)
class RecordingJvmTest {
    /// Runs `args[1..]` in a sandbox with the enforcement named by `args[0]` and prints its
    /// exit code.
    public static final class Child {
        public static void main(String[] args) throws Exception {
            try (Policy policy = Policy.builder().allowRead(Path.of("/usr")).allowRead(Path.of("/etc")).build();
                    Sandbox sandbox = Sandbox.start(Spawn.program(args[1]).args(Arrays.copyOfRange(args, 2, args.length)),
                            policy, Enforcement.valueOf(args[0]))) {
                ExitStatus status = sandbox.serve(policy, null, 1);
                System.out.println("exit=" + status.shellCode());
            }
        }
    }

    /// Runs [Child] in a JVM recording with `recording`'s options, and answers what it printed
    /// once it ended (120 s times the time factor at most).
    private static String runRecording(Path tmp, String name, String recording, String... args) throws Exception {
        Path output = tmp.resolve(name + ".out");
        Path file = tmp.resolve(name + ".jfr");
        Process jvm = new ProcessBuilder(ChildJvm.command(
                List.of("-XX:StartFlightRecording:" + recording + "filename=" + file), Child.class, args))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean ended = jvm.waitFor(TimeFactor.scale(120), TimeUnit.SECONDS);
        if (!ended) {
            jvm.destroyForcibly().waitFor();
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertTrue(ended, name + ": the recording JVM did not end; it printed: " + printed);
        assertEquals(0, jvm.exitValue(), printed);
        assertTrue(Files.size(file) > 0, "the recording was written");
        return printed;
    }

    @Test
    void aRecordingJvmSpawnsAndEnds(@TempDir Path tmp) throws Exception {
        List<Enforcement> modes = Landlock.abi() > 0 ? List.of(Enforcement.BROKER, Enforcement.KERNEL)
                : List.of(Enforcement.BROKER);
        for (Enforcement mode : modes) {
            String printed = runRecording(tmp, mode.name(), "", mode.name(), "/usr/bin/echo", "echo ran");
            assertTrue(printed.contains("echo ran\nexit=0\n"), printed);
        }
    }

    @Test
    void everyOpenGetsItsDescriptorWhileTheServingThreadIsSampled(@TempDir Path tmp) throws Exception {
        Requires.that(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3");
        int opens = 5_000;
        // Each open must give a new descriptor on the file's content: 0 is the program's stdin.
        String script = "import sys\nbad = []\nfor i in range(" + opens + "):\n"
                + "    with open('/etc/hostname', 'rb') as f:\n"
                + "        if f.fileno() == 0 or f.read() != want: bad.append(f.fileno())\n"
                + "print('opens', " + opens + ", 'bad', bad[:5], len(bad))\n";
        List<String> args = new ArrayList<>(List.of(Enforcement.BROKER.name(), "/usr/bin/python3", "-c",
                "want = open('/etc/hostname', 'rb').read()\n" + script));
        String printed = runRecording(tmp, "sampled", "jdk.NativeMethodSample#period=1ms,jdk.ExecutionSample#period=1ms,",
                args.toArray(String[]::new));
        assertTrue(printed.contains("opens " + opens + " bad [] 0\nexit=0\n"), printed);
    }
}
