package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import org.posix4j.Errno;

/// Prints the ABI values the Java code assumes, one per line, for scripts/abi-check.sh, which
/// evaluates each line's C expression with a C compiler for the same architecture and compares:
///
///     ARCH <tab> KEY <tab> JAVA VALUE <tab> BITS <tab> C EXPRESSION
///
/// BITS is the width of the Java field (16, 32 or 64): the values are compared modulo 2^BITS, so
/// that `1 << 31` in a Java int matches C's `1u << 31`.
///
/// The values are read from the code itself: struct sizes and member offsets from the layouts,
/// constants from the binding classes' fields (by reflection, private ones included), syscall
/// numbers from [BrokerSyscalls] and [Syscalls] for each architecture, and the offsets at which
/// the broker's StatWriter writes a struct stat and a struct statx by running it (struct stat
/// only for the architecture this JVM runs on, the one whose branch runs). A constant added to a
/// binding class is checked without a change here; one whose C name differs from its Java name
/// needs an entry in [#C_NAMES], one that is not a C value at all one in [#NOT_ABI].
///
/// A C expression written `?NAME` is a macro that headers older than the Java code may lack (a
/// syscall or flag of a later kernel than Debian 12's 6.1 headers): the script reports it as not
/// verified instead of failing to compile.
///
/// Usage: `java -cp ... org.posix4j.internal.AbiTable x86_64 aarch64`
public final class AbiTable {
    private AbiTable() {}

    /// Binding classes whose every static final number is an ABI value.
    private static final List<String> BINDINGS = List.of(
            "EpollH", "EventfdH", "FcntlH", "FileLockH", "Libc", "MmanH", "PollH", "PrctlH", "ResourceH",
            "SchedH", "SeccompH", "SemaphoreH", "SignalH", "SocketH", "SpawnH", "StdlibH", "SysStatH",
            "TimeH", "TimerfdH", "UnistdH", "UtsnameH", "WaitH");

    /// Broker classes that keep ABI numbers as private constants; their other constants are limits
    /// of the broker's own (listed in [#NOT_ABI]).
    private static final List<String> BROKER = List.of(
            "Caller", "Master", "NetworkCalls", "OpenFlag", "Performer", "Signals", "Sockets", "StatWriter");

    /// Public API classes that spell ABI numbers themselves rather than through a binding class;
    /// each of their fields has its C name in [#C_NAMES].
    private static final List<String> PUBLIC = List.of("org.posix4j.io.OpenFlags", "org.posix4j.signal.SignalEvent");

    /// Fields that are not C values: the broker's own limits and numbers derived in Java.
    private static final Set<String> NOT_ABI = Set.of(
            "Signals.MAX_DEPTH", "Sockets.MAX_DATA", "SemaphoreH.SEM_ALIGN",
            "Performer.CONTAINED", "Performer.STATUS_FLAGS", "BrokerFilter.SIGN_BIT", "BrokerFilter.RET_ENOSYS",
            "Caller.BUDGET", "Caller.DESCRIPTOR_BUDGET", "Sockets.MAX_PASSED", "PrctlH.SOCK_TYPE_MASK",
            "Performer.MAX_LEVELS");

    /// The fields whose value depends on the architecture, from [FcntlH.ArchOpenFlags] of the
    /// architecture checked rather than of the one this JVM runs on.
    private static final Map<String, ToIntFunction<FcntlH.ArchOpenFlags>> PER_ARCH = Map.of(
            "FcntlH.O_DIRECTORY", FcntlH.ArchOpenFlags::directory,
            "FcntlH.O_NOFOLLOW", FcntlH.ArchOpenFlags::noFollow,
            "FcntlH.O_DIRECT", FcntlH.ArchOpenFlags::direct,
            "Caller.O_DIRECTORY", FcntlH.ArchOpenFlags::directory,
            "OpenFlag.O_DIRECTORY", FcntlH.ArchOpenFlags::directory,
            "OpenFlag.O_NOFOLLOW", FcntlH.ArchOpenFlags::noFollow,
            "OpenFlag.O_TMPFILE", a -> 020000000 | a.directory(),
            "OpenFlags.DIRECTORY", FcntlH.ArchOpenFlags::directory,
            "OpenFlags.NO_FOLLOW", FcntlH.ArchOpenFlags::noFollow);

