package org.posix4j.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.TimeFactor;

/// Semaphores between processes: a C peer, two child JVMs over a shared ring, virtual threads.
class SemaphoreProcessTest {
    private static final String PEER = """
            #include <fcntl.h>
            #include <semaphore.h>
            #include <stdio.h>
            #include <stdlib.h>
            int main(int argc, char **argv) {
                sem_t *s = argc > 4 ? sem_open(argv[1], O_CREAT | O_EXCL, 0600, atoi(argv[4])) : sem_open(argv[1], 0);
                if (s == SEM_FAILED) { perror("sem_open"); return 2; }
                for (int i = 0; i < atoi(argv[2]); i++) if (sem_post(s)) { perror("sem_post"); return 3; }
                for (int i = 0; i < atoi(argv[3]); i++) if (sem_wait(s)) { perror("sem_wait"); return 4; }
                int v;
                sem_getvalue(s, &v);
                printf("%d\\n", v);
                return sem_close(s);
            }
            """;

    private static String run(Path program, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(program.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void aCProgramSharesTheNamedSemaphore(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("peer.c");
        Files.writeString(source, PEER);
        Path program = dir.resolve("peer");
        Process gcc = new ProcessBuilder("gcc", "-pthread", "-o", program.toString(), source.toString())
                .redirectErrorStream(true).start();
        assertEquals(0, gcc.waitFor(), new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        String name = "/posix4j-peer-" + ProcessHandle.current().pid();
        try (NamedSemaphore sem = NamedSemaphore.open(name, EnumSet.of(SemaphoreFlag.CREATE, SemaphoreFlag.EXCLUSIVE),
                0600, 3)) {
            assertEquals("6", run(program, name, "5", "2"), "C saw Java's 3, posted 5, took 2");
            assertEquals(6, sem.value());
            sem.post();
            assertTrue(sem.tryAwait());
            assertTrue(sem.tryAwait());
            assertEquals("5", run(program, name, "0", "0"));
        } finally {
            NamedSemaphore.unlink(name);
        }
        String created = name + "-c";
        try {
            assertEquals("7", run(program, created, "0", "0", "7"));
            try (NamedSemaphore sem = NamedSemaphore.open(created)) {
                assertEquals(7, sem.value(), "Java opens what C created");
            }
        } finally {
            NamedSemaphore.unlink(created);
        }
    }

    @Test
    void virtualThreadsWaitingDoNotPinTheCarriers() throws Exception {
        List<String> opts = List.of("-Djdk.virtualThreadScheduler.parallelism=2",
                "-Djdk.virtualThreadScheduler.maxPoolSize=2");
        try (ChildJvm child = ChildJvm.start(new ProcessBuilder(ChildJvm.command(opts, SemaphoreChild.class, "virtual")))) {
            ChildJvm.Result r = child.finish().assertSuccess();
            assertEquals("100", r.value("blocked-platform-threads "), r::toString);
            assertEquals("finished", r.value("ticker "), "another virtual thread ran meanwhile");
            assertEquals("0", r.value("done-before-post "));
            assertEquals("100", r.value("done "));
            assertEquals("0", r.value("value "));
        }
    }

    private static Path ring(String tag) throws IOException {
        Path path = Path.of("/dev/shm/posix4j-ring-" + tag + "-" + ProcessHandle.current().pid());
        Files.deleteIfExists(path);
        Files.write(path, new byte[(int) SemaphoreChild.SIZE]);
        return path;
    }

    private static ChildJvm start(String role, Path path, long total) throws IOException {
        return ChildJvm.start(SemaphoreChild.class, role, path.toString(), Long.toString(total));
    }

    @Test
    void aMillionItemsCrossTheRingNoneLostOrDuplicated() throws Exception {
        long total = 1_000_000;
        try (Arena arena = Arena.ofShared()) {
            Path path = ring("million");
            try {
                MemorySegment ring = SemaphoreChild.map(path, arena);
                AnonymousSemaphore free = AnonymousSemaphore.init(ring, SemaphoreChild.FREE, true, SemaphoreChild.CAPACITY);
                AnonymousSemaphore used = AnonymousSemaphore.init(ring, SemaphoreChild.USED, true, 0);
                try (ChildJvm consumer = start("consumer", path, total); ChildJvm producer = start("producer", path, total)) {
                    assertEquals(List.of("sent " + total), producer.finish().assertSuccess().stdout());
                    ChildJvm.Result c = consumer.finish().assertSuccess();
                    assertEquals(total + " " + (total * (total - 1) / 2), c.value("received "), c::toString);
                }
                assertEquals(SemaphoreChild.CAPACITY, free.value());
                assertEquals(0, used.value());
                assertEquals(total, ring.get(ValueLayout.JAVA_LONG, SemaphoreChild.HEAD));
            } finally {
                Files.deleteIfExists(path);
            }
        }
    }

    @Test
    void aConsumerKilledMidwayLeavesTheProducerSoundAndANewOneFinishes() throws Exception {
        long total = 200_000;
        int n = SemaphoreChild.CAPACITY;
        try (Arena arena = Arena.ofShared()) {
            Path path = ring("kill");
            try {
                MemorySegment ring = SemaphoreChild.map(path, arena);
                AnonymousSemaphore free = AnonymousSemaphore.init(ring, SemaphoreChild.FREE, true, n);
                AnonymousSemaphore used = AnonymousSemaphore.init(ring, SemaphoreChild.USED, true, 0);
                try (ChildJvm producer = start("producer", path, total)) {
                    try (ChildJvm consumer = start("consumer", path, total)) {
                        while (Long.parseLong(consumer.expect("at ")) < 50_000) {
                            continue;
                        }
                        ProcessHandle dying = ProcessHandle.of(consumer.pid()).orElseThrow();
                        assertTrue(dying.destroyForcibly(), "SIGKILL sent");
                        dying.onExit().get(TimeFactor.scale(10), TimeUnit.SECONDS);
                    }
                    long tail = -1;
                    for (int stable = 0; stable < 5; ) {
                        Thread.sleep(50);
                        long now = ring.get(ValueLayout.JAVA_LONG, SemaphoreChild.TAIL);
                        stable = now == tail && free.value() == 0 ? stable + 1 : 0;
                        tail = now;
                    }
                    long head = ring.get(ValueLayout.JAVA_LONG, SemaphoreChild.HEAD);
                    long inRing = tail - head;
                    int usedNow = used.value();
                    assertTrue(head >= 50_000 && tail < total, "head " + head + " tail " + tail);
                    assertTrue(inRing == n || inRing == n - 1, "the producer filled the ring: " + inRing);
                    assertTrue(inRing - usedNow == 0 || inRing - usedNow == 1,
                            "at most the one item the consumer died holding: ring " + inRing + " used " + usedNow);
                    for (int i = 0; i < inRing - usedNow; i++) {
                        used.post();
                    }
                    if (inRing == n - 1) {
                        free.post();
                    }
                    try (ChildJvm second = start("consumer", path, total)) {
                        ChildJvm.Result c = second.finish().assertSuccess();
                        assertEquals(Long.toString(head), c.value("from "));
                        long count = total - head;
                        long sum = total * (total - 1) / 2 - head * (head - 1) / 2;
                        assertEquals(count + " " + sum, c.value("received "), c::toString);
                    }
                    assertEquals(List.of("sent " + total), producer.finish().assertSuccess().stdout());
                }
                assertEquals(n, free.value());
                assertEquals(0, used.value());
            } finally {
                Files.deleteIfExists(path);
            }
        }
    }
}
