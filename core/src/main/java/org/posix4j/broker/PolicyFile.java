package org.posix4j.broker;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.posix4j.internal.Json;

/// A sandbox policy file: everything `posix4j sandbox`'s flags say, in JSON (the schema is in
/// docs/policy-files.md). The rules a [Policy] holds go to a builder with [#addTo(Policy.Builder)];
/// [#defaults()], [#audit()] and [#enforce()] are for whoever runs the program (the CLI), read by
/// the same parser so that one file holds the whole job.
///
/// Paths and addresses are kept as written (relative paths are relative to the working
/// directory, as the flags' are); addresses are checked for syntax when read, their host names
/// looked up by [#addTo(Policy.Builder)].
///
/// @param allowRead `allow_read`: trees the program may read
/// @param allowWrite `allow_write`: trees it may read, write, create in and remove from
/// @param deny `deny`: trees denied whatever allows them
/// @param defaults `defaults`: whether the CLI adds its default allowances (true when absent)
/// @param revealMissing `reveal_missing`: see [Policy.Builder#revealMissing(boolean)]
/// @param hideMetadata `hide_metadata`: see [Policy.Builder#hideMetadata(boolean)]
/// @param connect `network.connect`: [NetworkAddress]es the program may connect to
/// @param bind `network.bind`: [NetworkAddress]es it may bind
/// @param resolve `network.resolve`: host names it may look up (`*`: any)
/// @param sockets `network.sockets`: [SocketKind#optionName()]s it may create
/// @param noNetwork `network.none`: deny every network call whatever allows it
/// @param audit `audit`: the CLI's audit file (`-`: standard error), or `null`
/// @param enforce `enforce`: `auto` (when absent), `kernel` or `broker`
/// @param dryRun `dry_run`: see [Policy.Builder#dryRun(boolean)]
public record PolicyFile(List<String> allowRead, List<String> allowWrite, List<String> deny, boolean defaults,
        boolean revealMissing, boolean hideMetadata, List<String> connect, List<String> bind, List<String> resolve,
        List<String> sockets, boolean noNetwork, String audit, String enforce, boolean dryRun) {
    private static final List<String> KEYS = List.of("allow_read", "allow_write", "deny", "defaults",
            "reveal_missing", "hide_metadata", "network", "audit", "enforce", "dry_run");
    private static final List<String> NETWORK_KEYS = List.of("connect", "bind", "resolve", "sockets", "none");
    private static final Set<String> MODES = Set.of("auto", "kernel", "broker");

    /// Copies the lists and checks every value as the file reader does.
    ///
    /// @throws IllegalArgumentException naming the first bad value
    public PolicyFile {
        allowRead = List.copyOf(allowRead);
        allowWrite = List.copyOf(allowWrite);
        deny = List.copyOf(deny);
        connect = List.copyOf(connect);
        bind = List.copyOf(bind);
        resolve = List.copyOf(resolve);
        sockets = List.copyOf(sockets);
        Objects.requireNonNull(enforce, "enforce");
        for (String s : sockets) {
            socketKind(s);
        }
        if (!MODES.contains(enforce)) {
            throw new IllegalArgumentException(modes(enforce));
        }
        for (String a : connect) {
            NetworkAddress.parse(a);
        }
        for (String a : bind) {
            NetworkAddress.parse(a);
        }
    }

    /// The policy of a file with nothing in it (`{}`): defaults on, everything else off.
    public static PolicyFile empty() {
        return new PolicyFile(List.of(), List.of(), List.of(), true, false, false, List.of(), List.of(), List.of(),
                List.of(), false, null, "auto", false);
    }

    /// Reads and checks `file`.
    ///
    /// @throws IllegalArgumentException when the file is not JSON (`NAME:LINE:COLUMN: what`) or
    ///     does not follow the schema (`NAME:LINE: "key": what`), unknown keys included; NAME is
    ///     the file's name as given
    /// @throws IOException when the file cannot be read
    public static PolicyFile read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text");
        }
        return parse(file.toString(), text);
    }

    /// Parses `text`, called `name` in messages; see [#read(Path)].
    static PolicyFile parse(String name, String text) {
        Json.Value root = Json.parse(name, text);
        if (!(root instanceof Json.Obj o)) {
            throw new IllegalArgumentException(name + ":" + root.line() + ": a policy is a JSON object { ... }");
        }
        PolicyFile p = empty();
        List<String> allowRead = p.allowRead;
        List<String> allowWrite = p.allowWrite;
        List<String> deny = p.deny;
        boolean defaults = p.defaults;
        boolean revealMissing = p.revealMissing;
        boolean hideMetadata = p.hideMetadata;
        List<String> connect = p.connect;
        List<String> bind = p.bind;
        List<String> resolve = p.resolve;
        List<String> sockets = p.sockets;
        boolean noNetwork = p.noNetwork;
        String audit = p.audit;
        String enforce = p.enforce;
        boolean dryRun = p.dryRun;
        for (Json.Member m : o.members()) {
            switch (m.key()) {
                case "allow_read" -> allowRead = strings(name, m.key(), m);
                case "allow_write" -> allowWrite = strings(name, m.key(), m);
                case "deny" -> deny = strings(name, m.key(), m);
                case "defaults" -> defaults = bool(name, m.key(), m);
                case "reveal_missing" -> revealMissing = bool(name, m.key(), m);
                case "hide_metadata" -> hideMetadata = bool(name, m.key(), m);
                case "audit" -> audit = string(name, m.key(), m);
                case "dry_run" -> dryRun = bool(name, m.key(), m);
                case "enforce" -> {
                    enforce = string(name, m.key(), m);
                    if (!MODES.contains(enforce)) {
                        throw error(name, m.value().line(), m.key(), modes(enforce));
                    }
                }
                case "network" -> {
                    if (!(m.value() instanceof Json.Obj net)) {
                        throw error(name, m.value().line(), m.key(), "expected an object { ... }");
                    }
                    for (Json.Member n : net.members()) {
                        String field = "network." + n.key();
                        switch (n.key()) {
                            case "connect" -> connect = addresses(name, field, n);
                            case "bind" -> bind = addresses(name, field, n);
                            case "resolve" -> resolve = strings(name, field, n);
                            case "sockets" -> {
                                sockets = strings(name, field, n);
                                for (int i = 0; i < sockets.size(); i++) {
                                    try {
                                        socketKind(sockets.get(i));
                                    } catch (IllegalArgumentException e) {
                                        throw error(name, line(n, i), field, e.getMessage());
                                    }
                                }
                            }
                            case "none" -> noNetwork = bool(name, field, n);
                            default -> throw unknown(name, n, "network.", NETWORK_KEYS);
                        }
                    }
                }
                default -> throw unknown(name, m, "", KEYS);
            }
        }
        return new PolicyFile(allowRead, allowWrite, deny, defaults, revealMissing, hideMetadata, connect, bind,
                resolve, sockets, noNetwork, audit, enforce, dryRun);
    }

    /// Adds the file's rules to `b`: its trees, denials, network allowances, and the switches it
    /// turns on (a switch the file leaves off stays as `b` has it). [#defaults()], [#audit()] and
    /// [#enforce()] are not rules of a [Policy]; the caller applies them.
    ///
    /// @throws java.net.UnknownHostException when a host name of [#connect()] or [#bind()] does
    ///     not resolve
    public Policy.Builder addTo(Policy.Builder b) throws IOException {
        allowRead.forEach(s -> b.allowRead(Path.of(s)));
        allowWrite.forEach(s -> b.allowCreate(Path.of(s)));
        deny.forEach(s -> b.deny(Path.of(s)));
        if (revealMissing) {
            b.revealMissing(true);
        }
        if (hideMetadata) {
            b.hideMetadata(true);
        }
        if (dryRun) {
            b.dryRun(true);
        }
        for (String a : connect) {
            NetworkAddress.parse(a).addTo(b, false);
        }
        for (String a : bind) {
            NetworkAddress.parse(a).addTo(b, true);
        }
        resolve.forEach(b::allowResolve);
        for (String s : sockets) {
            b.allowSocket(socketKind(s));
        }
        if (noNetwork) {
            b.noNetwork();
        }
        return b;
    }

    /// The policy as a policy file, every key written (`audit` only when set), in the order of
    /// the schema; reading it back gives an equal [PolicyFile].
    public String toJson() {
        StringBuilder j = new StringBuilder("{\n");
        j.append("  \"allow_read\": ").append(array(allowRead)).append(",\n");
        j.append("  \"allow_write\": ").append(array(allowWrite)).append(",\n");
        j.append("  \"deny\": ").append(array(deny)).append(",\n");
        j.append("  \"defaults\": ").append(defaults).append(",\n");
        j.append("  \"reveal_missing\": ").append(revealMissing).append(",\n");
        j.append("  \"hide_metadata\": ").append(hideMetadata).append(",\n");
        j.append("  \"network\": {\n");
        j.append("    \"connect\": ").append(array(connect)).append(",\n");
        j.append("    \"bind\": ").append(array(bind)).append(",\n");
        j.append("    \"resolve\": ").append(array(resolve)).append(",\n");
        j.append("    \"sockets\": ").append(array(sockets)).append(",\n");
        j.append("    \"none\": ").append(noNetwork).append("\n");
        j.append("  },\n");
        if (audit != null) {
            j.append("  \"audit\": ").append(Json.quote(audit)).append(",\n");
        }
        j.append("  \"enforce\": ").append(Json.quote(enforce)).append(",\n");
        j.append("  \"dry_run\": ").append(dryRun).append("\n");
        return j.append("}\n").toString();
    }

    private static String array(List<String> items) {
        List<String> quoted = new ArrayList<>();
        items.forEach(s -> quoted.add(Json.quote(s)));
        return "[" + String.join(", ", quoted) + "]";
    }

    /// The kind named `name` on the command line and in files.
    ///
    /// @throws IllegalArgumentException for an unknown name
    static SocketKind socketKind(String name) {
        for (SocketKind k : SocketKind.values()) {
            if (k.optionName().equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown socket kind " + Json.quote(name) + " (netlink, packet, raw, ping)");
    }

    private static String modes(String mode) {
        return "unknown mode " + Json.quote(mode) + " (auto, kernel, broker)";
    }

    private static List<String> strings(String name, String field, Json.Member m) {
        if (!(m.value() instanceof Json.Arr a)) {
            throw error(name, m.value().line(), field, "expected an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (Json.Value v : a.items()) {
            if (!(v instanceof Json.Str s)) {
                throw error(name, v.line(), field, "expected an array of strings");
            }
            if (s.value().isEmpty() || s.value().indexOf('\0') >= 0) {
                throw error(name, v.line(), field, "an empty string or one holding NUL");
            }
            out.add(s.value());
        }
        return out;
    }

    private static List<String> addresses(String name, String field, Json.Member m) {
        List<String> out = strings(name, field, m);
        for (int i = 0; i < out.size(); i++) {
            try {
                NetworkAddress.parse(out.get(i));
            } catch (IllegalArgumentException e) {
                throw error(name, line(m, i), field, Json.quote(out.get(i)) + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static int line(Json.Member m, int item) {
        return ((Json.Arr) m.value()).items().get(item).line();
    }

    private static boolean bool(String name, String field, Json.Member m) {
        if (!(m.value() instanceof Json.Bool b)) {
            throw error(name, m.value().line(), field, "expected true or false");
        }
        return b.value();
    }

    private static String string(String name, String field, Json.Member m) {
        if (!(m.value() instanceof Json.Str s) || s.value().isEmpty()) {
            throw error(name, m.value().line(), field, "expected a non-empty string");
        }
        return s.value();
    }

    private static IllegalArgumentException error(String name, int line, String field, String what) {
        return new IllegalArgumentException(name + ":" + line + ": " + Json.quote(field) + ": " + what);
    }

    /// An unknown key, with the known key nearest to it when it looks like a typing error.
    private static IllegalArgumentException unknown(String name, Json.Member m, String prefix, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(m.key(), k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        String hint = bestDistance <= Math.max(2, m.key().length() / 3)
                ? "; did you mean " + Json.quote(prefix + best) + "?"
                : "; the keys are " + String.join(", ", known);
        return new IllegalArgumentException(name + ":" + m.line() + ": " + Json.quote(prefix + m.key())
                + ": unknown key" + hint);
    }

    /// The Levenshtein distance between `a` and `b`.
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
