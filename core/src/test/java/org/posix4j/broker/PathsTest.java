package org.posix4j.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/// The broker's lexical path forms: a path already in normal form comes back as the same string
/// (the broker's every call takes that path), any other is rebuilt, and `..` is never taken
/// lexically.
class PathsTest {
    @ParameterizedTest
    @ValueSource(strings = {"/", "/usr", "/usr/share/doc/README", "/a/..b/.c/...", "/a b/é"})
    void aNormalPathIsItself(String path) {
        assertSame(path, Paths.lexical(path));
    }

    @ParameterizedTest
    @CsvSource({
        "/usr/, /usr", "//usr, /usr", "/usr//share, /usr/share", "/usr/./share, /usr/share", "/., /",
        "/usr/share/., /usr/share", "//, /", "/./././, /", "'', /", "/a/.b/./c/, /a/.b/c"
    })
    void otherPathsAreRebuilt(String path, String normal) {
        assertEquals(normal, Paths.lexical(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/..", "/usr/..", "/usr/../etc", "/usr/share/../", "//../x"})
    void dotDotIsLeftToTheKernel(String path) {
        assertNull(Paths.lexical(path));
    }

    @ParameterizedTest
    @CsvSource({"/tmp/x, /tmp/x", "/tmp/\u00c3\u00a9, /tmp/\u00e9", "/tmp/\u00ff, /tmp/\ufffd"})
    void displayDecodesRawBytesAsUtf8(String raw, String display) {
        assertEquals(display, Paths.display(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/usr/share/doc"})
    void anAsciiPathIsDisplayedAsItself(String raw) {
        assertSame(raw, Paths.display(raw));
    }
}
