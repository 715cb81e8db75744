package org.posix4j.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/// A strict JSON reader (RFC 8259: no comments, no trailing commas, no duplicate keys) whose
/// values remember the line they start on, so that whoever checks them against a schema can
/// name the line; and the string quoting for writing it back. Small on purpose: the library has
/// no dependencies.
public final class Json {
    private static final int MAX_DEPTH = 64;

    /// A parsed value and the line (from 1) it starts on.
    public sealed interface Value permits Obj, Arr, Str, Bool, Num, Null {
        /// The line the value starts on.
        int line();
    }

    /// One `"key": value` of an object, with the line of its key.
    ///
    /// @param key the key
    /// @param line the line of the key
    /// @param value the value
    public record Member(String key, int line, Value value) {}

    /// An object, its members in the order written.
    ///
    /// @param line the line of `{`
    /// @param members the members
    public record Obj(int line, List<Member> members) implements Value {}

    /// An array.
    ///
    /// @param line the line of `[`
    /// @param items the items
    public record Arr(int line, List<Value> items) implements Value {}

    /// A string, unescaped.
    ///
    /// @param line its line
    /// @param value the string
    public record Str(int line, String value) implements Value {}

    /// `true` or `false`.
    ///
    /// @param line its line
    /// @param value the boolean
    public record Bool(int line, boolean value) implements Value {}

    /// A number, as written.
    ///
    /// @param line its line
    /// @param text the number's text
    public record Num(int line, String text) implements Value {}

    /// `null`.
    ///
    /// @param line its line
    public record Null(int line) implements Value {}

    private final String name;
    private final String text;
    private int pos;
    private int line = 1;
    private int lineStart;

    private Json(String name, String text) {
        this.name = name;
        this.text = text;
    }

    /// Parses `text`, one JSON value with nothing but white space around it.
    ///
    /// @param name what to call the text in messages (a file name)
    /// @throws IllegalArgumentException at the first syntax error, as `NAME:LINE:COLUMN: what`
    public static Value parse(String name, String text) {
        Json j = new Json(name, text);
        j.space();
        Value v = j.value(0);
        j.space();
        if (j.pos < text.length()) {
            throw j.error("unexpected " + j.describe() + " after the value");
        }
        return v;
    }

    /// `s` as a JSON string literal, quotes included ([#quote(StringBuilder, String)]).
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        quote(b, s);
        return b.toString();
    }

    /// Appends `s` to `b` as a JSON string literal. Quote, backslash and the control characters
    /// U+0000 to U+001F are escaped, as JSON requires; every other character, non-ASCII included,
    /// passes through for a UTF-8 output to carry. An unpaired surrogate is escaped too: it has
    /// no UTF-8 form, so an encoder would replace it with '?' and lose it, while `\uD800` keeps it.
    public static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private Value value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH);
        }
        if (pos >= text.length()) {
            throw error("unexpected end of file, expected a value");
        }
        int at = line;
        char c = text.charAt(pos);
        switch (c) {
            case '{' -> {
                return object(depth);
            }
            case '[' -> {
                return array(depth);
            }
            case '"' -> {
                return new Str(at, string());
            }
            default -> {
                if (text.startsWith("true", pos)) {
                    pos += 4;
                    return new Bool(at, true);
                }
                if (text.startsWith("false", pos)) {
                    pos += 5;
                    return new Bool(at, false);
                }
                if (text.startsWith("null", pos)) {
                    pos += 4;
                    return new Null(at);
                }
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return new Num(at, number());
                }
                throw error("unexpected " + describe() + ", expected a value");
            }
        }
    }

    private Obj object(int depth) {
        int at = line;
        pos++;
        List<Member> members = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        space();
        if (peek('}')) {
            pos++;
            return new Obj(at, members);
        }
        while (true) {
            space();
            if (!peek('"')) {
                throw error("unexpected " + describe() + ", expected a key in quotes");
            }
            int keyLine = line;
            int keyPos = pos;
            String key = string();
            if (!keys.add(key)) {
                pos = keyPos;
                throw error("duplicate key " + quote(key));
            }
            space();
            expect(':');
            space();
            members.add(new Member(key, keyLine, value(depth + 1)));
            space();
            if (peek(',')) {
                pos++;
            } else if (peek('}')) {
                pos++;
                return new Obj(at, members);
            } else {
                throw error("unexpected " + describe() + ", expected ',' or '}'");
            }
        }
    }

    private Arr array(int depth) {
        int at = line;
        pos++;
        List<Value> items = new ArrayList<>();
        space();
        if (peek(']')) {
            pos++;
            return new Arr(at, items);
        }
        while (true) {
            space();
            items.add(value(depth + 1));
            space();
            if (peek(',')) {
                pos++;
            } else if (peek(']')) {
                pos++;
                return new Arr(at, items);
            } else {
                throw error("unexpected " + describe() + ", expected ',' or ']'");
            }
        }
    }

    private String string() {
        pos++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unexpected end of file in a string");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return b.toString();
            }
            if (c < 0x20) {
                throw error("a control character in a string (write it as an escape such as \\n)");
            }
            if (c != '\\') {
                b.append(c);
                pos++;
                continue;
            }
            if (pos + 1 >= text.length()) {
                throw error("unexpected end of file in a string");
            }
            char e = text.charAt(pos + 1);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (pos + 6 > text.length()) {
                        throw error("\\u needs four hexadecimal digits");
                    }
                    try {
                        b.append((char) Integer.parseInt(text.substring(pos + 2, pos + 6), 16));
                    } catch (NumberFormatException bad) {
                        throw error("\\u needs four hexadecimal digits");
                    }
                    pos += 4;
                }
                default -> throw error("unknown escape \\" + e);
            }
            pos += 2;
        }
    }

    private String number() {
        int start = pos;
        if (peek('-')) {
            pos++;
        }
        if (peek('0')) {
            pos++;
        } else if (!digits()) {
            throw error("a number needs digits");
        }
        if (peek('.')) {
            pos++;
            if (!digits()) {
                throw error("a number needs digits after '.'");
            }
        }
        if (peek('e') || peek('E')) {
            pos++;
            if (peek('+') || peek('-')) {
                pos++;
            }
            if (!digits()) {
                throw error("a number needs digits in its exponent");
            }
        }
        return text.substring(start, pos);
    }

    private boolean digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    /// Skips white space, counting lines; JSON has newlines nowhere else (not raw in strings).
    private void space() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                line++;
                lineStart = pos + 1;
            } else if (c != ' ' && c != '\t' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("unexpected " + describe() + ", expected '" + c + "'");
        }
        pos++;
    }

    private String describe() {
        if (pos >= text.length()) {
            return "end of file";
        }
        int cp = text.codePointAt(pos);
        return cp < 0x20 ? String.format("character U+%04X", cp) : "'" + Character.toString(cp) + "'";
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(name + ":" + line + ":" + (pos - lineStart + 1) + ": " + what);
    }
}
