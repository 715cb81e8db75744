package org.posix4j.fs;

/// The access-pattern advice posix_fadvise(2) takes. Equivalent to `Netsys_posix.advice`.
public enum Advice {
    /// POSIX_FADV_NORMAL: no particular pattern; default read-ahead.
    NORMAL(0),
    /// POSIX_FADV_RANDOM: random access; read-ahead off.
    RANDOM(1),
    /// POSIX_FADV_SEQUENTIAL: sequential access; more read-ahead.
    SEQUENTIAL(2),
    /// POSIX_FADV_WILLNEED: the range will be needed soon; the kernel starts reading it in.
    WILL_NEED(3),
    /// POSIX_FADV_DONTNEED: the range is not needed; clean cached pages are dropped.
    DONT_NEED(4),
    /// POSIX_FADV_NOREUSE: the range is read once (a no-op before Linux 6.3).
    NO_REUSE(5);

    private final int value;

    Advice(int value) {
        this.value = value;
    }

    /// The POSIX_FADV_* number.
    public int value() {
        return value;
    }
}
