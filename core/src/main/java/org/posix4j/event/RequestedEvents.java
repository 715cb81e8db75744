package org.posix4j.event;

/// The events a [PollCell] asks poll(2) to watch for: the `events` field of a `struct pollfd`.
/// Equivalent to Netsys_posix's `poll_req_events`.
///
/// Thread safety: immutable.
///
/// @param bits the poll(2) bits, a combination of [PollEvents#READ], [PollEvents#WRITE] and
///     [PollEvents#PRIORITY] (other kernel bits such as POLLRDHUP pass through). Equivalent to
///     `Netsys_posix.int_of_req_events`.
public record RequestedEvents(int bits) {
    /// No events: the cell then reports only errors, hang-ups and invalid descriptors.
    public static final RequestedEvents NONE = new RequestedEvents(0);

    /// Checks `bits`.
    ///
    /// @throws IllegalArgumentException if `bits` does not fit 16 bits
    public RequestedEvents {
        PollEvents.checkBits("bits", bits);
    }

    /// The events `read` (POLLIN), `write` (POLLOUT) and `priority` (POLLPRI).
    /// Equivalent to `Netsys_posix.poll_req_events rd wr pri`.
    public static RequestedEvents of(boolean read, boolean write, boolean priority) {
        return new RequestedEvents((read ? PollEvents.READ : 0) | (write ? PollEvents.WRITE : 0)
                | (priority ? PollEvents.PRIORITY : 0));
    }

    /// The events with these bits. Equivalent to `Netsys_posix.req_events_of_int`.
    ///
    /// @throws IllegalArgumentException if `bits` does not fit 16 bits
    public static RequestedEvents ofBits(int bits) {
        return new RequestedEvents(bits);
    }

    /// Whether POLLIN is requested. With [#write()] and [#priority()], equivalent to
    /// `Netsys_posix.poll_req_triple`.
    public boolean read() {
        return (bits & PollEvents.READ) != 0;
    }

    /// Whether POLLOUT is requested.
    public boolean write() {
        return (bits & PollEvents.WRITE) != 0;
    }

    /// Whether POLLPRI is requested.
    public boolean priority() {
        return (bits & PollEvents.PRIORITY) != 0;
    }
}
