package org.posix4j.broker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/// Name lookups of a Java program running under the broker, answered by the master: the
/// `getaddrinfo` of the seed for JVM programs. getaddrinfo(3) is a libc function, not a
/// syscall, so seccomp never sees it; a JVM under [Sandbox] (which sets `POSIX4J_BROKER=1` in
/// its environment) with posix4j on its class or module path resolves names through this
/// provider instead, which asks the master with a brokered readlink(2) of a name under
/// `/proc/posix4j-broker/getaddrinfo/` (a path that exists nowhere: outside a sandbox the call
/// fails). The master decides under its [Policy] and answers every address, or an
/// [AddrInfoError] the program sees as an [UnknownHostException].
///
/// Without `POSIX4J_BROKER=1` this provider hands out the JDK's built-in resolver. Reverse
/// lookups are not brokered and fail. Thread-safe.
public final class BrokerResolverProvider extends InetAddressResolverProvider {
    static final String PREFIX = "/proc/posix4j-broker/getaddrinfo/";
    private static final String NONE = "~";

    /// Created by [java.util.ServiceLoader].
    public BrokerResolverProvider() {}

    @Override
    public InetAddressResolver get(Configuration configuration) {
        if (!"1".equals(System.getenv("POSIX4J_BROKER"))) {
            return configuration.builtinResolver();
        }
        return new Brokered();
    }

    @Override
    public String name() {
        return "posix4j-broker";
    }

    private static final class Brokered implements InetAddressResolver {
        @Override
        public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
            String answer;
            try {
                answer = Files.readSymbolicLink(Path.of(PREFIX + NONE + "/" + encode(host) + "/" + NONE)).toString();
            } catch (IOException e) {
                throw new UnknownHostException(host + ": the broker did not answer (" + e.getMessage() + ")");
            }
            if (!answer.startsWith("ok")) {
                throw new UnknownHostException(host + ": " + answer);
            }
            int c = policy.characteristics();
            boolean v4 = (c & LookupPolicy.IPV4) != 0;
            boolean v6 = (c & LookupPolicy.IPV6) != 0;
            List<InetAddress> found = new ArrayList<>();
            for (String line : answer.split("\n")) {
                if (line.equals("ok") || line.isBlank()) {
                    continue;
                }
                InetAddress a = InetAddress.ofLiteral(line.substring(0, line.indexOf(' ')));
                if ((a.getAddress().length == 4 && v4) || (a.getAddress().length == 16 && v6)) {
                    found.add(InetAddress.getByAddress(host, a.getAddress()));
                }
            }
            if ((c & LookupPolicy.IPV4_FIRST) != 0) {
                found.sort(Comparator.comparingInt(a -> a.getAddress().length));
            } else if ((c & LookupPolicy.IPV6_FIRST) != 0) {
                found.sort(Comparator.comparingInt(a -> -a.getAddress().length));
            }
            if (found.isEmpty()) {
                throw new UnknownHostException(host + ": no address");
            }
            return found.stream();
        }

        @Override
        public String lookupByAddress(byte[] addr) throws UnknownHostException {
            throw new UnknownHostException("reverse lookups are not brokered");
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /// The lookup a program asked for with readlink of `raw`, or `null` if malformed.
    static Arguments.GetAddrInfo decode(String raw) {
        String[] parts = Paths.display(raw).substring(PREFIX.length()).split("/", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            return null;
        }
        try {
            String protocol = parts[0].equals(NONE) ? null : URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            if (protocol != null && !protocol.equals("tcp") && !protocol.equals("udp")) {
                return null;
            }
            return new Arguments.GetAddrInfo(URLDecoder.decode(parts[1], StandardCharsets.UTF_8),
                    parts[2].equals(NONE) ? null : URLDecoder.decode(parts[2], StandardCharsets.UTF_8), protocol);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /// The text the master answers a lookup with: `ok`, then one `address port` per line.
    static String encodeAnswer(List<InetSocketAddress> addresses) {
        StringBuilder b = new StringBuilder("ok");
        for (InetSocketAddress a : addresses) {
            b.append('\n').append(a.getAddress().getHostAddress()).append(' ').append(a.getPort());
        }
        return b.toString();
    }
}
