package org.posix4j.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/// The java launcher's command line of this JVM, rewritten so that it starts the same program
/// from "/": every path the launcher or the JVM reads relative to the working directory is made
/// absolute against the directory this JVM started in. [Daemon] re-launches with it.
///
/// What is rewritten: the class path (`-cp`, `-classpath`, `--class-path`, and the `CLASSPATH`
/// variable), the module paths (`-p`, `--module-path`, `--upgrade-module-path`,
/// `--patch-module`), the jar of `-jar`, the source file of a source-file launch, the paths of
/// `-javaagent:`, `-agentpath:`, `-splash:`, `-Xbootclasspath/a:`, `-XX:Flags=` and
/// `-XX:VMOptionsFile=`, and the value of a `-Dname=value` that names an existing file or
/// directory, or contains a `/` and names a file in an existing directory. `@argfiles` before
/// the main class are expanded in place (the launcher's syntax: whitespace, quotes, `#`
/// comments, backslash escapes within quotes), their contents rewritten the same way, and the
/// options of `JDK_JAVA_OPTIONS` are moved onto the command line, rewritten. The program's own
/// arguments, after the main class, jar, module or source file, stay exactly as they were.
///
/// Not rewritten: paths inside other JVM options (`-Xlog:...:file=`, `-XX:ErrorFile=`...), inside
/// `JAVA_TOOL_OPTIONS` and `_JAVA_OPTIONS`, and `-D` values that name nothing yet.
final class DaemonCommandLine {
    private DaemonCommandLine() {}

    private static final Set<String> CLASS_PATH = Set.of("-cp", "-classpath", "--class-path");
    private static final Set<String> MODULE_PATH = Set.of("-p", "--module-path", "--upgrade-module-path");
    /// The java launcher's other options whose value is the next argument (java.c's
    /// IsWhiteSpaceOption, without the class and module paths and `-m`).
    private static final Set<String> WITH_VALUE = Set.of("--add-modules", "--enable-native-access",
            "--limit-modules", "--add-exports", "--add-opens", "--add-reads", "--describe-module", "-d",
            "--patch-module", "--source");
    private static final String WHITESPACE = " \t\f\r\n";

    /// The launcher arguments (without argv[0]) of `argv`, made independent of the working
    /// directory `cwd`, with the options of `jdkJavaOptions` (the `JDK_JAVA_OPTIONS` variable,
    /// null when unset) first, where the launcher puts them.
    ///
    /// @throws IOException if an `@argfile` cannot be read
    static List<String> arguments(List<String> argv, String jdkJavaOptions, Path cwd) throws IOException {
        Deque<Arg> pending = new ArrayDeque<>();
        if (jdkJavaOptions != null) {
            tokens(jdkJavaOptions).forEach(token -> pending.add(new Arg(token, true)));
        }
        argv.subList(1, argv.size()).forEach(a -> pending.add(new Arg(a, true)));
        List<String> out = new ArrayList<>();
        boolean expand = true;
        boolean fileMain = false;
        while (!pending.isEmpty()) {
            Arg next = pending.poll();
            String a = next.text();
            if (expand && next.expandable() && a.startsWith("@")) {
                if (!a.startsWith("@@")) {
                    List<String> contents = tokens(Files.readString(cwd.resolve(a.substring(1)), StandardCharsets.UTF_8));
                    // The launcher does not expand an @argfile named inside another.
                    for (int i = contents.size() - 1; i >= 0; i--) {
                        pending.push(new Arg(contents.get(i), false));
                    }
                    continue;
                }
                a = a.substring(1);
            }
            if (!a.startsWith("-")) {
                out.add(fileMain || a.endsWith(".java") ? absolute(a, cwd) : a);
                pending.forEach(rest -> out.add(rest.text()));
                return out;
            }
            out.add(inline(a, cwd));
            if (a.equals("--disable-@files")) {
                expand = false;
            } else if (a.equals("-jar") || a.equals("--source") || a.startsWith("--source=")) {
                fileMain = true;
            } else if (a.startsWith("--module=")) {
                pending.forEach(rest -> out.add(rest.text()));
                return out;
            }
            boolean modulePath = MODULE_PATH.contains(a);
            boolean main = a.equals("-m") || a.equals("--module");
            if (!pending.isEmpty() && (CLASS_PATH.contains(a) || modulePath || main || WITH_VALUE.contains(a))) {
                String value = pending.poll().text();
                out.add(CLASS_PATH.contains(a) || modulePath ? absoluteList(value, cwd)
                        : a.equals("--patch-module") ? patch(value, cwd) : value);
                if (main) {
                    pending.forEach(rest -> out.add(rest.text()));
                    return out;
                }
            }
        }
        return out;
    }

