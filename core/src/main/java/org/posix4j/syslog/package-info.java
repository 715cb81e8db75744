/// Logging to the local syslog daemon through libc's syslog(3): [org.posix4j.syslog.Syslog] for
/// direct use (Prosody's pposix.syslog_*, Netsys_posix.openlog/syslog/closelog), a
/// java.util.logging handler ([org.posix4j.syslog.SyslogHandler]) and an opt-in
/// [System.LoggerFinder] ([org.posix4j.syslog.SyslogLoggerFinder]) so that existing code logs to
/// syslog by configuration only.
package org.posix4j.syslog;
