/// Logback appenders on posix4j: [org.posix4j.logback.SyslogAppender] sends to the local syslog
/// daemon through /dev/log (syslog(3)), [org.posix4j.logback.JournalAppender] to the systemd
/// journal through its native protocol, with MDC entries, key-value pairs and markers as fields.
/// The JVM needs native access for posix4j (`--enable-native-access=ALL-UNNAMED` on the class
/// path).
package org.posix4j.logback;
