package org.posix4j.broker;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.posix4j.Errno;
import org.posix4j.internal.Json;

/// One arbitrated call as the audit records it: when, who, what, the decision and the outcome.
///
/// @param time when the master answered the call
/// @param pid the calling process
/// @param tid the calling thread
/// @param syscall the syscall the program made
/// @param function the seed's function name (`openat`, `stat`...), `readlink`, or for calls the
///     master answers without a policy question `fstat` (a descriptor the program holds),
///     `kill`, `connect`, `bind`, `sendto`, `sendmsg`, `sendmmsg`, or the syscall's name
/// @param arguments the call's arguments by the seed's names (path, path1, path2, flags, mode,
///     amode; pid and signal for kill), values as String, Integer, or a list of strings
/// @param resolved the absolute paths the decision was made on, empty when none could be resolved
/// @param decision the decision
/// @param result what the call returned to the program (-1 on error)
/// @param errno the error number the program got, 0 for none; for getaddrinfo a negative
///     [AddrInfoError] code
public record AuditEvent(Instant time, int pid, int tid, String syscall, String function,
        Map<String, Object> arguments, List<String> resolved, Decision decision, long result, int errno) {

    /// Copies the collections.
    public AuditEvent {
        arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
        resolved = List.copyOf(resolved);
    }

    /// The error as an [Errno], empty for success or an errno Linux does not name.
    public Optional<Errno> errnoName() {
        return errno <= 0 ? Optional.empty() : Errno.of(errno);
    }

    /// The event as one line of JSON, without the line end: time, pid, tid, syscall, function,
    /// arguments, resolved (a string, for rename a list of two, or null), decision, result, errno
    /// (a symbol such as `"EACCES"`, or null).
    public String toJson() {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"time\":");
        Json.quote(b, time.toString());
        b.append(",\"pid\":").append(pid).append(",\"tid\":").append(tid).append(",\"syscall\":");
        Json.quote(b, syscall);
        b.append(",\"function\":");
        Json.quote(b, function);
        b.append(",\"arguments\":{");
        boolean first = true;
        for (Map.Entry<String, Object> e : arguments.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            Json.quote(b, e.getKey());
            b.append(':');
            value(b, e.getValue());
        }
        b.append("},\"resolved\":");
        if (resolved.isEmpty()) {
            b.append("null");
        } else if (resolved.size() == 1) {
            Json.quote(b, resolved.getFirst());
        } else {
            value(b, resolved);
        }
        b.append(",\"decision\":");
        Json.quote(b, decision.jsonName());
        b.append(",\"result\":").append(result).append(",\"errno\":");
        if (errno == 0) {
            b.append("null");
        } else {
            Json.quote(b, errno < 0 ? AddrInfoError.of(errno).map(Enum::name).orElse(Integer.toString(errno))
                    : errnoName().map(Errno::name).orElse(Integer.toString(errno)));
        }
        return b.append('}').toString();
    }

    private static void value(StringBuilder b, Object v) {
        switch (v) {
            case null -> b.append("null");
            case Number n -> b.append(n);
            case InetAddress a -> Json.quote(b, Endpoint.text(a));
            case Boolean bool -> b.append(bool);
            case List<?> list -> {
                b.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    value(b, list.get(i));
                }
                b.append(']');
            }
            case Set<?> set -> value(b, List.copyOf(set.stream().map(Object::toString).sorted().toList()));
            default -> Json.quote(b, v.toString());
        }
    }
}
