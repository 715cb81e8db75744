package org.posix4j.broker;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.posix4j.internal.CredH;
import org.posix4j.internal.Libc;
import org.posix4j.internal.PollH;
import org.posix4j.internal.SyscallH;
import org.posix4j.testing.Requires;
import org.posix4j.testing.TimeFactor;

/// The status descriptors the broker keeps across calls: what they read is the live thread of
/// that number, checked against the kernel's own `/proc/TID/status` and the JVM's descriptor
/// table (`/proc/self/fd`).
class StatusFilesTest {
    private static final String EPOLL = "anon_inode:[eventpoll]";
    private static final String PIDFD = "anon_inode:[pidfd]";

    /// The credentials `files` reads for thread `tid`, its entry given back at once; `null`
    /// when none can be read.
    private static ProgramCredentials read(StatusFiles files, int tid, boolean createsNothing) {
        StatusFiles.Lease lease = files.credentials(Scratch.get(), tid, createsNothing);
        if (lease == null) {
            return null;
        }
        lease.close();
        return lease.credentials;
    }

    /// A thread of this JVM that sets its own supplementary groups to `group` alone (raw
    /// setgroups: this thread alone; unlike a uid, nothing process-wide changes with them) when
    /// it is not -1, then sets them again on [#setGroups] until closed.
    private static final class Parked implements AutoCloseable {
        final int tid;
        private final Thread thread;
        private final BlockingQueue<Integer> groups = new LinkedBlockingQueue<>();
        private final BlockingQueue<Long> results = new LinkedBlockingQueue<>();

        Parked(int group) throws InterruptedException {
            AtomicInteger id = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch ready = new CountDownLatch(1);
            thread = Thread.ofPlatform().start(() -> {
                try {
                    if (group != -1) {
                        assertEquals(0, setgroups(group));
                    }
                    id.set(Integer.parseInt(
                            Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString()));
                } catch (Throwable e) {
                    failure.set(e);
                } finally {
                    ready.countDown();
                }
                try {
                    for (int next = groups.take(); next != -1; next = groups.take()) {
                        results.add(setgroups(next));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Throwable e) {
                    results.add(Long.MIN_VALUE);
                }
            });
            ready.await();
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            tid = id.get();
        }

        /// Makes the thread set its groups to `group` alone; answers setgroups' result.
        long setGroups(int group) throws InterruptedException {
            groups.add(group);
            return results.take();
        }

        /// Ends the thread and waits until the kernel has let it go (Thread.join returns while
        /// the native thread may still be exiting).
        @Override
        public void close() {
            groups.add(-1);
            Path task = Path.of("/proc/self/task/" + tid);
            long deadline = TimeFactor.deadline(Duration.ofSeconds(10));
            try {
                thread.join();
                while (Files.exists(task)) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new AssertionError("thread " + tid + " did not leave the kernel");
                    }
                    Thread.sleep(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while a test thread ended", e);
            }
        }
    }

    @Test
    void aThreadIsReadThroughOneKeptDescriptorUntilClosed() throws Exception {
        StatusFiles files = new StatusFiles();
        try (Parked p = new Parked(-1)) {
            for (int i = 0; i < 3; i++) {
                ProgramCredentials c = read(files, p.tid, true);
                assertNotNull(c);
                assertEquals(ProcessHandle.current().pid(), c.tgid);
            }
            assertEquals(1, keptFor(Set.of(p.tid)), "one descriptor, kept across the reads");
            files.close();
            assertEquals(0, keptFor(Set.of(p.tid)), "closed with the master");
            assertNull(read(files, p.tid, true), "nothing is read once closed");
        } finally {
            files.close();
        }
    }

