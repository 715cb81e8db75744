/// Waiting for descriptors: Netsys_posix's poll arrays, an epoll selector for many descriptors,
/// and eventfd and timerfd to wake and time event loops.
///
/// - [PollArray] is the seed's `poll_array`: a native `struct pollfd[]` with [PollCell] entries
///   ([RequestedEvents], [ReturnedEvents], the bits in [PollEvents]), `poll`, `restarting_poll`
///   and `poll_single`. Its cost grows with the number of cells polled.
/// - [EpollSelector] keeps its registrations in the kernel (epoll(7)), so a wait costs the same
///   with ten thousand descriptors registered as with ten; each registration carries a `long`
///   token, and the ready set is read by index without allocating.
/// - [EventFd] wakes a waiting loop from another thread; [TimerFd] makes time a descriptor.
///
/// ```java
/// try (PollArray cells = PollArray.create(2)) {
///     cells.set(0, new PollCell(pipe.readEnd().intValue(), RequestedEvents.of(true, false, false)));
///     cells.set(1, new PollCell(timer.intValue(), RequestedEvents.of(true, false, false)));
///     if (cells.restartingPoll(2, Duration.ofSeconds(5)) > 0 && cells.get(0).returned().readable()) {
///         ...
///     }
/// }
/// ```
///
/// Every descriptor created here is owned and close-on-exec. Timeouts are a `Duration` (or the
/// seed's seconds as a `double`); negative means forever. Each class states its thread safety.
package org.posix4j.event;
