package org.posix4j.spawn;

import java.util.Optional;
import org.posix4j.signal.Signal;

/// How a process ended: it exited with a code, or a signal killed it. Equivalent to OCaml's
/// `Unix.process_status` as `Netsys_posix.get_subprocess_status` returns it (without
/// `WSTOPPED`: posix4j reports ends, not stops).
///
/// Read from the `siginfo_t` that waitid(2) fills in: `si_code` CLD_EXITED gives [Exited],
/// CLD_KILLED and CLD_DUMPED give [Signaled].
///
/// Thread safety: immutable.
public sealed interface ExitStatus {
    /// The status as a shell reports it in `$?`: the exit code, or 128 + N for signal N. This is
    /// also what `java.lang.Process.exitValue()` answers for a killed process.
    int shellCode();

    /// Whether the process exited with code 0.
    default boolean success() {
        return this instanceof Exited(int code) && code == 0;
    }

    /// The process called exit(3) or returned from main (CLD_EXITED).
    ///
    /// @param code the exit code, 0 to 255
    record Exited(int code) implements ExitStatus {
        /// Checks the code.
        ///
        /// @throws IllegalArgumentException if `code` is outside 0..255
        public Exited {
            if (code < 0 || code > 255) {
                throw new IllegalArgumentException("code must be within 0..255: " + code);
            }
        }

        @Override
        public int shellCode() {
            return code;
        }
    }

    /// A signal ended the process (CLD_KILLED, or CLD_DUMPED when it also dumped core).
    ///
    /// @param signal the signal number, 1 to 64 (real-time signals included)
    /// @param coreDumped whether the kernel wrote a core dump
    record Signaled(int signal, boolean coreDumped) implements ExitStatus {
        /// Checks the signal number.
        ///
        /// @throws IllegalArgumentException if `signal` is outside 1..64
        public Signaled {
            if (signal < 1 || signal > 64) {
                throw new IllegalArgumentException("signal must be within 1..64: " + signal);
            }
        }

        @Override
        public int shellCode() {
            return 128 + signal;
        }

        /// The signal as a [Signal] constant, or empty for a real-time signal.
        public Optional<Signal> knownSignal() {
            return Signal.of(signal);
        }
    }
}
