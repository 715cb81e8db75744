package org.posix4j.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.testing.NoFdLeaks;
import org.posix4j.testing.TimeFactor;

@ExtendWith(NoFdLeaks.class)
class SemaphoreTest {
    private static final Set<SemaphoreFlag> CREATE_EXCL = EnumSet.of(SemaphoreFlag.CREATE, SemaphoreFlag.EXCLUSIVE);
    private final String name = "/posix4j-semtest-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    @AfterEach
    void removeLeftover() throws IOException {
        Files.deleteIfExists(file(name));
    }

    private static Path file(String name) {
        return Path.of("/dev/shm/sem." + name.substring(1));
    }

    /// Whether /proc/self/maps lists a mapping of the semaphore's file, by inode: glibc creates it
    /// under a temporary name and links it, so the path in the maps line is not the semaphore's.
    private static boolean mapped(long inode) throws IOException {
        String ino = Long.toString(inode);
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .map(l -> l.trim().split("\\s+")).anyMatch(f -> f.length >= 6 && f[4].equals(ino) && f[5].startsWith("/dev/shm/"));
    }

    private static long inode(String name) throws IOException {
        return (Long) Files.getAttribute(file(name), "unix:ino");
    }

    private static int umask() throws IOException {
        return Integer.parseInt(Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Umask:")).findFirst().orElseThrow().split("\\s+")[1], 8);
    }

    @Test
    void haveSemaphoresAndConstants() {
        assertTrue(Semaphore.haveSemaphores());
        assertEquals(32, Semaphore.SEM_SIZE);
        assertEquals(Integer.MAX_VALUE, Semaphore.SEM_VALUE_MAX, "glibc's sysconf(_SC_SEM_VALUE_MAX)");
    }

    @Test
    void namedSemaphoreIsAFileInDevShmWithModeAndCounts() throws Exception {
        try (NamedSemaphore sem = NamedSemaphore.open(name, CREATE_EXCL, 0640, 2)) {
            Path f = file(name);
            assertTrue(Files.isRegularFile(f), f + " exists");
            assertEquals(Semaphore.SEM_SIZE, Files.size(f));
            int expected = 0640 & ~umask();
            assertEquals(PosixFilePermissions.toString(PosixFilePermissions.fromString(perm(expected))),
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS)));
            long inode = inode(name);
            assertTrue(mapped(inode), "sem_open mapped the file");
            assertEquals(2, sem.value());
            sem.post();
            sem.post();
            assertEquals(4, sem.value());
            for (int i = 0; i < 4; i++) {
                assertTrue(sem.tryAwait());
            }
            assertFalse(sem.tryAwait(), "value 0: tryAwait answers false, no EAGAIN");
            assertEquals(0, sem.value());
        }
        assertFalse(mapped(inode(name)), "close unmapped it");
        assertTrue(Files.exists(file(name)), "close does not unlink");
        NamedSemaphore.unlink(name);
        assertFalse(Files.exists(file(name)), "unlink removed the file");
    }

    private static String perm(int mode) {
        StringBuilder s = new StringBuilder();
        String rwx = "rwx";
        for (int bit = 8; bit >= 0; bit--) {
            s.append((mode & (1 << bit)) != 0 ? rwx.charAt((8 - bit) % 3) : '-');
        }
        return s.toString();
    }

    @Test
    void reopeningSeesTheSameCount() throws Exception {
        try (NamedSemaphore a = NamedSemaphore.open(name, CREATE_EXCL, 0600, 5);
                NamedSemaphore b = NamedSemaphore.open(name, EnumSet.of(SemaphoreFlag.CREATE), 0600, 99)) {
            assertEquals(5, b.value(), "CREATE without EXCLUSIVE opens the existing one and ignores the value");
            a.post();
            assertEquals(6, b.value());
        }
        try (NamedSemaphore c = NamedSemaphore.open(name)) {
            assertEquals(6, c.value());
        }
        NamedSemaphore.unlink(name);
    }

    @Test
    void kernelErrors() throws Exception {
        PosixException missing = assertThrows(PosixException.class, () -> NamedSemaphore.open(name));
        assertTrue(missing.is(Errno.ENOENT), missing::getMessage);
        assertEquals("sem_open", missing.function());
        PosixException unlinkMissing = assertThrows(PosixException.class, () -> NamedSemaphore.unlink(name));
        assertTrue(unlinkMissing.is(Errno.ENOENT), unlinkMissing::getMessage);
        try (NamedSemaphore sem = NamedSemaphore.open(name, CREATE_EXCL, 0600, 0)) {
            assertEquals(name, sem.name());
            PosixException exists = assertThrows(PosixException.class, () -> NamedSemaphore.open(name, CREATE_EXCL, 0600, 0));
            assertTrue(exists.is(Errno.EEXIST), exists::getMessage);
        }
        NamedSemaphore.unlink(name);
    }

    @Test
    void postAtTheMaximumOverflows() throws Exception {
        try (NamedSemaphore sem = NamedSemaphore.open(name, CREATE_EXCL, 0600, Semaphore.SEM_VALUE_MAX)) {
            assertEquals(Semaphore.SEM_VALUE_MAX, sem.value());
            PosixException e = assertThrows(PosixException.class, sem::post);
            assertTrue(e.is(Errno.EOVERFLOW), e::getMessage);
            assertEquals(Semaphore.SEM_VALUE_MAX, sem.value());
        }
        NamedSemaphore.unlink(name);
    }

    @Test
    void invalidArgumentsAreRejectedBeforeTheNativeCall() {
        Set<SemaphoreFlag> create = EnumSet.of(SemaphoreFlag.CREATE);
        for (String bad : List.of("noslash", "/", "/a/b", "/.", "/" + "x".repeat(252), "/nul\0")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NamedSemaphore.open(bad, create, 0600, 0), bad);
            assertTrue(e.getMessage().startsWith("name"), e::getMessage);
        }
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> NamedSemaphore.open(name, create, 0600, -1));
        assertTrue(big.getMessage().startsWith("initial"), big::getMessage);
        assertThrows(IllegalArgumentException.class, () -> NamedSemaphore.open(name, create, 010000, 0));
        assertThrows(IllegalArgumentException.class,
                () -> NamedSemaphore.open(name, EnumSet.of(SemaphoreFlag.EXCLUSIVE), 0600, 0));
        assertFalse(Files.exists(file(name)), "nothing reached sem_open");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment shared = Arena.ofAuto().allocate(64, 8);
            assertThrows(IllegalArgumentException.class, () -> AnonymousSemaphore.init(arena.allocate(64, 8), 0, false, 0));
            assertThrows(IllegalArgumentException.class, () -> AnonymousSemaphore.init(shared, 4, false, 0));
            assertThrows(IllegalArgumentException.class, () -> AnonymousSemaphore.init(shared, 40, false, 0));
            assertThrows(IllegalArgumentException.class, () -> AnonymousSemaphore.init(shared, -8, false, 0));
            assertThrows(IllegalArgumentException.class, () -> AnonymousSemaphore.init(shared.asReadOnly(), 0, false, 0));
            assertThrows(IllegalArgumentException.class,
                    () -> AnonymousSemaphore.init(MemorySegment.ofArray(new long[8]), 0, false, 0));
            assertThrows(IllegalArgumentException.class, () -> AnonymousSemaphore.init(shared, 0, false, -1));
        }
    }

    @Test
    void timedWaitTimesOutAndSucceedsWhenPosted() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            AnonymousSemaphore sem = AnonymousSemaphore.init(arena.allocate(Semaphore.SEM_SIZE, 8), 0, false, 0);
            long start = System.nanoTime();
            assertFalse(sem.await(Duration.ofMillis(200)));
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsed >= 190 && elapsed < 5000, "waited " + elapsed + " ms");
            assertFalse(sem.await(Duration.ZERO));
            sem.post();
            assertTrue(sem.await(TimeFactor.seconds(5)));
            assertThrows(IllegalArgumentException.class, () -> sem.await(Duration.ofMillis(-1)));
            CompletableFuture<Boolean> onVirtual = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    onVirtual.complete(sem.await(Duration.ofMillis(100)));
                } catch (Throwable t) {
                    onVirtual.completeExceptionally(t);
                }
            });
            assertFalse(onVirtual.get(TimeFactor.scale(10), TimeUnit.SECONDS), "a virtual thread's timed wait times out too");
            sem.destroy();
        }
    }

    @Test
    void blockingWaitWakesOnPostAndViewsShareTheCount() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment memory = arena.allocate(64, 8);
            AnonymousSemaphore sem = AnonymousSemaphore.init(memory, 32, false, 0);
            AnonymousSemaphore view = AnonymousSemaphore.view(memory, 32);
            CompletableFuture<Void> platform = CompletableFuture.runAsync(() -> {
                try {
                    view.await();
                } catch (PosixException e) {
                    throw new IllegalStateException(e);
                }
            }, r -> Thread.ofPlatform().start(r));
            Thread.sleep(100);
            assertFalse(platform.isDone(), "still waiting at value 0");
            sem.post();
            platform.get(TimeFactor.scale(10), TimeUnit.SECONDS);
            sem.post();
            assertEquals(1, view.value());
            sem.destroy();
            assertThrows(IllegalStateException.class, sem::post);
            assertThrows(IllegalStateException.class, sem::destroy);
        }
    }

    @Test
    void closeRefusesWhileAThreadWaitsAndCallsAfterCloseFail() throws Exception {
        NamedSemaphore sem = NamedSemaphore.open(name, CREATE_EXCL, 0600, 0);
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                sem.await();
            } catch (PosixException e) {
                throw new IllegalStateException(e);
            }
        });
        while (waiter.getState() != Thread.State.RUNNABLE || sem.value() != 0) {
            Thread.sleep(10);
        }
        Thread.sleep(100);
        assertThrows(IllegalStateException.class, sem::close, "a thread is inside sem_wait");
        assertTrue(sem.isOpen());
        sem.post();
        waiter.join(10_000);
        assertFalse(waiter.isAlive());
        sem.close();
        sem.close();
        assertFalse(sem.isOpen());
        assertThrows(IllegalStateException.class, sem::post);
        NamedSemaphore.unlink(name);
    }

    @Test
    void unreachableSemaphoreIsClosedByTheCleaner() throws Exception {
        NamedSemaphore.open(name, CREATE_EXCL, 0600, 0);
        long inode = inode(name);
        assertTrue(mapped(inode));
        long deadline = TimeFactor.deadline(Duration.ofSeconds(10));
        while (mapped(inode) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertFalse(mapped(inode), "the cleaner's sem_close unmapped it");
        NamedSemaphore.unlink(name);
    }
}
