package org.posix4j.process;

/// Real, effective and saved ids, as getresuid(2) and getresgid(2) report them.
///
/// The ids are `uid_t`/`gid_t`, unsigned 32-bit numbers held in a Java `int`: ids above
/// 2^31 - 1 read as negative ints, so print them with `Integer.toUnsignedString`, as
/// [#toString()] does.
///
/// @param real the real id
/// @param effective the effective id, which permission checks use
/// @param saved the saved set-id, which an unprivileged process may switch back to
public record ResIds(int real, int effective, int saved) {
    /// The ids as unsigned numbers, as id(1) prints them: `ResIds[real=4000000000, ...]`.
    @Override
    public String toString() {
        return "ResIds[real=" + Integer.toUnsignedString(real) + ", effective=" + Integer.toUnsignedString(effective)
                + ", saved=" + Integer.toUnsignedString(saved) + "]";
    }
}
