/// Signals: names and numbers ([Signal], [SignalSet]), sending ([Signals]: kill, killpg, raise,
/// sigqueue), and [SignalChannel], which delivers signals as events: slimta's signalfd helpers
/// (`signalfd.mask`, `sigprocmask`, `signalfd.new`, `setmask`, `read`).
///
/// ## Why a signal channel is not simply a signalfd in a JVM
///
/// A process-directed signal (kill(2), a terminal's SIGINT or SIGWINCH, SIGCHLD) is delivered to
/// one thread of the process that does not block it, chosen by the kernel. A signalfd(2) or
/// sigwaitinfo(2) only ever sees signals that stay pending, that is signals every thread blocks;
/// otherwise the thread the kernel picked runs the disposition and the signalfd reader sees
/// nothing (or, racing with that thread, sometimes something). C programs block the signals in
/// `main` before creating threads, and every thread inherits the mask. A library inside a running
/// JVM cannot: the JVM already runs a dozen threads (GC, compilers, the signal dispatcher...),
/// sigprocmask(2) changes the calling thread's mask only, and no Java code can run on those
/// threads. HotSpot even unblocks SIGHUP, SIGINT, SIGTERM, SIGSEGV, SIGBUS, SIGFPE, SIGILL and
/// SIGUSR2 explicitly in every thread it starts.
///
/// An FFM upcall installed as a native handler with sigaction(2) is no way out: a signal handler
/// interrupts an arbitrary thread at an arbitrary instruction, possibly inside the garbage
/// collector or holding a JVM lock, and running Java code there can deadlock or crash the JVM.
///
/// So [SignalChannel] takes each signal the one way that works for it, decided when it opens:
///
/// - When **every thread blocks the signal**, it uses signalfd(2) and reads it on a thread of its
///   own. This holds when the JVM was started with the signal blocked (a signal mask survives
///   execve(2) and every thread inherits it; HotSpot leaves all signals but those listed above
///   as it found them), for example by a parent that set the mask with posix_spawn's signal mask
///   or pthread_sigmask before exec. Then each event carries what the kernel's `siginfo` says:
///   sender pid and uid, sigqueue value, `si_code`. Real-time signals work only this way.
///   SIGHUP, SIGINT and SIGTERM take this way only when the JVM also runs with `-Xrs`, under
///   which HotSpot leaves them blocked: so `-Xrs` plus starting with SIGTERM blocked is how to
///   learn who sent a SIGTERM.
/// - Otherwise it uses **the JVM's own handler**, `sun.misc.Signal` from module
///   `jdk.unsupported` (a JDK module, so no third-party dependency and no `--add-opens`): the
///   JVM's native handler notes the signal and its "Signal Dispatcher" thread starts a Java thread
///   that queues the event. That handler keeps nothing of the `siginfo`, so the event has the
///   signal number only: **the sender pid is missing** for every signal received this way.
///
/// In both cases the channel keeps its events in a queue, and its [SignalChannel#fd()] is a pipe
/// that holds one byte exactly while the queue is not empty, so it polls readable then, in poll(2)
/// and epoll(7) loops.
///
/// ## The JVM's own signals
///
/// Refused with the reason: SIGKILL and SIGSTOP (the kernel never lets them be caught); SIGSEGV,
/// SIGBUS, SIGFPE, SIGILL (the JVM turns faults into exceptions, stack overflow errors and
/// memory-mapped file errors with them); SIGQUIT (thread dumps); SIGUSR2, or the number in
/// `_JAVA_SR_SIGNUM` (the JVM suspends and resumes threads with it); SIGRTMAX-2 (the JDK wakes
/// threads blocked in I/O with it when a channel is closed). Signals 32 and 33 belong to glibc
/// and are no [SignalSet] members at all.
///
/// SIGHUP, SIGINT and SIGTERM normally run the JVM's shutdown (hooks, then exit status
/// 128 + N). A channel that takes them over stops that: Ctrl-C and `kill` become events, and the
/// application decides when to call `System.exit`, which still runs the hooks. Closing the channel
/// gives them back to the JVM's handler. Under `-Xrs` the JVM refuses Java handlers for the
/// three, and under `nohup` (SIGHUP ignored) it silently installs none; both are reported when
/// the channel opens.
///
/// SIGPIPE and SIGXFSZ carry HotSpot's own handlers, which ignore them so that writes fail with
/// EPIPE or EFBIG instead of killing the JVM; a channel may take them and puts those handlers back
/// when it closes.
///
/// ## Sending
///
/// [Signals#raise(Signal)] is raise(3): it signals the calling *thread*, not the process. Use
/// [Signals#kill(int, Signal)] with the process's own pid to signal the process.
package org.posix4j.signal;
