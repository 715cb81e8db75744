package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/// Raw bindings for <malloc.h>. No policy here.
public final class MallocH {
    private MallocH() {}

    /// struct mallinfo2 (every member a size_t)
    public static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
            JAVA_LONG.withName("arena"),
            JAVA_LONG.withName("ordblks"),
            JAVA_LONG.withName("smblks"),
            JAVA_LONG.withName("hblks"),
            JAVA_LONG.withName("hblkhd"),
            JAVA_LONG.withName("usmblks"),
            JAVA_LONG.withName("fsmblks"),
            JAVA_LONG.withName("uordblks"),
            JAVA_LONG.withName("fordblks"),
            JAVA_LONG.withName("keepcost"));

    /// struct mallinfo2 mallinfo2(void);   mallinfo2(3), glibc 2.33 and later; empty on other libcs.
    public static final Optional<MethodHandle> MALLINFO2_FN = Libc.has("mallinfo2")
            ? Optional.of(Libc.plain("mallinfo2", FunctionDescriptor.of(MALLINFO2)))
            : Optional.empty();

    /// A member of struct mallinfo2.
    public static VarHandle field(String name) {
        return MALLINFO2.varHandle(MemoryLayout.PathElement.groupElement(name));
    }

    static {
        Abi.check("struct mallinfo2", MALLINFO2, 80);
    }
}
