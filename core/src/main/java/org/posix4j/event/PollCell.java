package org.posix4j.event;

import java.util.Objects;

/// One entry of a [PollArray]: a descriptor, the events asked for, and the events poll(2)
/// reported. Equivalent to Netsys_posix's `poll_cell` (`poll_fd`, `poll_req_events`,
/// `poll_act_events`), immutable here: [PollArray#set(int, PollCell)] stores a cell,
/// [PollArray#get(int)] answers a new one.
///
/// Thread safety: immutable.
///
/// @param fd the descriptor number (`poll_fd`)
/// @param requested the events to watch for (`poll_req_events`)
/// @param returned the events reported (`poll_act_events`)
public record PollCell(int fd, RequestedEvents requested, ReturnedEvents returned) {
    /// Checks the components.
    ///
    /// @throws IllegalArgumentException if `fd` is negative
    /// @throws NullPointerException if `requested` or `returned` is null
    public PollCell {
        if (fd < 0) {
            throw new IllegalArgumentException("fd must not be negative: " + fd);
        }
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(returned, "returned");
    }

    /// A cell for `fd` asking for `requested`, with no events reported yet.
    ///
    /// @throws IllegalArgumentException if `fd` is negative
    public PollCell(int fd, RequestedEvents requested) {
        this(fd, requested, ReturnedEvents.NONE);
    }
}
