/// Waiting for descriptors: Netsys_posix's poll arrays, an epoll selector for many descriptors,
/// and eventfd and timerfd to wake and time event loops.
package org.posix4j.event;