    /// C expressions for fields whose Java name is not the C macro's.
    private static final Map<String, String> C_NAMES = Map.ofEntries(
            Map.entry("PrctlH.BPF_RET_K", "BPF_RET | BPF_K"),
            Map.entry("PrctlH.BPF_LD_W_ABS", "BPF_LD | BPF_W | BPF_ABS"),
            Map.entry("PrctlH.BPF_JMP_JA", "BPF_JMP | BPF_JA"),
            Map.entry("PrctlH.BPF_JMP_JEQ_K", "BPF_JMP | BPF_JEQ | BPF_K"),
            Map.entry("PrctlH.BPF_JMP_JGE_K", "BPF_JMP | BPF_JGE | BPF_K"),
            Map.entry("PrctlH.BPF_JMP_JSET_K", "BPF_JMP | BPF_JSET | BPF_K"),
            Map.entry("PrctlH.BPF_ALU_AND_K", "BPF_ALU | BPF_AND | BPF_K"),
            Map.entry("PrctlH.SIOCGSTAMP_NEW", "?SIOCGSTAMP_NEW"),
            Map.entry("PrctlH.SIOCGSTAMPNS_NEW", "?SIOCGSTAMPNS_NEW"),
            Map.entry("PrctlH.F_DUPFD_QUERY", "?F_DUPFD_QUERY"),
            Map.entry("PrctlH.F_CREATED_QUERY", "?F_CREATED_QUERY"),
            Map.entry("PrctlH.SECCOMP_DATA_NR", "offsetof(struct seccomp_data, nr)"),
            Map.entry("PrctlH.SECCOMP_DATA_ARCH", "offsetof(struct seccomp_data, arch)"),
            Map.entry("PrctlH.SECCOMP_DATA_ARGS", "offsetof(struct seccomp_data, args)"),
            Map.entry("PrctlH.X32_SYSCALL_BIT", "__X32_SYSCALL_BIT"),
            Map.entry("PrctlH.SECCOMP_IOCTL_NOTIF_SET_FLAGS", "?SECCOMP_IOCTL_NOTIF_SET_FLAGS"),
            Map.entry("PrctlH.SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP", "?SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP"),
            Map.entry("StdlibH.L_CTERMID", "L_ctermid"),
            Map.entry("SeccompH.NOTIF_PID", "offsetof(struct seccomp_notif, pid)"),
            Map.entry("SeccompH.NOTIF_NR", "offsetof(struct seccomp_notif, data.nr)"),
            Map.entry("SeccompH.NOTIF_ARCH", "offsetof(struct seccomp_notif, data.arch)"),
            Map.entry("SeccompH.NOTIF_ARGS", "offsetof(struct seccomp_notif, data.args)"),
            Map.entry("SeccompH.IOCTL_NOTIF_RECV", "SECCOMP_IOCTL_NOTIF_RECV"),
            Map.entry("SeccompH.IOCTL_NOTIF_SEND", "SECCOMP_IOCTL_NOTIF_SEND"),
            Map.entry("SeccompH.IOCTL_NOTIF_ID_VALID", "SECCOMP_IOCTL_NOTIF_ID_VALID"),
            Map.entry("SeccompH.IOCTL_NOTIF_ADDFD", "SECCOMP_IOCTL_NOTIF_ADDFD"),
            Map.entry("SeccompH.USER_NOTIF_FLAG_CONTINUE", "SECCOMP_USER_NOTIF_FLAG_CONTINUE"),
            Map.entry("SeccompH.ADDFD_FLAG_SEND", "SECCOMP_ADDFD_FLAG_SEND"),
            Map.entry("SemaphoreH.SEM_SIZE", "sizeof(sem_t)"),
            Map.entry("SemaphoreH.SC_SEM_VALUE_MAX", "_SC_SEM_VALUE_MAX"),
            Map.entry("SemaphoreH.SEM_FAILED", "(long) SEM_FAILED"),
            Map.entry("SignalH.SIG_DFL", "(long) SIG_DFL"),
            Map.entry("SignalH.SIG_IGN", "(long) SIG_IGN"),
            Map.entry("SocketH.SUN_PATH_OFFSET", "offsetof(struct sockaddr_un, sun_path)"),
            Map.entry("SocketH.SUN_PATH_SIZE", "sizeof(((struct sockaddr_un *) 0)->sun_path)"),
            Map.entry("SocketH.SOCKADDR_STORAGE_SIZE", "sizeof(struct sockaddr_storage)"),
            Map.entry("SocketH.SIN_PORT_OFFSET", "offsetof(struct sockaddr_in, sin_port)"),
            Map.entry("SocketH.SIN_ADDR_OFFSET", "offsetof(struct sockaddr_in, sin_addr)"),
            Map.entry("SocketH.SIN6_ADDR_OFFSET", "offsetof(struct sockaddr_in6, sin6_addr)"),
            Map.entry("SocketH.SIN6_SCOPE_ID_OFFSET", "offsetof(struct sockaddr_in6, sin6_scope_id)"),
            Map.entry("SysStatH.STATX_SIZE", "sizeof(struct statx)"),
            Map.entry("MmanH.STATX_TYPE_MODE_SIZE", "STATX_TYPE | STATX_MODE | STATX_SIZE"),
            Map.entry("StatWriter.STATX_SIZE", "sizeof(struct statx)"),
            Map.entry("FileLockH.L_TYPE", "offsetof(struct flock, l_type)"),
            Map.entry("FileLockH.L_WHENCE", "offsetof(struct flock, l_whence)"),
            Map.entry("FileLockH.L_START", "offsetof(struct flock, l_start)"),
            Map.entry("FileLockH.L_LEN", "offsetof(struct flock, l_len)"),
            Map.entry("FileLockH.L_PID", "offsetof(struct flock, l_pid)"),
            Map.entry("WaitH.SI_CODE", "offsetof(siginfo_t, si_code)"),
            Map.entry("WaitH.SI_PID", "offsetof(siginfo_t, si_pid)"),
            Map.entry("WaitH.SI_STATUS", "offsetof(siginfo_t, si_status)"),
            Map.entry("UnistdH.SC_OPEN_MAX", "_SC_OPEN_MAX"),
            Map.entry("UtsnameH.FIELD", "sizeof(((struct utsname *) 0)->sysname)"),
            Map.entry("Signals.SIGINFO", "sizeof(siginfo_t)"),
            Map.entry("Signals.STX_INO", "offsetof(struct statx, stx_ino)"),
            Map.entry("Caller.STX_INO", "offsetof(struct statx, stx_ino)"),
            Map.entry("Performer.STX_SIZE", "offsetof(struct statx, stx_size)"),
            Map.entry("Sockets.MSGHDR", "sizeof(struct msghdr)"),
            Map.entry("Sockets.MMSGHDR", "sizeof(struct mmsghdr)"),
            Map.entry("OpenFlag.R_NO_XDEV", "RESOLVE_NO_XDEV"),
            Map.entry("OpenFlag.R_NO_MAGICLINKS", "RESOLVE_NO_MAGICLINKS"),
            Map.entry("OpenFlag.R_NO_SYMLINKS", "RESOLVE_NO_SYMLINKS"),
            Map.entry("OpenFlag.R_BENEATH", "RESOLVE_BENEATH"),
            Map.entry("OpenFlag.R_IN_ROOT", "RESOLVE_IN_ROOT"),
            Map.entry("OpenFlag.R_CACHED", "RESOLVE_CACHED"),
            Map.entry("OpenFlags.READ_ONLY", "O_RDONLY"),
            Map.entry("OpenFlags.WRITE_ONLY", "O_WRONLY"),
            Map.entry("OpenFlags.READ_WRITE", "O_RDWR"),
            Map.entry("OpenFlags.CREATE", "O_CREAT"),
            Map.entry("OpenFlags.EXCLUSIVE", "O_EXCL"),
            Map.entry("OpenFlags.NO_CONTROLLING_TTY", "O_NOCTTY"),
            Map.entry("OpenFlags.TRUNCATE", "O_TRUNC"),
            Map.entry("OpenFlags.APPEND", "O_APPEND"),
            Map.entry("OpenFlags.NON_BLOCKING", "O_NONBLOCK"),
            Map.entry("OpenFlags.SYNC", "O_SYNC"),
            Map.entry("OpenFlags.DIRECTORY", "O_DIRECTORY"),
            Map.entry("OpenFlags.PATH", "O_PATH"),
            Map.entry("OpenFlags.NO_FOLLOW", "O_NOFOLLOW"),
            Map.entry("SignalEvent.CODE_USER", "SI_USER"),
            Map.entry("SignalEvent.CODE_KERNEL", "SI_KERNEL"),
            Map.entry("SignalEvent.CODE_QUEUE", "SI_QUEUE"),
            Map.entry("SignalEvent.CODE_TKILL", "SI_TKILL"),
            Map.entry("Caller.PIDFD_THREAD", "?PIDFD_THREAD"),
            Map.entry("Signals.PIDFD_THREAD", "?PIDFD_THREAD"),
            Map.entry("Signals.PIDFD_SIGNAL_THREAD", "?PIDFD_SIGNAL_THREAD"),
            Map.entry("Signals.PIDFD_SIGNAL_THREAD_GROUP", "?PIDFD_SIGNAL_THREAD_GROUP"));

