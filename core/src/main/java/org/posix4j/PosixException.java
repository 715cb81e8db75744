package org.posix4j;

import java.io.IOException;
import java.util.Optional;

/// A system call or libc function failed: which function, which error number, and what it acted on.
///
/// The message reads like the shell's: `setuid(12345): Operation not permitted [EPERM]`. The raw
/// error number is always kept, even when Linux has no name for it. Test the kind of failure with
/// [#errno()] or the predicates ([#isPermission()], [#isNotFound()]) rather than by parsing the
/// message.
///
/// **Debug output.** Every PosixException is logged when it is created, at `DEBUG`, to the
/// `System.Logger` named [#LOGGER_NAME] (`org.posix4j`): enable that logger (with
/// java.util.logging, `org.posix4j.level = FINE` and a handler at that level) to see each
/// failed call with its errno as it happens, even where the caller catches it. This replaces
/// Netsys_posix's `Debug` module (`Debug.enable := true`). Calls that succeed are not logged.
public final class PosixException extends IOException {
    /// The name of the `System.Logger` that failed calls are logged to at `DEBUG`.
    public static final String LOGGER_NAME = "org.posix4j";

    private static final long serialVersionUID = 1L;

    private final String function;
    private final int errnoValue;
    private final String subject;

    /// Creates an exception for `function` failing with `errnoValue` on `subject`.
    ///
    /// @param function the libc function or system call, such as "setuid"
    /// @param errnoValue the error number the call reported
    /// @param subject what the call acted on, for the message; may be empty, never null
    public PosixException(String function, int errnoValue, String subject) {
        super(message(function, errnoValue, subject));
        this.function = function;
        this.errnoValue = errnoValue;
        this.subject = subject;
        System.Logger logger = Debug.LOGGER;
        if (logger.isLoggable(System.Logger.Level.DEBUG)) {
            logger.log(System.Logger.Level.DEBUG, getMessage());
        }
    }

    /// Holds the logger, looked up on the first failure rather than when the class loads, so
    /// that a LoggerFinder being set up is never asked for a logger by its own failures.
    private static final class Debug {
        static final System.Logger LOGGER = System.getLogger(LOGGER_NAME);
    }

    /// Creates an exception for `function` failing with `errno` on `subject`.
    public PosixException(String function, Errno errno, String subject) {
        this(function, errno.number(), subject);
    }

    private static String message(String function, int number, String subject) {
        Errno e = Errno.lookup(number);
        String text = e == null ? "Unknown error " + number : e.description();
        String symbol = e == null ? "errno " + number : e.name();
        return function + "(" + subject + "): " + text + " [" + symbol + "]";
    }

    /// The failing libc function or system call, such as "setuid".
    public String function() {
        return function;
    }

    /// The raw error number, whether or not Linux names it.
    public int errnoValue() {
        return errnoValue;
    }

    /// The error, or empty for a number Linux has no name for.
    public Optional<Errno> errno() {
        return Errno.of(errnoValue);
    }

    /// Whether the error is exactly `e`.
    public boolean is(Errno e) {
        return errnoValue == e.number();
    }

    /// What the call acted on, as shown in the message (a path, a pid, a user name...).
    public String subject() {
        return subject;
    }

    /// Whether the caller lacked a privilege or permission (EPERM, EACCES).
    public boolean isPermission() {
        return errno().map(Errno::isPermission).orElse(false);
    }

    /// Whether the object did not exist (ENOENT, ESRCH, ENXIO, ENODEV).
    public boolean isNotFound() {
        return errno().map(Errno::isNotFound).orElse(false);
    }
}
