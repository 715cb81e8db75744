package org.posix4j.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.io.OpenFds;
import org.posix4j.testing.NoFdLeaks;
import org.posix4j.testing.Proc;
import org.posix4j.testing.TimeFactor;

@ExtendWith(NoFdLeaks.class)
class EventFdTest {
    private static final int O_CLOEXEC = 02000000;
    private static final int O_NONBLOCK = 04000;


    /// The counter as the kernel shows it in /proc/self/fdinfo (hexadecimal there).
    private static long count(EventFd e) {
        return Long.parseUnsignedLong(OpenFds.fdinfo(e.intValue(), "eventfd-count"), 16);
    }

    @Test
    void flagConstantsAreTheKernels() {
        assertEquals(Proc.run("python3", "-c", "import os; print(os.EFD_SEMAPHORE, os.EFD_NONBLOCK)"),
                EventFd.SEMAPHORE + " " + EventFd.NON_BLOCKING);
    }

    @Test
    void openCreatesAnOwnedCloseOnExecCounter() throws Exception {
        EventFd e = EventFd.open(5, 0);
        int n = e.intValue();
        assertEquals("anon_inode:[eventfd]", OpenFds.target(n));
        assertEquals(O_CLOEXEC, OpenFds.flags(n) & O_CLOEXEC);
        assertEquals(0, OpenFds.flags(n) & O_NONBLOCK);
        assertEquals("0", OpenFds.fdinfo(n, "eventfd-semaphore"));
        assertEquals(5, count(e));
        assertFalse(e.fd().isOwned());
        e.close();
        assertFalse(OpenFds.isOpen(n));
        assertFalse(e.isOpen());
        e.close();
        assertThrows(IllegalStateException.class, e::read);
        assertThrows(IllegalStateException.class, e::signal);

        try (EventFd max = EventFd.open(0xFFFF_FFFFL, EventFd.NON_BLOCKING | EventFd.SEMAPHORE)) {
            assertEquals(0xFFFF_FFFFL, count(max));
            assertEquals(O_NONBLOCK, OpenFds.flags(max.intValue()) & O_NONBLOCK);
            assertEquals("1", OpenFds.fdinfo(max.intValue(), "eventfd-semaphore"));
        }
    }

    @Test
    void signalAddsAndReadTakesTheWholeCounter() throws Exception {
        try (EventFd e = EventFd.open(0, EventFd.NON_BLOCKING)) {
            e.signal();
            e.signal(41);
            assertEquals(42, count(e));
            assertEquals(42, e.read());
            assertEquals(0, count(e));
            e.signal(0);
            assertEquals(0, count(e), "adding zero changes nothing");
        }
    }

    @Test
    void semaphoreReadTakesOneAtATime() throws Exception {
        try (EventFd e = EventFd.open(2, EventFd.SEMAPHORE | EventFd.NON_BLOCKING)) {
            assertEquals(1, e.read());
            assertEquals(1, count(e));
            assertEquals(1, e.read());
            assertEquals(0, count(e));
            PosixException x = assertThrows(PosixException.class, e::read);
            assertTrue(x.is(Errno.EAGAIN), x.getMessage());
        }
    }

    @Test
    void nonBlockingReadOfZeroAndOverflowAreEagain() throws Exception {
        try (EventFd e = EventFd.open(0, EventFd.NON_BLOCKING)) {
            PosixException x = assertThrows(PosixException.class, e::read);
            assertTrue(x.is(Errno.EAGAIN), x.getMessage());
            assertEquals("eventfd_read", x.function());
            // Two halves make 2^64-2, the largest value the counter holds.
            e.signal(Long.MAX_VALUE);
            e.signal(Long.MAX_VALUE);
            assertEquals("fffffffffffffffe", OpenFds.fdinfo(e.intValue(), "eventfd-count"));
            x = assertThrows(PosixException.class, () -> e.signal(1));
            assertTrue(x.is(Errno.EAGAIN), x.getMessage());
            assertEquals("eventfd_write", x.function());
            assertEquals("18446744073709551614", Long.toUnsignedString(e.read()));
        }
    }

    @Test
    void blockingReadWaitsForASignalFromAnotherThread() throws Exception {
        try (EventFd e = EventFd.open()) {
            CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
                try {
                    return e.read();
                } catch (PosixException x) {
                    throw new AssertionError(x);
                }
            }, r -> Thread.ofPlatform().start(r));
            Thread.sleep(50);
            assertFalse(reader.isDone(), "the reader blocks on a zero counter");
            e.signal(3);
            assertEquals(3, reader.get(TimeFactor.scale(10), TimeUnit.SECONDS));
        }
    }

    @Test
    void invalidArgumentsAreRejectedInJava() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> EventFd.open(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> EventFd.open(0x1_0000_0000L, 0));
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> EventFd.open(0, 0x10));
        assertTrue(x.getMessage().startsWith("flags"), x.getMessage());
        try (EventFd e = EventFd.open()) {
            x = assertThrows(IllegalArgumentException.class, () -> e.signal(-1));
            assertTrue(x.getMessage().startsWith("n "), x.getMessage());
            assertEquals(0, count(e));
        }
    }
}
