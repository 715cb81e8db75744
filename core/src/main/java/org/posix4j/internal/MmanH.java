package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/// Raw bindings for <sys/mman.h> (shared memory objects, mappings, memfd) and the one stat call
/// the mapping code needs, statx(2), chosen over fstat because its struct is the same on every
/// architecture. No policy here, except [#attach], the restricted step that ties a mapping to an
/// `Arena`.
public final class MmanH {
    private MmanH() {}

    /// int shm_open(const char *name, int oflag, mode_t mode);   shm_open(3)
    public static final CIntFunction SHM_OPEN = Libc.intFunction("shm_open");
    /// int shm_unlink(const char *name);   shm_unlink(3)
    public static final CIntFunction SHM_UNLINK = Libc.intFunction("shm_unlink");
    /// void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);   mmap(2)
    public static final CLongFunction MMAP = Libc.longFunction("mmap");
    /// int munmap(void *addr, size_t length);   munmap(2)
    public static final CIntFunction MUNMAP = Libc.intFunction("munmap");
    /// int memfd_create(const char *name, unsigned int flags);   memfd_create(2)
    public static final CIntFunction MEMFD_CREATE = Libc.intFunction("memfd_create");
    /// int getpagesize(void);   getpagesize(2); cannot fail.
    public static final CIntFunction GETPAGESIZE = Libc.intFunction("getpagesize");
    /// int statx(int dirfd, const char *pathname, int flags, unsigned int mask, struct statx *statxbuf);
    /// statx(2)
    public static final CIntFunction STATX = Libc.intFunction("statx");

    /// struct statx, the members up to stx_size named, the rest reserved; 256 bytes on every ABI.
    public static final StructLayout STATX_LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("stx_mask"),
            JAVA_INT.withName("stx_blksize"),
            JAVA_LONG.withName("stx_attributes"),
            JAVA_INT.withName("stx_nlink"),
            JAVA_INT.withName("stx_uid"),
            JAVA_INT.withName("stx_gid"),
            JAVA_SHORT.withName("stx_mode"),
            MemoryLayout.paddingLayout(2),
            JAVA_LONG.withName("stx_ino"),
            JAVA_LONG.withName("stx_size"),
            MemoryLayout.paddingLayout(208));
    /// statx's stx_mode.
    public static final VarHandle STX_MODE = field("stx_mode");
    /// statx's stx_size.
    public static final VarHandle STX_SIZE = field("stx_size");

    static {
        Abi.check("struct statx", STATX_LAYOUT, 256);
    }

    private static VarHandle field(String name) {
        return STATX_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement(name));
    }

    // shm_open's O_* flags are FcntlH's.

    /// PROT_READ
    public static final int PROT_READ = 1;
    /// PROT_WRITE
    public static final int PROT_WRITE = 2;
    /// MAP_SHARED
    public static final int MAP_SHARED = 1;
    /// MFD_CLOEXEC
    public static final int MFD_CLOEXEC = 1;
    /// MFD_ALLOW_SEALING
    public static final int MFD_ALLOW_SEALING = 2;
    /// AT_EMPTY_PATH: statx on the descriptor itself.
    public static final int AT_EMPTY_PATH = 0x1000;
    /// STATX_TYPE | STATX_MODE | STATX_SIZE
    public static final int STATX_TYPE_MODE_SIZE = 0x1 | 0x2 | 0x200;
    /// S_IFMT
    public static final int S_IFMT = 0170000;
    /// S_IFREG
    public static final int S_IFREG = 0100000;

    /// Gives the mapping of `size` bytes at `address` the lifetime of `arena`: the answer is a
    /// segment of that size, and closing `arena` unmaps it with munmap(2). If the arena cannot take
    /// the mapping (closed, or owned by another thread) the mapping is unmapped at once and the
    /// arena's exception is rethrown, so no mapping outlives a failed call.
    @SuppressWarnings("restricted")
    public static MemorySegment attach(MemorySegment address, long size, Arena arena) {
        try {
            return address.reinterpret(size, arena, s -> unmap(s.address(), size));
        } catch (RuntimeException e) {
            unmap(address.address(), size);
            throw e;
        }
    }

    /// munmap(2) of a mapping this class attached. It fails only for arguments no caller can
    /// produce, which would be a bug in posix4j, hence the unchecked exception.
    private static void unmap(long address, long size) {
        MemorySegment errno = Libc.errnoSlot();
        int r;
        try {
            r = MUNMAP.call(errno, address, size);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
        if (r < 0) {
            throw new IllegalStateException("munmap(0x" + Long.toHexString(address) + ", " + size
                    + ") failed with errno " + Libc.errno(errno));
        }
    }
}
