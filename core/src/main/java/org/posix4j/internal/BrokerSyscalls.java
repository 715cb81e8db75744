package org.posix4j.internal;

import static org.posix4j.internal.BrokerSyscalls.Treatment.ALLOW;
import static org.posix4j.internal.BrokerSyscalls.Treatment.BROKER;
import static org.posix4j.internal.BrokerSyscalls.Treatment.DENY;
import static org.posix4j.internal.BrokerSyscalls.Treatment.GUARD;

import static org.posix4j.landlock.FsAccess.EXECUTE;
import static org.posix4j.landlock.FsAccess.MAKE_BLOCK;
import static org.posix4j.landlock.FsAccess.MAKE_CHAR;
import static org.posix4j.landlock.FsAccess.MAKE_DIR;
import static org.posix4j.landlock.FsAccess.MAKE_FIFO;
import static org.posix4j.landlock.FsAccess.MAKE_REG;
import static org.posix4j.landlock.FsAccess.MAKE_SOCK;
import static org.posix4j.landlock.FsAccess.MAKE_SYM;
import static org.posix4j.landlock.FsAccess.READ_DIR;
import static org.posix4j.landlock.FsAccess.READ_FILE;
import static org.posix4j.landlock.FsAccess.REFER;
import static org.posix4j.landlock.FsAccess.REMOVE_DIR;
import static org.posix4j.landlock.FsAccess.REMOVE_FILE;
import static org.posix4j.landlock.FsAccess.TRUNCATE;
import static org.posix4j.landlock.FsAccess.WRITE_FILE;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.posix4j.Errno;
import org.posix4j.landlock.FsAccess;

/// Every syscall the broker's seccomp filter knows and what it does with it in each [Mode]: the
/// table [BrokerFilter] compiles and docs/broker-syscalls.md shows.
///
/// The table covers x86_64 and aarch64 up to Linux 6.18. A number it does not list fails with
/// ENOSYS, so a syscall added by a later kernel is refused until someone classifies it here.
/// Everything that names a path, a socket address, another process or system-wide state is
/// brokered, guarded or denied; only calls confined to the program itself are allowed. In
/// [Mode#KERNEL] the path calls a Landlock ruleset governs are allowed too: each such rule names
/// the rights ([Rule#landlock()]) the ruleset must handle for the kernel to decide them.
///
/// Immutable; safe to use from any thread.
public final class BrokerSyscalls {
    private BrokerSyscalls() {}

    /// What the filter does with a syscall.
    public enum Treatment {
        /// SECCOMP_RET_ALLOW: the kernel performs the call.
        ALLOW,
        /// SECCOMP_RET_USER_NOTIF: the master performs the call (ENOSYS when nothing listens).
        BROKER,
        /// SECCOMP_RET_ERRNO: the call fails with [Rule#errno()] without reaching the kernel.
        DENY,
        /// The filter looks at the arguments: [BrokerFilter] knows the condition for each such call.
        GUARD
    }

    /// Who enforces the file allow-lists, and so which treatment column the filter is compiled from.
    public enum Mode {
        /// The master decides every path call: nothing about a file outside the allowances is
        /// revealed, and --deny holds anywhere.
        BROKER,
        /// A Landlock ruleset installed before the filter decides the path calls it governs, which
        /// the filter then allows: no round trip, but stat, access, readlink and chdir outside the allowances
        /// succeed and reveal what exists. Everything Landlock cannot say stays as in [#BROKER].
        KERNEL,
        /// As [#KERNEL], but the calls that only look at a path, which no Landlock right governs
        /// (the stat and access families, readlink, chdir), go to the master as in [#BROKER], so that
        /// their answers reveal nothing outside the allowances.
        KERNEL_HIDING_METADATA
    }

    /// One syscall and its treatment in each [Mode].
    ///
    /// @param name the kernel's name (`__NR_name`)
    /// @param x86_64 its number on x86_64, -1 where it does not exist
    /// @param aarch64 its number on aarch64, -1 where it does not exist
    /// @param treatment what the filter does with it in [Mode#BROKER]
    /// @param errno the errno returned for DENY (and by a GUARD when its condition denies), 0 otherwise
    /// @param note one short sentence for the docs table: why, and for a GUARD the condition
    /// @param kernel what the filter does with it in [Mode#KERNEL]
    /// @param landlock the Landlock rights that govern the call when [Mode#KERNEL] lets it through
    ///     to the kernel (empty when it does not, or when no right governs it: the stat family)
    public record Rule(String name, int x86_64, int aarch64, Treatment treatment, int errno, String note,
            Treatment kernel, Set<FsAccess> landlock) {
        /// Checks the fields.
        public Rule {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(treatment, "treatment");
            Objects.requireNonNull(note, "note");
            Objects.requireNonNull(kernel, "kernel");
            landlock = landlock.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(landlock));
            if (x86_64 < -1 || aarch64 < -1 || (x86_64 < 0 && aarch64 < 0)) {
                throw new IllegalArgumentException("numbers of " + name + ": " + x86_64 + ", " + aarch64);
            }
            if (errno < 0 || (treatment != GUARD && (treatment == DENY) != (errno > 0))) {
                throw new IllegalArgumentException("errno of " + name + ": " + errno + " for " + treatment);
            }
            if (kernel == DENY && errno == 0) {
                throw new IllegalArgumentException("errno of " + name + ": 0 for DENY in kernel mode");
            }
            if (!landlock.isEmpty() && kernel != ALLOW && kernel != GUARD) {
                throw new IllegalArgumentException(
                        "landlock of " + name + ": the kernel never sees it under " + kernel);
            }
        }

        /// A rule whose treatment is the same in both modes.
        ///
        /// @param name the kernel's name (`__NR_name`)
        /// @param x86_64 its number on x86_64, -1 where it does not exist
        /// @param aarch64 its number on aarch64, -1 where it does not exist
        /// @param treatment what the filter does with it
        /// @param errno the errno returned for DENY (and by a GUARD when its condition denies), 0 otherwise
        /// @param note one short sentence for the docs table: why, and for a GUARD the condition
        public Rule(String name, int x86_64, int aarch64, Treatment treatment, int errno, String note) {
            this(name, x86_64, aarch64, treatment, errno, note, treatment, Set.of());
        }

        /// What the filter does with the call in `mode`.
        public Treatment treatment(Mode mode) {
            return switch (Objects.requireNonNull(mode, "mode")) {
                case BROKER -> treatment;
                case KERNEL -> kernel;
                case KERNEL_HIDING_METADATA -> looksOnly() ? treatment : kernel;
            };
        }

        /// Whether [Mode#KERNEL] lets the call through with no Landlock right governing it
        /// while [Mode#BROKER] has the master decide it: a call that only looks at a path.
        private boolean looksOnly() {
            return kernel == ALLOW && landlock.isEmpty() && treatment == BROKER;
        }

