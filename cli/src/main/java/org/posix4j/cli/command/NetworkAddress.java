package org.posix4j.cli.command;

import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import org.posix4j.broker.Policy;

/// A `--allow-connect`/`--allow-bind` argument: `HOST:PORT`, `CIDR:PORT[-PORT]` (IPv6 in
/// brackets), `unix:PATH` or `unix:@NAME`, parsed as a policy file's are
/// ([org.posix4j.broker.NetworkAddress]). Host names are resolved here, once, by posix4j.
record NetworkAddress(List<Policy.NetworkRule> rules, Path unixPath, String abstractName) {

    /// Parses `value` of `option`.
    ///
    /// @throws IllegalArgumentException when `value` is malformed, with a message naming both
    /// @throws UnknownHostException when its host name does not resolve
    static NetworkAddress parse(String option, String value) throws UnknownHostException {
        org.posix4j.broker.NetworkAddress a;
        try {
            a = org.posix4j.broker.NetworkAddress.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + value + ": " + e.getMessage());
        }
        try {
            return new NetworkAddress(a.rules(), a.unixPath().orElse(null), a.abstractName().orElse(null));
        } catch (UnknownHostException e) {
            throw new UnknownHostException(option + " " + e.getMessage());
        }
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