    /// Fields that exist in C on one architecture only.
    private static final Map<String, String> ONLY_ON = Map.of("PrctlH.X32_SYSCALL_BIT", "x86_64");

    /// The line format, one value.
    record Line(String arch, String key, long value, int bits, String c) {
        Line(String arch, String key, long value, String c) {
            this(arch, key, value, Long.SIZE, c);
        }

        @Override
        public String toString() {
            return arch + "\t" + key + "\t" + value + "\t" + bits + "\t" + c;
        }
    }

    /// Prints the table for each architecture named on the command line.
    public static void main(String[] args) throws ReflectiveOperationException {
        for (String arch : args) {
            lines(arch).forEach(System.out::println);
        }
    }

    /// The table for `arch` ("x86_64" or "aarch64").
    static List<Line> lines(String arch) throws ReflectiveOperationException {
        List<Line> out = new ArrayList<>();
        layouts(arch, out);
        for (String name : BINDINGS) {
            constants(arch, Class.forName("org.posix4j.internal." + name), out);
        }
        for (String name : BROKER) {
            constants(arch, Class.forName("org.posix4j.broker." + name), out);
        }
        for (String name : PUBLIC) {
            constants(arch, Class.forName(name), out);
        }
        for (BrokerSyscalls.Rule rule : BrokerSyscalls.all()) {
            if (rule.number(arch) >= 0) {
                out.add(new Line(arch, "nr." + rule.name() + " (BrokerSyscalls)", rule.number(arch),
                        "?__NR_" + rule.name()));
            }
        }
        Syscalls table = Syscalls.forArch(arch);
        for (var component : Syscalls.class.getRecordComponents()) {
            if (component.getType() == long.class) {
                String name = component.getName().replaceAll("([A-Z])", "_$1").toLowerCase();
                out.add(new Line(arch, "nr." + name + " (Syscalls)", (long) component.getAccessor().invoke(table),
                        "?__NR_" + name));
            }
        }
        statWriter(arch, out);
        for (Errno e : Errno.values()) {
            out.add(new Line(arch, "errno." + e.name(), e.number(), e.name()));
        }
        return out;
    }

