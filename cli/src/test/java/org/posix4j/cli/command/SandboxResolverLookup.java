package org.posix4j.cli.command;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.stream.Collectors;

/// The program [SandboxResolverTest] runs in a JVM inside the sandbox: looks up each name on
/// its command line with [InetAddress#getAllByName] and prints `NAME: ADDRESS...` (the
/// addresses sorted, as [InetAddress#getHostAddress] writes them) or `NAME: UnknownHostException`.
public final class SandboxResolverLookup {
    private SandboxResolverLookup() {}

    /// `args`: the names to look up.
    public static void main(String[] args) {
        for (String name : args) {
            String answer;
            try {
                answer = Arrays.stream(InetAddress.getAllByName(name)).map(InetAddress::getHostAddress).sorted()
                        .collect(Collectors.joining(" "));
            } catch (UnknownHostException e) {
                answer = "UnknownHostException";
            }
            System.out.println(name + ": " + answer);
        }
    }
}
