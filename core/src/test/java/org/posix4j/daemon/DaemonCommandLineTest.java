package org.posix4j.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.testing.ChildJvm;

/// The @argfile syntax as the real java launcher reads it, against [DaemonCommandLine#tokens].
class DaemonCommandLineTest {

    /// Prints the system properties named by its arguments, one per line, escaped.
    public static final class Properties {
        public static void main(String[] args) {
            for (String name : args) {
                System.out.println(name + "=" + System.getProperty(name).replace("\n", "\\n").replace("\t", "\\t"));
            }
        }
    }

    @Test
    void argFilesAreSplitAsTheLauncherSplitsThem(@TempDir Path dir) throws Exception {
        String text = """
                # a comment line, then options separated by blanks, tabs and newlines
                -Dp1="two words"   -Dp2='single "quoted"'\t-Dp3=plain
                -Dp4="tab\\there, newline\\nthere, backslash\\\\, quote\\" end"
                "-Dp5=joined \\
                      line"
                -Dp6='unterminated quote ends with its line
                -Dp7=a'b c'd
                """;
        Path file = Files.writeString(dir.resolve("args"), text);
        List<String> tokens = DaemonCommandLine.tokens(text);
        List<String> names = List.of("p1", "p2", "p3", "p4", "p5", "p6", "p7");
        assertEquals(names.size(), tokens.size(), tokens::toString);
        List<String> command = new ArrayList<>(ChildJvm.command(List.of("@" + file), Properties.class,
                names.toArray(String[]::new)));
        ChildJvm.Result r;
        try (ChildJvm child = ChildJvm.start(new ProcessBuilder(command))) {
            r = child.finish().assertSuccess();
        }
        for (int i = 0; i < names.size(); i++) {
            String token = tokens.get(i);
            assertEquals("-D" + r.stdout().get(i), token.replace("\n", "\\n").replace("\t", "\\t"),
                    "what the launcher made of the same line");
        }
    }
}
