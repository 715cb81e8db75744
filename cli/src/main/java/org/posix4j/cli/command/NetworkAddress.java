package org.posix4j.cli.command;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.posix4j.broker.Policy;

/// A `--allow-connect`/`--allow-bind` argument: `HOST:PORT`, `CIDR:PORT[-PORT]` (IPv6 in
/// brackets), `unix:PATH` or `unix:@NAME`. Host names are resolved here, once, by posix4j.
record NetworkAddress(List<Policy.NetworkRule> rules, Path unixPath, String abstractName) {

    /// Parses `value` of `option`.
    ///
    /// @throws IllegalArgumentException when `value` is malformed, with a message naming both
    /// @throws UnknownHostException when its host name does not resolve
    static NetworkAddress parse(String option, String value) throws UnknownHostException {
        if (value.startsWith("unix:")) {
            String rest = value.substring(5);
            if (rest.isEmpty()) {
                throw bad(option, value, "a unix: address needs a PATH or @NAME");
            }
            return rest.startsWith("@") ? new NetworkAddress(List.of(), null, rest.substring(1))
                    : new NetworkAddress(List.of(), Path.of(rest), null);
        }
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw bad(option, value, "expected HOST:PORT, CIDR:PORT[-PORT] or unix:PATH");
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
            throw bad(option, value, "the port must be a number or a range N-M");
        }
        if (first < 0 || last > 65535 || first > last) {
            throw bad(option, value, "ports are 0..65535, the first not above the last");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int slash = host.indexOf('/');
        List<Policy.NetworkRule> rules = new ArrayList<>();
        try {
            if (slash >= 0) {
                InetAddress network = InetAddress.ofLiteral(host.substring(0, slash));
                int prefix = Integer.parseInt(host.substring(slash + 1));
                rules.add(new Policy.NetworkRule(network, prefix, first, last));
            } else {
                for (InetAddress a : InetAddress.getAllByName(host)) {
                    rules.add(new Policy.NetworkRule(a, a.getAddress().length * 8, first, last));
                }
            }
        } catch (UnknownHostException e) {
            throw new UnknownHostException(option + " " + value + ": unknown host " + host);
        } catch (IllegalArgumentException e) {
            throw bad(option, value, e.getMessage());
        }
        return new NetworkAddress(rules, null, null);
    }

    private static IllegalArgumentException bad(String option, String value, String why) {
        return new IllegalArgumentException(option + " " + value + ": " + why);
    }

    void addTo(Policy.Builder b, boolean bind) {
        for (Policy.NetworkRule r : rules) {
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
    }
}
