package org.posix4j.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.posix4j.internal.Json;

/// An audit line carries any path a program can name: every character comes back from the JSON
/// as it was, and the line is one line of valid JSON.
class AuditEventTest {

    @Test
    void everyCharacterOfAPathSurvivesTheLine() {
        StringBuilder controls = new StringBuilder();
        for (char c = 1; c < 0x20; c++) {
            controls.append(c);
        }
        List<String> paths = List.of("/tmp/quote \" backslash \\ slash /", "/tmp/" + controls,
                "/tmp/DEL \u007f C1 \u0085 separators \u2028\u2029", "/tmp/caf\u00e9 \ud83d\ude00",
                "/tmp/lone high \ud800, lone low \udc00, reversed \udc00\ud800");
        for (String path : paths) {
            AuditEvent e = new AuditEvent(Instant.EPOCH, 1, 2, "openat", "open", Map.of("path", path), List.of(path),
                    Decision.DENY, -1, 13);
            String line = e.toJson();
            assertFalse(line.contains("\n") || line.contains("\r"), line);
            Json.Obj read = (Json.Obj) Json.parse("audit", line);
            Json.Obj arguments = (Json.Obj) member(read, "arguments");
            assertEquals(path, ((Json.Str) member(arguments, "path")).value());
            assertEquals(path, ((Json.Str) member(read, "resolved")).value());
            assertEquals("EACCES", ((Json.Str) member(read, "errno")).value());
        }
        // A lone surrogate has no UTF-8 form: it is escaped, not passed through to be lost.
        AuditEvent lone = new AuditEvent(Instant.EPOCH, 1, 2, "openat", "open", Map.of("path", "/\ud800"), List.of(),
                Decision.DENY, -1, 13);
        assertTrue(lone.toJson().contains("\"/\\ud800\""), lone.toJson());
    }

    private static Json.Value member(Json.Obj o, String key) {
        return o.members().stream().filter(m -> m.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError(key + " missing from " + o)).value();
    }
}
