package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/// Raw definitions of <linux/landlock.h>: the three Landlock syscalls, called through
/// [SyscallH] since glibc 2.36 does not wrap them, their structures and flags. Debian 12's
/// kernel headers predate ABI 3, so the constants are written out here from the kernel's UAPI
/// header. No policy here.
///
/// ```c
/// int landlock_create_ruleset(const struct landlock_ruleset_attr *attr, size_t size, __u32 flags);
/// int landlock_add_rule(int ruleset_fd, enum landlock_rule_type rule_type, const void *rule_attr, __u32 flags);
/// int landlock_restrict_self(int ruleset_fd, __u32 flags);
/// ```
public final class LandlockH {
    private LandlockH() {}

    // x86_64 and aarch64 (the generic table) number every syscall from 424 on alike.
    /// landlock_create_ruleset(2), or -1 on an architecture posix4j does not know
    public static final long CREATE_RULESET = Syscalls.CURRENT.known() ? 444 : -1;
    /// landlock_add_rule(2), or -1 on an architecture posix4j does not know
    public static final long ADD_RULE = Syscalls.CURRENT.known() ? 445 : -1;
    /// landlock_restrict_self(2), or -1 on an architecture posix4j does not know
    public static final long RESTRICT_SELF = Syscalls.CURRENT.known() ? 446 : -1;

    /// struct landlock_ruleset_attr (ABI 6 size): handled_access_fs, handled_access_net, scoped.
    /// A kernel of an older ABI accepts the larger structure when the members it lacks are zero.
    public static final StructLayout RULESET_ATTR = MemoryLayout.structLayout(
            JAVA_LONG.withName("handled_access_fs"),
            JAVA_LONG.withName("handled_access_net"),
            JAVA_LONG.withName("scoped"));
    /// struct landlock_path_beneath_attr, packed: allowed_access, parent_fd.
    public static final StructLayout PATH_BENEATH_ATTR = MemoryLayout.structLayout(
            JAVA_LONG.withName("allowed_access"),
            JAVA_INT.withName("parent_fd"));
    /// offsetof(struct landlock_path_beneath_attr, parent_fd)
    public static final long PATH_BENEATH_PARENT_FD = 8;
    /// struct landlock_net_port_attr (ABI 4): allowed_access, port.
    public static final StructLayout NET_PORT_ATTR = MemoryLayout.structLayout(
            JAVA_LONG.withName("allowed_access"),
            JAVA_LONG.withName("port"));
    /// offsetof(struct landlock_ruleset_attr, handled_access_net)
    public static final long RULESET_HANDLED_NET = 8;
    /// offsetof(struct landlock_ruleset_attr, scoped)
    public static final long RULESET_SCOPED = 16;

    /// LANDLOCK_CREATE_RULESET_VERSION: landlock_create_ruleset(NULL, 0, this) answers the ABI version.
    public static final long CREATE_RULESET_VERSION = 1L << 0;
    /// LANDLOCK_CREATE_RULESET_ERRATA: landlock_create_ruleset(NULL, 0, this) answers the fixed errata (ABI 7).
    public static final long CREATE_RULESET_ERRATA = 1L << 1;
    /// LANDLOCK_RULE_PATH_BENEATH
    public static final long RULE_PATH_BENEATH = 1;
    /// LANDLOCK_RULE_NET_PORT (ABI 4)
    public static final long RULE_NET_PORT = 2;

    /// LANDLOCK_ACCESS_FS_EXECUTE (ABI 1)
    public static final long ACCESS_FS_EXECUTE = 1L << 0;
    /// LANDLOCK_ACCESS_FS_WRITE_FILE (ABI 1)
    public static final long ACCESS_FS_WRITE_FILE = 1L << 1;
    /// LANDLOCK_ACCESS_FS_READ_FILE (ABI 1)
    public static final long ACCESS_FS_READ_FILE = 1L << 2;
    /// LANDLOCK_ACCESS_FS_READ_DIR (ABI 1)
    public static final long ACCESS_FS_READ_DIR = 1L << 3;
    /// LANDLOCK_ACCESS_FS_REMOVE_DIR (ABI 1)
    public static final long ACCESS_FS_REMOVE_DIR = 1L << 4;
    /// LANDLOCK_ACCESS_FS_REMOVE_FILE (ABI 1)
    public static final long ACCESS_FS_REMOVE_FILE = 1L << 5;
    /// LANDLOCK_ACCESS_FS_MAKE_CHAR (ABI 1)
    public static final long ACCESS_FS_MAKE_CHAR = 1L << 6;
    /// LANDLOCK_ACCESS_FS_MAKE_DIR (ABI 1)
    public static final long ACCESS_FS_MAKE_DIR = 1L << 7;
    /// LANDLOCK_ACCESS_FS_MAKE_REG (ABI 1)
    public static final long ACCESS_FS_MAKE_REG = 1L << 8;
    /// LANDLOCK_ACCESS_FS_MAKE_SOCK (ABI 1)
    public static final long ACCESS_FS_MAKE_SOCK = 1L << 9;
    /// LANDLOCK_ACCESS_FS_MAKE_FIFO (ABI 1)
    public static final long ACCESS_FS_MAKE_FIFO = 1L << 10;
    /// LANDLOCK_ACCESS_FS_MAKE_BLOCK (ABI 1)
    public static final long ACCESS_FS_MAKE_BLOCK = 1L << 11;
    /// LANDLOCK_ACCESS_FS_MAKE_SYM (ABI 1)
    public static final long ACCESS_FS_MAKE_SYM = 1L << 12;
    /// LANDLOCK_ACCESS_FS_REFER (ABI 2)
    public static final long ACCESS_FS_REFER = 1L << 13;
    /// LANDLOCK_ACCESS_FS_TRUNCATE (ABI 3)
    public static final long ACCESS_FS_TRUNCATE = 1L << 14;
    /// LANDLOCK_ACCESS_FS_IOCTL_DEV (ABI 5)
    public static final long ACCESS_FS_IOCTL_DEV = 1L << 15;

    /// LANDLOCK_ACCESS_NET_BIND_TCP (ABI 4)
    public static final long ACCESS_NET_BIND_TCP = 1L << 0;
    /// LANDLOCK_ACCESS_NET_CONNECT_TCP (ABI 4)
    public static final long ACCESS_NET_CONNECT_TCP = 1L << 1;

    /// LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (ABI 6)
    public static final long SCOPE_ABSTRACT_UNIX_SOCKET = 1L << 0;
    /// LANDLOCK_SCOPE_SIGNAL (ABI 6)
    public static final long SCOPE_SIGNAL = 1L << 1;

    static {
        Abi.check("struct landlock_ruleset_attr", RULESET_ATTR, 24);
        Abi.check("struct landlock_path_beneath_attr", PATH_BENEATH_ATTR, 12);
        Abi.check("struct landlock_net_port_attr", NET_PORT_ATTR, 16);
    }
}
