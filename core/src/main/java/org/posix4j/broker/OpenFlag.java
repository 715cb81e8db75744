package org.posix4j.broker;

import java.util.EnumSet;
import java.util.Set;
import org.posix4j.internal.FcntlH;

/// An open flag of an arbitrated `open` or `openat`, by the seed's name (`read_only`,
/// `create`, `resolve_beneath`...). Flags the seed has no name for (`O_NONBLOCK`, `O_NOCTTY`,
/// `O_CLOEXEC`, `O_NOATIME`...) are not listed; [Call#rawOpenFlags()] has all of them.
public enum OpenFlag {
    /// O_APPEND
    APPEND("append"),
    /// O_CREAT
    CREATE("create"),
    /// O_DIRECTORY
    DIRECTORY("directory"),
    /// O_EXCL (with O_CREAT)
    EXCLUSIVE("exclusive"),
    /// O_NOFOLLOW
    NO_FOLLOW("no_follow"),
    /// O_PATH
    PATH("path"),
    /// O_RDONLY
    READ_ONLY("read_only"),
    /// O_RDWR
    READ_WRITE("read_write"),
    /// O_SYNC
    SYNC_ALL_ON_WRITE("sync_all_on_write"),
    /// O_TMPFILE
    TEMPORARY("temporary"),
    /// O_TRUNC
    TRUNCATE("truncate"),
    /// O_WRONLY
    WRITE_ONLY("write_only"),
    /// RESOLVE_BENEATH (openat2)
    RESOLVE_BENEATH("resolve_beneath"),
    /// RESOLVE_IN_ROOT (openat2)
    RESOLVE_IN_ROOT("resolve_in_root"),
    /// RESOLVE_NO_MAGICLINKS (openat2)
    RESOLVE_NO_MAGICLINKS("resolve_no_magiclinks"),
    /// RESOLVE_NO_SYMLINKS (openat2)
    RESOLVE_NO_SYMLINKS("resolve_no_symlinks"),
    /// RESOLVE_NO_XDEV (openat2)
    RESOLVE_NO_XDEV("resolve_no_xdev"),
    /// RESOLVE_CACHED (openat2)
    RESOLVE_CACHED("resolve_cached");

    static final int O_ACCMODE = 3;
    static final int O_WRONLY = 1;
    static final int O_RDWR = 2;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_TRUNC = 01000;
    static final int O_APPEND = 02000;
    static final int O_NONBLOCK = 04000;
    static final int O_SYNC = 04010000;
    static final int O_DIRECTORY = FcntlH.O_DIRECTORY;
    static final int O_NOFOLLOW = FcntlH.O_NOFOLLOW;
    static final int O_CLOEXEC = 02000000;
    static final int O_PATH = 010000000;
    static final int O_TMPFILE = 020000000 | FcntlH.O_DIRECTORY;
    static final long R_NO_XDEV = 0x01;
    static final long R_NO_MAGICLINKS = 0x02;
    static final long R_NO_SYMLINKS = 0x04;
    static final long R_BENEATH = 0x08;
    static final long R_IN_ROOT = 0x10;
    static final long R_CACHED = 0x20;

    private final String seedName;

    OpenFlag(String seedName) {
        this.seedName = seedName;
    }

    /// The seed's name of this flag.
    public String seedName() {
        return seedName;
    }

    @Override
    public String toString() {
        return seedName;
    }

    /// The seed's flags for open(2) flags `flags` and openat2(2) resolve bits `resolve`.
    static Set<OpenFlag> decode(int flags, long resolve) {
        EnumSet<OpenFlag> set = EnumSet.noneOf(OpenFlag.class);
        switch (flags & O_ACCMODE) {
            case 0 -> set.add((flags & O_PATH) != 0 ? PATH : READ_ONLY);
            case O_WRONLY -> set.add(WRITE_ONLY);
            default -> set.add(READ_WRITE);
        }
        if ((flags & O_PATH) != 0) {
            set.add(PATH);
            set.remove(READ_ONLY);
        }
        if ((flags & O_TMPFILE) == O_TMPFILE) {
            set.add(TEMPORARY);
        } else if ((flags & O_DIRECTORY) != 0) {
            set.add(DIRECTORY);
        }
        add(set, flags, O_APPEND, APPEND);
        add(set, flags, O_CREAT, CREATE);
        add(set, flags, O_EXCL, EXCLUSIVE);
        add(set, flags, O_NOFOLLOW, NO_FOLLOW);
        add(set, flags, O_TRUNC, TRUNCATE);
        if ((flags & O_SYNC) == O_SYNC) {
            set.add(SYNC_ALL_ON_WRITE);
        }
        addResolve(set, resolve, R_BENEATH, OpenFlag.RESOLVE_BENEATH);
        addResolve(set, resolve, R_IN_ROOT, OpenFlag.RESOLVE_IN_ROOT);
        addResolve(set, resolve, R_NO_MAGICLINKS, OpenFlag.RESOLVE_NO_MAGICLINKS);
        addResolve(set, resolve, R_NO_SYMLINKS, OpenFlag.RESOLVE_NO_SYMLINKS);
        addResolve(set, resolve, R_NO_XDEV, OpenFlag.RESOLVE_NO_XDEV);
        addResolve(set, resolve, R_CACHED, OpenFlag.RESOLVE_CACHED);
        return set;
    }

    private static void add(Set<OpenFlag> set, int flags, int bit, OpenFlag flag) {
        if ((flags & bit) != 0) {
            set.add(flag);
        }
    }

    private static void addResolve(Set<OpenFlag> set, long resolve, long bit, OpenFlag flag) {
        if ((resolve & bit) != 0) {
            set.add(flag);
        }
    }
}
