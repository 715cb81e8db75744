package org.posix4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.posix4j.testing.Proc;
import org.posix4j.testing.Requires;

class ErrnoTest {
    /// Python's view of glibc, for every number in 0..200 and two unknown ones:
    /// `number<TAB>strerror<TAB>names known to the errno module, comma-separated`.
    private static final String DUMP = """
            import errno, os
            names = {}
            for n in dir(errno):
                if n.startswith('E') and isinstance(getattr(errno, n), int):
                    names.setdefault(getattr(errno, n), []).append(n)
            for k in list(range(0, 201)) + [999, -5]:
                print(k, os.strerror(k), ','.join(sorted(names.get(k, []))), errno.errorcode.get(k, ''), '.', sep='\\t')
            """;

    private static final Map<Integer, String> STRERROR = new HashMap<>();
    private static final Map<Integer, Set<String>> NAMES = new HashMap<>();
    private static final Map<Integer, String> ERRORCODE = new HashMap<>();

    @BeforeAll
    static void dumpPython() {
        for (String line : Proc.lines("env", "LC_ALL=C", "python3", "-c", DUMP)) {
            String[] f = line.split("\t", -1);
            int n = Integer.parseInt(f[0]);
            STRERROR.put(n, f[1]);
            NAMES.put(n, f[2].isEmpty() ? Set.of() : Set.of(f[2].split(",")));
            if (!f[3].isEmpty()) {
                ERRORCODE.put(n, f[3]);
            }
        }
        assertTrue(ERRORCODE.size() > 100, "python knows only " + ERRORCODE.size() + " errnos");
    }

    @Test
    void everyErrnoMatchesGlibcStrerror() {
        for (Errno e : Errno.values()) {
            assertEquals(STRERROR.get(e.number()), e.description(), e.name());
        }
    }

    @Test
    void everyErrnoPythonNamesHasThatNumber() {
        for (Errno e : Errno.values()) {
            Set<String> names = NAMES.get(e.number());
            // Python 3.11 lacks a few recent names (EHWPOISON); the C header test covers those.
            if (!names.isEmpty()) {
                assertTrue(names.contains(e.name()), e + " is " + names + " for python");
            }
        }
    }

    @Test
    void everyNumberPythonKnowsIsAnErrno() {
        for (Map.Entry<Integer, String> code : ERRORCODE.entrySet()) {
            int n = code.getKey();
            Optional<Errno> e = Errno.of(n);
            assertTrue(e.isPresent(), "no Errno for " + n + " (" + code.getValue() + ")");
            assertEquals(n, e.get().number());
            assertTrue(NAMES.get(n).contains(e.get().name()), e.get() + " vs " + NAMES.get(n));
            for (String name : NAMES.get(n)) {
                assertSame(e.get(), Errno.bySymbol(name), name);
            }
        }
    }

    @Test
    void numbersGlibcDoesNotNameAreUnknown() {
        for (int n = 0; n <= 200; n++) {
            boolean glibcKnows = !STRERROR.get(n).startsWith("Unknown error");
            if (n == 0) {
                glibcKnows = false; // strerror(0) is "Success", not an error
            }
            assertEquals(glibcKnows, Errno.of(n).isPresent(), "errno " + n + ": " + STRERROR.get(n));
        }
        assertEquals(Optional.empty(), Errno.of(-1));
        assertEquals(Optional.empty(), Errno.of(41));
        assertEquals(Optional.empty(), Errno.of(58));
        assertEquals(Optional.empty(), Errno.of(999));
        assertEquals(Optional.empty(), Errno.of(Integer.MAX_VALUE));
        assertEquals(Optional.empty(), Errno.of(Integer.MIN_VALUE));
    }

