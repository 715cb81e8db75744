package org.posix4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.testing.Proc;

class OpenFlagsTest {
    /// The C name of each OpenFlags constant.
    private static final Map<String, String> C_NAMES = Map.ofEntries(
            Map.entry("READ_ONLY", "O_RDONLY"), Map.entry("WRITE_ONLY", "O_WRONLY"),
            Map.entry("READ_WRITE", "O_RDWR"), Map.entry("CREATE", "O_CREAT"),
            Map.entry("EXCLUSIVE", "O_EXCL"), Map.entry("NO_CONTROLLING_TTY", "O_NOCTTY"),
            Map.entry("TRUNCATE", "O_TRUNC"), Map.entry("APPEND", "O_APPEND"),
            Map.entry("NON_BLOCKING", "O_NONBLOCK"), Map.entry("SYNC", "O_SYNC"),
            Map.entry("DIRECTORY", "O_DIRECTORY"), Map.entry("NO_FOLLOW", "O_NOFOLLOW"), Map.entry("PATH", "O_PATH"));

    @TempDir
    Path dir;

    @Test
    void everyConstantHasTheValueOfThePlatform() throws Exception {
        Map<String, Integer> python = new HashMap<>();
        for (String line : Proc.lines("python3", "-c",
                "import os\nfor n in dir(os):\n    if n.startswith('O_'): print(n, getattr(os, n))")) {
            String[] kv = line.split(" ");
            python.put(kv[0], Integer.parseInt(kv[1]));
        }
        int checked = 0;
        for (Field f : OpenFlags.class.getFields()) {
            assertTrue(Modifier.isStatic(f.getModifiers()) && f.getType() == int.class, f.toString());
            String c = C_NAMES.get(f.getName());
            assertTrue(c != null, "no C name known for OpenFlags." + f.getName());
            assertEquals(python.get(c), f.getInt(null), f.getName() + " is " + c);
            checked++;
        }
        assertEquals(C_NAMES.size(), checked);
    }

    @Test
    void statusFlagsReachTheOpenFile() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "abc");
        Set<String> before = OpenFds.snapshot();
        int[][] cases = {
                {OpenFlags.READ_ONLY, 0}, {OpenFlags.WRITE_ONLY, 1}, {OpenFlags.READ_WRITE, 2},
                {OpenFlags.WRITE_ONLY | OpenFlags.APPEND, 02000}, {OpenFlags.READ_ONLY | OpenFlags.NON_BLOCKING, 04000},
                {OpenFlags.WRITE_ONLY | OpenFlags.SYNC, 04010000}};
        for (int[] c : cases) {
            try (Fd fd = Fd.open(f.toString(), c[0], 0)) {
                int flags = OpenFds.flags(fd.intValue());
                int mask = c[1] < 4 ? 3 : c[1];
                assertEquals(c[1], flags & mask, "flags 0" + Integer.toOctalString(c[0]) + " in fdinfo 0"
                        + Integer.toOctalString(flags));
            }
        }
        OpenFds.assertNoneOpenedSince(before);
    }

    @Test
    void appendTruncateAndExclusiveDoWhatTheySay() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "abc");
        try (Fd fd = Fd.open(f.toString(), OpenFlags.WRITE_ONLY | OpenFlags.APPEND, 0)) {
            fd.outputStream().write("def".getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals("abcdef", Files.readString(f));
        try (Fd fd = Fd.open(f.toString(), OpenFlags.WRITE_ONLY | OpenFlags.TRUNCATE, 0)) {
            assertEquals("0", Proc.run("stat", "-c", "%s", f.toString()));
            assertTrue(fd.isOpen());
        }
        PosixException e = assertThrows(PosixException.class,
                () -> Fd.open(f.toString(), OpenFlags.WRITE_ONLY | OpenFlags.CREATE | OpenFlags.EXCLUSIVE, 0600));
        assertTrue(e.is(Errno.EEXIST), e.getMessage());
    }

    @Test
    void directoryAndNoFollowAreCheckedByTheKernel() throws Exception {
        Path f = Files.writeString(dir.resolve("file"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("link"), f);
        PosixException e = assertThrows(PosixException.class,
                () -> Fd.open(f.toString(), OpenFlags.READ_ONLY | OpenFlags.DIRECTORY, 0));
        assertTrue(e.is(Errno.ENOTDIR), e.getMessage());
        try (Fd d = Fd.open(dir.toString(), OpenFlags.READ_ONLY | OpenFlags.DIRECTORY, 0)) {
            assertEquals(dir.toRealPath().toString(), OpenFds.target(d.intValue()));
        }
        e = assertThrows(PosixException.class,
                () -> Fd.open(link.toString(), OpenFlags.READ_ONLY | OpenFlags.NO_FOLLOW, 0));
        assertTrue(e.is(Errno.ELOOP), e.getMessage());
        try (Fd followed = Fd.open(link.toString(), OpenFlags.READ_ONLY, 0)) {
            assertEquals(f.toRealPath().toString(), OpenFds.target(followed.intValue()));
        }
    }
}
