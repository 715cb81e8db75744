package org.posix4j.journal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.posix4j.PosixException;
import org.posix4j.syslog.Level;

/// One structured journal entry: an ordered list of `NAME=value` fields, built here and sent by
/// [Journal#send(JournalEntry)] (or [#send()], through the process's own connection), as
/// sd_journal_send(3) sends its arguments.
///
/// Field names follow journald's rules and are checked when a field is added, before any I/O:
/// 1 to 64 characters among `A`-`Z`, `0`-`9` and `_`, not starting with a digit, and not with
/// `_`, which marks the fields journald itself adds (`_PID`, `_UID`, `_TRANSPORT`...). A name
/// may be given several times: journald keeps every value.
///
/// Values are bytes; a `String` value is encoded as UTF-8. Any byte is allowed: a value
/// containing a newline is sent in journald's length-prefixed form (the name, a newline, the
/// length as 64-bit little-endian, the bytes, a newline), as sd_journal_sendv does; any other
/// value, NUL and other binary bytes included, as `NAME=value` and a newline.
///
/// Without a [#SYSLOG_IDENTIFIER], the entry is sent with the program's short name (`java` for the
/// `java` launcher) as identifier, as sd_journal_send does with `program_invocation_short_name`.
///
/// Not thread-safe: build an entry in one thread. A built entry may be sent from any thread and
/// as often as wanted.
public final class JournalEntry {
    /// The human-readable message.
    public static final String MESSAGE = "MESSAGE";
    /// The syslog severity, `0` (emerg) to `7` (debug).
    public static final String PRIORITY = "PRIORITY";
    /// The program's tag, as syslog's ident.
    public static final String SYSLOG_IDENTIFIER = "SYSLOG_IDENTIFIER";
    /// The source file that logged.
    public static final String CODE_FILE = "CODE_FILE";
    /// The source line that logged.
    public static final String CODE_LINE = "CODE_LINE";
    /// The function (for Java, `Class.method`) that logged.
    public static final String CODE_FUNC = "CODE_FUNC";
    /// The longest field name journald accepts.
    public static final int NAME_MAX = 64;

    /// The identifier sd_journal_send adds when the caller gives none: the base name of argv[0]
    /// (`java` for the launcher), or none if that is unknown or holds control characters.
    private static final byte[] DEFAULT_IDENTIFIER = ProcessHandle.current().info().command()
            .map(c -> Path.of(c).getFileName().toString())
            .filter(n -> n.chars().noneMatch(ch -> ch < 0x20 || ch == 0x7f))
            .map(n -> n.getBytes(StandardCharsets.UTF_8))
            .orElse(null);

    private record Field(String name, byte[] value) {}

    private final List<Field> fields = new ArrayList<>();

    /// An empty entry.
    public JournalEntry() {}

    /// An entry with `MESSAGE` set to `message`.
    ///
    /// @throws NullPointerException if `message` is null
    public static JournalEntry of(String message) {
        return new JournalEntry().message(message);
    }

    /// Sets `MESSAGE` (replacing an earlier one). A message may span lines.
    ///
    /// @throws NullPointerException if `message` is null
    public JournalEntry message(String message) {
        return set(MESSAGE, utf8(MESSAGE, message));
    }

    /// Sets `PRIORITY` to the level's number, 0 for emerg to 7 for debug (replacing an earlier one).
    ///
    /// @throws NullPointerException if `priority` is null
    public JournalEntry priority(Level priority) {
        Objects.requireNonNull(priority, "priority is null");
        return set(PRIORITY, ascii(Integer.toString(priority.code())));
    }

    /// Sets `SYSLOG_IDENTIFIER` (replacing an earlier one): the tag journalctl shows and
    /// `journalctl -t` selects.
    ///
    /// @throws NullPointerException if `identifier` is null
    public JournalEntry identifier(String identifier) {
        return set(SYSLOG_IDENTIFIER, utf8(SYSLOG_IDENTIFIER, identifier));
    }

    /// Sets `CODE_FILE`, `CODE_LINE` and `CODE_FUNC` (replacing earlier ones), as the C macro
    /// sd_journal_send does with `__FILE__`, `__LINE__` and `__func__`. A null `file` or
    /// `function`, or a `line` of 0 or less, leaves that field out.
    public JournalEntry codeLocation(String file, int line, String function) {
        remove(CODE_FILE);
        remove(CODE_LINE);
        remove(CODE_FUNC);
        if (file != null) {
            fields.add(new Field(CODE_FILE, file.getBytes(StandardCharsets.UTF_8)));
        }
        if (line > 0) {
            fields.add(new Field(CODE_LINE, ascii(Integer.toString(line))));
        }
        if (function != null) {
            fields.add(new Field(CODE_FUNC, function.getBytes(StandardCharsets.UTF_8)));
        }
        return this;
    }

    /// Adds the field `name` with `value` encoded as UTF-8, after the fields already added (a
    /// name may repeat).
    ///
    /// @throws IllegalArgumentException naming the field if `name` is not a valid user field name
    ///     (see [#checkFieldName(String)])
    /// @throws NullPointerException if `value` is null
    public JournalEntry field(String name, String value) {
        checkFieldName(name);
        fields.add(new Field(name, utf8(name, value)));
        return this;
    }

    /// Adds the field `name` with the bytes of `value` (copied), which may be any bytes.
    ///
    /// @throws IllegalArgumentException naming the field if `name` is not a valid user field name
    /// @throws NullPointerException if `value` is null
    public JournalEntry field(String name, byte[] value) {
        checkFieldName(name);
        Objects.requireNonNull(value, () -> "value of field " + name + " is null");
        fields.add(new Field(name, value.clone()));
        return this;
    }