    /// A thread's `mem`, offered by the call that opened it, is kept for its later calls until
    /// an exec notification: the exec retires it (closed once no call holds the entry), and
    /// until the exec is over (its thread heard from again) nothing is kept, nor is what was
    /// opened before it.
    @Test
    void aKeptMemDescriptorIsRetiredByAnExec() throws Exception {
        try (StatusFiles files = new StatusFiles(); Parked p = new Parked(-1); Parked execing = new Parked(-1)) {
            String mem = "/proc/" + p.tid + "/mem";
            int fd = openMem(p.tid);
            try (StatusFiles.Lease lease = files.credentials(Scratch.get(), p.tid, true)) {
                assertFalse(lease.keep(fd, files.memoryStamp()), "nothing is kept before keepMemory()");
                files.keepMemory();
                assertTrue(lease.keep(fd, files.memoryStamp()));
            }
            try (StatusFiles.Lease lease = files.credentials(Scratch.get(), p.tid, true)) {
                assertEquals(fd, lease.keptMemory(), "the next call finds it");
                files.execStarting(execing.tid);
                assertEquals(-1, lease.keptMemory(), "retired by the exec");
                assertEquals(1, opened(Set.of(mem)), "still open while a call holds the entry");
            }
            assertEquals(0, opened(Set.of(mem)), "closed when the call gives the entry back");

            assertEquals(-1, files.memoryStamp(), "nothing is kept while the exec is under way");
            int during = openMem(p.tid);
            try (StatusFiles.Lease lease = files.credentials(Scratch.get(), p.tid, true)) {
                assertFalse(lease.keep(during, files.memoryStamp()));
            }
            files.heardFrom(execing.tid);
            long stamp = files.memoryStamp();
            assertTrue(stamp >= 0, "the exec is over once its thread calls again");
            try (StatusFiles.Lease lease = files.credentials(Scratch.get(), p.tid, true)) {
                files.execStarting(execing.tid);
                files.heardFrom(execing.tid);
                assertFalse(lease.keep(during, stamp), "opened before another exec: not kept");
            }
            Kernel.close(during);
            assertEquals(0, opened(Set.of(mem)));

            int held = openMem(p.tid);
            try (StatusFiles.Lease holder = files.credentials(Scratch.get(), p.tid, true)) {
                assertTrue(holder.keep(held, files.memoryStamp()));
                files.execStarting(execing.tid);
                files.heardFrom(execing.tid);
                int next = openMem(p.tid);
                try (StatusFiles.Lease another = files.credentials(Scratch.get(), p.tid, true)) {
                    assertFalse(another.keep(next, files.memoryStamp()),
                            "none kept beside a retired one a call still holds: each exec would add one");
                }
                Kernel.close(next);
            }
            assertEquals(0, opened(Set.of(mem)), "the retired one closed with the last call holding it");
        }
    }

    private static int openMem(int tid) {
        MemorySegment path = Arena.ofAuto().allocateFrom("/proc/" + tid + "/mem");
        int fd = Kernel.open(path, 02 | 02000000);
        assertTrue(fd >= 0, "open /proc/TID/mem: errno " + -fd);
        return fd;
    }

    /// A thread that is gone reads as nothing, and its descriptor is dropped with it.
    @Test
    void aThreadGoneReadsAsNullAndItsDescriptorIsClosed() throws Exception {
        try (StatusFiles files = new StatusFiles()) {
            Parked p = new Parked(-1);
            assertNotNull(read(files, p.tid, true));
            p.close();
            assertNull(read(files, p.tid, true));
            assertEquals(0, keptFor(Set.of(p.tid)));
        }
    }

    /// The end of a thread makes [StatusFiles#exits()] readable, and [StatusFiles#reap] then
    /// closes both of its descriptors (the status file and the pidfd) with no further call.
    @Test
    void anEndedThreadIsReapedWithoutAnotherCall() throws Exception {
        Map<String, Integer> before = kinds();
        try (StatusFiles files = new StatusFiles()) {
            assertTrue(files.exits() >= 0, "epoll_create1 failed");
            Parked p = new Parked(-1);
            assertNotNull(read(files, p.tid, true));
            assertEquals(1, keptFor(Set.of(p.tid)));
            assertEquals(added(before, 1, 1), kinds(), "the epoll descriptor and the thread's pidfd");
            assertFalse(readable(files.exits(), 0), "nothing has ended yet");
            p.close();
            assertTrue(readable(files.exits(), TimeFactor.millis(10_000)), "the pidfd reported the end");
            files.reap();
            assertEquals(0, keptFor(Set.of(p.tid)), "the status file is closed");
            assertEquals(added(before, 1, 0), kinds(), "only the epoll descriptor is left");
            assertFalse(readable(files.exits(), 0), "each end is reported once");
        }
        assertEquals(before, kinds());
    }

