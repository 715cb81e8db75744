package org.posix4j.signal;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/// One signal delivered by a [SignalChannel]: slimta's `sig, sender_pid = sfd:read()`, with what
/// else the kernel told.
///
/// The details come from the kernel's `siginfo` and are present only for signals the channel
/// receives through signalfd(2) (see [SignalChannel#viaSignalfd()]); a signal that reaches the
/// channel through the JVM's signal handler carries its number alone, because the JVM's handler
/// does not pass the `siginfo` on. Even through signalfd, the sender is known only when a process
/// sent the signal: kill(2), sigqueue(3), tgkill(2), a message queue notification, or a child's
/// SIGCHLD (then the "sender" is the child whose state changed). A signal the kernel raises itself
/// (SIGPIPE after a write to a closed pipe, SIGHUP or SIGWINCH from a terminal, SIGALRM from a
/// timer) has none.
///
/// @param number the signal number, 1 to 31 or a real-time signal
/// @param code the `si_code`: [#CODE_USER] for kill(2), [#CODE_QUEUE] for sigqueue(3),
///     [#CODE_TKILL] for tgkill(2), [#CODE_KERNEL] for the kernel, CLD_* for SIGCHLD; empty when
///     the signal came through the JVM's handler
/// @param senderPid the pid of the sending process (for SIGCHLD, the child), when known
/// @param senderUid the real user id of the sending process, when known: an unsigned `uid_t`
///     held in an int, which [#toString()] prints unsigned
/// @param value the `sival_int` of a sigqueue(3) value (or of a POSIX timer or message queue
///     notification), when the signal carried one
public record SignalEvent(int number, OptionalInt code, OptionalInt senderPid, OptionalInt senderUid,
        OptionalInt value) {
    /// si_code of kill(2) and killpg(3): SI_USER.
    public static final int CODE_USER = 0;
    /// si_code of a signal the kernel sent: SI_KERNEL.
    public static final int CODE_KERNEL = 0x80;
    /// si_code of sigqueue(3): SI_QUEUE.
    public static final int CODE_QUEUE = -1;
    /// si_code of tgkill(2), and so of raise(3): SI_TKILL.
    public static final int CODE_TKILL = -6;

    /// Checks the components.
    ///
    /// @throws IllegalArgumentException if `number` is no signal number
    public SignalEvent {
        SignalSet.check(number);
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(senderPid, "senderPid");
        Objects.requireNonNull(senderUid, "senderUid");
        Objects.requireNonNull(value, "value");
    }

    /// An event that carries the signal number alone, as the JVM's handler delivers it.
    public static SignalEvent of(int number) {
        OptionalInt none = OptionalInt.empty();
        return new SignalEvent(number, none, none, none, none);
    }

    /// The standard signal, or empty for a real-time signal.
    public Optional<Signal> signal() {
        return Signal.of(number);
    }

    /// Whether this is `signal`.
    public boolean is(Signal signal) {
        return number == signal.number();
    }

    /// The components, with the sender's uid unsigned as id(1) prints it.
    @Override
    public String toString() {
        return "SignalEvent[number=" + number + ", code=" + code + ", senderPid=" + senderPid + ", senderUid="
                + (senderUid.isPresent() ? "OptionalInt[" + Integer.toUnsignedString(senderUid.getAsInt()) + "]" : senderUid)
                + ", value=" + value + "]";
    }

    /// The signal's name as [Signal#nameOf(int)] gives it, such as "SIGHUP" or "SIGRTMIN+3":
    /// the seed's `sig` string.
    public String name() {
        return Signal.nameOf(number);
    }
}
