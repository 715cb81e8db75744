package org.posix4j.cli.output;

import java.util.ArrayDeque;
import java.util.Deque;

/// Builds one JSON value (RFC 8259), indented by two spaces, without a JSON library at run time.
///
/// Calls mirror the document: `beginObject().name("pid").value(42).endObject()`. Misuse (a
/// value without a name inside an object, a name inside an array, a second top-level value,
/// unclosed containers) throws [IllegalStateException] rather than producing invalid JSON.
///
/// Not thread-safe: one writer builds one document on one thread.
public final class JsonWriter {
    private static final String INDENT = "  ";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder();
    private final Deque<Scope> scopes = new ArrayDeque<>();
    private boolean topLevelWritten;

    /// An open object or array: whether it has members yet, and for an object whether a name is
    /// waiting for its value.
    private static final class Scope {
        final boolean object;
        boolean empty = true;
        boolean nameWritten;

        Scope(boolean object) {
            this.object = object;
        }
    }

    /// Creates a writer for one document.
    public JsonWriter() {}

    /// Opens an object, as a value.
    public JsonWriter beginObject() {
        beforeValue();
        out.append('{');
        scopes.push(new Scope(true));
        return this;
    }

    /// Closes the innermost object.
    ///
    /// @throws IllegalStateException if it is not an object, or a name waits for its value
    public JsonWriter endObject() {
        return end(true, '}');
    }

    /// Opens an array, as a value.
    public JsonWriter beginArray() {
        beforeValue();
        out.append('[');
        scopes.push(new Scope(false));
        return this;
    }

    /// Closes the innermost array.
    ///
    /// @throws IllegalStateException if it is not an array
    public JsonWriter endArray() {
        return end(false, ']');
    }

    /// Writes the name of the next member of the innermost object.
    ///
    /// @throws IllegalStateException outside an object, or right after another name
    public JsonWriter name(String name) {
        Scope scope = scopes.peek();
        if (scope == null || !scope.object || scope.nameWritten) {
            throw new IllegalStateException("a name belongs in an object, before its value: " + name);
        }
        separate(scope);
        quote(name, out);
        out.append(": ");
        scope.nameWritten = true;
        return this;
    }

    /// Writes a string, or null for a null `value`.
    public JsonWriter value(String value) {
        if (value == null) {
            return nullValue();
        }
        beforeValue();
        quote(value, out);
        return this;
    }

    /// Writes a number.
    public JsonWriter value(long value) {
        beforeValue();
        out.append(value);
        return this;
    }

    /// Writes true or false.
    public JsonWriter value(boolean value) {
        beforeValue();
        out.append(value);
        return this;
    }

    /// Writes null.
    public JsonWriter nullValue() {
        beforeValue();
        out.append("null");
        return this;
    }

    /// The finished document.
    ///
    /// @throws IllegalStateException if nothing was written or a container is still open
    public String toJson() {
        if (!topLevelWritten || !scopes.isEmpty()) {
            throw new IllegalStateException("the JSON document is not complete: " + out);
        }
        return out.toString();
    }

    /// Appends `s` to `sb` as a JSON string literal.
    ///
    /// Quote, backslash and the control characters U+0000 to U+001F are escaped, as JSON requires;
    /// every other character, non-ASCII included, passes through for the UTF-8 output to carry.
    /// An unpaired surrogate is escaped too: it has no UTF-8 form, so an encoder would replace it
    /// with '?' and lose it, while `\uD800` keeps it.
    public static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c)) {
                        sb.append("\\u")
                                .append(HEX[c >> 12 & 0xf])
                                .append(HEX[c >> 8 & 0xf])
                                .append(HEX[c >> 4 & 0xf])
                                .append(HEX[c & 0xf]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private JsonWriter end(boolean object, char close) {
        Scope scope = scopes.peek();
        if (scope == null || scope.object != object || scope.nameWritten) {
            throw new IllegalStateException("no " + (object ? "object" : "array") + " to close here: " + out);
        }
        scopes.pop();
        if (!scope.empty) {
            newline();
        }
        out.append(close);
        return this;
    }

    private void beforeValue() {
        Scope scope = scopes.peek();
        if (scope == null) {
            if (topLevelWritten) {
                throw new IllegalStateException("a JSON document holds one top-level value");
            }
            topLevelWritten = true;
        } else if (scope.object) {
            if (!scope.nameWritten) {
                throw new IllegalStateException("a value in an object needs a name first");
            }
            scope.nameWritten = false;
        } else {
            separate(scope);
        }
    }

    private void separate(Scope scope) {
        if (!scope.empty) {
            out.append(',');
        }
        scope.empty = false;
        newline();
    }

    private void newline() {
        out.append('\n').repeat(INDENT, scopes.size());
    }
}
