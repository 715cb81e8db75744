package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.posix4j.cli.command.SandboxAttackTest.results;
import static org.posix4j.cli.command.SandboxAttackTest.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.cli.command.SandboxAttackTest.Tree;
import org.posix4j.cli.testing.ChildProcess;
import org.posix4j.cli.testing.ChildProcess.Result;
import org.posix4j.cli.testing.Gcc;
import org.posix4j.cli.testing.Requires;
import org.posix4j.testing.ScaledTimeout;

/// `posix4j sandbox` and the sockets that reach past connect and bind allowances (issue 11,
/// item 5): netlink, packet and raw sockets only by `--allow-socket`, created with the program's
/// own credentials; a listen that would bind is decided like bind; `--no-network` means none.
@ScaledTimeout(120)
class SandboxSocketKindTest {
    private static final String KINDS = "sandbox/sockets/kinds.c";
    private static final List<String> OPS = List.of("netlink", "packet", "raw", "listen", "bindlisten");

    /// Without the sandbox, as root, every kind is created and an unbound listen binds a port;
    /// inside, without allowances, each is refused with the errno of a kernel without it; with
    /// the allowances, each works again; `--no-network` refuses them all even when allowed.
    @Test
    void socketKindsNeedAnAllowance(@TempDir Path tmp) throws Exception {
        Requires.that(ChildProcess.output("id", "-u").equals("0"), "creating packet and raw sockets needs root (CI runs as root)");
        Path program = Gcc.compile(KINDS, tmp);
        Result control = ChildProcess.run(line(program, OPS));
        assertEquals(Map.of("netlink", "OK lo", "packet", "OK", "raw", "OK", "listen", "OK bound", "bindlisten",
                "OK bound"), results(control), control::toString);

        Tree t = Tree.create(tmp);
        List<String> readProgram = List.of("--allow-read", program.toString());
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("netlink", "EAFNOSUPPORT");
        refused.put("packet", "EAFNOSUPPORT");
        refused.put("raw", "EPROTONOSUPPORT");
        refused.put("listen", "EACCES");
        refused.put("bindlisten", "EACCES");
        Result none = sandbox(t, readProgram, program, OPS);
        assertEquals(refused, results(none), none::toString);

        List<String> allowances = new ArrayList<>(readProgram);
        allowances.addAll(List.of("--allow-socket", "netlink", "--allow-socket", "packet", "--allow-socket", "raw",
                "--allow-bind", "0.0.0.0:0", "--allow-bind", "127.0.0.1:0"));
        Result allowed = sandbox(t, allowances, program, OPS);
        assertEquals(results(control), results(allowed), allowed::toString);

        List<String> noNetwork = new ArrayList<>(allowances);
        noNetwork.add("--no-network");
        Result none2 = sandbox(t, noNetwork, program, OPS);
        assertEquals(refused, results(none2), none2::toString);
    }

    /// An allowed bind of the address but not of every address: a listen without bind would
    /// take 0.0.0.0, which only `--allow-bind 0.0.0.0:0` allows.
    @Test
    void listenWithoutBindIsDecidedLikeBindingTheAnyAddress(@TempDir Path tmp) throws Exception {
        Path program = Gcc.compile(KINDS, tmp);
        Tree t = Tree.create(tmp);
        Result r = sandbox(t, List.of("--allow-read", program.toString(), "--allow-bind", "127.0.0.1:0"), program,
                List.of("listen", "bindlisten"));
        assertEquals(Map.of("listen", "EACCES", "bindlisten", "OK bound"), results(r), r::toString);
    }

    /// The master creates an allowed kind with the program's credentials: a uid-65534 program
    /// gets EPERM for packet and raw sockets, as it does without the sandbox, not root's socket.
    @Test
    void allowedKindsAreCreatedWithTheProgramsCredentials(@TempDir Path tmp) throws Exception {
        Requires.that(ChildProcess.output("id", "-u").equals("0"), "switching to uid 65534 needs root (CI runs as root)");
        Requires.programs("setpriv");
        Path program = Gcc.compile(KINDS, tmp);
        List<String> nobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--");
        List<String> asNobody = new ArrayList<>(nobody);
        asNobody.addAll(line(program, List.of("packet", "raw")));
        Result control = ChildProcess.run(asNobody);
        assertEquals(Map.of("packet", "EPERM", "raw", "EPERM"), results(control), control::toString);

        Tree t = Tree.create(tmp);
        Result r = sandbox(t, List.of("--allow-read", program.toString(), "--allow-socket", "packet", "--allow-socket",
                "raw"), asNobody.toArray(String[]::new));
        assertEquals(Map.of("packet", "EPERM", "raw", "EPERM"), results(r), r::toString);
    }

    private static List<String> line(Path program, List<String> ops) {
        List<String> line = new ArrayList<>();
        line.add(program.toString());
        line.addAll(ops);
        return line;
    }
}
