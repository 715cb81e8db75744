package org.posix4j.event;

import org.posix4j.internal.PollH;

/// The poll(2) event bits, as [RequestedEvents#bits()] and [ReturnedEvents#bits()] carry them.
/// Equivalent to Netsys_posix's `const_rd_event`, `const_wr_event`, `const_pri_event`,
/// `const_err_event`, `const_hup_event` and `const_nval_event`.
///
/// Thread safety: constants only.
public final class PollEvents {
    private PollEvents() {}

    /// POLLIN: there is data to read (or end of file, or a connection to accept).
    /// Equivalent to `Netsys_posix.const_rd_event`.
    public static final int READ = PollH.POLLIN;
    /// POLLOUT: writing will not block. Equivalent to `Netsys_posix.const_wr_event`.
    public static final int WRITE = PollH.POLLOUT;
    /// POLLPRI: there is urgent data to read (TCP out-of-band data, a pseudo-terminal state
    /// change, a cgroup event). Equivalent to `Netsys_posix.const_pri_event`.
    public static final int PRIORITY = PollH.POLLPRI;
    /// POLLERR: an error condition, such as the read end of a pipe closed while polling the
    /// write end. Returned only; the kernel reports it whether requested or not.
    /// Equivalent to `Netsys_posix.const_err_event`.
    public static final int ERROR = PollH.POLLERR;
    /// POLLHUP: hang up, such as every write end of a pipe closed. Returned only.
    /// Equivalent to `Netsys_posix.const_hup_event`.
    public static final int HANGUP = PollH.POLLHUP;
    /// POLLNVAL: the descriptor is not open. Returned only.
    /// Equivalent to `Netsys_posix.const_nval_event`.
    public static final int INVALID = PollH.POLLNVAL;

    /// The bits a `short` events field can hold; [RequestedEvents] and [ReturnedEvents] accept
    /// any of them, so that kernel bits without a constant here (POLLRDHUP, POLLRDNORM...) pass
    /// through unchanged.
    static final int ALL_BITS = 0xFFFF;

    static int checkBits(String argument, int bits) {
        if ((bits & ~ALL_BITS) != 0) {
            throw new IllegalArgumentException(argument + " must fit the 16 bits of a poll events field: 0x"
                    + Integer.toHexString(bits));
        }
        return bits;
    }
}
