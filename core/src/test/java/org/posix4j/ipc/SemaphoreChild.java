package org.posix4j.ipc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.posix4j.testing.TimeFactor;

/// Child JVM mains for the semaphore tests: a ring buffer producer and consumer over a shared
/// mapping, and virtual threads waiting on a scheduler of two carriers.
public final class SemaphoreChild {
    private SemaphoreChild() {}

    /// Ring layout: free slots semaphore, used slots semaphore, consumer head, producer tail, slots.
    static final long FREE = 0;
    static final long USED = 32;
    static final long HEAD = 64;
    static final long TAIL = 72;
    static final long SLOTS = 128;
    static final int CAPACITY = 1024;
    static final long SIZE = SLOTS + CAPACITY * 8L;

    /// `producer PATH TOTAL`, `consumer PATH TOTAL` or `virtual`.
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "producer" -> produce(Path.of(args[1]), Long.parseLong(args[2]));
            case "consumer" -> consume(Path.of(args[1]), Long.parseLong(args[2]));
            case "virtual" -> virtualWaiters();
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.flush();
    }

    static MemorySegment map(Path path, Arena arena) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE, arena);
        }
    }

    private static void produce(Path path, long total) throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment ring = map(path, arena);
            AnonymousSemaphore free = AnonymousSemaphore.view(ring, FREE);
            AnonymousSemaphore used = AnonymousSemaphore.view(ring, USED);
            for (long seq = ring.get(ValueLayout.JAVA_LONG, TAIL); seq < total; seq++) {
                free.await();
                ring.set(ValueLayout.JAVA_LONG, SLOTS + (seq % CAPACITY) * 8, seq);
                ring.set(ValueLayout.JAVA_LONG, TAIL, seq + 1);
                used.post();
            }
            System.out.println("sent " + ring.get(ValueLayout.JAVA_LONG, TAIL));
        }
    }

    private static void consume(Path path, long total) throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment ring = map(path, arena);
            AnonymousSemaphore free = AnonymousSemaphore.view(ring, FREE);
            AnonymousSemaphore used = AnonymousSemaphore.view(ring, USED);
            long first = ring.get(ValueLayout.JAVA_LONG, HEAD);
            long count = 0;
            long sum = 0;
            System.out.println("from " + first);
            for (long expected = first; expected < total; expected++) {
                used.await();
                long seq = ring.get(ValueLayout.JAVA_LONG, SLOTS + (expected % CAPACITY) * 8);
                if (seq != expected) {
                    System.out.println("wrong " + seq + " expected " + expected);
                    return;
                }
                ring.set(ValueLayout.JAVA_LONG, HEAD, expected + 1);
                free.post();
                count++;
                sum += seq;
                if (expected % 10_000 == 0) {
                    System.out.println("at " + expected);
                }
            }
            System.out.println("received " + count + " " + sum);
        }
    }

    /// 100 virtual threads wait on one semaphore while a ticker keeps running on the same two
    /// carriers; then all are released.
    private static void virtualWaiters() throws Exception {
        int waiters = 100;
        MemorySegment memory = Arena.global().allocate(Semaphore.SEM_SIZE, 8);
        AnonymousSemaphore sem = AnonymousSemaphore.init(memory, 0, false, 0);
        AtomicInteger done = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    sem.await();
                    done.incrementAndGet();
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }));
        }
        long deadline = TimeFactor.deadline(Duration.ofSeconds(20));
        while (waitThreads() < waiters && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        System.out.println("blocked-platform-threads " + waitThreads());
        Thread ticker = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 50; i++) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        System.out.println("ticker " + (ticker.join(TimeFactor.seconds(10)) ? "finished" : "stuck"));
        System.out.println("done-before-post " + done.get());
        for (int i = 0; i < waiters; i++) {
            sem.post();
        }
        for (Thread t : threads) {
            t.join(TimeFactor.seconds(10));
        }
        System.out.println("done " + done.get());
        System.out.println("value " + sem.value());
    }

    /// Threads of this process whose name (/proc/self/task/N/comm) says they run a semaphore wait.
    private static long waitThreads() throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.filter(t -> {
                try {
                    return Files.readString(t.resolve("comm")).startsWith("posix4j-sem-wai");
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }
}
