package org.posix4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/// Independent sources of truth for tests: /proc files and the output of system tools.
public final class Proc {
    private Proc() {}

    /// The value of `key:` in /proc/PID/status, whitespace-collapsed.
    public static String status(long pid, String key) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith(key + ":")).findFirst()
                    .map(l -> l.substring(key.length() + 1).strip().replaceAll("\\s+", " "))
                    .orElseThrow(() -> new AssertionError("no " + key + " in /proc/" + pid + "/status"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /// The fields of /proc/PID/stat after the command name: index 0 is the state, 1 ppid, 2 pgrp,
    /// 3 session, 4 tty_nr, 5 tpgid (field N of proc(5) is index N - 3).
    public static String[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return s.substring(s.lastIndexOf(')') + 2).strip().split(" ");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /// Runs a command, fails unless it exits 0, and answers its stdout stripped.
    public static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TimeFactor.scale(30), TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed: " + out);
            }
            return out.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /// The number of open descriptors of this JVM.
    public static int openFds() {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /// Lines of a command's output.
    public static List<String> lines(String... command) {
        return run(command).lines().toList();
    }
}
