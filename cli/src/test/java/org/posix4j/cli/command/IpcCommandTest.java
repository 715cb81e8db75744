package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.cli.Main;
import org.posix4j.cli.testing.ChildProcess;
import org.posix4j.cli.testing.Requires;
import org.posix4j.testing.TimeFactor;

/// `posix4j ipc` in child JVMs, checked against /dev/shm (stat(1) and the files' bytes) and, for
/// interoperability, against Python's `multiprocessing.shared_memory`.
class IpcCommandTest {
    @TempDir
    Path tmp;

    /// A name of this test run, so that parallel runs and leftovers do not collide.
    private final String name = "p4jipc" + ProcessHandle.current().pid() + "x" + System.nanoTime();

    @AfterEach
    void cleanUp() throws IOException {
        Files.deleteIfExists(Path.of("/dev/shm", name));
        Files.deleteIfExists(Path.of("/dev/shm", "sem." + name));
    }

    /// What a `posix4j` run did, stdout kept as bytes since `shm read` prints binary data.
    private record Run(int exitCode, byte[] stdout, String stderr) {
        String text() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /// Runs `posix4j ipc ARGS` in a child JVM with stdin from `input` (empty when null).
    private Run ipc(byte[] input, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ipc"));
        cmd.addAll(List.of(args));
        Path in = Files.write(tmp.resolve("in"), input == null ? new byte[0] : input);
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        Process p = new ProcessBuilder(ChildProcess.java(Main.class, cmd.toArray(String[]::new)))
                .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TimeFactor.scale(60), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not end within 60 s");
        }
        return new Run(p.exitValue(), Files.readAllBytes(out), Files.readString(err));
    }

    private Run ok(byte[] input, String... args) throws IOException, InterruptedException {
        Run r = ipc(input, args);
        assertEquals(0, r.exitCode(), () -> List.of(args) + ": " + r.stderr());
        assertEquals("", r.stderr(), () -> List.of(args).toString());
        return r;
    }

    /// "size mode" of `path` by stat(1).
    private static String stat(Path path) throws IOException, InterruptedException {
        return ChildProcess.output("stat", "-c", "%s %a", path.toString());
    }

    private static byte[] allBytes() {
        byte[] b = new byte[256];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void shmCreateMakesAnObjectOfThatSizeAndMode() throws Exception {
        ok(null, "shm", "create", name, "12345", "--mode", "0640");
        assertEquals("12345 640", stat(Path.of("/dev/shm", name)));
        assertArrayEquals(new byte[12345], Files.readAllBytes(Path.of("/dev/shm", name)));
    }

    @Test
    void shmCreateDefaultsToMode0600AndAcceptsTheLeadingSlash() throws Exception {
        ok(null, "shm", "create", "/" + name, "4096");
        assertEquals("4096 600", stat(Path.of("/dev/shm", name)));
    }

    @Test
    void shmWriteThenReadGivesBackEveryByteValue() throws Exception {
        ok(null, "shm", "create", name, "300");
        ok(allBytes(), "shm", "write", name, "--offset", "10");
        byte[] expected = new byte[300];
        System.arraycopy(allBytes(), 0, expected, 10, 256);
        assertArrayEquals(expected, Files.readAllBytes(Path.of("/dev/shm", name)));
        assertArrayEquals(expected, ok(null, "shm", "read", name).stdout());
    }

    @Test
    void shmReadHonoursOffsetAndLength() throws Exception {
        ok(null, "shm", "create", name, "256");
        Files.write(Path.of("/dev/shm", name), allBytes());
        assertArrayEquals(new byte[] {(byte) 200, (byte) 201, (byte) 202},
                ok(null, "shm", "read", name, "--offset", "200", "--length", "3").stdout());
        assertEquals(56, ok(null, "shm", "read", name, "--offset", "200").stdout().length);
        assertEquals(0, ok(null, "shm", "read", name, "--offset", "256").stdout().length);
        Run beyond = ipc(null, "shm", "read", name, "--offset", "250", "--length", "7");
        assertEquals(1, beyond.exitCode());
        assertTrue(beyond.stderr().startsWith("posix4j ipc: offset 250 + length 7 is beyond the end"), beyond.stderr());
    }

    @Test
    void shmWriteRefusesInputLongerThanTheObjectAndWritesNothing() throws Exception {
        ok(null, "shm", "create", name, "8");
        Run r = ipc("123456789".getBytes(StandardCharsets.US_ASCII), "shm", "write", name);
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().startsWith("posix4j ipc: the input (9 bytes) does not fit"), r.stderr());
        assertArrayEquals(new byte[8], Files.readAllBytes(Path.of("/dev/shm", name)));
    }

    @Test
    void shmUnlinkRemovesTheObject() throws Exception {
        ok(null, "shm", "create", name, "1");
        assertTrue(Files.exists(Path.of("/dev/shm", name)));
        ok(null, "shm", "unlink", name);
        assertFalse(Files.exists(Path.of("/dev/shm", name)));
        Run again = ipc(null, "shm", "unlink", name);
        assertEquals(1, again.exitCode());
        assertEquals("posix4j ipc: shm_unlink(/" + name + "): No such file or directory [ENOENT]\n", again.stderr());
    }

