package org.posix4j.event;

import java.util.Objects;

/// One entry of a [PollArray]: a descriptor, the events asked for, and the events poll(2)
/// reported. Equivalent to Netsys_posix's `poll_cell` (`poll_fd`, `poll_req_events`,
/// `poll_act_events`), immutable here: [PollArray#set(int, PollCell)] stores a cell,
/// [PollArray#get(int)] answers a new one.
///
/// A negative descriptor disables the cell, as in the seed and poll(2): poll skips it and
/// reports no events for it (the kernel sets its returned events to 0), so callers may switch a
/// cell off by negating its descriptor, or `~fd` to keep descriptor 0 distinguishable.
///
/// Thread safety: immutable.
///
/// @param fd the descriptor number (`poll_fd`); negative: skipped by poll
/// @param requested the events to watch for (`poll_req_events`)
/// @param returned the events reported (`poll_act_events`)
public record PollCell(int fd, RequestedEvents requested, ReturnedEvents returned) {
    /// Checks the components.
    ///
    /// @throws NullPointerException if `requested` or `returned` is null
    public PollCell {
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(returned, "returned");
    }

    /// A cell for `fd` asking for `requested`, with no events reported yet.
    public PollCell(int fd, RequestedEvents requested) {
        this(fd, requested, ReturnedEvents.NONE);
    }
}
