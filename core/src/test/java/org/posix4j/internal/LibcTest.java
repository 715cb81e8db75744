package org.posix4j.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/// The bindings are linked on their first call ([Libc]): each declared type must be the one
/// the linker gives, or its first call would fail. This test declares every binding (the
/// initialisers of the `*H` classes declare them) and links them all: a wrong type throws here,
/// not in some rarely taken path of a user's program.
class LibcTest {
    @Test
    void everyBindingLinksToTheTypeItWasDeclaredWith() throws Exception {
        Path dir = Path.of(LibcTest.class.getResource("/org/posix4j/internal/Libc.class").toURI()).getParent();
        List<String> bindings;
        try (Stream<Path> files = Files.list(dir)) {
            bindings = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("[A-Za-z]+H\\.class"))
                    .map(n -> "org.posix4j.internal." + n.substring(0, n.length() - ".class".length())).sorted().toList();
        }
        int handles = 0;
        for (String name : bindings) {
            Class<?> c = Class.forName(name, true, LibcTest.class.getClassLoader());
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())
                        && (f.getType() == MethodHandle.class || f.getType() == Optional.class)) {
                    handles++;
                }
            }
        }
        int found = handles;
        assertTrue(bindings.size() >= 25 && found >= 100, () -> found + " handles in " + bindings);
        Libc.linkAll();
    }
}
