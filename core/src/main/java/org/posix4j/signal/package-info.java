/// Signals: names and numbers, sending (kill, killpg, raise, sigqueue), and signal channels that
/// deliver signals as events (slimta's signalfd helpers).
package org.posix4j.signal;