        /// The number on `arch` (a [Syscalls#arch()] name), -1 where it does not exist.
        ///
        /// @throws IllegalArgumentException if `arch` is neither x86_64 nor aarch64
        public int number(String arch) {
            return switch (arch) {
                case "x86_64" -> x86_64;
                case "aarch64" -> aarch64;
                default -> throw new IllegalArgumentException("arch: not x86_64 or aarch64: " + arch);
            };
        }
    }

    private static final int EPERM = Errno.EPERM.number();
    private static final int EACCES = Errno.EACCES.number();
    private static final int ENOSYS = Errno.ENOSYS.number();
    private static final int ENOTSUP = Errno.ENOTSUP.number();
    private static final int EINVAL = Errno.EINVAL.number();
    private static final int ENOTTY = Errno.ENOTTY.number();
    private static final int EAFNOSUPPORT = Errno.EAFNOSUPPORT.number();

    private static Rule rule(String name, int x86_64, int aarch64, Treatment treatment, int errno, String note) {
        return new Rule(name, x86_64, aarch64, treatment, errno, note);
    }

    /// A rule that [Mode#KERNEL] treats as `kernel`, the kernel deciding it by `landlock`.
    private static Rule rule(String name, int x86_64, int aarch64, Treatment treatment, int errno, String note,
            Treatment kernel, FsAccess... landlock) {
        return new Rule(name, x86_64, aarch64, treatment, errno, note, kernel, Set.of(landlock));
    }

    // Sorted by name (checked when the class loads); the x86_64 numbers come from
    // asm/unistd_64.h, the aarch64 ones from asm-generic/unistd.h (Linux 6.1), and the calls
    // added up to 6.18 by hand.
    private static final List<Rule> ALL = List.of(
            rule("_sysctl", 156, -1, DENY, ENOSYS,
                    "Not implemented (or compiled out) by current kernels."),
            rule("accept", 43, 202, ALLOW, 0,
                    "Socket call that names no address."),
            rule("accept4", 288, 242, ALLOW, 0,
                    "Socket call that names no address."),
            rule("access", 21, -1, BROKER, 0,
                    "Checks access to a path: the master answers under the policy.",
                    ALLOW),
            rule("acct", 163, 89, DENY, EPERM,
                    "Switches system-wide process accounting to a path."),
            rule("add_key", 248, 217, DENY, EPERM,
                    "Kernel keyrings are shared with other processes of the user."),
            rule("adjtimex", 159, 171, DENY, EPERM,
                    "Sets or tunes the system clock."),
            rule("afs_syscall", 183, -1, DENY, ENOSYS,
                    "Not implemented (or compiled out) by current kernels."),
            rule("alarm", 37, -1, ALLOW, 0,
                    "Reads time or sleeps."),
            rule("arch_prctl", 158, -1, ALLOW, 0,
                    "Changes only the calling process."),
            rule("bind", 49, 200, BROKER, 0,
                    "Names a socket address: the master decides and acts on the program's own socket."),
            rule("bpf", 321, 280, DENY, EPERM,
                    "Loads BPF programs and maps: kernel-wide state."),
            rule("brk", 12, 214, ALLOW, 0,
                    "The program's own memory."),
            rule("cachestat", 451, 451, ALLOW, 0,
                    "Reads page cache state of a held descriptor (6.5)."),
            rule("capget", 125, 90, ALLOW, 0,
                    "The program's own credentials."),
            rule("capset", 126, 91, ALLOW, 0,
                    "The program's own credentials."),
            rule("chdir", 80, 49, BROKER, 0,
                    "Reveals whether a directory exists and is searchable: the master decides like a stat, then lets the kernel change"
                            + " the program's directory (a program racing it can learn of and enter a directory outside,"
                            + " never open anything there).",
                    ALLOW),
            rule("chmod", 90, -1, BROKER, 0,
                    "Changes mode bits: done by the master where writing is allowed, setuid/setgid dropped."),
            rule("chown", 92, -1, DENY, EPERM,
                    "Changes ownership."),
            rule("chroot", 161, 51, DENY, EPERM,
                    "Changes the mount tree or root."),
            rule("clock_adjtime", 305, 266, DENY, EPERM,
                    "Sets or tunes the system clock."),
            rule("clock_getres", 229, 114, ALLOW, 0,
                    "Reads time or sleeps."),
            rule("clock_gettime", 228, 113, ALLOW, 0,
                    "Reads time or sleeps."),
            rule("clock_nanosleep", 230, 115, ALLOW, 0,
                    "Reads time or sleeps."),
            rule("clock_settime", 227, 112, DENY, EPERM,
                    "Sets or tunes the system clock."),
            rule("clone", 56, 220, GUARD, EPERM,
                    "Denied with a CLONE_NEW* namespace flag or CLONE_PARENT (a child of the supervisor); allowed otherwise: children inherit the filter and stay supervised."),
            rule("clone3", 435, 435, DENY, ENOSYS,
                    "Its flags are in memory the filter cannot read; glibc falls back to clone, whose flags it can."),
            rule("close", 3, 57, ALLOW, 0,
                    "Descriptor I/O."),
            rule("close_range", 436, 436, ALLOW, 0,
                    "Descriptor I/O."),
            rule("connect", 42, 203, BROKER, 0,
                    "Names a socket address: the master decides and acts on the program's own socket."),
            rule("copy_file_range", 326, 285, ALLOW, 0,
                    "Moves data between held descriptors."),
            rule("creat", 85, -1, BROKER, 0,
                    "Opens a path: the master opens it under the policy and injects the descriptor. In kernel mode a"
                            + " mode with setuid or setgid bits still goes to the master, which drops them.",
                    GUARD, WRITE_FILE, MAKE_REG, TRUNCATE),
            rule("create_module", 174, -1, DENY, ENOSYS,
                    "Not implemented (or compiled out) by current kernels."),
            rule("delete_module", 176, 106, DENY, EPERM,
                    "Loads or unloads kernel modules."),
            rule("dup", 32, 23, ALLOW, 0,
                    "Acts on the program's own descriptors."),
            rule("dup2", 33, -1, ALLOW, 0,
                    "Acts on the program's own descriptors."),
            rule("dup3", 292, 24, ALLOW, 0,
                    "Acts on the program's own descriptors."),
            rule("epoll_create", 213, -1, ALLOW, 0,
                    "Waits on held descriptors."),
            rule("epoll_create1", 291, 20, ALLOW, 0,
                    "Waits on held descriptors."),
            rule("epoll_ctl", 233, 21, ALLOW, 0,
                    "Waits on held descriptors."),
            rule("epoll_ctl_old", 214, -1, DENY, ENOSYS,
                    "Not implemented (or compiled out) by current kernels."),
            rule("epoll_pwait", 281, 22, ALLOW, 0,
                    "Waits on held descriptors."),
            rule("epoll_pwait2", 441, 441, ALLOW, 0,
                    "Waits on held descriptors."),
            rule("epoll_wait", 232, -1, ALLOW, 0,
                    "Waits on held descriptors."),
            rule("epoll_wait_old", 215, -1, DENY, ENOSYS,
                    "Not implemented (or compiled out) by current kernels."),
            rule("eventfd", 284, -1, ALLOW, 0,
                    "Creates anonymous descriptors."),
            rule("eventfd2", 290, 19, ALLOW, 0,
                    "Creates anonymous descriptors."),
            rule("execve", 59, 221, BROKER, 0,
                    "Executes a path: the master decides like a read, so --deny holds (Landlock too, where the kernel has it), then lets"
                            + " the kernel exec; a program racing it can learn whether a path exists; the new image keeps the"
                            + " filter.",
                    ALLOW, EXECUTE),
            rule("execveat", 322, 281, BROKER, 0,
                    "Executes a path: the master decides like a read, so --deny holds (Landlock too, where the kernel has it), then lets"
                            + " the kernel exec; a program racing it can learn whether a path exists; the new image keeps the"
                            + " filter.",
                    ALLOW, EXECUTE),
            rule("exit", 60, 93, ALLOW, 0,
                    "Process lifetime."),
            rule("exit_group", 231, 94, ALLOW, 0,
                    "Process lifetime."),
            rule("faccessat", 269, 48, BROKER, 0,
                    "Checks access to a path: the master answers under the policy.",
                    ALLOW),
            rule("faccessat2", 439, 439, BROKER, 0,
                    "Checks access to a path: the master answers under the policy.",
                    ALLOW),
            rule("fadvise64", 221, 223, ALLOW, 0,
                    "Acts on a descriptor the program already holds."),
            rule("fallocate", 285, 47, ALLOW, 0,
                    "Acts on a descriptor the program already holds."),
            rule("fanotify_init", 300, 262, DENY, EPERM,
                    "Watches filesystems by path or mount."),
            rule("fanotify_mark", 301, 263, DENY, EPERM,
                    "Watches filesystems by path or mount."),
            rule("fchdir", 81, 50, ALLOW, 0,
                    "The program already holds the directory's descriptor."),
            rule("fchmod", 91, 52, BROKER, 0,
                    "Changes mode bits: done by the master where writing is allowed, setuid/setgid dropped."),
            rule("fchmodat", 268, 53, BROKER, 0,
                    "Changes mode bits: done by the master where writing is allowed, setuid/setgid dropped."),
            rule("fchmodat2", 452, 452, BROKER, 0,
                    "Changes mode bits: done by the master where writing is allowed, setuid/setgid dropped."),
            rule("fchown", 93, 55, DENY, EPERM,
                    "Changes ownership."),
            rule("fchownat", 260, 54, DENY, EPERM,
                    "Changes ownership."),
            rule("fcntl", 72, 25, GUARD, EINVAL,
                    "Allowed for descriptor flags, locks, pipe sizes, seals, hints and queries; F_SETOWN(_EX) brokered (the owner must be in the sandbox); O_ASYNC, F_SETLEASE and unknown commands denied."),
            rule("fdatasync", 75, 83, ALLOW, 0,
                    "Acts on a descriptor the program already holds."),
            rule("fgetxattr", 193, 10, ALLOW, 0,
                    "Reads extended attributes of a held descriptor."),
            rule("file_getattr", 468, 468, DENY, EACCES,
                    "Reads or changes inode attributes by path (6.17)."),
            rule("file_setattr", 469, 469, DENY, EACCES,
                    "Reads or changes inode attributes by path (6.17)."),
            rule("finit_module", 313, 273, DENY, EPERM,
                    "Loads or unloads kernel modules."),
            rule("flistxattr", 196, 13, ALLOW, 0,
                    "Reads extended attributes of a held descriptor."),
            rule("flock", 73, 32, ALLOW, 0,
                    "Acts on the program's own descriptors."),
            rule("fork", 57, -1, ALLOW, 0,
                    "Children inherit the filter and stay supervised."),
            rule("fremovexattr", 199, 16, DENY, EPERM,
                    "Changes extended attributes."),
            rule("fsconfig", 431, 431, DENY, EPERM,
                    "New mount API: changes or reaches the mount tree."),
            rule("fsetxattr", 190, 7, DENY, EPERM,
                    "Changes extended attributes."),
            rule("fsmount", 432, 432, DENY, EPERM,
                    "New mount API: changes or reaches the mount tree."),
            rule("fsopen", 430, 430, DENY, EPERM,
                    "New mount API: changes or reaches the mount tree."),
            rule("fspick", 433, 433, DENY, EPERM,
                    "New mount API: changes or reaches the mount tree."),
            rule("fstat", 5, 80, ALLOW, 0,
                    "Reads a descriptor the program already holds."),
            rule("fstatfs", 138, 44, ALLOW, 0,
                    "Reads a descriptor the program already holds."),
            rule("fsync", 74, 82, ALLOW, 0,
                    "Acts on a descriptor the program already holds."),
            rule("ftruncate", 77, 46, ALLOW, 0,
                    "Acts on a descriptor the program already holds."),
            rule("futex", 202, 98, ALLOW, 0,
                    "Thread synchronisation."),
            rule("futex_requeue", 456, 456, ALLOW, 0,
                    "Thread synchronisation."),
            rule("futex_wait", 455, 455, ALLOW, 0,
                    "Thread synchronisation."),
            rule("futex_waitv", 449, 449, ALLOW, 0,
                    "Thread synchronisation."),
            rule("futex_wake", 454, 454, ALLOW, 0,
                    "Thread synchronisation."),
            rule("futimesat", 261, -1, DENY, EACCES,
                    "Changes timestamps by path."),
            rule("get_kernel_syms", 177, -1, DENY, ENOSYS,
                    "Not implemented (or compiled out) by current kernels."),
            rule("get_mempolicy", 239, 236, ALLOW, 0,
                    "The program's own memory."),
            rule("get_robust_list", 274, 100, GUARD, EPERM,
                    "Allowed for pid 0 (the caller); another pid could be the supervisor or one of its threads."),
            rule("get_thread_area", 211, -1, ALLOW, 0,
                    "The program's own thread-local storage."),
            rule("getcpu", 309, 168, ALLOW, 0,
                    "Reads scheduling state."),
            rule("getcwd", 79, 17, ALLOW, 0,
                    "Reads the program's own working directory."),
            rule("getdents", 78, -1, ALLOW, 0,
                    "Reads a descriptor the program already holds."),
            rule("getdents64", 217, 61, ALLOW, 0,
                    "Reads a descriptor the program already holds."),
            rule("getegid", 108, 177, ALLOW, 0,
                    "Reads identities."),
            rule("geteuid", 107, 175, ALLOW, 0,
                    "Reads identities."),
            rule("getgid", 104, 176, ALLOW, 0,
                    "Reads identities."),
            rule("getgroups", 115, 158, ALLOW, 0,
                    "Reads identities."),
            rule("getitimer", 36, 102, ALLOW, 0,
                    "Reads time or sleeps."),
            rule("getpeername", 52, 205, ALLOW, 0,
                    "Socket call that names no address."),
            rule("getpgid", 121, 155, ALLOW, 0,
                    "Reads identities."),
            rule("getpgrp", 111, -1, ALLOW, 0,
                    "Reads identities."),
            rule("getpid", 39, 172, ALLOW, 0,
                    "Reads identities."),
            rule("getpmsg", 181, -1, DENY, ENOSYS,
                    "Not implemented (or compiled out) by current kernels."),
            rule("getppid", 110, 173, ALLOW, 0,
                    "Reads identities."),
            rule("getpriority", 140, 141, ALLOW, 0,
                    "Reads or sets limits of the program itself."),
            rule("getrandom", 318, 278, ALLOW, 0,
                    "Reads system information or randomness."),
            rule("getresgid", 120, 150, ALLOW, 0,
                    "Reads identities."),
            rule("getresuid", 118, 148, ALLOW, 0,
                    "Reads identities."),
            rule("getrlimit", 97, 163, ALLOW, 0,
                    "Reads or sets limits of the program itself."),
            rule("getrusage", 98, 165, ALLOW, 0,
                    "Reads or sets limits of the program itself."),
            rule("getsid", 124, 156, ALLOW, 0,
                    "Reads identities."),
            rule("getsockname", 51, 204, ALLOW, 0,
                    "Socket call that names no address."),
            rule("getsockopt", 55, 209, ALLOW, 0,
                    "Socket call that names no address."),
            rule("gettid", 186, 178, ALLOW, 0,
                    "Reads identities."),
            rule("gettimeofday", 96, 169, ALLOW, 0,
                    "Reads time or sleeps."),
            rule("getuid", 102, 174, ALLOW, 0,
                    "Reads identities."),
            rule("getxattr", 191, 8, DENY, ENOTSUP,
                    "Reads extended attributes by path; programs such as ls take ENOTSUP as \"no attributes\"."),
            rule("getxattrat", 464, 464, DENY, EACCES,
                    "Reads extended attributes by path (6.13)."),
            rule("init_module", 175, 105, DENY, EPERM,
                    "Loads or unloads kernel modules."),
            rule("inotify_add_watch", 254, 27, DENY, EACCES,
                    "Watches a path."),
            rule("inotify_init", 253, -1, ALLOW, 0,
                    "No path involved; adding a watch is denied."),
            rule("inotify_init1", 294, 26, ALLOW, 0,
                    "No path involved; adding a watch is denied."),
            rule("inotify_rm_watch", 255, 28, ALLOW, 0,
                    "No path involved; adding a watch is denied."),
            rule("io_cancel", 210, 3, ALLOW, 0,
                    "Linux AIO on held descriptors."),
            rule("io_destroy", 207, 1, ALLOW, 0,
                    "Linux AIO on held descriptors."),
            rule("io_getevents", 208, 4, ALLOW, 0,
                    "Linux AIO on held descriptors."),
            rule("io_pgetevents", 333, 292, ALLOW, 0,
                    "Linux AIO on held descriptors."),
            rule("io_setup", 206, 0, ALLOW, 0,
                    "Linux AIO on held descriptors."),
            rule("io_submit", 209, 2, ALLOW, 0,
                    "Linux AIO on held descriptors."),
            rule("io_uring_enter", 426, 426, DENY, ENOSYS,
                    "io_uring submissions are invisible to seccomp; programs fall back to plain calls."),
            rule("io_uring_register", 427, 427, DENY, ENOSYS,
                    "io_uring submissions are invisible to seccomp; programs fall back to plain calls."),
            rule("io_uring_setup", 425, 425, DENY, ENOSYS,
                    "io_uring submissions are invisible to seccomp; programs fall back to plain calls."),
            rule("ioctl", 16, 29, GUARD, ENOTTY,
                    "Allowed for an allow-list of terminal, descriptor, file and read-only socket requests; every other request denied, as a device that does not know it."),
            rule("ioperm", 173, -1, DENY, EPERM,
                    "Grants access to I/O ports."),
            rule("iopl", 172, -1, DENY, EPERM,
                    "Grants access to I/O ports."),
            rule("ioprio_get", 252, 31, ALLOW, 0,
                    "Reads or sets limits of the program itself."),
            rule("ioprio_set", 251, 30, GUARD, EPERM,
                    "Allowed for IOPRIO_WHO_PROCESS of the caller (1, 0); other targets include the supervisor."),
            rule("kcmp", 312, 272, DENY, EPERM,
                    "Compares kernel objects of other processes."),
            rule("kexec_file_load", 320, 294, DENY, EPERM,
                    "Restarts or replaces the kernel."),
            rule("kexec_load", 246, 104, DENY, EPERM,
                    "Restarts or replaces the kernel."),
            rule("keyctl", 250, 219, DENY, EPERM,
                    "Kernel keyrings are shared with other processes of the user."),
            rule("kill", 62, 129, BROKER, 0,
                    "The master decides: only processes of the sandbox, delivered through a proven pidfd."),
            rule("landlock_add_rule", 445, 445, DENY, ENOTSUP,
                    "Refused as if Landlock were disabled: the master performs brokered calls (every file call in"
                            + " broker mode, openat2 in kernel mode) outside any Landlock domain the program gives"
                            + " itself, so the program is told it has none rather than left trusting rules that"
                            + " would not hold."),
            rule("landlock_create_ruleset", 444, 444, DENY, ENOTSUP,
                    "Refused as if Landlock were disabled: the master performs brokered calls (every file call in"
                            + " broker mode, openat2 in kernel mode) outside any Landlock domain the program gives"
                            + " itself, so the program is told it has none rather than left trusting rules that"
                            + " would not hold."),
            rule("landlock_restrict_self", 446, 446, DENY, ENOTSUP,
                    "Refused as if Landlock were disabled: the master performs brokered calls (every file call in"
                            + " broker mode, openat2 in kernel mode) outside any Landlock domain the program gives"
                            + " itself, so the program is told it has none rather than left trusting rules that"
                            + " would not hold."),
            rule("lchown", 94, -1, DENY, EPERM,
                    "Changes ownership."),
            rule("lgetxattr", 192, 9, DENY, ENOTSUP,
                    "Reads extended attributes by path; programs such as ls take ENOTSUP as \"no attributes\"."),
            rule("link", 86, -1, BROKER, 0,
                    "Makes a new name for a file: the master performs it when both names are where creating is"
                            + " allowed (EXDEV for a file that may only be read, as Landlock answers).",
                    ALLOW, REFER, MAKE_REG, MAKE_SYM, MAKE_FIFO, MAKE_SOCK, MAKE_CHAR, MAKE_BLOCK),
            rule("linkat", 265, 37, BROKER, 0,
                    "Makes a new name for a file: the master performs it when both names are where creating is"
                            + " allowed (EXDEV for a file that may only be read, as Landlock answers).",
                    ALLOW, REFER, MAKE_REG, MAKE_SYM, MAKE_FIFO, MAKE_SOCK, MAKE_CHAR, MAKE_BLOCK),
            rule("listen", 50, 201, BROKER, 0,
                    "Binds an unbound socket to an ephemeral port: the master decides like bind."),
            rule("listmount", 458, 458, DENY, EPERM,
                    "Reads the mount tree (6.8)."),
            rule("listxattr", 194, 11, DENY, ENOTSUP,
                    "Reads extended attributes by path; programs such as ls take ENOTSUP as \"no attributes\"."),
            rule("listxattrat", 465, 465, DENY, EACCES,
                    "Reads extended attributes by path (6.13)."),
            rule("llistxattr", 195, 12, DENY, ENOTSUP,
                    "Reads extended attributes by path; programs such as ls take ENOTSUP as \"no attributes\"."),
            rule("lookup_dcookie", 212, 18, DENY, EPERM,
                    "Obsolete administrative call."),
            rule("lremovexattr", 198, 15, DENY, EACCES,
                    "Changes extended attributes by path."),
            rule("lseek", 8, 62, ALLOW, 0,
                    "Descriptor I/O."),
            rule("lsetxattr", 189, 6, DENY, EACCES,
                    "Changes extended attributes by path."),
            rule("lsm_get_self_attr", 459, 459, ALLOW, 0,
                    "Reads the program's own security attributes (6.8)."),
            rule("lsm_list_modules", 461, 461, ALLOW, 0,
                    "Reads the program's own security attributes (6.8)."),
            rule("lsm_set_self_attr", 460, 460, DENY, EPERM,
                    "Changes the security module attributes of the process (6.8)."),
            rule("lstat", 6, -1, BROKER, 0,
                    "Stats a path (or, with AT_EMPTY_PATH, a descriptor): the master answers under the policy.",
                    ALLOW),
            rule("madvise", 28, 233, ALLOW, 0,
                    "The program's own memory."),
            rule("map_shadow_stack", 453, 453, ALLOW, 0,
                    "The program's own memory (6.6, 6.10)."),
            rule("mbind", 237, 235, ALLOW, 0,
                    "The program's own memory."),
            rule("membarrier", 324, 283, ALLOW, 0,
                    "The program's own memory."),
            rule("memfd_create", 319, 279, ALLOW, 0,
                    "Creates anonymous descriptors."),
            rule("memfd_secret", 447, 447, ALLOW, 0,
                    "Creates anonymous descriptors."),
            rule("migrate_pages", 256, 238, GUARD, EPERM,
                    "Allowed for pid 0 (the caller); another pid could be the supervisor or one of its threads."),
            rule("mincore", 27, 232, ALLOW, 0,
                    "The program's own memory."),
            rule("mkdir", 83, -1, BROKER, 0,
                    "Creates or removes a directory: the master performs it under the policy.",
                    ALLOW, MAKE_DIR),
            rule("mkdirat", 258, 34, BROKER, 0,
                    "Creates or removes a directory: the master performs it under the policy.",
                    ALLOW, MAKE_DIR),
            rule("mknod", 133, -1, BROKER, 0,
                    "Makes a FIFO, a socket or an empty file: the master performs it where creating is allowed."
                            + " Device nodes never; setuid or setgid bits in the mode are refused (EPERM) in"
                            + " every mode.",
                    GUARD, MAKE_REG, MAKE_FIFO, MAKE_SOCK, MAKE_CHAR, MAKE_BLOCK),
            rule("mknodat", 259, 33, BROKER, 0,
                    "Makes a FIFO, a socket or an empty file: the master performs it where creating is allowed."
                            + " Device nodes never; setuid or setgid bits in the mode are refused (EPERM) in"
                            + " every mode.",
                    GUARD, MAKE_REG, MAKE_FIFO, MAKE_SOCK, MAKE_CHAR, MAKE_BLOCK),
            rule("mlock", 149, 228, ALLOW, 0,
                    "The program's own memory."),
            rule("mlock2", 325, 284, ALLOW, 0,
                    "The program's own memory."),
            rule("mlockall", 151, 230, ALLOW, 0,
                    "The program's own memory."),
            rule("mmap", 9, 222, ALLOW, 0,
                    "The program's own memory."),
            rule("modify_ldt", 154, -1, DENY, EPERM,
                    "Kernel attack surface that only 16-bit and Wine code needs."),
            rule("mount", 165, 40, DENY, EPERM,
                    "Changes the mount tree or root."),
            rule("mount_setattr", 442, 442, DENY, EPERM,
                    "New mount API: changes or reaches the mount tree."),
            rule("move_mount", 429, 429, DENY, EPERM,
                    "New mount API: changes or reaches the mount tree."),
            rule("move_pages", 279, 239, GUARD, EPERM,
                    "Allowed for pid 0 (the caller); another pid could be the supervisor or one of its threads."),
            rule("mprotect", 10, 226, ALLOW, 0,
                    "The program's own memory."),
            rule("mq_getsetattr", 245, 185, ALLOW, 0,
                    "Acts on a held message queue descriptor."),
            rule("mq_notify", 244, 184, ALLOW, 0,
                    "Acts on a held message queue descriptor."),
            rule("mq_open", 240, 180, DENY, EACCES,
                    "Names a POSIX message queue in the system-wide mqueue namespace."),
            rule("mq_timedreceive", 243, 183, ALLOW, 0,
                    "Acts on a held message queue descriptor."),
            rule("mq_timedsend", 242, 182, ALLOW, 0,
                    "Acts on a held message queue descriptor."),
            rule("mq_unlink", 241, 181, DENY, EACCES,
                    "Names a POSIX message queue in the system-wide mqueue namespace."),
            rule("mremap", 25, 216, ALLOW, 0,
                    "The program's own memory."),
            rule("mseal", 462, 462, ALLOW, 0,
                    "The program's own memory (6.6, 6.10)."),
            rule("msgctl", 71, 187, DENY, EACCES,
                    "System V IPC names objects by system-wide key or id, so it could reach other processes' objects."),
            rule("msgget", 68, 186, DENY, EACCES,
                    "System V IPC names objects by system-wide key or id, so it could reach other processes' objects."),
            rule("msgrcv", 70, 188, DENY, EACCES,
                    "System V IPC names objects by system-wide key or id, so it could reach other processes' objects."),
            rule("msgsnd", 69, 189, DENY, EACCES,
                    "System V IPC names objects by system-wide key or id, so it could reach other processes' objects."),
            rule("msync", 26, 227, ALLOW, 0,
                    "The program's own memory."),
            rule("munlock", 150, 229, ALLOW, 0,
                    "The program's own memory."),
            rule("munlockall", 152, 231, ALLOW, 0,
                    "The program's own memory."),
            rule("munmap", 11, 215, ALLOW, 0,
                    "The program's own memory."),
            rule("name_to_handle_at", 303, 264, DENY, EPERM,
                    "File handles reach inodes without path resolution."),
            rule("nanosleep", 35, 101, ALLOW, 0,
                    "Reads time or sleeps."),
            rule("newfstatat", 262, 79, BROKER, 0,
                    "Stats a path (or, with AT_EMPTY_PATH, a descriptor): the master answers under the policy.",
                    ALLOW),
            rule("nfsservctl", 180, 42, DENY, EPERM,
                    "Obsolete administrative call."),
            rule("open", 2, -1, BROKER, 0,
                    "Opens a path: the master opens it under the policy and injects the descriptor. In kernel mode a"
                            + " mode with setuid or setgid bits still goes to the master, which drops them, and so does"
                            + " an open with both access-mode bits (ioctl-only), for which Landlock checks no right, and"
                            + " with hidden metadata an O_PATH open.",
                    GUARD, READ_FILE, WRITE_FILE, READ_DIR, MAKE_REG, TRUNCATE),
            rule("open_by_handle_at", 304, 265, DENY, EPERM,
                    "File handles reach inodes without path resolution."),
            rule("open_tree", 428, 428, DENY, EPERM,
                    "New mount API: changes or reaches the mount tree."),
            rule("open_tree_attr", 467, 467, DENY, EPERM,
                    "New mount API: changes or reaches the mount tree."),
            rule("openat", 257, 56, BROKER, 0,
                    "Opens a path: the master opens it under the policy and injects the descriptor. In kernel mode a"
                            + " mode with setuid or setgid bits still goes to the master, which drops them, and so does"
                            + " an open with both access-mode bits (ioctl-only), for which Landlock checks no right, and"
                            + " with hidden metadata an O_PATH open.",
                    GUARD, READ_FILE, WRITE_FILE, READ_DIR, MAKE_REG, TRUNCATE),
            rule("openat2", 437, 437, BROKER, 0,
                    "Opens a path: the master opens it under the policy and injects the descriptor, in kernel mode"
                            + " too: the mode is in memory, where the filter cannot see setuid or setgid bits."),
            rule("pause", 34, -1, ALLOW, 0,
                    "The program's own signal state."),
            rule("perf_event_open", 298, 241, DENY, EPERM,
                    "Observes other processes and the kernel."),
            rule("personality", 135, 92, ALLOW, 0,
                    "Changes only the calling process."),
            rule("pidfd_getfd", 438, 438, DENY, EPERM,
                    "Copies a descriptor out of another process."),
            rule("pidfd_open", 434, 434, DENY, ENOSYS,
                    "A pidfd of one of the supervisor's threads (PIDFD_THREAD) could signal it; programs fall back to kill."),
            rule("pidfd_send_signal", 424, 424, BROKER, 0,
                    "The master decides: only processes of the sandbox, delivered through a proven pidfd."),
            rule("pipe", 22, -1, ALLOW, 0,
                    "Creates anonymous descriptors."),
            rule("pipe2", 293, 59, ALLOW, 0,
                    "Creates anonymous descriptors."),
            rule("pivot_root", 155, 41, DENY, EPERM,
                    "Changes the mount tree or root."),
            rule("pkey_alloc", 330, 289, ALLOW, 0,
                    "The program's own memory."),
            rule("pkey_free", 331, 290, ALLOW, 0,
                    "The program's own memory."),
            rule("pkey_mprotect", 329, 288, ALLOW, 0,
                    "The program's own memory."),
            rule("poll", 7, -1, ALLOW, 0,
                    "Waits on held descriptors."),
            rule("ppoll", 271, 73, ALLOW, 0,
                    "Waits on held descriptors."),
            rule("prctl", 157, 167, ALLOW, 0,
                    "Changes only the calling process."),
            rule("pread64", 17, 67, ALLOW, 0,
                    "Descriptor I/O."),
            rule("preadv", 295, 69, ALLOW, 0,
                    "Descriptor I/O."),
            rule("preadv2", 327, 286, ALLOW, 0,
                    "Descriptor I/O."),
            rule("prlimit64", 302, 261, GUARD, EPERM,
                    "Allowed for pid 0 (the caller); another pid could be the supervisor or one of its threads."),
            rule("process_madvise", 440, 440, DENY, EPERM,
                    "Acts on another process's memory."),
            rule("process_mrelease", 448, 448, DENY, EPERM,
                    "Acts on another process's memory."),
            rule("process_vm_readv", 310, 270, DENY, EPERM,
                    "Reads or writes another process's memory."),
            rule("process_vm_writev", 311, 271, DENY, EPERM,
                    "Reads or writes another process's memory."),
            rule("pselect6", 270, 72, ALLOW, 0,
                    "Waits on held descriptors."),
            rule("ptrace", 101, 117, DENY, EPERM,
                    "Controls another process."),
            rule("putpmsg", 182, -1, DENY, ENOSYS,
                    "Not implemented (or compiled out) by current kernels."),
            rule("pwrite64", 18, 68, ALLOW, 0,
                    "Descriptor I/O."),
            rule("pwritev", 296, 70, ALLOW, 0,
                    "Descriptor I/O."),
            rule("pwritev2", 328, 287, ALLOW, 0,
                    "Descriptor I/O."),
            rule("query_module", 178, -1, DENY, ENOSYS,
                    "Not implemented (or compiled out) by current kernels."),
            rule("quotactl", 179, 60, DENY, EPERM,
                    "Manages filesystem quotas."),
            rule("quotactl_fd", 443, 443, DENY, EPERM,
                    "Manages filesystem quotas."),
            rule("read", 0, 63, ALLOW, 0,
                    "Descriptor I/O."),
            rule("readahead", 187, 213, ALLOW, 0,
                    "Acts on a descriptor the program already holds."),
            rule("readlink", 89, -1, BROKER, 0,
                    "Reads a symbolic link by path: the master answers under the policy.",
                    ALLOW),
            rule("readlinkat", 267, 78, BROKER, 0,
                    "Reads a symbolic link by path: the master answers under the policy.",
                    ALLOW),
            rule("readv", 19, 65, ALLOW, 0,
                    "Descriptor I/O."),
            rule("reboot", 169, 142, DENY, EPERM,
                    "Restarts or replaces the kernel."),
            rule("recvfrom", 45, 207, ALLOW, 0,
                    "Socket call that names no address."),
            rule("recvmmsg", 299, 243, ALLOW, 0,
                    "Socket call that names no address."),
            rule("recvmsg", 47, 212, ALLOW, 0,
                    "Socket call that names no address."),
            rule("remap_file_pages", 216, 234, ALLOW, 0,
                    "The program's own memory."),
            rule("removexattr", 197, 14, DENY, EACCES,
                    "Changes extended attributes by path."),
            rule("removexattrat", 466, 466, DENY, EACCES,
                    "Changes extended attributes by path (6.13)."),
            rule("rename", 82, -1, BROKER, 0,
                    "Renames: the master performs it when both ends are write-allowed.",
                    ALLOW, REFER, REMOVE_FILE, REMOVE_DIR,
                    MAKE_REG, MAKE_DIR, MAKE_SYM, MAKE_FIFO, MAKE_SOCK, MAKE_CHAR, MAKE_BLOCK),
            rule("renameat", 264, 38, BROKER, 0,
                    "Renames: the master performs it when both ends are write-allowed.",
                    ALLOW, REFER, REMOVE_FILE, REMOVE_DIR,
                    MAKE_REG, MAKE_DIR, MAKE_SYM, MAKE_FIFO, MAKE_SOCK, MAKE_CHAR, MAKE_BLOCK),
            rule("renameat2", 316, 276, BROKER, 0,
                    "Renames: the master performs it when both ends are write-allowed.",
                    GUARD, REFER, REMOVE_FILE, REMOVE_DIR,
                    MAKE_REG, MAKE_DIR, MAKE_SYM, MAKE_FIFO, MAKE_SOCK, MAKE_CHAR, MAKE_BLOCK),
            rule("request_key", 249, 218, DENY, EPERM,
                    "Kernel keyrings are shared with other processes of the user."),
            rule("restart_syscall", 219, 128, ALLOW, 0,
                    "Kernel-internal restart and signal return."),
            rule("rmdir", 84, -1, BROKER, 0,
                    "Creates or removes a directory: the master performs it under the policy.",
                    ALLOW, REMOVE_DIR),
            rule("rseq", 334, 293, ALLOW, 0,
                    "Thread synchronisation."),
            rule("rt_sigaction", 13, 134, ALLOW, 0,
                    "The program's own signal state."),
            rule("rt_sigpending", 127, 136, ALLOW, 0,
                    "The program's own signal state."),
            rule("rt_sigprocmask", 14, 135, ALLOW, 0,
                    "The program's own signal state."),
            rule("rt_sigqueueinfo", 129, 138, BROKER, 0,
                    "The master decides: only processes of the sandbox, delivered through a proven pidfd."),
            rule("rt_sigreturn", 15, 139, ALLOW, 0,
                    "Kernel-internal restart and signal return."),
            rule("rt_sigsuspend", 130, 133, ALLOW, 0,
                    "The program's own signal state."),
            rule("rt_sigtimedwait", 128, 137, ALLOW, 0,
                    "The program's own signal state."),
            rule("rt_tgsigqueueinfo", 297, 240, BROKER, 0,
                    "The master decides: only processes of the sandbox, delivered through a proven pidfd."),
            rule("sched_get_priority_max", 146, 125, ALLOW, 0,
                    "Reads scheduling state."),
            rule("sched_get_priority_min", 147, 126, ALLOW, 0,
                    "Reads scheduling state."),
            rule("sched_getaffinity", 204, 123, ALLOW, 0,
                    "Reads scheduling state."),
            rule("sched_getattr", 315, 275, ALLOW, 0,
                    "Reads scheduling state."),
            rule("sched_getparam", 143, 121, ALLOW, 0,
                    "Reads scheduling state."),
            rule("sched_getscheduler", 145, 120, ALLOW, 0,
                    "Reads scheduling state."),
            rule("sched_rr_get_interval", 148, 127, ALLOW, 0,
                    "Reads scheduling state."),
            rule("sched_setaffinity", 203, 122, GUARD, EPERM,
                    "Allowed for pid 0 (the caller); another pid could be the supervisor or one of its threads."),
            rule("sched_setattr", 314, 274, GUARD, EPERM,
                    "Allowed for pid 0 (the caller); another pid could be the supervisor or one of its threads."),
            rule("sched_setparam", 142, 118, GUARD, EPERM,
                    "Allowed for pid 0 (the caller); another pid could be the supervisor or one of its threads."),
            rule("sched_setscheduler", 144, 119, GUARD, EPERM,
                    "Allowed for pid 0 (the caller); another pid could be the supervisor or one of its threads."),
            rule("sched_yield", 24, 124, ALLOW, 0,
                    "Reads scheduling state."),
            rule("seccomp", 317, 277, GUARD, EPERM,
                    "Denied with SECCOMP_FILTER_FLAG_NEW_LISTENER (a stacked listener would take the notifications); allowed otherwise."),
            rule("security", 185, -1, DENY, ENOSYS,
                    "Not implemented (or compiled out) by current kernels."),
            rule("select", 23, -1, ALLOW, 0,
                    "Waits on held descriptors."),
            rule("semctl", 66, 191, DENY, EACCES,
                    "System V IPC names objects by system-wide key or id, so it could reach other processes' objects."),
            rule("semget", 64, 190, DENY, EACCES,
                    "System V IPC names objects by system-wide key or id, so it could reach other processes' objects."),
            rule("semop", 65, 193, DENY, EACCES,
                    "System V IPC names objects by system-wide key or id, so it could reach other processes' objects."),
            rule("semtimedop", 220, 192, DENY, EACCES,
                    "System V IPC names objects by system-wide key or id, so it could reach other processes' objects."),
            rule("sendfile", 40, 71, ALLOW, 0,
                    "Moves data between held descriptors."),
            rule("sendmmsg", 307, 269, BROKER, 0,
                    "The message header may carry a destination address: the master decides."),
            rule("sendmsg", 46, 211, BROKER, 0,
                    "The message header may carry a destination address: the master decides."),
            rule("sendto", 44, 206, GUARD, 0,
                    "Allowed with a NULL destination (a connected socket); brokered with a destination address."),
            rule("set_mempolicy", 238, 237, ALLOW, 0,
                    "The program's own memory."),
            rule("set_mempolicy_home_node", 450, 450, ALLOW, 0,
                    "The program's own memory."),
            rule("set_robust_list", 273, 99, ALLOW, 0,
                    "Thread synchronisation."),
            rule("set_thread_area", 205, -1, ALLOW, 0,
                    "The program's own thread-local storage."),
            rule("set_tid_address", 218, 96, ALLOW, 0,
                    "Thread synchronisation."),
            rule("setdomainname", 171, 162, DENY, EPERM,
                    "Changes system-wide names."),
            rule("setfsgid", 123, 152, ALLOW, 0,
                    "The program's own credentials."),
            rule("setfsuid", 122, 151, ALLOW, 0,
                    "The program's own credentials."),
            rule("setgid", 106, 144, ALLOW, 0,
                    "The program's own credentials."),
            rule("setgroups", 116, 159, BROKER, 0,
                    "The program's own credentials; the master notes that groups it read may be stale, then lets"
                            + " the kernel decide."),
            rule("sethostname", 170, 161, DENY, EPERM,
                    "Changes system-wide names."),
            rule("setitimer", 38, 103, ALLOW, 0,
                    "Reads time or sleeps."),
            rule("setns", 308, 268, DENY, EPERM,
                    "Enters or creates namespaces."),
            rule("setpgid", 109, 154, GUARD, EPERM,
                    "Denied when joining the supervisor's process group; allowed otherwise."),
            rule("setpriority", 141, 140, GUARD, EPERM,
                    "Allowed for PRIO_PROCESS of the caller (0, 0); other targets include the supervisor."),
            rule("setregid", 114, 143, ALLOW, 0,
                    "The program's own credentials."),
            rule("setresgid", 119, 149, ALLOW, 0,
                    "The program's own credentials."),
            rule("setresuid", 117, 147, ALLOW, 0,
                    "The program's own credentials."),
            rule("setreuid", 113, 145, ALLOW, 0,
                    "The program's own credentials."),
            rule("setrlimit", 160, 164, ALLOW, 0,
                    "Reads or sets limits of the program itself."),
            rule("setsid", 112, 157, ALLOW, 0,
                    "Makes the program a session leader of its own."),
            rule("setsockopt", 54, 208, GUARD, EPERM,
                    "Allowed, except for the options that have the kernel send where the master did not decide:"
                            + " IP options and IPv6 routing headers and next hops (source routes), multicast and"
                            + " anycast memberships (IGMP and MLD reports)."),
            rule("settimeofday", 164, 170, DENY, EPERM,
                    "Sets or tunes the system clock."),
            rule("setuid", 105, 146, ALLOW, 0,
                    "The program's own credentials."),
            rule("setxattr", 188, 5, DENY, EACCES,
                    "Changes extended attributes by path."),
            rule("setxattrat", 463, 463, DENY, EACCES,
                    "Changes extended attributes by path (6.13)."),
            rule("shmat", 30, 196, DENY, EACCES,
                    "System V IPC names objects by system-wide key or id, so it could reach other processes' objects."),
            rule("shmctl", 31, 195, DENY, EACCES,
                    "System V IPC names objects by system-wide key or id, so it could reach other processes' objects."),
            rule("shmdt", 67, 197, ALLOW, 0,
                    "Detaches the program's own mapping."),
            rule("shmget", 29, 194, DENY, EACCES,
                    "System V IPC names objects by system-wide key or id, so it could reach other processes' objects."),
            rule("shutdown", 48, 210, ALLOW, 0,
                    "Socket call that names no address."),
            rule("sigaltstack", 131, 132, ALLOW, 0,
                    "The program's own signal state."),
            rule("signalfd", 282, -1, ALLOW, 0,
                    "Creates anonymous descriptors."),
            rule("signalfd4", 289, 74, ALLOW, 0,
                    "Creates anonymous descriptors."),
            rule("socket", 41, 198, GUARD, 0,
                    "Allowed for unix sockets and for inet/inet6 stream or datagram sockets over TCP or UDP; other families, types and protocols brokered."),
            rule("socketpair", 53, 199, GUARD, EAFNOSUPPORT,
                    "Allowed for unix sockets; other families denied."),
            rule("splice", 275, 76, ALLOW, 0,
                    "Moves data between held descriptors."),
            rule("stat", 4, -1, BROKER, 0,
                    "Stats a path (or, with AT_EMPTY_PATH, a descriptor): the master answers under the policy.",
                    ALLOW),
            rule("statfs", 137, 43, DENY, EACCES,
                    "Reports on the filesystem of a path; fstatfs on a descriptor is allowed."),
            rule("statmount", 457, 457, DENY, EPERM,
                    "Reads the mount tree (6.8)."),
            rule("statx", 332, 291, BROKER, 0,
                    "Stats a path (or, with AT_EMPTY_PATH, a descriptor): the master answers under the policy.",
                    ALLOW),
            rule("swapoff", 168, 225, DENY, EPERM,
                    "Changes system swap."),
            rule("swapon", 167, 224, DENY, EPERM,
                    "Changes system swap."),
            rule("symlink", 88, -1, BROKER, 0,
                    "Makes a symbolic link: the master performs it where creating is allowed; where the link"
                            + " leads is checked whenever it is used.",
                    ALLOW, MAKE_SYM),
            rule("symlinkat", 266, 36, BROKER, 0,
                    "Makes a symbolic link: the master performs it where creating is allowed; where the link"
                            + " leads is checked whenever it is used.",
                    ALLOW, MAKE_SYM),
            rule("sync", 162, 81, ALLOW, 0,
                    "Flushes every filesystem: slow, but changes nothing another process can observe."),
            rule("sync_file_range", 277, 84, ALLOW, 0,
                    "Acts on a descriptor the program already holds."),
            rule("syncfs", 306, 267, ALLOW, 0,
                    "Acts on a descriptor the program already holds."),
            rule("sysfs", 139, -1, DENY, ENOSYS,
                    "Not implemented (or compiled out) by current kernels."),
            rule("sysinfo", 99, 179, ALLOW, 0,
                    "Reads system information or randomness."),
            rule("syslog", 103, 116, DENY, EPERM,
                    "Reads or controls the kernel log."),
            rule("tee", 276, 77, ALLOW, 0,
                    "Moves data between held descriptors."),
            rule("tgkill", 234, 131, BROKER, 0,
                    "The master decides: only processes of the sandbox, delivered through a proven pidfd."),
            rule("time", 201, -1, ALLOW, 0,
                    "Reads time or sleeps."),
            rule("timer_create", 222, 107, ALLOW, 0,
                    "The program's own timers."),
            rule("timer_delete", 226, 111, ALLOW, 0,
                    "The program's own timers."),
            rule("timer_getoverrun", 225, 109, ALLOW, 0,
                    "The program's own timers."),
            rule("timer_gettime", 224, 108, ALLOW, 0,
                    "The program's own timers."),
            rule("timer_settime", 223, 110, ALLOW, 0,
                    "The program's own timers."),
            rule("timerfd_create", 283, 85, ALLOW, 0,
                    "Creates anonymous descriptors."),
            rule("timerfd_gettime", 287, 87, ALLOW, 0,
                    "Creates anonymous descriptors."),
            rule("timerfd_settime", 286, 86, ALLOW, 0,
                    "Creates anonymous descriptors."),
            rule("times", 100, 153, ALLOW, 0,
                    "Reads time or sleeps."),
            rule("tkill", 200, 130, BROKER, 0,
                    "The master decides: only processes of the sandbox, delivered through a proven pidfd."),
            rule("truncate", 76, 45, BROKER, 0,
                    "Truncates by path: the master performs it when writing the file is allowed; ftruncate on an"
                            + " opened descriptor is allowed.",
                    ALLOW, TRUNCATE),
            rule("tuxcall", 184, -1, DENY, ENOSYS,
                    "Not implemented (or compiled out) by current kernels."),
            rule("umask", 95, 166, ALLOW, 0,
                    "The program's own file creation mask."),
            rule("umount2", 166, 39, DENY, EPERM,
                    "Changes the mount tree or root."),
            rule("uname", 63, 160, ALLOW, 0,
                    "Reads system information or randomness."),
            rule("unlink", 87, -1, BROKER, 0,
                    "Removes a name: the master performs it under the policy.",
                    ALLOW, REMOVE_FILE),
            rule("unlinkat", 263, 35, BROKER, 0,
                    "Removes a name: the master performs it under the policy.",
                    ALLOW, REMOVE_FILE, REMOVE_DIR),
            rule("unshare", 272, 97, DENY, EPERM,
                    "Enters or creates namespaces."),
            rule("uprobe", 336, -1, ALLOW, 0,
                    "Called from the kernel's uprobe trampolines only (6.11, 6.18)."),
            rule("uretprobe", 335, -1, ALLOW, 0,
                    "Called from the kernel's uprobe trampolines only (6.11, 6.18)."),
            rule("uselib", 134, -1, DENY, EACCES,
                    "Maps a library by path."),
            rule("userfaultfd", 323, 282, DENY, EPERM,
                    "Stalls kernel accesses to user memory: an exploitation aid."),
            rule("ustat", 136, -1, DENY, EACCES,
                    "Reports on a filesystem named by device number."),
            rule("utime", 132, -1, DENY, EACCES,
                    "Changes timestamps by path."),
            rule("utimensat", 280, 88, BROKER, 0,
                    "Changes timestamps: done by the master where writing is allowed; futimens (a NULL path) is decided on the descriptor's path."),
            rule("utimes", 235, -1, DENY, EACCES,
                    "Changes timestamps by path."),
            rule("vfork", 58, -1, ALLOW, 0,
                    "Children inherit the filter and stay supervised."),
            rule("vhangup", 153, 58, DENY, EPERM,
                    "Hangs up the controlling terminal."),
            rule("vmsplice", 278, 75, ALLOW, 0,
                    "Moves data between held descriptors."),
            rule("vserver", 236, -1, DENY, ENOSYS,
                    "Not implemented (or compiled out) by current kernels."),
            rule("wait4", 61, 260, ALLOW, 0,
                    "Process lifetime."),
            rule("waitid", 247, 95, ALLOW, 0,
                    "Process lifetime."),
            rule("write", 1, 64, ALLOW, 0,
                    "Descriptor I/O."),
            rule("writev", 20, 66, ALLOW, 0,
                    "Descriptor I/O.")
            );

    private static final Set<FsAccess> KERNEL_RIGHTS;
    private static final Map<String, Rule> BY_NAME = new HashMap<>();
    private static final Map<Integer, String> X86_64 = new HashMap<>();
    private static final Map<Integer, String> AARCH64 = new HashMap<>();

    static {
        EnumSet<FsAccess> rights = EnumSet.noneOf(FsAccess.class);
        for (Rule r : ALL) {
            rights.addAll(r.landlock());
        }
        KERNEL_RIGHTS = Collections.unmodifiableSet(rights);
        String previous = "";
        for (Rule r : ALL) {
            if (r.name().compareTo(previous) < 0) {
                throw new ExceptionInInitializerError("broker syscall table lists " + r.name() + " after " + previous);
            }
            previous = r.name();
            unique(BY_NAME.put(r.name(), r), r.name());
            if (r.x86_64() >= 0) {
                unique(X86_64.put(r.x86_64(), r.name()), "x86_64 " + r.x86_64());
            }
            if (r.aarch64() >= 0) {
                unique(AARCH64.put(r.aarch64(), r.name()), "aarch64 " + r.aarch64());
            }
        }
    }

    private static void unique(Object previous, String what) {
        if (previous != null) {
            throw new ExceptionInInitializerError("broker syscall table lists " + what + " twice");
        }
    }

    /// Every rule, sorted by name.
    public static List<Rule> all() {
        return ALL;
    }

    /// The name of syscall `nr` on `arch` ("x86_64" or "aarch64", as in [Syscalls#arch()]), or
    /// null when the table does not know it.
    ///
    /// @throws IllegalArgumentException if `arch` is neither x86_64 nor aarch64
    public static String nameOf(String arch, int nr) {
        return switch (arch) {
            case "x86_64" -> X86_64.get(nr);
            case "aarch64" -> AARCH64.get(nr);
            default -> throw new IllegalArgumentException("arch: not x86_64 or aarch64: " + arch);
        };
    }

    /// Every Landlock right some rule lets the kernel decide in [Mode#KERNEL]: the filter compiled
    /// for that mode is only as strict as BROKER mode where the Landlock ruleset installed under it
    /// handles all of these (granting each only where the policy allows it; MAKE_CHAR and
    /// MAKE_BLOCK nowhere).
    public static Set<FsAccess> kernelRights() {
        return KERNEL_RIGHTS;
    }

    /// The rule for the syscall called `name`.
    ///
    /// @throws IllegalArgumentException if the table has no syscall of that name
    public static Rule rule(String name) {
        Rule r = BY_NAME.get(name);
        if (r == null) {
            throw new IllegalArgumentException("name: no syscall " + name + " in the broker table");
        }
        return r;
    }
}
