package org.posix4j.signal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/// An immutable set of signals, standard (1 to 31) and real-time ([Signal#SIGRTMIN] to
/// [Signal#SIGRTMAX]), built from [Signal] constants, names or numbers. Signals 32 and 33 are
/// refused: glibc keeps them for itself.
///
/// Equivalent to slimta's `signalfd.mask({"SIGHUP", "SIGINT", ...})`: `SignalSet.of("SIGHUP",
/// "SIGINT")`. The set is stored as the kernel stores a signal mask, one bit per signal (bit N - 1
/// for signal N), which is also how `/proc/PID/status` prints its `SigBlk`, `SigCgt`, `SigIgn` and
/// `SigPnd` lines: [#fromKernelMask(long)] and [#kernelMask()] convert.
///
/// Thread safety: immutable.
public final class SignalSet {
    private static final long GLIBC_RESERVED = (1L << 31) | (1L << 32);
    private static final SignalSet EMPTY = new SignalSet(0);

    private final long mask;

    private SignalSet(long mask) {
        this.mask = mask;
    }

    /// The empty set.
    public static SignalSet empty() {
        return EMPTY;
    }

    /// The set of `signals`.
    ///
    /// @throws NullPointerException if a signal is null
    public static SignalSet of(Signal... signals) {
        long m = 0;
        for (Signal s : signals) {
            m |= bit(Objects.requireNonNull(s, "signals contains null").number());
        }
        return new SignalSet(m);
    }

    /// The set of the signals called `names`, each read by [Signal#numberOf(String)]: "SIGHUP",
    /// "HUP", "SIGRTMIN+3". Equivalent to slimta's `signalfd.mask`.
    ///
    /// @throws IllegalArgumentException naming the argument for a name that is no signal
    public static SignalSet of(String... names) {
        long m = 0;
        for (String n : names) {
            m |= bit(Signal.numberOf(Objects.requireNonNull(n, "names contains null")));
        }
        return new SignalSet(m);
    }

    /// The set of the signals numbered `numbers`.
    ///
    /// @throws IllegalArgumentException naming the argument for a number outside 1..31 and 34..64
    public static SignalSet ofNumbers(int... numbers) {
        long m = 0;
        for (int n : numbers) {
            m |= bit(check(n));
        }
        return new SignalSet(m);
    }

    /// The set whose kernel mask is `kernelMask`: bit N - 1 stands for signal N, as in the
    /// hexadecimal `Sig*` lines of `/proc/PID/status`.
    ///
    /// @throws IllegalArgumentException if bit 31 or 32 (signals 32 and 33, glibc's) is set
    public static SignalSet fromKernelMask(long kernelMask) {
        if ((kernelMask & GLIBC_RESERVED) != 0) {
            throw new IllegalArgumentException("kernelMask contains signal 32 or 33, which glibc keeps for itself: 0x"
                    + Long.toHexString(kernelMask));
        }
        return new SignalSet(kernelMask);
    }

    static int check(int number) {
        if (number < 1 || number > Signal.SIGRTMAX || number == 32 || number == 33) {
            throw new IllegalArgumentException("signal number must be within 1..31 or " + Signal.SIGRTMIN + ".."
                    + Signal.SIGRTMAX + " (32 and 33 belong to glibc): " + number);
        }
        return number;
    }

    private static long bit(int number) {
        return 1L << (number - 1);
    }

    /// The kernel mask of this set: bit N - 1 for signal N.
    public long kernelMask() {
        return mask;
    }

    /// Whether signal `number` is in the set; false for any number that is no signal.
    public boolean contains(int number) {
        return number >= 1 && number <= Signal.SIGRTMAX && (mask & bit(number)) != 0;
    }

    /// Whether `signal` is in the set.
    public boolean contains(Signal signal) {
        return contains(signal.number());
    }

    /// Whether every signal of `other` is in this set.
    public boolean containsAll(SignalSet other) {
        return (other.mask & ~mask) == 0;
    }

    /// The number of signals in the set.
    public int size() {
        return Long.bitCount(mask);
    }

    /// Whether the set is empty.
    public boolean isEmpty() {
        return mask == 0;
    }

    /// This set with `signals` added.
    public SignalSet with(Signal... signals) {
        return union(of(signals));
    }

    /// This set with the signals numbered `numbers` added.
    ///
    /// @throws IllegalArgumentException naming the argument for a number outside 1..31 and 34..64
    public SignalSet with(int... numbers) {
        return union(ofNumbers(numbers));
    }

    /// This set without `signals`.
    public SignalSet without(Signal... signals) {
        return minus(of(signals));
    }

    /// The signals in this set or in `other`.
    public SignalSet union(SignalSet other) {
        return new SignalSet(mask | other.mask);
    }

    /// The signals in both this set and `other`.
    public SignalSet intersection(SignalSet other) {
        return new SignalSet(mask & other.mask);
    }

    /// The signals in this set and not in `other`.
    public SignalSet minus(SignalSet other) {
        return new SignalSet(mask & ~other.mask);
    }

    /// The signal numbers, in increasing order.
    public int[] numbers() {
        int[] result = new int[size()];
        long m = mask;
        for (int i = 0; m != 0; i++) {
            result[i] = Long.numberOfTrailingZeros(m) + 1;
            m &= m - 1;
        }
        return result;
    }

    /// The names of the signals, in increasing order of number, as [Signal#nameOf(int)] gives them.
    public List<String> names() {
        List<String> names = new ArrayList<>(size());
        for (int n : numbers()) {
            names.add(Signal.nameOf(n));
        }
        return List.copyOf(names);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignalSet s && s.mask == mask;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(mask);
    }

    /// The names in brackets, such as `[SIGHUP, SIGRTMIN+3]`.
    @Override
    public String toString() {
        return names().toString();
    }
}
