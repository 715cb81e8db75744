package org.posix4j.event;

/// The events poll(2) reported for a [PollCell]: the `revents` field of a `struct pollfd`.
/// Equivalent to Netsys_posix's `poll_act_events`.
///
/// Thread safety: immutable.
///
/// @param bits the poll(2) bits ([PollEvents]). Equivalent to `Netsys_posix.int_of_act_events`.
public record ReturnedEvents(int bits) {
    /// No events. Equivalent to `Netsys_posix.poll_null_events`.
    public static final ReturnedEvents NONE = new ReturnedEvents(0);

    /// Checks `bits`.
    ///
    /// @throws IllegalArgumentException if `bits` does not fit 16 bits
    public ReturnedEvents {
        PollEvents.checkBits("bits", bits);
    }

    /// The events with these bits. Equivalent to `Netsys_posix.act_events_of_int`.
    ///
    /// @throws IllegalArgumentException if `bits` does not fit 16 bits
    public static ReturnedEvents ofBits(int bits) {
        return new ReturnedEvents(bits);
    }

    /// Whether any event was reported. Equivalent to `Netsys_posix.poll_result`.
    public boolean any() {
        return bits != 0;
    }

    /// POLLIN: readable. Equivalent to `Netsys_posix.poll_rd_result`.
    public boolean readable() {
        return (bits & PollEvents.READ) != 0;
    }

    /// POLLOUT: writable. Equivalent to `Netsys_posix.poll_wr_result`.
    public boolean writable() {
        return (bits & PollEvents.WRITE) != 0;
    }

    /// POLLPRI: urgent data. Equivalent to `Netsys_posix.poll_pri_result`.
    public boolean priority() {
        return (bits & PollEvents.PRIORITY) != 0;
    }

    /// POLLERR: error condition. Equivalent to `Netsys_posix.poll_err_result`.
    public boolean error() {
        return (bits & PollEvents.ERROR) != 0;
    }

    /// POLLHUP: hang up. Equivalent to `Netsys_posix.poll_hup_result`.
    public boolean hangup() {
        return (bits & PollEvents.HANGUP) != 0;
    }

    /// POLLNVAL: the descriptor is not open. Equivalent to `Netsys_posix.poll_nval_result`.
    public boolean invalid() {
        return (bits & PollEvents.INVALID) != 0;
    }
}
