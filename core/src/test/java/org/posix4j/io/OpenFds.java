package org.posix4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.posix4j.testing.TimeFactor;

/// The descriptors of this JVM as the kernel lists them in /proc/self/fd and /proc/self/fdinfo:
/// the independent source for tests of descriptor-creating calls.
public final class OpenFds {
    private static final Path FD = Path.of("/proc/self/fd");

    private OpenFds() {}

    /// Every open descriptor as "N -> target", without the one that lists the directory.
    public static Set<String> snapshot() {
        Set<String> fds = new TreeSet<>();
        try (Stream<Path> list = Files.list(FD)) {
            for (Path fd : list.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (!target.equals("/proc/" + ProcessHandle.current().pid() + "/fd")) {
                        fds.add(fd.getFileName() + " -> " + target);
                    }
                } catch (NoSuchFileException closed) {
                    // closed between listing and reading: not open
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fds;
    }

    /// Asserts that no descriptor is open now that was not open in `before`. Waits up to two
    /// seconds for the pipes of finished helper commands (`stat`, `fincore`...), which the JDK
    /// closes asynchronously after the command ends; a leaked descriptor stays and fails.
    public static void assertNoneOpenedSince(Set<String> before) {
        Set<String> added = added(before);
        for (long deadline = TimeFactor.deadline(Duration.ofSeconds(2)); !added.isEmpty() && System.nanoTime() < deadline; ) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            added = added(before);
        }
        assertEquals(Set.of(), added, "descriptors leaked");
    }

    private static Set<String> added(Set<String> before) {
        Set<String> now = snapshot();
        now.removeAll(before);
        return now;
    }

    /// Whether descriptor `n` is open.
    public static boolean isOpen(int n) {
        return Files.exists(FD.resolve(Integer.toString(n)), LinkOption.NOFOLLOW_LINKS);
    }

    /// What descriptor `n` refers to: a path, "pipe:[INODE]", "anon_inode:[pidfd]"...
    public static String target(int n) {
        try {
            return Files.readSymbolicLink(FD.resolve(Integer.toString(n))).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /// The `flags:` of /proc/self/fdinfo/N: the open file's status flags, with O_CLOEXEC added
    /// by the kernel when the descriptor has FD_CLOEXEC.
    public static int flags(int n) {
        return Integer.parseInt(fdinfo(n, "flags"), 8);
    }

    /// A field of /proc/self/fdinfo/N.
    public static String fdinfo(int n, String key) {
        try {
            return Files.readAllLines(Path.of("/proc/self/fdinfo/" + n)).stream()
                    .filter(l -> l.startsWith(key + ":")).findFirst()
                    .map(l -> l.substring(key.length() + 1).strip())
                    .orElseThrow(() -> new AssertionError("no " + key + " in /proc/self/fdinfo/" + n));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /// A descriptor number that is not open.
    public static int closedNumber() {
        for (int n = 1000; ; n++) {
            if (!isOpen(n)) {
                return n;
            }
        }
    }
}
