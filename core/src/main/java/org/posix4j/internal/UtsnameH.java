package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/// Raw bindings for <sys/utsname.h>. No policy here.
public final class UtsnameH {
    private UtsnameH() {}

    /// Length of each field of struct utsname on Linux, NUL included.
    public static final int FIELD = 65;

    /// int uname(struct utsname *buf);   uname(2)
    public static final CIntFunction UNAME = Libc.intFunction("uname");

    /// struct utsname
    public static final StructLayout UTSNAME = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(FIELD, JAVA_BYTE).withName("sysname"),
            MemoryLayout.sequenceLayout(FIELD, JAVA_BYTE).withName("nodename"),
            MemoryLayout.sequenceLayout(FIELD, JAVA_BYTE).withName("release"),
            MemoryLayout.sequenceLayout(FIELD, JAVA_BYTE).withName("version"),
            MemoryLayout.sequenceLayout(FIELD, JAVA_BYTE).withName("machine"),
            MemoryLayout.sequenceLayout(FIELD, JAVA_BYTE).withName("domainname"));

    /// Byte offset of a named field.
    public static long offset(String field) {
        return UTSNAME.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    static {
        Abi.check("struct utsname", UTSNAME, 390);
    }
}
