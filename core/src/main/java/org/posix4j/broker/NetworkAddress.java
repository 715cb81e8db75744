package org.posix4j.broker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/// A network allowance as the CLI's `--allow-connect`/`--allow-bind` and a policy file's
/// `network.connect`/`network.bind` write it: `HOST:PORT`, `CIDR:PORT[-PORT]` (IPv6 in brackets:
/// `[::1]:80`, `[fd00::/8]:1-65535`), `unix:PATH` or `unix:@NAME`. Parsing checks the syntax
/// only; a host name is looked up by [#rules()].
public final class NetworkAddress {
    private final String text;
    private final String host;
    private final int prefixLength;
    private final int firstPort;
    private final int lastPort;
    private final Path unixPath;
    private final String abstractName;
    /// The rules found by [#resolved()], `null` until then.
    private final List<Policy.NetworkRule> resolvedRules;

    private NetworkAddress(String text, String host, int prefixLength, int firstPort, int lastPort, Path unixPath,
            String abstractName) {
        this(text, host, prefixLength, firstPort, lastPort, unixPath, abstractName, null);
    }

    private NetworkAddress(String text, String host, int prefixLength, int firstPort, int lastPort, Path unixPath,
            String abstractName, List<Policy.NetworkRule> resolvedRules) {
        this.text = text;
        this.host = host;
        this.prefixLength = prefixLength;
        this.firstPort = firstPort;
        this.lastPort = lastPort;
        this.unixPath = unixPath;
        this.abstractName = abstractName;
        this.resolvedRules = resolvedRules;
    }

    /// Parses `value`.
    ///
    /// @throws IllegalArgumentException when `value` is malformed, with a message saying what is
    ///     wrong (not naming `value`: the caller says where it came from)
    public static NetworkAddress parse(String value) {
        Objects.requireNonNull(value, "value");
        if (value.startsWith("unix:")) {
            String rest = value.substring(5);
            if (rest.isEmpty()) {
                throw new IllegalArgumentException("a unix: address needs a PATH or @NAME");
            }
            return rest.startsWith("@") ? new NetworkAddress(value, null, -1, 0, 0, null, rest.substring(1))
                    : new NetworkAddress(value, null, -1, 0, 0, Path.of(rest), null);
        }
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("expected HOST:PORT, CIDR:PORT[-PORT] or unix:PATH");
        }
        String host = value.substring(0, colon);
        String ports = value.substring(colon + 1);
        int first;
        int last;
        try {
            int dash = ports.indexOf('-');
            first = Integer.parseInt(dash < 0 ? ports : ports.substring(0, dash));
            last = dash < 0 ? first : Integer.parseInt(ports.substring(dash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the port must be a number or a range N-M");
        }
        if (first < 0 || last > 65535 || first > last) {
            throw new IllegalArgumentException("ports are 0..65535, the first not above the last");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int slash = host.indexOf('/');
        if (slash < 0) {
            return new NetworkAddress(value, host, -1, first, last, null, null);
        }
        InetAddress network = InetAddress.ofLiteral(host.substring(0, slash));
        int prefix;
        try {
            prefix = Integer.parseInt(host.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the prefix length after '/' must be a number");
        }
        // Checks the prefix against the address's size now, not at the first lookup.
        new Policy.NetworkRule(network, prefix, first, last);
        return new NetworkAddress(value, network.getHostAddress(), prefix, first, last, null, null);
    }

    /// The IP ranges this address allows: the network of a CIDR, or every address its host name
    /// resolves to now, or resolved to when [#resolved()] made this (empty for a unix address).
    ///
    /// @throws UnknownHostException when the host name does not resolve
    public List<Policy.NetworkRule> rules() throws UnknownHostException {
        if (resolvedRules != null) {
            return new ArrayList<>(resolvedRules);
        }
        List<Policy.NetworkRule> rules = new ArrayList<>();
        if (host == null) {
            return rules;
        }
        if (prefixLength >= 0) {
            rules.add(new Policy.NetworkRule(InetAddress.ofLiteral(host), prefixLength, firstPort, lastPort));
            return rules;
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                rules.add(new Policy.NetworkRule(a, a.getAddress().length * 8, firstPort, lastPort));
            }
        } catch (UnknownHostException e) {
            throw new UnknownHostException(text + ": unknown host " + host);
        }
        return rules;
    }

    /// This address with its host name resolved now, once: [#rules()] and [#addTo] then give the
    /// addresses found now, where this one looks the name up on each call.
    ///
    /// @throws UnknownHostException when the host name does not resolve
    public NetworkAddress resolved() throws UnknownHostException {
        return new NetworkAddress(text, host, prefixLength, firstPort, lastPort, unixPath, abstractName,
                List.copyOf(rules()));
    }

    /// The unix socket path of a `unix:PATH` address.
    public Optional<Path> unixPath() {
        return Optional.ofNullable(unixPath);
    }

    /// The abstract socket name (without `@`) of a `unix:@NAME` address.
    public Optional<String> abstractName() {
        return Optional.ofNullable(abstractName);
    }

    /// Adds this allowance to `b`, for bind(2) when `bind`, else for connect(2).
    ///
    /// @throws UnknownHostException when the host name does not resolve
    public Policy.Builder addTo(Policy.Builder b, boolean bind) throws UnknownHostException {
        for (Policy.NetworkRule r : rules()) {
            if (bind) {
                b.allowBind(r);
            } else {
                b.allowConnect(r);
            }
        }
        if (unixPath != null) {
            if (bind) {
                b.allowBindUnix(unixPath);
            } else {
                b.allowConnectUnix(unixPath);
            }
        }
        if (abstractName != null) {
            if (bind) {
                b.allowBindAbstract(abstractName);
            } else {
                b.allowConnectAbstract(abstractName);
            }
        }
        return b;
    }

    /// The address as written.
    @Override
    public String toString() {
        return text;
    }
}
