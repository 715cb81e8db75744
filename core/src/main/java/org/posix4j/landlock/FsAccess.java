package org.posix4j.landlock;

import java.util.EnumSet;
import java.util.Set;
import org.posix4j.internal.LandlockH;

/// A filesystem right Landlock can handle (`LANDLOCK_ACCESS_FS_*`), with the ABI version that
/// introduced it.
public enum FsAccess {
    /// Execute a file: execve(2), and the ELF interpreter or script interpreter it loads.
    EXECUTE(LandlockH.ACCESS_FS_EXECUTE, 1, true),
    /// Open a file for writing.
    WRITE_FILE(LandlockH.ACCESS_FS_WRITE_FILE, 1, true),
    /// Open a file for reading.
    READ_FILE(LandlockH.ACCESS_FS_READ_FILE, 1, true),
    /// Open a directory or list its content.
    READ_DIR(LandlockH.ACCESS_FS_READ_DIR, 1, false),
    /// Remove an empty directory, or rename one.
    REMOVE_DIR(LandlockH.ACCESS_FS_REMOVE_DIR, 1, false),
    /// Unlink a file, or rename one.
    REMOVE_FILE(LandlockH.ACCESS_FS_REMOVE_FILE, 1, false),
    /// Create, rename or link a character device.
    MAKE_CHAR(LandlockH.ACCESS_FS_MAKE_CHAR, 1, false),
    /// Create or rename a directory.
    MAKE_DIR(LandlockH.ACCESS_FS_MAKE_DIR, 1, false),
    /// Create, rename or link a regular file.
    MAKE_REG(LandlockH.ACCESS_FS_MAKE_REG, 1, false),
    /// Create, rename or link a unix socket.
    MAKE_SOCK(LandlockH.ACCESS_FS_MAKE_SOCK, 1, false),
    /// Create, rename or link a named pipe.
    MAKE_FIFO(LandlockH.ACCESS_FS_MAKE_FIFO, 1, false),
    /// Create, rename or link a block device.
    MAKE_BLOCK(LandlockH.ACCESS_FS_MAKE_BLOCK, 1, false),
    /// Create, rename or link a symbolic link.
    MAKE_SYM(LandlockH.ACCESS_FS_MAKE_SYM, 1, false),
    /// Link or rename a file into another directory (ABI 2; under ABI 1 that is always denied).
    REFER(LandlockH.ACCESS_FS_REFER, 2, false),
    /// Truncate a file: truncate(2), ftruncate(2), open with O_TRUNC (ABI 3).
    TRUNCATE(LandlockH.ACCESS_FS_TRUNCATE, 3, true),
    /// ioctl(2) on an opened character or block device (ABI 5).
    IOCTL_DEV(LandlockH.ACCESS_FS_IOCTL_DEV, 5, true);

    private final long bit;
    private final int abi;
    private final boolean forFiles;

    FsAccess(long bit, int abi, boolean forFiles) {
        this.bit = bit;
        this.abi = abi;
        this.forFiles = forFiles;
    }

    /// The first Landlock ABI version that has this right.
    public int abi() {
        return abi;
    }

    /// Whether a rule on a file (not a directory) may grant this right; the others apply only
    /// to what is inside a directory.
    public boolean appliesToFiles() {
        return forFiles;
    }

    /// Every right that ABI version `abi` has (none for 0).
    public static Set<FsAccess> ofAbi(int abi) {
        EnumSet<FsAccess> all = EnumSet.noneOf(FsAccess.class);
        for (FsAccess a : values()) {
            if (a.abi <= abi) {
                all.add(a);
            }
        }
        return all;
    }

    static long mask(Set<FsAccess> rights) {
        long m = 0;
        for (FsAccess a : rights) {
            m |= a.bit;
        }
        return m;
    }
}