    /// Every `#define E...` of the kernel's UAPI headers, which glibc's <errno.h> includes, resolves
    /// through [Errno#bySymbol] to the header's number (aliases such as EWOULDBLOCK included), and
    /// every Errno is defined there.
    @Test
    void everySymbolOfTheKernelHeadersResolves() throws Exception {
        List<Path> headers = List.of(Path.of("/usr/include/asm-generic/errno-base.h"),
                Path.of("/usr/include/asm-generic/errno.h"));
        Requires.that(headers.stream().allMatch(Files::isRegularFile),
                "needs the kernel's errno headers in /usr/include/asm-generic (Debian: linux-libc-dev)");
        Map<String, String> defines = new HashMap<>();
        Pattern define = Pattern.compile("#define\\s+(E[A-Z0-9]+)\\s+(\\w+).*");
        for (Path header : headers) {
            for (String line : Files.readAllLines(header)) {
                Matcher m = define.matcher(line);
                if (m.matches()) {
                    defines.put(m.group(1), m.group(2));
                }
            }
        }
        assertTrue(defines.size() > 130, "only " + defines.size() + " errno macros in " + headers);
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, String> d : defines.entrySet()) {
            String value = d.getValue();
            while (!value.matches("\\d+")) {
                value = defines.get(value);
            }
            Errno e = Errno.bySymbol(d.getKey());
            assertEquals(Integer.parseInt(value), e.number(), d.getKey());
            seen.add(e.name());
        }
        for (Errno e : Errno.values()) {
            assertTrue(seen.contains(e.name()), e + " is not in " + headers);
        }
    }

    @Test
    void aliasesShareTheirNumber() {
        assertSame(Errno.EAGAIN, Errno.EWOULDBLOCK);
        assertSame(Errno.EDEADLK, Errno.EDEADLOCK);
        assertSame(Errno.EOPNOTSUPP, Errno.ENOTSUP);
        assertSame(Errno.EAGAIN, Errno.bySymbol("EWOULDBLOCK"));
        assertSame(Errno.EDEADLK, Errno.bySymbol("EDEADLOCK"));
        assertSame(Errno.EOPNOTSUPP, Errno.bySymbol("ENOTSUP"));
        assertEquals(Set.of("EAGAIN", "EWOULDBLOCK"), NAMES.get(11));
        assertEquals(Set.of("EDEADLK", "EDEADLOCK"), NAMES.get(35));
        assertEquals(Set.of("ENOTSUP", "EOPNOTSUPP"), NAMES.get(95));
    }

    @Test
    void bySymbolFindsEveryConstantAndRejectsOthers() {
        for (Errno e : Errno.values()) {
            assertSame(e, Errno.bySymbol(e.name()));
            assertSame(e, Errno.of(e.number()).orElseThrow());
        }
        for (String bad : List.of("", "eperm", "EFOO", "EPERM ")) {
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Errno.bySymbol(bad));
            assertTrue(ex.getMessage().startsWith("symbol"), ex.getMessage());
        }
    }

    @Test
    void predicates() {
        for (Errno e : Errno.values()) {
            assertEquals(e == Errno.EPERM || e == Errno.EACCES, e.isPermission(), e.name());
            assertEquals(Set.of(Errno.ENOENT, Errno.ESRCH, Errno.ENXIO, Errno.ENODEV).contains(e), e.isNotFound(),
                    e.name());
            assertEquals(Set.of(Errno.EAGAIN, Errno.EINTR, Errno.EBUSY).contains(e), e.isTransient(), e.name());
        }
    }

    @Test
    void exceptionMessageReadsLikeTheShell() {
        PosixException e = new PosixException("setuid", Errno.EPERM, "12345");
        assertEquals("setuid(12345): Operation not permitted [EPERM]", e.getMessage());
        assertEquals("setuid", e.function());
        assertEquals("12345", e.subject());
        assertEquals(1, e.errnoValue());
        assertEquals(Optional.of(Errno.EPERM), e.errno());
        assertTrue(e.is(Errno.EPERM));
        assertFalse(e.is(Errno.EACCES));
        assertTrue(e.isPermission());
        assertFalse(e.isNotFound());
        assertTrue(IOException.class.isInstance(e), "PosixException is an IOException");

        PosixException byNumber = new PosixException("open", 2, "/nowhere");
        assertEquals("open(/nowhere): No such file or directory [ENOENT]", byNumber.getMessage());
        assertTrue(byNumber.isNotFound());
        assertEquals("getpid(): Resource temporarily unavailable [EAGAIN]",
                new PosixException("getpid", Errno.EWOULDBLOCK, "").getMessage());
    }

    @Test
    void unknownErrnoIsKept() {
        PosixException e = new PosixException("f", 999, "x");
        assertEquals(999, e.errnoValue());
        assertEquals(Optional.empty(), e.errno());
        assertEquals("f(x): " + STRERROR.get(999) + " [errno 999]", e.getMessage());
        assertEquals("f(x): Unknown error 999 [errno 999]", e.getMessage());
        assertFalse(e.isPermission());
        assertFalse(e.isNotFound());
        for (Errno any : Errno.values()) {
            assertFalse(e.is(any), any.name());
        }
        PosixException negative = new PosixException("g", -5, "");
        assertEquals(-5, negative.errnoValue());
        assertEquals("g(): " + STRERROR.get(-5) + " [errno -5]", negative.getMessage());
    }
}
