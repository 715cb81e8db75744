package org.posix4j.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/// Where audit events go. Called from the threads serving calls, possibly several at once, so
/// implementations must be thread-safe; a slow sink slows the sandboxed program.
@FunctionalInterface
public interface AuditSink {
    /// Records one event.
    void record(AuditEvent event);

    /// A sink that writes each event as one JSON line ([AuditEvent#toJson()]) to `out`, flushed
    /// per line, one writer at a time. Write errors are thrown as [UncheckedIOException], which
    /// stops the serving thread: an audit that cannot be written fails closed.
    static AuditSink jsonLines(OutputStream out) {
        return event -> {
            byte[] line = (event.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (out) {
                try {
                    out.write(line);
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the audit", e);
                }
            }
        };
    }
}
