package org.posix4j.process;

import java.util.Locale;

/// The resources whose use getrlimit(2) and setrlimit(2) limit, with their Linux numbers.
public enum Resource {
    /// RLIMIT_CPU: CPU time in seconds.
    CPU(0),
    /// RLIMIT_FSIZE: largest file the process may create, in bytes.
    FSIZE(1),
    /// RLIMIT_DATA: data segment and heap, in bytes.
    DATA(2),
    /// RLIMIT_STACK: main thread stack, in bytes.
    STACK(3),
    /// RLIMIT_CORE: largest core file, in bytes (0: no core dumps).
    CORE(4),
    /// RLIMIT_RSS: resident set (not enforced by Linux).
    RSS(5),
    /// RLIMIT_NPROC: processes of the real user.
    NPROC(6),
    /// RLIMIT_NOFILE: one more than the highest descriptor number.
    NOFILE(7),
    /// RLIMIT_MEMLOCK: locked memory, in bytes.
    MEMLOCK(8),
    /// RLIMIT_AS: address space, in bytes.
    AS(9),
    /// RLIMIT_LOCKS: flock and fcntl locks.
    LOCKS(10),
    /// RLIMIT_SIGPENDING: queued signals of the real user.
    SIGPENDING(11),
    /// RLIMIT_MSGQUEUE: bytes in POSIX message queues of the real user.
    MSGQUEUE(12),
    /// RLIMIT_NICE: ceiling of the nice value, as 20 - nice.
    NICE(13),
    /// RLIMIT_RTPRIO: ceiling of the real-time priority.
    RTPRIO(14),
    /// RLIMIT_RTTIME: CPU time under real-time scheduling without blocking, in microseconds.
    RTTIME(15);

    private final int number;

    Resource(int number) {
        this.number = number;
    }

    /// The RLIMIT_* number.
    public int number() {
        return number;
    }

    /// The C name, such as "RLIMIT_NOFILE".
    public String cName() {
        return "RLIMIT_" + name();
    }

    /// The resource called `name`: "NOFILE", "nofile" or "RLIMIT_NOFILE".
    ///
    /// @throws IllegalArgumentException for a name that is no resource
    public static Resource byName(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        try {
            return valueOf(n.startsWith("RLIMIT_") ? n.substring(7) : n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("resource: no RLIMIT_* is called " + name, e);
        }
    }
}
