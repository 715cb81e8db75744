package org.posix4j.internal;

import java.lang.foreign.MemoryLayout;

/// Checks, when a binding class loads, that a struct layout has the size the C ABI gives it.
/// The sizes are those of the LP64 Linux ABIs (x86_64, aarch64).
final class Abi {
    private Abi() {}

    static void check(String name, MemoryLayout layout, long expected) {
        if (layout.byteSize() != expected) {
            throw new ExceptionInInitializerError(
                    name + " layout is " + layout.byteSize() + " bytes, the ABI says " + expected);
        }
    }
}