    private static void layouts(String arch, List<Line> out) throws ReflectiveOperationException {
        Method epoll = EpollH.class.getDeclaredMethod("layout", String.class);
        epoll.setAccessible(true);
        struct(arch, "struct epoll_event", (StructLayout) epoll.invoke(null, arch), out);
        struct(arch, "struct statx", MmanH.STATX_LAYOUT, out);
        struct(arch, "struct seccomp_data", SeccompH.SECCOMP_DATA, out);
        struct(arch, "struct seccomp_notif", SeccompH.SECCOMP_NOTIF, out);
        struct(arch, "struct seccomp_notif_resp", SeccompH.SECCOMP_NOTIF_RESP, out);
        struct(arch, "struct seccomp_notif_addfd", SeccompH.SECCOMP_NOTIF_ADDFD, out);
        struct(arch, "struct sock_filter", PrctlH.SOCK_FILTER, out);
        struct(arch, "struct sock_fprog", PrctlH.SOCK_FPROG, out);
        struct(arch, "struct sockaddr_un", SocketH.SOCKADDR_UN, out);
        struct(arch, "struct msghdr", SocketH.MSGHDR, out);
        struct(arch, "struct cmsghdr", SocketH.CMSGHDR, out);
        struct(arch, "struct rlimit", ResourceH.RLIMIT, out);
        struct(arch, "struct utsname", UtsnameH.UTSNAME, out);
        struct(arch, "struct mallinfo2", MallocH.MALLINFO2, out);
        struct(arch, "struct pollfd", PollH.POLLFD, out);
        struct(arch, "struct flock", FileLockH.FLOCK, out);
        struct(arch, "struct passwd", PwdGrpH.PASSWD, out);
        struct(arch, "struct group", PwdGrpH.GROUP, out);
        struct(arch, "struct sigaction", SignalH.SIGACTION_T, out);
        struct(arch, "struct signalfd_siginfo", SignalH.SIGNALFD_SIGINFO, out);
        struct(arch, "union sigval", SignalH.SIGVAL, out);
        struct(arch, "struct timespec", TimeH.TIMESPEC, out);
        struct(arch, "struct timespec", TimerfdH.TIMESPEC, out);
        struct(arch, "struct itimerspec", TimerfdH.ITIMERSPEC, out);
        struct(arch, "struct iovec", UioH.IOVEC, out);
        struct(arch, "siginfo_t", WaitH.SIGINFO, out);
        size(arch, "sigset_t", SignalH.SIGSET, out);
        size(arch, "sem_t", SemaphoreH.SEM_T, out);
        size(arch, "posix_spawnattr_t", SpawnH.POSIX_SPAWNATTR, out);
        size(arch, "posix_spawn_file_actions_t", SpawnH.POSIX_SPAWN_FILE_ACTIONS, out);
    }

