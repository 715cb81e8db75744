package org.posix4j.cli.command;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.posix4j.signal.Signal;
import org.posix4j.spawn.Spawn;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/// The value types of `posix4j run`'s options and picocli's converters for them. A converter's
/// [TypeConversionException] becomes a usage error (exit code 2) naming the option.
final class RunArguments {
    private RunArguments() {}

    /// The value of `--env`: a variable for the program's environment.
    ///
    /// @param name its name, not empty and without '='
    /// @param value its value, which may hold '=' and be empty
    record Variable(String name, String value) {}

    /// `NAME=VALUE`, split at the first '=', as env(1) splits it.
    static final class VariableConverter implements ITypeConverter<Variable> {
        @Override
        public Variable convert(String text) {
            int eq = text.indexOf('=');
            if (eq < 0) {
                throw new TypeConversionException("'" + text + "' is not NAME=VALUE");
            }
            if (eq == 0) {
                throw new TypeConversionException("the name is empty in '" + text + "'");
            }
            return new Variable(text.substring(0, eq), text.substring(eq + 1));
        }
    }

    /// A descriptor number for `--keep-fd`.
    static final class DescriptorConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            int fd;
            try {
                fd = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + text + "' is not a descriptor number");
            }
            if (fd < 0) {
                throw new TypeConversionException("a descriptor is not negative: " + fd);
            }
            return fd;
        }
    }

    /// The value of `--pgroup`: a new group led by the program, or an existing group to join.
    ///
    /// @param existing the group to join, or empty for a new group
    record GroupChoice(OptionalInt existing) {
        /// Whether the program leads a new group of its own.
        boolean isNew() {
            return existing.isEmpty();
        }
    }

    /// `new`, or a positive process group id.
    static final class GroupConverter implements ITypeConverter<GroupChoice> {
        @Override
        public GroupChoice convert(String value) {
            if (value.equals("new")) {
                return new GroupChoice(OptionalInt.empty());
            }
            int pgid;
            try {
                pgid = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is neither 'new' nor a process group id");
            }
            if (pgid <= 0) {
                throw new TypeConversionException("a process group id is positive: " + value);
            }
            return new GroupChoice(OptionalInt.of(pgid));
        }
    }

    /// A signal by name ("TERM", "SIGTERM", "term") or number (1 to 31), which the program may
    /// have ignored or set to its default action: not SIGKILL or SIGSTOP, whose actions cannot
    /// be changed (sigaction(2) refuses them with EINVAL).
    static class SignalConverter implements ITypeConverter<Signal> {
        @Override
        public Signal convert(String value) {
            Signal signal;
            if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
                signal = Signal.of(value.length() > 2 ? 0 : Integer.parseInt(value))
                        .orElseThrow(() -> new TypeConversionException("no signal has number " + value
                                + " (1 to 31; real-time signals are not supported)"));
            } else {
                try {
                    signal = Signal.byName(value);
                } catch (IllegalArgumentException e) {
                    throw new TypeConversionException("no signal is called " + value);
                }
            }
            if (signal == Signal.KILL || signal == Signal.STOP) {
                throw new TypeConversionException(signal.cName() + "'s action cannot be changed");
            }
            return signal;
        }
    }

    /// A signal for `--ignore-signal`: also not one that posix4j's spawn refuses to have ignored
    /// (SIGCHLD, and those the JVM needs its handlers for), with the library's reason.
    static final class IgnorableSignalConverter extends SignalConverter {
        @Override
        public Signal convert(String value) {
            Signal signal = super.convert(value);
            try {
                // The builder checks the signal and nothing else; it starts nothing.
                Spawn.program("posix4j-run-check").ignoreSignal(signal);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
            return signal;
        }
    }

    /// A time as timeout(1) writes it: a non-negative decimal number with an optional unit, `s`
    /// (seconds, the default), `m` (minutes), `h` (hours) or `d` (days), such as "2", "0.5" or
    /// "1.5m". A time longer than [Duration] can count in nanoseconds (292 years) is that.
    static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern TIME = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)([smhd]?)");
        private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

        @Override
        public Duration convert(String value) {
            Matcher m = TIME.matcher(value);
            if (!m.matches()) {
                throw new TypeConversionException("'" + value
                        + "' is not a time: a number of seconds, or a number with unit s, m, h or d");
            }
            long unitSeconds = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "m" -> 60;
                case "h" -> 3600;
                case "d" -> 86_400;
                default -> 1;
            };
            BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitSeconds))
                    .movePointRight(9).setScale(0, RoundingMode.CEILING);
            return Duration.ofNanos(nanos.min(MAX_NANOS).longValueExact());
        }
    }
}
