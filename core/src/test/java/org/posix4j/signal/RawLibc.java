package org.posix4j.signal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/// poll(2) and sigaddset(3) called straight through FFM, independently of posix4j's own
/// bindings, so tests check the library against the C library itself.
final class RawLibc {
    private RawLibc() {}

    /// POLLIN
    static final int POLLIN = 1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle POLL = handle("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SIGEMPTYSET = handle("sigemptyset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SIGADDSET = handle("sigaddset",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

    @SuppressWarnings("restricted")
    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), descriptor);
    }

    /// The revents poll(2) answers for POLLIN on `fd` after at most `timeoutMs`: 0 on timeout.
    static int pollIn(int fd, int timeoutMs) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pfd = arena.allocate(8);
            pfd.set(JAVA_INT, 0, fd);
            pfd.set(JAVA_SHORT, 4, (short) POLLIN);
            int n = (int) POLL.invokeExact(pfd, 1L, timeoutMs);
            if (n < 0) {
                throw new AssertionError("poll failed");
            }
            return n == 0 ? 0 : pfd.get(JAVA_SHORT, 6);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /// The 128 bytes of a sigset_t that glibc's sigemptyset and sigaddset build for `numbers`.
    static byte[] glibcSigset(int... numbers) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(128);
            set.fill((byte) 0x5a);
            if ((int) SIGEMPTYSET.invokeExact(set) != 0) {
                throw new AssertionError("sigemptyset failed");
            }
            for (int n : numbers) {
                if ((int) SIGADDSET.invokeExact(set, n) != 0) {
                    throw new AssertionError("sigaddset failed for " + n);
                }
            }
            return set.toArray(JAVA_BYTE);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
