package org.posix4j.process;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.testing.ChildJvm;

class EnvironmentTest {

    /// Sets, overwrites and unsets variables; after each step a shell started by libc's
    /// system(3), which reads the real environment and not the JDK's snapshot, writes what it saw.
    public static final class Env {
        @SuppressWarnings("restricted")
        private static final MethodHandle SYSTEM = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().find("system").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS));

        static void shell(String command) throws Throwable {
            try (Arena arena = Arena.ofConfined()) {
                int rc = (int) SYSTEM.invokeExact(arena.allocateFrom(command));
                if (rc != 0) {
                    throw new IllegalStateException("system(" + command + ") = " + rc);
                }
            }
        }

        public static void main(String[] args) throws Throwable {
            String dir = args[0];
            String snapshot = System.getenv("POSIX4J_T");
            Environment.set("POSIX4J_T", "héllo wörld");
            shell("printf %s \"${POSIX4J_T-unset}\" > " + dir + "/set");
            Environment.set("POSIX4J_T", "kept?", false);
            shell("printf %s \"${POSIX4J_T-unset}\" > " + dir + "/kept");
            Environment.set("POSIX4J_T", "replaced", true);
            shell("printf %s \"${POSIX4J_T-unset}\" > " + dir + "/replaced");
            System.out.println("get=" + Environment.get("POSIX4J_T").orElse("unset"));
            System.out.println("snapshot=" + snapshot + " " + System.getenv("POSIX4J_T"));
            Environment.unset("POSIX4J_T");
            shell("printf %s \"${POSIX4J_T-unset}\" > " + dir + "/unset");
            System.out.println("after=" + Environment.get("POSIX4J_T").orElse("unset"));
        }
    }

    @Test
    void changesReachTheRealEnvironment(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = ChildJvm.run(Env.class, dir.toString()).assertSuccess();
        assertEquals("héllo wörld", Files.readString(dir.resolve("set")));
        assertEquals("héllo wörld", Files.readString(dir.resolve("kept")));
        assertEquals("replaced", Files.readString(dir.resolve("replaced")));
        assertEquals("unset", Files.readString(dir.resolve("unset")));
        assertEquals("replaced", r.value("get="));
        assertEquals("unset", r.value("after="));
        assertEquals("null null", r.value("snapshot="), "System.getenv keeps the JDK's first snapshot");
    }

    @Test
    void readsTheInheritedEnvironment() {
        assertEquals(System.getenv("PATH"), Environment.get("PATH").orElseThrow());
        assertTrue(Environment.get("POSIX4J_SURELY_UNSET_VARIABLE").isEmpty());
    }

    @Test
    void badNamesAndValuesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Environment.set("A=B", "x"));
        assertTrue(e.getMessage().startsWith("name "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Environment.set("", "x"));
        assertTrue(e.getMessage().startsWith("name "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Environment.set("OK", "a\0b"));
        assertTrue(e.getMessage().startsWith("value "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Environment.unset("X\0"));
        assertTrue(e.getMessage().startsWith("name "), e.getMessage());
    }
}
