/// Starting and watching child processes: posix_spawn with chdir, process group, session, fd and
/// signal actions and environment (Netsys_posix.spawn), pidfd-based child handles, one watcher
/// thread for all children, and an adapter to java.lang.Process.
///
/// - [org.posix4j.spawn.Spawn] builds and starts a child with posix_spawn(3) (never a fork of
///   the JVM); exec failures come back as [org.posix4j.PosixException]s.
/// - [org.posix4j.spawn.Child] holds it through a pidfd: race-free signals, waiting that does not
///   pin a virtual thread's carrier, its pipes, and [org.posix4j.spawn.Child#asProcess()].
/// - [org.posix4j.spawn.Subprocesses] and [org.posix4j.spawn.Watched] are the seed's watch list
///   (`watch_subprocess`, `kill_all_subprocesses`...).
///
/// One daemon thread, `posix4j-subprocess-watcher`, waits for the end of every process posix4j
/// follows (epoll over pidfds) and reaps the children it started, so none is left a zombie. It
/// ends when nothing is left to watch, and at the JVM's exit (a shutdown hook) as soon as no
/// child it follows still runs: HotSpot's exit waits up to 300 ms for a thread in native code.
/// Needs Linux 5.4+ (pidfd_open, waitid P_PIDFD) and glibc 2.34+ (closefrom file action).
package org.posix4j.spawn;
