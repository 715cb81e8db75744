package org.posix4j.spawn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/// The children of this JVM as /proc lists them: the independent account of reaping.
final class Zombies {
    private Zombies() {}

    /// Every process whose parent is this JVM, as "PID STATE COMM".
    static List<String> children() throws IOException {
        String self = Long.toString(ProcessHandle.current().pid());
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"));
                } catch (NoSuchFileException | java.nio.file.AccessDeniedException gone) {
                    continue;
                }
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (f[1].equals(self)) {
                    found.add(p.getFileName() + " " + f[0] + " " + comm);
                }
            }
        }
        return found;
    }

    /// The [#children()] with one of these pids: other test classes' `ProcessBuilder` children
    /// may still be on their way out, so a test looks only at its own.
    static List<String> among(Collection<Integer> pids) throws IOException {
        return children().stream().filter(c -> pids.contains(Integer.parseInt(c.split(" ")[0]))).toList();
    }

    /// The [#children()] that were not there `before`.
    static List<String> newSince(List<String> before) throws IOException {
        Set<String> pids = before.stream().map(c -> c.split(" ")[0]).collect(Collectors.toSet());
        return children().stream().filter(c -> !pids.contains(c.split(" ")[0])).toList();
    }
}