    @Test
    void shmErrorsSayWhatWentWrong() throws Exception {
        ok(null, "shm", "create", name, "16");
        Run exists = ipc(null, "shm", "create", name, "32");
        assertEquals(1, exists.exitCode());
        assertEquals("posix4j ipc: shm_open(/" + name + "): File exists [EEXIST]\n", exists.stderr());
        assertEquals("16 600", stat(Path.of("/dev/shm", name)));

        Run missing = ipc(null, "shm", "read", name + "missing");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.stderr().contains("[ENOENT]"), missing.stderr());
        assertEquals(0, missing.stdout().length);

        Run badName = ipc(null, "shm", "create", "a/b", "16");
        assertEquals(1, badName.exitCode());
        assertTrue(badName.stderr().startsWith("posix4j ipc: name must"), badName.stderr());

        Run badMode = ipc(null, "shm", "create", name + "m", "16", "--mode", "0800");
        assertEquals(2, badMode.exitCode());
        assertTrue(badMode.stderr().contains("not an octal mode"), badMode.stderr());
        assertFalse(Files.exists(Path.of("/dev/shm", name + "m")));

        assertEquals(2, ipc(null, "shm").exitCode());
    }

    /// The value glibc keeps in the first 32 bits of a named semaphore's file on x86-64 and
    /// aarch64 (the low half of its 64-bit `data` word).
    private int semFileValue() throws IOException {
        byte[] b = Files.readAllBytes(Path.of("/dev/shm", "sem." + name));
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getInt(0);
    }

    @Test
    void semCreatePostValueWaitUnlink() throws Exception {
        ok(null, "sem", "create", name, "--value", "2", "--mode", "0640");
        Path file = Path.of("/dev/shm", "sem." + name);
        assertEquals("640", stat(file).split(" ")[1]);
        assertEquals(2, semFileValue());
        ok(null, "sem", "post", name);
        assertEquals(3, semFileValue());
        assertEquals("3\n", ok(null, "sem", "value", name).text());
        ok(null, "sem", "wait", name);
        ok(null, "sem", "wait", name, "--timeout", "5");
        assertEquals(1, semFileValue());
        assertEquals("1\n", ok(null, "sem", "value", name).text());
        ok(null, "sem", "unlink", name);
        assertFalse(Files.exists(file));
    }

    @Test
    void semWaitTimesOutWithExitCode1() throws Exception {
        ok(null, "sem", "create", name);
        assertEquals("600", stat(Path.of("/dev/shm", "sem." + name)).split(" ")[1]);
        long start = System.nanoTime();
        Run r = ipc(null, "sem", "wait", name, "--timeout", "0.3");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(1, r.exitCode(), r.stderr());
        assertEquals("", r.stderr());
        assertTrue(ms >= 300, "returned after " + ms + " ms");
        assertEquals(0, semFileValue());
    }

    @Test
    void semErrorsSayWhatWentWrong() throws Exception {
        ok(null, "sem", "create", name);
        Run exists = ipc(null, "sem", "create", name);
        assertEquals(1, exists.exitCode());
        assertEquals("posix4j ipc: sem_open(/" + name + "): File exists [EEXIST]\n", exists.stderr());
        Run missing = ipc(null, "sem", "post", name + "missing");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.stderr().startsWith("posix4j ipc: sem_open(/" + name + "missing)")
                && missing.stderr().contains("[ENOENT]"), missing.stderr());
        Run negative = ipc(null, "sem", "create", name + "n", "--value", "-1");
        assertEquals(1, negative.exitCode());
        assertTrue(negative.stderr().startsWith("posix4j ipc: initial must be within"), negative.stderr());
        assertFalse(Files.exists(Path.of("/dev/shm", "sem." + name + "n")));
    }

    @Test
    void readsAnObjectPythonCreatedAndPythonReadsWhatWeWrote() throws Exception {
        Requires.programs("python3");
        // Python's resource tracker would unlink the object when the script ends: unregister it.
        String create = String.join("\n",
                "from multiprocessing import shared_memory, resource_tracker",
                "s = shared_memory.SharedMemory(name='" + name + "', create=True, size=256)",
                "s.buf[:256] = bytes(range(256))",
                "resource_tracker.unregister(s._name, 'shared_memory')",
                "s.close()");
        ChildProcess.output("python3", "-c", create);
        assertArrayEquals(allBytes(), ok(null, "shm", "read", name).stdout());

        ok("posix4j".getBytes(StandardCharsets.US_ASCII), "shm", "write", name, "--offset", "100");
        String read = String.join("\n",
                "from multiprocessing import shared_memory, resource_tracker",
                "s = shared_memory.SharedMemory(name='" + name + "')",
                "print(bytes(s.buf[100:107]).decode())",
                "resource_tracker.unregister(s._name, 'shared_memory')",
                "s.close()");
        assertEquals("posix4j", ChildProcess.output("python3", "-c", read));
        assertTrue(Files.exists(Path.of("/dev/shm", name)));
    }
}