    /// Runs the broker's StatWriter.write with a value in each field that no other field has,
    /// and finds where each landed: the members of struct statx, and of struct stat on the
    /// architecture this JVM runs on.
    private static void statWriter(String arch, List<Line> out) throws ReflectiveOperationException {
        Class<?> writer = Class.forName("org.posix4j.broker.StatWriter");
        Class<?> result = Class.forName("org.posix4j.broker.StatResult");
        Class<?> format = Class.forName("org.posix4j.broker.Call$StatFormat");
        Method write = writer.getDeclaredMethod("write", MemorySegment.class, format, result);
        Method makedev = writer.getDeclaredMethod("makedev", int.class, int.class);
        write.setAccessible(true);
        makedev.setAccessible(true);
        long dev = (long) makedev.invoke(null, 0x7a1, 0x7a2);
        long rdev = (long) makedev.invoke(null, 0x7b1, 0x7b2);
        Object st = result.getConstructors()[0].newInstance(dev, 0x7c0000001L, 0x81a4, 0x7d1L, 0x7d2, 0x7d3, rdev,
                0x7e0000002L, Instant.ofEpochSecond(0x7f1, 0x7f2), Instant.ofEpochSecond(0x7f3, 0x7f4),
                Instant.ofEpochSecond(0x7f5, 0x7f6), 0x7d4L, 0x7d5L);
        boolean host = Syscalls.CURRENT.arch().equals(arch);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256);
            for (Object f : format.getEnumConstants()) {
                String name = ((Enum<?>) f).name();
                if (!(name.equals("STATX") || name.equals("STAT") && host)) {
                    continue;
                }
                buf.fill((byte) 0);
                long size = (long) write.invoke(null, buf, f, st);
                String type = name.equals("STATX") ? "struct statx" : "struct stat";
                out.add(new Line(arch, "sizeof(" + type + ") (StatWriter)", size, "sizeof(" + type + ")"));
                Map<String, Long> members = new TreeMap<>(name.equals("STATX")
                        ? Map.ofEntries(Map.entry("stx_ino", 0x7c0000001L), Map.entry("stx_mode", 0x81a4L),
                                Map.entry("stx_nlink", 0x7d1L), Map.entry("stx_uid", 0x7d2L),
                                Map.entry("stx_gid", 0x7d3L), Map.entry("stx_size", 0x7e0000002L),
                                Map.entry("stx_blksize", 0x7d4L), Map.entry("stx_blocks", 0x7d5L),
                                Map.entry("stx_dev_major", 0x7a1L), Map.entry("stx_dev_minor", 0x7a2L),
                                Map.entry("stx_rdev_major", 0x7b1L), Map.entry("stx_rdev_minor", 0x7b2L),
                                Map.entry("stx_atime.tv_sec", 0x7f1L), Map.entry("stx_atime.tv_nsec", 0x7f2L),
                                Map.entry("stx_mtime.tv_sec", 0x7f3L), Map.entry("stx_mtime.tv_nsec", 0x7f4L),
                                Map.entry("stx_ctime.tv_sec", 0x7f5L), Map.entry("stx_ctime.tv_nsec", 0x7f6L))
                        : Map.ofEntries(Map.entry("st_dev", dev), Map.entry("st_ino", 0x7c0000001L),
                                Map.entry("st_mode", 0x81a4L), Map.entry("st_nlink", 0x7d1L),
                                Map.entry("st_uid", 0x7d2L), Map.entry("st_gid", 0x7d3L), Map.entry("st_rdev", rdev),
                                Map.entry("st_size", 0x7e0000002L), Map.entry("st_blksize", 0x7d4L),
                                Map.entry("st_blocks", 0x7d5L), Map.entry("st_atim.tv_sec", 0x7f1L),
                                Map.entry("st_atim.tv_nsec", 0x7f2L), Map.entry("st_mtim.tv_sec", 0x7f3L),
                                Map.entry("st_mtim.tv_nsec", 0x7f4L), Map.entry("st_ctim.tv_sec", 0x7f5L),
                                Map.entry("st_ctim.tv_nsec", 0x7f6L)));
                for (var m : members.entrySet()) {
                    String c = "offsetof(" + type + ", " + m.getKey() + ")";
                    out.add(new Line(arch, c + " (StatWriter)", offsetOf(buf, size, m.getValue()), c));
                }
            }
        }
    }

    /// The first offset in the first `size` bytes of `buf` where an aligned 2-, 4- or 8-byte read
    /// gives `value`, or -1. The values written are distinct in every 16-bit part, and on a
    /// little-endian ABI a member starts with its low bytes, so the first match is the member.
    private static long offsetOf(MemorySegment buf, long size, long value) {
        for (long at = 0; at + 2 <= size; at += 2) {
            boolean two = Short.toUnsignedLong(buf.get(JAVA_SHORT, at)) == value;
            boolean four = at % 4 == 0 && at + 4 <= size && Integer.toUnsignedLong(buf.get(JAVA_INT, at)) == value;
            boolean eight = at % 8 == 0 && at + 8 <= size && buf.get(JAVA_LONG, at) == value;
            if (two || four || eight) {
                return at;
            }
        }
        return -1;
    }

    private static void size(String arch, String type, MemoryLayout layout, List<Line> out) {
        out.add(new Line(arch, "sizeof(" + type + ")", layout.byteSize(), "sizeof(" + type + ")"));
    }

    /// The size and the offset of every named member, nested structs' members included
    /// (`data.nr`), as C's offsetof takes them.
    private static void struct(String arch, String type, GroupLayout layout, List<Line> out) {
        size(arch, type, layout, out);
        members(arch, type, layout, layout, "", List.of(), out);
    }

    private static void members(String arch, String type, GroupLayout root, GroupLayout group, String prefix,
            List<PathElement> path, List<Line> out) {
        for (MemoryLayout member : group.memberLayouts()) {
            if (member instanceof PaddingLayout || member.name().isEmpty()) {
                continue;
            }
            String name = prefix + member.name().orElseThrow();
            List<PathElement> at = new ArrayList<>(path);
            at.add(PathElement.groupElement(member.name().orElseThrow()));
            String c = "offsetof(" + type + ", " + name + ")";
            out.add(new Line(arch, c, root.byteOffset(at.toArray(PathElement[]::new)), c));
            if (member instanceof GroupLayout inner) {
                members(arch, type, root, inner, name + ".", at, out);
            }
        }
    }

    private static void constants(String arch, Class<?> owner, List<Line> out) throws IllegalAccessException {
        for (Field f : owner.getDeclaredFields()) {
            String key = owner.getSimpleName() + "." + f.getName();
            int m = f.getModifiers();
            boolean number = f.getType() == int.class || f.getType() == long.class || f.getType() == short.class;
            if (!Modifier.isStatic(m) || !Modifier.isFinal(m) || !number || NOT_ABI.contains(key)
                    || !ONLY_ON.getOrDefault(key, arch).equals(arch)) {
                continue;
            }
            f.setAccessible(true);
            long value = PER_ARCH.containsKey(key) ? PER_ARCH.get(key).applyAsInt(FcntlH.ArchOpenFlags.of(arch))
                    : ((Number) f.get(null)).longValue();
            int bits = f.getType() == short.class ? Short.SIZE : f.getType() == int.class ? Integer.SIZE : Long.SIZE;
            out.add(new Line(arch, key, value, bits, C_NAMES.getOrDefault(key, f.getName())));
        }
    }
}