    /// Sends this entry through the process's connection to the system journal, which is opened
    /// on first use and kept open for the life of the process, as libsystemd keeps its own.
    /// sd_journal_send(3).
    ///
    /// @return true once sent; false if no journal listens at [Journal#SOCKET] (ENOENT), as
    ///     sd_journal_send succeeds silently then
    /// @throws PosixException as [Journal#send(JournalEntry)]
    public boolean send() throws PosixException {
        return Journal.process().send(this);
    }

    /// Whether `name` is a valid name for a field given by a program: 1 to [#NAME_MAX]
    /// characters among `A`-`Z`, `0`-`9` and `_`, not starting with a digit or `_`. journald's
    /// own rule (journal_field_valid without protected fields).
    public static boolean isValidFieldName(String name) {
        return name != null && problem(name) == null;
    }

    /// A valid field name made from `key`, an arbitrary name such as an MDC key or a key-value
    /// pair's key (`user.id`, `requestId`, `_internal`), for the logging adapters: ASCII letters
    /// are upper-cased, digits and `_` kept, and every other character (`.`, `-`, a space, a
    /// non-ASCII letter) becomes `_`; when the result is empty or starts with a digit or `_`,
    /// which journald forbids, `X` is put before it; it is cut to [#NAME_MAX] characters. So
    /// `user.id` gives `USER_ID`, `requestId` gives `REQUESTID`, `_internal` gives `X_INTERNAL`
    /// and `1st` gives `X1ST`. Different keys may give the same name (`user.id` and `user_id`):
    /// journald then keeps both values under it.
    ///
    /// @throws NullPointerException if `key` is null
    public static String fieldNameFor(String key) {
        Objects.requireNonNull(key, "key is null");
        StringBuilder b = new StringBuilder(Math.min(key.length() + 1, NAME_MAX));
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c >= 'a' && c <= 'z') {
                b.append((char) (c - 'a' + 'A'));
            } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                b.append(c);
            } else {
                b.append('_');
            }
        }
        if (b.isEmpty() || b.charAt(0) == '_' || (b.charAt(0) >= '0' && b.charAt(0) <= '9')) {
            b.insert(0, 'X');
        }
        if (b.length() > NAME_MAX) {
            b.setLength(NAME_MAX);
        }
        return b.toString();
    }

    /// Throws unless `name` is a valid field name ([#isValidFieldName(String)]).
    ///
    /// @throws IllegalArgumentException naming the field and what is wrong with it
    public static void checkFieldName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("field name is null");
        }
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("field name \"" + printable(name) + "\": " + problem);
        }
    }

    private static String problem(String name) {
        if (name.isEmpty()) {
            return "must not be empty";
        }
        if (name.length() > NAME_MAX) {
            return "is " + name.length() + " characters, more than " + NAME_MAX;
        }
        if (name.charAt(0) == '_') {
            return "must not start with _, which marks the fields journald adds itself";
        }
        if (name.charAt(0) >= '0' && name.charAt(0) <= '9') {
            return "must not start with a digit";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') && c != '_') {
                return "character '" + printable(String.valueOf(c)) + "' at index " + i
                        + " is not allowed (only A-Z, 0-9 and _)";
            }
        }
        return null;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    /// The entry as journald's native protocol carries it, in memory from `allocator`:
    /// sd_journal_sendv's encoding, the default identifier added when none was given.
    MemorySegment encode(SegmentAllocator allocator) {
        boolean identified = fields.stream().anyMatch(f -> f.name().equals(SYSLOG_IDENTIFIER));
        List<Field> all = fields;
        if (!identified && DEFAULT_IDENTIFIER != null) {
            all = new ArrayList<>(fields);
            all.add(new Field(SYSLOG_IDENTIFIER, DEFAULT_IDENTIFIER));
        }
        long size = 0;
        for (Field f : all) {
            // The name, '=' or '\n' + 8 length bytes, the value, '\n'.
            size += f.name().length() + (binary(f.value()) ? 9 : 1) + f.value().length + 1;
        }
        MemorySegment out = allocator.allocate(size);
        long at = 0;
        for (Field f : all) {
            byte[] name = ascii(f.name());
            MemorySegment.copy(name, 0, out, JAVA_BYTE, at, name.length);
            at += name.length;
            if (binary(f.value())) {
                out.set(JAVA_BYTE, at++, (byte) '\n');
                out.set(JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), at, f.value().length);
                at += 8;
            } else {
                out.set(JAVA_BYTE, at++, (byte) '=');
            }
            MemorySegment.copy(f.value(), 0, out, JAVA_BYTE, at, f.value().length);
            at += f.value().length;
            out.set(JAVA_BYTE, at++, (byte) '\n');
        }
        return out;
    }

    /// Whether the value needs the length-prefixed form: journald ends a `NAME=value` at the
    /// first newline, and nothing else in the value matters to it.
    private static boolean binary(byte[] value) {
        for (byte b : value) {
            if (b == '\n') {
                return true;
            }
        }
        return false;
    }

    private JournalEntry set(String name, byte[] value) {
        remove(name);
        fields.add(new Field(name, value));
        return this;
    }

    private void remove(String name) {
        fields.removeIf(f -> f.name().equals(name));
    }

    private static byte[] utf8(String name, String value) {
        Objects.requireNonNull(value, () -> "value of field " + name + " is null");
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /// The fields in the order they will be sent, values shown as UTF-8, for debugging.
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("JournalEntry[");
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            b.append(i == 0 ? "" : ", ").append(f.name()).append('=')
                    .append(printable(new String(f.value(), StandardCharsets.UTF_8)));
        }
        return b.append(']').toString();
    }
}
