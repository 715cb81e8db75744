package org.posix4j.process;

/// One value of a resource limit: a number, or unlimited (RLIM_INFINITY).
///
/// Unlimited is its own value, never a magic number: `Limit.UNLIMITED`, not -1 or
/// `Long.MAX_VALUE`.
public sealed interface Limit {
    /// No limit: RLIM_INFINITY.
    Limit UNLIMITED = Unlimited.INSTANCE;

    /// A finite limit.
    ///
    /// @throws IllegalArgumentException if `value` is negative
    static Limit of(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + value + " (use Limit.UNLIMITED)");
        }
        return new Finite(value);
    }

    /// Parses "unlimited" (also "infinity") or a decimal number, as prlimit(1) prints them.
    ///
    /// @throws IllegalArgumentException for anything else
    static Limit parse(String text) {
        if (text.equalsIgnoreCase("unlimited") || text.equalsIgnoreCase("infinity")) {
            return UNLIMITED;
        }
        try {
            return of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit must be a number or \"unlimited\": " + text, e);
        }
    }

    /// Whether this is [#UNLIMITED].
    boolean isUnlimited();

    /// The number.
    ///
    /// @throws IllegalStateException for [#UNLIMITED]
    long value();

    /// A finite limit.
    ///
    /// @param value the limit, not negative
    record Finite(long value) implements Limit {
        /// Checks the value.
        public Finite {
            if (value < 0) {
                throw new IllegalArgumentException("limit must not be negative: " + value);
            }
        }

        @Override
        public boolean isUnlimited() {
            return false;
        }

        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    /// No limit.
    enum Unlimited implements Limit {
        /// The one value.
        INSTANCE;

        @Override
        public boolean isUnlimited() {
            return true;
        }

        @Override
        public long value() {
            throw new IllegalStateException("the limit is unlimited");
        }

        @Override
        public String toString() {
            return "unlimited";
        }
    }
}
