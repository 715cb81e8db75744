package org.posix4j.broker;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.List;

/// Path strings as the broker handles them. A Linux path is bytes, not text, so the broker keeps
/// each one "raw": one char per byte (ISO-8859-1), which survives any byte sequence unchanged;
/// only what people read (the [Call] API, the audit) is decoded as UTF-8.
final class Paths {
    private Paths() {}

    /// The raw path `raw` as text: its bytes decoded as UTF-8 (`raw` itself when it is ASCII,
    /// as nearly every path is: the broker makes one for every call).
    static String display(String raw) {
        for (int i = 0, n = raw.length(); i < n; i++) {
            if (raw.charAt(i) >= 0x80) {
                return new String(raw.getBytes(ISO_8859_1), UTF_8);
            }
        }
        return raw;
    }

    static String raw(String display) {
        return new String(display.getBytes(UTF_8), ISO_8859_1);
    }

    /// `rel` joined to the absolute `base`; `rel` itself when it is absolute.
    static String join(String base, String rel) {
        if (rel.startsWith("/")) {
            return rel;
        }
        if (rel.isEmpty()) {
            return base;
        }
        return base.endsWith("/") ? base + rel : base + "/" + rel;
    }

    /// The absolute `path` without empty and `.` components (`/` when none is left), or `null`
    /// when it has a `..` component, which only the kernel may resolve (a symbolic link before
    /// it changes what it means). `path` itself when it is already in that form, which the
    /// broker meets on nearly every call: one pass, and a copy only from the first component
    /// dropped.
    static String lexical(String path) {
        int n = path.length();
        if (n == 0) {
            return "/";
        }
        StringBuilder b = null;
        int start = 1;
        while (start <= n) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = n;
            }
            int length = end - start;
            if (length == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.') {
                return null;
            }
            // An empty component is a doubled or trailing slash, but not the whole of "/".
            boolean dropped = length == 0 && n > 1 || length == 1 && path.charAt(start) == '.';
            if (dropped && b == null) {
                b = new StringBuilder(n).append(path, 0, start - 1);
            } else if (!dropped && b != null) {
                b.append('/').append(path, start, end);
            }
            start = end + 1;
        }
        return b == null ? path : b.isEmpty() ? "/" : b.toString();
    }

    /// The absolute path of `parts`.
    static String of(List<String> parts) {
        if (parts.isEmpty()) {
            return "/";
        }
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            b.append('/').append(p);
        }
        return b.toString();
    }

    /// Whether the absolute, canonical `path` is `root` or below it, component by component.
    static boolean isUnder(String path, String root) {
        if (root.equals("/")) {
            return true;
        }
        return path.startsWith(root) && (path.length() == root.length() || path.charAt(root.length()) == '/');
    }

    /// The parent of the canonical absolute `path` (`/` for `/`).
    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /// The last component of the canonical absolute `path`.
    static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
