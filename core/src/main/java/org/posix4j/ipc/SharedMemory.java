package org.posix4j.ipc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import org.posix4j.Feature;
import org.posix4j.PosixException;
import org.posix4j.internal.CStrings;
import org.posix4j.internal.DupH;
import org.posix4j.internal.FcntlH;
import org.posix4j.internal.Libc;
import org.posix4j.internal.MmanH;
import org.posix4j.io.Fd;

/// POSIX shared memory objects (shm_overview(7)): named objects opened with [#open], removed with
/// [#unlink], sized with [#resize] and [#size], and mapped into memory with [#map] as a
/// `MemorySegment` that lives as long as an `Arena` the caller chooses. [#memfd] makes an
/// anonymous object instead, to be passed to another process as a descriptor.
///
/// The seed's POSIX shared memory section of `Netsys_posix`: `have_posix_shm`, `shm_open`,
/// `shm_unlink`; the seed resizes with `Unix.ftruncate` and maps with `Bigarray`, here [#resize]
/// and [#map].
///
/// On Linux an object named `/name` is the file `/dev/shm/name` (tmpfs), which other programs, for
/// example Python's `multiprocessing.shared_memory`, open by the same name.
///
/// Names and flags are checked in Java before any native call and rejected with an
/// `IllegalArgumentException` that says what is wrong. Every descriptor returned is owned and
/// close-on-exec.
///
/// Thread safety: every method may be called from any thread. A mapping's segment follows the
/// rules of the arena it was attached to.
public final class SharedMemory {
    private SharedMemory() {}

    /// The longest name, in UTF-8 bytes after the leading `/`: NAME_MAX, because the name becomes a
    /// file name in /dev/shm.
    public static final int NAME_MAX = 255;
    /// The longest memfd name, in UTF-8 bytes: NAME_MAX less the `memfd:` prefix the kernel adds.
    public static final int MEMFD_NAME_MAX = 249;

    private static volatile Feature probed;

    /// Whether POSIX shared memory works here: libc has shm_open and an object can really be
    /// created, mapped and unlinked (which needs a tmpfs on /dev/shm). Probed on first use and
    /// kept, unless the probe failed for want of descriptors or memory.
    /// Equivalent to `Netsys_posix.have_posix_shm`.
    public static boolean haveSharedMemory() {
        return sharedMemory().available();
    }

    /// [#haveSharedMemory()] with the reason, as a [Feature] named `posix_shm`.
    public static Feature sharedMemory() {
        Feature known = probed;
        if (known != null) {
            return known;
        }
        synchronized (SharedMemory.class) {
            if (probed != null) {
                return probed;
            }
            return probe();
        }
    }

