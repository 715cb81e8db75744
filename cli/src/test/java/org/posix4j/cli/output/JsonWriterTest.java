package org.posix4j.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/// The writer's output, read back by an independent parser (Jackson).
class JsonWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String everyAsciiCharacter() {
        StringBuilder sb = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            sb.append(c);
        }
        return sb.toString();
    }

    @Test
    void stringsSurviveTheRoundTrip() throws Exception {
        List<String> strings = List.of(
                "",
                "plain",
                "quote \" backslash \\ slash /",
                everyAsciiCharacter(),
                "h\u00e9llo w\u00f6rld \u2713 \u65e5\u672c",
                "emoji \ud83d\ude00 pair",
                "lone high \ud800 and lone low \udc00 and reversed \udc00\ud800",
                "line separators \u2028\u2029, DEL \u007f, C1 \u0085");
        JsonWriter w = new JsonWriter().beginArray();
        strings.forEach(w::value);
        String json = w.endArray().toJson();

        JsonNode read = JSON.readTree(json);
        assertEquals(strings.size(), read.size());
        for (int i = 0; i < strings.size(); i++) {
            assertEquals(strings.get(i), read.get(i).asText(), "string " + i);
        }
        for (char c : json.toCharArray()) {
            assertFalse(c < 0x20 && c != '\n', () -> "raw control character " + (int) c + " in " + json);
        }
        assertTrue(json.contains("\u65e5\u672c") && json.contains("\ud83d\ude00"), "non-ASCII passes through");
        assertTrue(json.contains("\\u0000\\u0001") && json.contains("\\b\\t\\n\\u000b\\f\\r"), json);
        assertTrue(json.contains("\\ud800 and lone low \\udc00 and reversed \\udc00\\ud800"), json);
    }

    @Test
    void namesAreEscapedLikeStrings() throws Exception {
        String name = "tab\there \"quoted\" \u0001";
        JsonNode read = JSON.readTree(new JsonWriter().beginObject().name(name).value(1).endObject().toJson());
        assertEquals(1, read.get(name).asInt());
    }

    @Test
    void nestedValuesAreIndentedAndParse() throws Exception {
        String json = new JsonWriter().beginObject()
                .name("min").value(Long.MIN_VALUE)
                .name("max").value(Long.MAX_VALUE)
                .name("yes").value(true)
                .name("no").value(false)
                .name("nothing").nullValue()
                .name("absent").value((String) null)
                .name("empty object").beginObject().endObject()
                .name("empty array").beginArray().endArray()
                .name("list").beginArray().value(1).beginObject().name("a").value("b").endObject().endArray()
                .endObject()
                .toJson();
        assertEquals("""
                {
                  "min": -9223372036854775808,
                  "max": 9223372036854775807,
                  "yes": true,
                  "no": false,
                  "nothing": null,
                  "absent": null,
                  "empty object": {},
                  "empty array": [],
                  "list": [
                    1,
                    {
                      "a": "b"
                    }
                  ]
                }""", json);
        assertEquals(JSON.readTree("""
                {"min": -9223372036854775808, "max": 9223372036854775807, "yes": true, "no": false,
                 "nothing": null, "absent": null, "empty object": {}, "empty array": [],
                 "list": [1, {"a": "b"}]}"""), JSON.readTree(json));
    }

    @Test
    void misuseIsRefusedRatherThanWrittenAsBrokenJson() {
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().value(1));
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginArray().name("a"));
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().name("a").name("b"));
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().name("a").endObject());
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().endArray());
        assertThrows(IllegalStateException.class, () -> new JsonWriter().endObject());
        assertThrows(IllegalStateException.class, () -> new JsonWriter().value(1).value(2));
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginArray().toJson());
        assertThrows(IllegalStateException.class, () -> new JsonWriter().toJson());
    }
}