    /// How many epoll descriptors and pidfds this JVM has open, by /proc/self/fd's names.
    private static Map<String, Integer> kinds() throws IOException {
        Map<String, Integer> n = new TreeMap<>(Map.of(EPOLL, 0, PIDFD, 0));
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    n.computeIfPresent(Files.readSymbolicLink(fd).toString(), (k, v) -> v + 1);
                } catch (IOException gone) {
                    // The directory stream's own descriptor, closed by the time it is read.
                }
            }
        }
        return n;
    }

    private static Map<String, Integer> added(Map<String, Integer> before, int epolls, int pidfds) {
        return new TreeMap<>(Map.of(EPOLL, before.get(EPOLL) + epolls, PIDFD, before.get(PIDFD) + pidfds));
    }

    /// The attack a cache by number would fall to: a thread ends and another thread, with other
    /// groups, is given its number (set with ns_last_pid). The kept descriptors do not show
    /// the newcomer as the old thread nor the old thread's credentials as the newcomer's: the
    /// pidfd finds no thread, the status read fails, and the number is opened afresh.
    @Test
    void aNumberGivenToAnotherThreadReadsThatThread() throws Exception {
        Requires.root();
        try (StatusFiles files = new StatusFiles()) {
            Parked first = new Parked(1111);
            int tid = first.tid;
            assertArrayEquals(new int[] {1111}, read(files, tid, true).groups);
            assertArrayEquals(new int[] {1111}, read(files, tid, true).groups,
                    "read again without the status file, with the groups of the first read");
            first.close();
            try (Parked second = parkedAt(tid, 2222)) {
                ProgramCredentials c = read(files, second.tid, true);
                assertNotNull(c);
                assertArrayEquals(new int[] {2222}, c.groups);
                assertEquals("2222", statusField(tid, "Groups"));
                assertEquals(1, keptFor(Set.of(tid)));
            }
        }
    }

    /// A read without the status file (for a call that creates nothing) has the thread's ids and
    /// capabilities as the kernel shows them now, no umask (0777, which would create nothing
    /// usable), and the groups of the last full read: stale after the thread's own setgroups
    /// until the master notes one ([StatusFiles#groupsChanging()], as it does when the filter
    /// sends a program's setgroups), from when every read is a full one. A full read (for a
    /// call that may create) is never stale.
    @Test
    void aQuickReadTakesTheGroupsOfTheLastFullReadUntilSetgroupsIsNoted() throws Exception {
        Requires.root();
        try (StatusFiles files = new StatusFiles(); Parked p = new Parked(1111)) {
            ProgramCredentials full = read(files, p.tid, true);
            assertArrayEquals(new int[] {1111}, full.groups);
            assertEquals(Integer.parseInt(statusField(p.tid, "Umask"), 8), full.umask);
            ProgramCredentials quick = read(files, p.tid, true);
            assertEquals(0777, quick.umask, "a read without the status file knows no umask");
            assertEquals(statusField(p.tid, "Uid"), ids(quick.ruid, quick.euid, quick.suid, quick.fsuid));
            assertEquals(statusField(p.tid, "Gid"), ids(quick.rgid, quick.egid, quick.sgid, quick.fsgid));
            assertEquals(Long.parseLong(statusField(p.tid, "CapEff"), 16), quick.capEff);
            assertEquals(Long.parseLong(statusField(p.tid, "CapPrm"), 16), quick.capPrm);
            assertEquals(ProcessHandle.current().pid(), quick.tgid);

            assertEquals(0, p.setGroups(2222));
            assertEquals("2222", statusField(p.tid, "Groups"));
            assertArrayEquals(new int[] {1111}, read(files, p.tid, true).groups,
                    "the groups of the last full read");
            assertArrayEquals(new int[] {2222}, read(files, p.tid, false).groups,
                    "a full read is the thread's now");
            assertEquals(0, p.setGroups(3333));
            files.groupsChanging();
            assertArrayEquals(new int[] {3333}, read(files, p.tid, true).groups,
                    "once setgroups is noted, every read is a full one");
        }
    }

    private static String ids(int... ids) {
        return Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining("\t"));
    }

    /// Past [StatusFiles#LIMIT] threads, the least recently read lose their descriptors; every
    /// thread still reads right.
    @Test
    void atMostTheLimitIsKept() throws Exception {
        List<Parked> threads = new ArrayList<>();
        StatusFiles files = new StatusFiles();
        try {
            for (int i = 0; i < StatusFiles.LIMIT + 16; i++) {
                threads.add(new Parked(-1));
            }
            for (Parked p : threads) {
                assertEquals(ProcessHandle.current().pid(), read(files, p.tid, true).tgid);
            }
            Set<Integer> tids = threads.stream().map(p -> p.tid).collect(Collectors.toSet());
            assertEquals(StatusFiles.LIMIT, keptFor(tids));
            Set<Integer> firstRead = threads.subList(0, 16).stream().map(p -> p.tid).collect(Collectors.toSet());
            assertEquals(0, keptFor(firstRead), "the least recently read were closed");
            files.close();
            assertEquals(0, keptFor(tids));
        } finally {
            files.close();
            for (Parked p : threads) {
                p.close();
            }
        }
    }

    /// A thread given number `tid` (the kernel's next number set just below it; retried while
    /// another process takes it first), in `group`.
    private static Parked parkedAt(int tid, int group) throws Exception {
        for (int attempt = 0; attempt < 100; attempt++) {
            Files.writeString(Path.of("/proc/sys/kernel/ns_last_pid"), Integer.toString(tid - 1));
            Parked p = new Parked(group);
            if (p.tid == tid) {
                return p;
            }
            p.close();
        }
        throw new AssertionError("no thread was given number " + tid + " in 100 attempts");
    }

    private static boolean readable(int fd, int millis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfd = arena.allocate(PollH.POLLFD);
            pollfd.set(JAVA_INT, 0, fd);
            pollfd.set(JAVA_SHORT, 4, (short) PollH.POLLIN);
            int r = Kernel.poll(pollfd, 1, millis);
            assertTrue(r >= 0, "poll: errno " + -r);
            return r == 1;
        }
    }

    /// How many of this JVM's descriptors are the status file of one of `tids`.
    private static int keptFor(Set<Integer> tids) throws IOException {
        return opened(tids.stream().map(t -> "/proc/" + t + "/status").collect(Collectors.toSet()));
    }

    /// How many of this JVM's descriptors name one of `targets`.
    private static int opened(Set<String> targets) throws IOException {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (targets.contains(Files.readSymbolicLink(fd).toString())) {
                        n++;
                    }
                } catch (IOException gone) {
                    // The directory stream's own descriptor, closed by the time it is read.
                }
            }
        }
        return n;
    }

    private static String statusField(int tid, String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + tid + "/status"))) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).strip();
            }
        }
        throw new AssertionError(name + " missing from the status of " + tid);
    }

    private static long setgroups(int group) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment list = arena.allocateFrom(JAVA_INT, group);
            MemorySegment slot = Libc.errnoSlot();
            long r = SyscallH.SYSCALL.call(slot, CredH.CURRENT.setgroups(), 1L, list.address(), 0L);
            return r == -1 ? -Libc.errno(slot) : r;
        }
    }
}