    private static Feature probe() {
        String feature = "posix_shm";
        if (!Libc.has("shm_open") || !Libc.has("shm_unlink")) {
            return probed = new Feature(feature, false, "libc does not export shm_open and shm_unlink");
        }
        String name = "/posix4j-probe-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (Fd fd = open(name, EnumSet.of(ShmFlag.READ_WRITE, ShmFlag.CREATE, ShmFlag.EXCLUSIVE), 0600)) {
            try {
                resize(fd, pageSize());
                try (Arena arena = Arena.ofConfined()) {
                    map(fd, 0, pageSize(), MappingMode.READ_WRITE, arena).set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
                }
            } finally {
                unlink(name);
            }
            return probed = new Feature(feature, true, "created, mapped and unlinked " + name);
        } catch (PosixException e) {
            Feature no = new Feature(feature, false, e.getMessage());
            boolean passing = e.errnoValue() == 24 || e.errnoValue() == 23 || e.errnoValue() == 12;
            if (!passing) {
                probed = no;
            }
            return no;
        }
    }

    /// Opens, and with [ShmFlag#CREATE] creates, the shared memory object `name` with shm_open(3).
    /// A new object is empty and gets the permission bits `mode` less the umask; [#resize] gives it
    /// a size. Equivalent to `Netsys_posix.shm_open`.
    ///
    /// @param name `/` followed by 1 to [#NAME_MAX] bytes without `/` or NUL, not `/.` or `/..`
    /// @param flags exactly one of [ShmFlag#READ_ONLY] and [ShmFlag#READ_WRITE], optionally
    ///     [ShmFlag#CREATE], [ShmFlag#EXCLUSIVE] (with CREATE), [ShmFlag#TRUNCATE] (with READ_WRITE)
    /// @param mode permission bits for a created object, within 07777
    /// @return an owned, close-on-exec descriptor
    /// @throws IllegalArgumentException if the name, the flags or the mode are invalid
    /// @throws PosixException ENOENT (no such object, no CREATE), EEXIST (CREATE and EXCLUSIVE, and
    ///     it exists), EACCES (permission denied), EMFILE/ENFILE
    public static Fd open(String name, Set<ShmFlag> flags, int mode) throws PosixException {
        checkName(name);
        int oflag = openFlags(flags);
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException("mode must be within 07777: " + Integer.toOctalString(mode));
        }
        MemorySegment errno = Libc.errnoSlot();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = CStrings.of(arena, "name", name);
            int fd;
            do {
                fd = MmanH.SHM_OPEN.call(errno, cname.address(), oflag | FcntlH.O_CLOEXEC, mode);
            } while (fd < 0 && Libc.interrupted(errno));
            Libc.check(fd, errno, "shm_open", name);
            return Fd.adopt(fd);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// Removes the name of shared memory object `name` with shm_unlink(3). The object lives on
    /// until the last descriptor and mapping of it are gone. Equivalent to `Netsys_posix.shm_unlink`.
    ///
    /// @throws IllegalArgumentException if the name is invalid (see [#open])
    /// @throws PosixException ENOENT if there is no such object, EACCES if permission is denied
    public static void unlink(String name) throws PosixException {
        checkName(name);
        MemorySegment errno = Libc.errnoSlot();
        try (Arena arena = Arena.ofConfined()) {
            int r = MmanH.SHM_UNLINK.call(errno, CStrings.of(arena, "name", name).address());
            Libc.check(r, errno, "shm_unlink", name);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// Sets the size of the object (or file) open as `fd` to `size` bytes with ftruncate(2),
    /// retried on EINTR. Growing adds zero bytes; shrinking drops the tail, and touching a mapping
    /// beyond the new end then faults. The seed does this with `Unix.ftruncate`.
    ///
    /// @throws IllegalArgumentException if `size` is negative
    /// @throws IllegalStateException if `fd` is closed
    /// @throws PosixException EINVAL if `fd` is not open for writing, EBADF, EPERM for a sealed memfd
    public static void resize(Fd fd, long size) throws PosixException {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        int n = fd.intValue();
        MemorySegment errno = Libc.errnoSlot();
        try {
            int r;
            do {
                r = DupH.FTRUNCATE.call(errno, n, size);
            } while (r < 0 && Libc.interrupted(errno));
            Libc.check(r, errno, "ftruncate", "fd " + n);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// The size in bytes of the object (or file) open as `fd`, from statx(2).
    ///
    /// @throws IllegalStateException if `fd` is closed
    /// @throws PosixException EBADF if the number is not an open descriptor
    public static long size(Fd fd) throws PosixException {
        return stat(fd)[1];
    }

    /// {mode, size} of `fd`.
    private static long[] stat(Fd fd) throws PosixException {
        int n = fd.intValue();
        MemorySegment errno = Libc.errnoSlot();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(MmanH.STATX_LAYOUT);
            int r = MmanH.STATX.call(errno, n, arena.allocateFrom("").address(), MmanH.AT_EMPTY_PATH,
                    MmanH.STATX_TYPE_MODE_SIZE, buf.address());
            Libc.check(r, errno, "statx", "fd " + n);
            return new long[] {Short.toUnsignedLong((short) MmanH.STX_MODE.get(buf, 0L)),
                    (long) MmanH.STX_SIZE.get(buf, 0L)};
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// The system's page size in bytes (getpagesize(2)); a mapping's offset is a multiple of it.
    public static long pageSize() {
        try {
            return MmanH.GETPAGESIZE.call(Libc.errnoSlot());
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// Maps `size` bytes of `fd` from `offset` with mmap(2), MAP_SHARED, so writes reach the
    /// object and every other process that maps it. The answered segment lives as long as
    /// `arena`: closing the arena unmaps it with munmap(2) (an automatic arena unmaps when the
    /// segment is unreachable, the global arena never). Closing `fd` does not end the mapping.
    ///
    /// For a regular file or shared memory object, `offset + size` must lie within its current
    /// size: touching pages beyond the end would fault. If another process shrinks the object
    /// later, accessing the lost pages fails in the JVM (an `InternalError` for a fault in memory
    /// access), which is why the size is checked here.
    ///
    /// @param offset a multiple of [#pageSize()]
    /// @param size a positive number of bytes
    /// @param mode [MappingMode#READ_ONLY] answers a read-only segment
    /// @throws IllegalArgumentException if `offset` is negative or not page-aligned, `size` is not
    ///     positive, or the range exceeds the size of a regular file or object
    /// @throws IllegalStateException if `fd` is closed or `arena` is closed
    /// @throws WrongThreadException if `arena` is confined to another thread
    /// @throws PosixException EACCES if `fd` is not open for the access `mode` needs (READ_WRITE on
    ///     a descriptor opened READ_ONLY), ENODEV if the file cannot be mapped, ENOMEM
    public static MemorySegment map(Fd fd, long offset, long size, MappingMode mode, Arena arena)
            throws PosixException {
        if (offset < 0 || offset % pageSize() != 0) {
            throw new IllegalArgumentException("offset must be a non-negative multiple of the page size "
                    + pageSize() + ": " + offset);
        }
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        if (mode == null || arena == null) {
            throw new NullPointerException(mode == null ? "mode is null" : "arena is null");
        }
        long[] stat = stat(fd);
        if ((stat[0] & MmanH.S_IFMT) == MmanH.S_IFREG && (offset + size > stat[1] || offset + size < 0)) {
            throw new IllegalArgumentException("offset + size (" + offset + " + " + size
                    + ") exceeds the size of fd " + fd.intValue() + " (" + stat[1] + " bytes); resize it first");
        }
        int prot = mode == MappingMode.READ_ONLY ? MmanH.PROT_READ : MmanH.PROT_READ | MmanH.PROT_WRITE;
        int n = fd.intValue();
        MemorySegment errno = Libc.errnoSlot();
        long address;
        try {
            address = MmanH.MMAP.call(errno, 0L, size, prot, MmanH.MAP_SHARED, n, offset);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
        if (address == -1L) {
            throw new PosixException("mmap", Libc.errno(errno), "fd " + n);
        }
        MemorySegment mapping = MmanH.attach(MemorySegment.ofAddress(address), size, arena);
        return mode == MappingMode.READ_ONLY ? mapping.asReadOnly() : mapping;
    }

    /// Creates an anonymous shared memory object with memfd_create(2), always MFD_CLOEXEC. It has
    /// no name in /dev/shm (`name` only labels it, as `/memfd:name` in /proc/PID/fd), is empty
    /// until [#resize], and disappears when its last descriptor and mapping are gone; pass the
    /// descriptor to another process to share it.
    ///
    /// @param name a label of at most [#MEMFD_NAME_MAX] UTF-8 bytes without NUL; `/` is allowed
    /// @param flags [MemoryFdFlag#ALLOW_SEALING] or none
    /// @return an owned, close-on-exec descriptor open for reading and writing
    /// @throws IllegalArgumentException if the name is too long or contains NUL
    /// @throws PosixException EMFILE/ENFILE, ENOMEM
    public static Fd memfd(String name, Set<MemoryFdFlag> flags) throws PosixException {
        CStrings.check("name", name);
        if (name.getBytes(StandardCharsets.UTF_8).length > MEMFD_NAME_MAX) {
            throw new IllegalArgumentException("name must be at most " + MEMFD_NAME_MAX + " bytes in UTF-8: "
                    + name.getBytes(StandardCharsets.UTF_8).length + " bytes");
        }
        int mflags = MmanH.MFD_CLOEXEC | (flags.contains(MemoryFdFlag.ALLOW_SEALING) ? MmanH.MFD_ALLOW_SEALING : 0);
        MemorySegment errno = Libc.errnoSlot();
        try (Arena arena = Arena.ofConfined()) {
            int fd = MmanH.MEMFD_CREATE.call(errno, CStrings.of(arena, "name", name).address(), mflags);
            Libc.check(fd, errno, "memfd_create", name);
            return Fd.adopt(fd);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    private static void checkName(String name) {
        CStrings.check("name", name);
        if (!name.startsWith("/")) {
            throw new IllegalArgumentException("name must start with '/': " + name);
        }
        String rest = name.substring(1);
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("name must have at least one character after '/'");
        }
        if (rest.indexOf('/') >= 0) {
            throw new IllegalArgumentException("name must contain no '/' after the leading one: " + name);
        }
        if (rest.equals(".") || rest.equals("..")) {
            throw new IllegalArgumentException("name must not be /. or /..: " + name);
        }
        int bytes = rest.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > NAME_MAX) {
            throw new IllegalArgumentException("name must have at most " + NAME_MAX
                    + " bytes in UTF-8 after '/': " + bytes + " bytes");
        }
    }

    private static int openFlags(Set<ShmFlag> flags) {
        if (flags == null) {
            throw new NullPointerException("flags is null");
        }
        boolean ro = flags.contains(ShmFlag.READ_ONLY);
        boolean rw = flags.contains(ShmFlag.READ_WRITE);
        if (ro == rw) {
            throw new IllegalArgumentException("flags must contain exactly one of READ_ONLY and READ_WRITE, got "
                    + (ro ? "both" : "neither") + ": " + flags);
        }
        if (flags.contains(ShmFlag.EXCLUSIVE) && !flags.contains(ShmFlag.CREATE)) {
            throw new IllegalArgumentException("flags: EXCLUSIVE needs CREATE: " + flags);
        }
        if (flags.contains(ShmFlag.TRUNCATE) && ro) {
            throw new IllegalArgumentException("flags: TRUNCATE needs READ_WRITE, not READ_ONLY: " + flags);
        }
        return (ro ? FcntlH.O_RDONLY : FcntlH.O_RDWR)
                | (flags.contains(ShmFlag.CREATE) ? FcntlH.O_CREAT : 0)
                | (flags.contains(ShmFlag.EXCLUSIVE) ? FcntlH.O_EXCL : 0)
                | (flags.contains(ShmFlag.TRUNCATE) ? FcntlH.O_TRUNC : 0);
    }
}