    /// An argument, and whether it came from the command line rather than an @argfile.
    private record Arg(String text, boolean expandable) {}

    /// Option `a` with the path it carries after a prefix made absolute, or `a` as it is.
    private static String inline(String a, Path cwd) {
        for (String prefix : List.of("--class-path=", "--module-path=", "--upgrade-module-path=",
                "-Xbootclasspath/a:")) {
            if (a.startsWith(prefix)) {
                return prefix + absoluteList(a.substring(prefix.length()), cwd);
            }
        }
        if (a.startsWith("--patch-module=")) {
            return "--patch-module=" + patch(a.substring("--patch-module=".length()), cwd);
        }
        for (String prefix : List.of("-javaagent:", "-agentpath:")) {
            if (a.startsWith(prefix)) {
                String rest = a.substring(prefix.length());
                int options = rest.indexOf('=');
                return prefix + (options < 0 ? absolute(rest, cwd)
                        : absolute(rest.substring(0, options), cwd) + rest.substring(options));
            }
        }
        for (String prefix : List.of("-splash:", "-XX:Flags=", "-XX:VMOptionsFile=")) {
            if (a.startsWith(prefix)) {
                return prefix + absolute(a.substring(prefix.length()), cwd);
            }
        }
        int equals = a.indexOf('=');
        if (a.startsWith("-D") && equals > 2 && namesAFile(a.substring(equals + 1), cwd)) {
            return a.substring(0, equals + 1) + absolute(a.substring(equals + 1), cwd);
        }
        return a;
    }

    /// Whether a relative `-D` value is most likely a path: it names an existing file or
    /// directory, or it has a directory part that exists (a file to be created there).
    private static boolean namesAFile(String value, Path cwd) {
        if (value.isEmpty() || value.startsWith("/") || value.indexOf('\0') >= 0) {
            return false;
        }
        Path resolved = cwd.resolve(value);
        return Files.exists(resolved) || value.indexOf('/') > 0 && Files.isDirectory(resolved.getParent());
    }

    /// `module=path:path` with each path absolute.
    private static String patch(String value, Path cwd) {
        int equals = value.indexOf('=');
        return equals < 0 ? value : value.substring(0, equals + 1) + absoluteList(value.substring(equals + 1), cwd);
    }

    /// A `:`-separated path list with each entry absolute; an empty entry, which the JDK reads as
    /// the working directory, becomes `cwd`.
    static String absoluteList(String list, Path cwd) {
        List<String> entries = new ArrayList<>();
        for (String entry : list.split(":", -1)) {
            entries.add(entry.isEmpty() ? cwd.toString() : absolute(entry, cwd));
        }
        return String.join(":", entries);
    }

    static String absolute(String path, Path cwd) {
        return path.startsWith("/") ? path : cwd.resolve(path).toString();
    }

    /// The arguments of an `@argfile` or of `JDK_JAVA_OPTIONS`, split as the java launcher
    /// documents it: whitespace separates; single or double quotes enclose whitespace and end at
    /// the end of their line if not closed; within quotes a backslash escapes the next character
    /// (`\n`, `\r`, `\t`, `\f` name control characters) and a backslash at the end of a line joins
    /// the next line without its leading whitespace; `#` outside quotes starts a comment.
    static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder token = null;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0 && c != '\n' && c != '\r') {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && i + 1 < text.length()) {
                    char e = text.charAt(++i);
                    switch (e) {
                        case 'n' -> token.append('\n');
                        case 'r' -> token.append('\r');
                        case 't' -> token.append('\t');
                        case 'f' -> token.append('\f');
                        case '\n', '\r' -> {
                            while (i + 1 < text.length() && WHITESPACE.indexOf(text.charAt(i + 1)) >= 0) {
                                i++;
                            }
                        }
                        default -> token.append(e);
                    }
                } else {
                    token.append(c);
                }
            } else if (WHITESPACE.indexOf(c) >= 0 || c == '#') {
                quote = 0;
                if (token != null) {
                    tokens.add(token.toString());
                    token = null;
                }
                if (c == '#') {
                    while (i + 1 < text.length() && text.charAt(i + 1) != '\n' && text.charAt(i + 1) != '\r') {
                        i++;
                    }
                }
            } else {
                if (token == null) {
                    token = new StringBuilder();
                }
                if (c == '"' || c == '\'') {
                    quote = c;
                } else {
                    token.append(c);
                }
            }
        }
        if (token != null) {
            tokens.add(token.toString());
        }
        return tokens;
    }
}
