package org.posix4j.ipc;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.posix4j.io.Fd;
import org.posix4j.testing.NoFdLeaks;
import org.posix4j.testing.Proc;

/// Shared memory objects exchanged with a real peer: Python's `multiprocessing.shared_memory`.
@ExtendWith(NoFdLeaks.class)
class SharedMemoryPythonTest {
    /// Python's resource tracker unlinks every object a process created or attached to when the
    /// process ends (3.8 to 3.12); the peer unregisters so that only the test decides.
    private static final String UNTRACK = "from multiprocessing import resource_tracker\n"
            + "resource_tracker.unregister(shm._name, 'shared_memory')\n";

    private final String bare = "posix4j-py-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    private final String name = "/" + bare;

    @AfterEach
    void remove() throws Exception {
        Files.deleteIfExists(Path.of("/dev/shm", bare));
    }

    @Test
    void anObjectPythonCreatedIsMappedAndReadByPosix4j() throws Exception {
        Proc.run("python3", "-c", "from multiprocessing import shared_memory\n"
                + "shm = shared_memory.SharedMemory(name='" + bare + "', create=True, size=5000)\n"
                + UNTRACK
                + "shm.buf[0:17] = b'hello from python'\n"
                + "shm.buf[4999] = 0x7f\n"
                + "shm.close()\n");
        try (Fd fd = SharedMemory.open(name, EnumSet.of(ShmFlag.READ_ONLY), 0); Arena arena = Arena.ofConfined()) {
            assertEquals(5000, SharedMemory.size(fd));
            MemorySegment m = SharedMemory.map(fd, 0, 5000, MappingMode.READ_ONLY, arena);
            assertEquals("hello from python", m.getString(0, StandardCharsets.US_ASCII));
            assertEquals(0x7f, m.get(JAVA_BYTE, 4999));
        }
        SharedMemory.unlink(name);
        assertFalse(Files.exists(Path.of("/dev/shm", bare)));
    }

    @Test
    void anObjectPosix4jCreatedIsReadAndWrittenByPython() throws Exception {
        byte[] pattern = new byte[256];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) i;
        }
        try (Fd fd = SharedMemory.open(name, EnumSet.of(ShmFlag.READ_WRITE, ShmFlag.CREATE, ShmFlag.EXCLUSIVE), 0600);
                Arena arena = Arena.ofConfined()) {
            SharedMemory.resize(fd, 8192);
            MemorySegment m = SharedMemory.map(fd, 0, 8192, MappingMode.READ_WRITE, arena);
            MemorySegment.copy(pattern, 0, m, JAVA_BYTE, 4096, pattern.length);
            String seen = Proc.run("python3", "-c", "from multiprocessing import shared_memory\n"
                    + "shm = shared_memory.SharedMemory(name='" + bare + "')\n"
                    + UNTRACK
                    + "print(shm.size, bytes(shm.buf[4096:4352]).hex())\n"
                    + "shm.buf[100:115] = b'python was here'\n"
                    + "shm.close()\n");
            assertEquals("8192 " + HexFormat.of().formatHex(pattern), seen);
            assertEquals("python was here", m.getString(100, StandardCharsets.US_ASCII),
                    "Python's write is seen through posix4j's live mapping");
            byte[] back = new byte[pattern.length];
            MemorySegment.copy(m, JAVA_BYTE, 4096, back, 0, back.length);
            assertArrayEquals(pattern, back);
        }
        SharedMemory.unlink(name);
    }
}
