package org.posix4j.event;

import org.posix4j.internal.EpollH;

/// The epoll(7) event bits: the interest an [EpollSelector] registration asks for (a combination
/// of [#READABLE], [#WRITABLE], [#PRIORITY] and [#READ_HANGUP]), and the events
/// [EpollSelector#readyEvents(int)] reports, which may add [#ERROR] and [#HANGUP].
///
/// Thread safety: constants only.
public final class EpollEvents {
    private EpollEvents() {}

    /// EPOLLIN: there is data to read, end of file, or a connection to accept.
    public static final int READABLE = EpollH.EPOLLIN;
    /// EPOLLOUT: writing will not block.
    public static final int WRITABLE = EpollH.EPOLLOUT;
    /// EPOLLPRI: there is urgent data (TCP out-of-band data, a pseudo-terminal state change).
    public static final int PRIORITY = EpollH.EPOLLPRI;
    /// EPOLLRDHUP: the peer of a stream socket shut down its writing half.
    public static final int READ_HANGUP = EpollH.EPOLLRDHUP;
    /// EPOLLERR: an error condition. Always reported, never needs asking for.
    public static final int ERROR = EpollH.EPOLLERR;
    /// EPOLLHUP: hang up, such as every write end of a pipe closed. Always reported.
    public static final int HANGUP = EpollH.EPOLLHUP;

    /// The bits a registration may ask for.
    static final int INTEREST = READABLE | WRITABLE | PRIORITY | READ_HANGUP;
}
