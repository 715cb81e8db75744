package org.posix4j.broker;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;

/// Path strings as the broker handles them. A Linux path is bytes, not text, so the broker keeps
/// each one "raw": one char per byte (ISO-8859-1), which survives any byte sequence unchanged;
/// only what people read (the [Call] API, the audit) is decoded as UTF-8.
final class Paths {
    private Paths() {}

    static String display(String raw) {
        return new String(raw.getBytes(ISO_8859_1), UTF_8);
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

    /// The components of the absolute `path` without empty and `.` components, or `null` when it
    /// has a `..` component, which only the kernel may resolve (a symbolic link before it changes
    /// what it means).
    static List<String> lexical(String path) {
        List<String> parts = new ArrayList<>();
        int start = 1;
        int n = path.length();
        while (start <= n) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = n;
            }
            if (end > start) {
                String part = path.substring(start, end);
                if (part.equals("..")) {
                    return null;
                }
                if (!part.equals(".")) {
                    parts.add(part);
                }
            }
            start = end + 1;
        }
        return parts;
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
