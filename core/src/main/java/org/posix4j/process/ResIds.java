package org.posix4j.process;

/// Real, effective and saved ids, as getresuid(2) and getresgid(2) report them.
///
/// @param real the real id
/// @param effective the effective id, which permission checks use
/// @param saved the saved set-id, which an unprivileged process may switch back to
public record ResIds(int real, int effective, int saved) {}
