/// Structured logging to the systemd journal through journald's native protocol, without
/// libsystemd: [org.posix4j.journal.JournalEntry] builds an entry of `NAME=value` fields and
/// [org.posix4j.journal.Journal] sends it as sd_journal_send(3) does (a datagram, or a sealed
/// memfd for large entries). [org.posix4j.journal.SystemdJournalHandler] is a java.util.logging
/// handler, and [org.posix4j.journal.SystemdJournalLogger] the [System.Logger] that
/// [org.posix4j.syslog.SyslogLoggerFinder] hands out when the property `posix4j.journal` is set.
package org.posix4j.journal;
