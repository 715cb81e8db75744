package org.posix4j.syslog;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import org.posix4j.internal.CStrings;
import org.posix4j.internal.Libc;
import org.posix4j.internal.SyslogH;

/// The process's connection to the local syslog daemon, through libc's openlog(3), syslog(3),
/// setlogmask(3) and closelog(3): messages go to `/dev/log` in the format local daemons
/// (rsyslog, syslog-ng, journald) expect. Equivalent to Prosody's pposix.syslog_open,
/// syslog_log, syslog_setminlevel and syslog_close, and to Netsys_posix.openlog, syslog and
/// closelog.
///
/// The connection is process-wide state kept by libc, so this class is static: there is one
/// ident, one set of options, one default facility and one mask per process.
///
/// **Messages are text, never formats.** Every message goes out as `syslog(pri, "%s", message)`,
/// so `%` in user text arrives literally. A message is sent as one syslog message, whatever it
/// contains: a newline stays in it (rsyslog shows it as `#012`, journald keeps it, as with
/// logger(1) given such an argument); a NUL character, which a C string cannot carry, is sent as
/// the four characters `#000`, the escape rsyslog itself uses for control characters, so that
/// nothing after it is lost. Text is encoded as UTF-8.
///
/// Logging without [#open] works as with syslog(3): libc connects on the first message with
/// the program name (`java`) as ident and facility user.
///
/// **Thread safety**: every method may be called from any thread. syslog(3) is thread-safe in
/// glibc; [#open] and [#close] are serialized here so that the ident memory glibc points to is
/// freed only once glibc no longer uses it.
public final class Syslog {
    private static final MemorySegment PERCENT_S = Arena.global().allocateFrom("%s", StandardCharsets.US_ASCII);
    private static final Object LOCK = new Object();
    /// Each thread's native copy of the message it is sending, reused so that a message costs no
    /// malloc; grown when a longer message comes, released with the thread.
    private static final ThreadLocal<MemorySegment> BUFFER =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(1024));
    /// Holds the ident glibc points to; replaced by open, released by close. Guarded by LOCK.
    private static Arena identArena;
    /// The facility last given to openlog, which Facility.DEFAULT keeps: glibc cannot be asked
    /// for it. User, glibc's own default, before the first open. Guarded by LOCK.
    private static Facility openFacility = Facility.USER;

    private Syslog() {}

    /// Opens (or reopens) the log with the given ident, options and default facility:
    /// openlog(3). The ident is copied to memory that stays valid until the next `open` or
    /// [#close], since glibc keeps the pointer. With [Option#NDELAY] the connection to
    /// `/dev/log` is made now, otherwise on the first message. Equivalent to Prosody's
    /// pposix.syslog_open(name, facility) and Netsys_posix.openlog.
    ///
    /// @param ident the tag put before every message, usually the program name; null for the
    ///        program name glibc knows (`java`)
    /// @param options openlog options, possibly empty
    /// @param facility the facility of messages logged without one; [Facility#DEFAULT] keeps the
    ///        one given to the previous `open` (user before the first; a call of openlog(3)
    ///        made outside this class is not seen); [Facility#KERN] makes kern the facility with
    ///        glibc 2.36 (see [Facility#KERN])
    /// @throws IllegalArgumentException if `ident` contains a NUL character
    /// @throws NullPointerException if `options` or `facility` is null
    public static void open(String ident, Set<Option> options, Facility facility) {
        Objects.requireNonNull(options, "options is null");
        Objects.requireNonNull(facility, "facility is null");
        if (ident != null) {
            CStrings.check("ident", ident);
        }
        int bits = 0;
        for (Option o : options) {
            bits |= Objects.requireNonNull(o, "options contains null").code();
        }
        synchronized (LOCK) {
            Facility effective = facility == Facility.DEFAULT ? openFacility : facility;
            Arena arena = Arena.ofShared();
            MemorySegment id = ident == null ? MemorySegment.NULL : arena.allocateFrom(ident, StandardCharsets.UTF_8);
            try {
                if (ident == null) {
                    // openlog(NULL, ...) keeps glibc's current ident; only closelog forgets it.
                    SyslogH.CLOSELOG.call(Libc.errnoSlot());
                }
                SyslogH.OPENLOG.call(Libc.errnoSlot(), id.address(), bits, effective.code());
            } catch (Throwable t) {
                arena.close();
                throw Libc.unexpected(t);
            }
            // openlog and closelog take syslog's lock to swap the pointer: no syslog call still reads the old ident.
            if (identArena != null) {
                identArena.close();
            }
            identArena = arena;
            openFacility = effective;
        }
    }

    /// Logs `message` at `level` with the facility given to [#open]: syslog(3) with the format
    /// "%s". Equivalent to Prosody's pposix.syslog_log(level, message). Messages below the
    /// minimum level ([#setMinimumLevel]) are dropped by libc.
    ///
    /// @throws NullPointerException if `level` or `message` is null
    public static void log(Level level, String message) {
        Objects.requireNonNull(level, "level is null");
        send(level.code(), message);
    }

    /// Logs `message` at `level`, prefixed with `section` and ": ", with the facility given to
    /// [#open]: syslog(3) with the format "%s". Equivalent to Prosody's
    /// pposix.syslog_log(level, section, message), which sends "section: message".
    ///
    /// @throws NullPointerException if an argument is null
    public static void log(Level level, String section, String message) {
        Objects.requireNonNull(level, "level is null");
        Objects.requireNonNull(section, "section is null");
        Objects.requireNonNull(message, "message is null");
        send(level.code(), section + ": " + message);
    }

    /// Logs `message` at `level` with `facility` instead of the one given to [#open]: syslog(3)
    /// with `facility | level` and the format "%s". Equivalent to Netsys_posix.syslog. glibc sends
    /// [Facility#DEFAULT] and [Facility#KERN] (facility 0) as the open facility.
    ///
    /// @throws NullPointerException if an argument is null
    public static void log(Facility facility, Level level, String message) {
        Objects.requireNonNull(facility, "facility is null");
        Objects.requireNonNull(level, "level is null");
        send(facility.code() | level.code(), message);
    }

    private static void send(int priority, String message) {
        Objects.requireNonNull(message, "message is null");
        String text = message.indexOf('\0') >= 0 ? message.replace("\0", "#000") : message;
        // At most three UTF-8 bytes per UTF-16 char (a surrogate pair takes four for two), plus the NUL.
        long needed = 3L * text.length() + 1;
        MemorySegment buffer = BUFFER.get();
        if (buffer.byteSize() < needed) {
            buffer = Arena.ofAuto().allocate(Math.max(needed, 2 * buffer.byteSize()));
            BUFFER.set(buffer);
        }
        buffer.setString(0, text, StandardCharsets.UTF_8);
        try {
            SyslogH.SYSLOG.call(Libc.errnoSlot(), priority, PERCENT_S.address(), buffer.address());
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// Drops every later message less severe than `minimum`, in all threads: setlogmask(3) with
    /// `LOG_UPTO(minimum)`. Equivalent to Prosody's pposix.syslog_setminlevel. Answers the
    /// previous minimum: the least severe level the old mask let through ([Level#DEBUG] for
    /// glibc's default mask), or null if the old mask let no level through.
    ///
    /// @throws NullPointerException if `minimum` is null
    public static Level setMinimumLevel(Level minimum) {
        Objects.requireNonNull(minimum, "minimum is null");
        int old;
        try {
            old = SyslogH.SETLOGMASK.call(Libc.errnoSlot(), (1 << (minimum.code() + 1)) - 1);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
        Level least = null;
        for (Level l : Level.values()) {
            if ((old & (1 << l.code())) != 0) {
                least = l;
            }
        }
        return least;
    }

    /// Closes the connection to the daemon and forgets the ident: closelog(3). The next message
    /// reconnects with the program name as ident. Equivalent to Prosody's pposix.syslog_close and
    /// Netsys_posix.closelog. Closing a log that is not open does nothing.
    public static void close() {
        synchronized (LOCK) {
            try {
                SyslogH.CLOSELOG.call(Libc.errnoSlot());
            } catch (Throwable t) {
                throw Libc.unexpected(t);
            }
            if (identArena != null) {
                identArena.close();
                identArena = null;
            }
        }
    }
}
