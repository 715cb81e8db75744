package org.posix4j.event;

import org.posix4j.internal.EpollH;

/// When an [EpollSelector] reports a registered descriptor, see epoll(7).
///
/// Thread safety: immutable.
public enum Trigger {
    /// Level-triggered (the default of epoll): reported by every wait while the descriptor is
    /// ready, as poll(2) would.
    LEVEL(0),
    /// Edge-triggered (EPOLLET): reported once each time new readiness arrives (new data
    /// written, space freed); the caller must then read or write until EAGAIN.
    EDGE(EpollH.EPOLLET),
    /// Level-triggered one-shot (EPOLLONESHOT): reported once, then disabled until
    /// [EpollSelector#modify] re-arms it. Lets several threads share one selector without two of
    /// them handling the same descriptor.
    ONESHOT(EpollH.EPOLLONESHOT),
    /// Edge-triggered one-shot (EPOLLET | EPOLLONESHOT).
    EDGE_ONESHOT(EpollH.EPOLLET | EpollH.EPOLLONESHOT);

    final int bits;

    Trigger(int bits) {
        this.bits = bits;
    }
}
