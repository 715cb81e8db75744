package org.posix4j.cli.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// Reads what the kernel says about a process in /proc, the independent source the tests check
/// the command's answers against.
public final class Proc {
    /// The resource names of /proc/PID/limits (fs/proc/base.c `lnames`) by RLIMIT_* name.
    private static final Map<String, String> LIMIT_NAMES = Map.ofEntries(
            Map.entry("Max cpu time", "cpu"),
            Map.entry("Max file size", "fsize"),
            Map.entry("Max data size", "data"),
            Map.entry("Max stack size", "stack"),
            Map.entry("Max core file size", "core"),
            Map.entry("Max resident set", "rss"),
            Map.entry("Max processes", "nproc"),
            Map.entry("Max open files", "nofile"),
            Map.entry("Max locked memory", "memlock"),
            Map.entry("Max address space", "as"),
            Map.entry("Max file locks", "locks"),
            Map.entry("Max pending signals", "sigpending"),
            Map.entry("Max msgqueue size", "msgqueue"),
            Map.entry("Max nice priority", "nice"),
            Map.entry("Max realtime priority", "rtprio"),
            Map.entry("Max realtime timeout", "rttime"));

    private Proc() {}

    /// The value of the `key:` line of /proc/`pid`/status, such as "0022" for "Umask".
    public static String status(long pid, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(key + ":")) {
                return line.substring(key.length() + 1).strip();
            }
        }
        throw new AssertionError("no " + key + " in /proc/" + pid + "/status");
    }

    /// The text of /proc/`pid`/stat, or empty once the process is gone: its directory may vanish
    /// between the open and the read, which then fails with ESRCH ("No such process"), not with
    /// a missing file.
    public static Optional<String> statIfAlive(long pid) throws IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        try {
            return Optional.of(Files.readString(stat));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            if (Files.exists(stat.getParent())) {
                throw e;
            }
            return Optional.empty();
        }
    }

    /// Field `n` of /proc/`pid`/stat, numbered as in proc(5): 4 ppid, 5 pgrp, 6 session. The
    /// command name in field 2 may hold spaces and parentheses, so counting starts after the
    /// last ')'.
    public static long stat(long pid, int n) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(rest[n - 3]);
    }

    /// /proc/`pid`/limits as {"nofile": ["1024", "524288"], ...}: lower-case RLIMIT_* name to
    /// soft and hard value, each a decimal number or "unlimited".
    public static Map<String, List<String>> limits(long pid) throws IOException {
        Map<String, List<String>> limits = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/limits"));
        // The kernel prints the name left-aligned in 25 columns and a blank, then the values.
        for (String line : lines.subList(1, lines.size())) {
            String name = LIMIT_NAMES.get(line.substring(0, 25).strip());
            if (name == null) {
                throw new AssertionError("unknown limit in /proc/" + pid + "/limits: " + line);
            }
            String[] values = line.substring(26).strip().split("\\s+");
            limits.put(name, List.of(values[0], values[1]));
        }
        return limits;
    }
}
