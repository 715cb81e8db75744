package org.posix4j.event;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.posix4j.internal.TimerfdH;

/// A small native buffer per thread for the structs and counters a single call passes to the
/// kernel (a pollfd, an epoll_event, an itimerspec, an 8-byte counter), so that those calls
/// allocate nothing and two threads never share a buffer. A call uses it only for its own
/// duration and never calls anything else that does.
final class Scratch {
    private Scratch() {}

    private static final ThreadLocal<MemorySegment> BUFFER = ThreadLocal.withInitial(
            () -> Arena.ofAuto().allocate(TimerfdH.ITIMERSPEC));

    /// This thread's buffer: 32 bytes, aligned for any of the structs above, contents undefined.
    static MemorySegment get() {
        return BUFFER.get();
    }
}
