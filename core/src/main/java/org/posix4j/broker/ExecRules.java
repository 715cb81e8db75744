package org.posix4j.broker;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.posix4j.PosixException;
import org.posix4j.landlock.Compatibility;
import org.posix4j.landlock.FsAccess;
import org.posix4j.landlock.Ruleset;

/// The Landlock ruleset that makes the kernel refuse to execute what a [Policy] does not let
/// the program read: it handles only [FsAccess#EXECUTE], granted beneath every tree the
/// policy allows reading (read, read-write and create allowances; not temporary-only ones),
/// less the denied paths.
///
/// Landlock grants beneath a directory and cannot carve a hole in it, so for a denied path D
/// inside an allowed tree T the rule goes not on T but on every entry of each directory along
/// the path from T down to D, except the one leading to D. Entries created in those directories
/// after the rules are made are then not executable, which is stricter than the policy.
/// Symbolic links get no rule: exec of a link is checked where it leads.
final class ExecRules {
    private static final Set<FsAccess> EXECUTE = Set.of(FsAccess.EXECUTE);

    private ExecRules() {}

    /// The ruleset for `policy`.
    ///
    /// @throws UnsupportedOperationException if the kernel has no Landlock
    /// @throws IOException if a directory on the way to a denied path cannot be listed, or the
    ///     kernel refuses the ruleset or a rule
    static Ruleset of(Policy policy) throws IOException {
        Ruleset ruleset = Ruleset.builder().handle(FsAccess.EXECUTE).compatibility(Compatibility.STRICT).build();
        try {
            Set<String> done = new HashSet<>();
            for (Policy.Rule r : policy.allows()) {
                // Several allowances may name one tree (/lib and /usr/lib on a merged /usr).
                if (r.level() != Policy.Level.TEMPORARY && done.add(r.path())) {
                    allowTree(ruleset, r, policy.denies());
                }
            }
        } catch (RuntimeException | IOException e) {
            try {
                ruleset.close();
            } catch (PosixException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return ruleset;
    }

    private static void allowTree(Ruleset ruleset, Policy.Rule rule, List<String> denies) throws IOException {
        String tree = rule.path();
        if (denied(tree, denies)) {
            return;
        }
        boolean directory = tree.equals(rule.anchorPath());
        if (directory && deniedBelow(tree, denies)) {
            expand(ruleset, tree, denies);
        } else if (directory) {
            ruleset.allow(rule.anchor(), EXECUTE);
        } else {
            ruleset.allow(Path.of(Paths.display(tree)), EXECUTE, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /// Rules on the entries of `dir`, a directory above a denied path, down to the denied paths.
    private static void expand(Ruleset ruleset, String dir, List<String> denies) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of(Paths.display(dir)))) {
            for (Path entry : entries) {
                String raw = Paths.join(dir, Paths.raw(entry.getFileName().toString()));
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                if (a.isSymbolicLink() || denied(raw, denies)) {
                    continue;
                }
                if (a.isDirectory() && deniedBelow(raw, denies)) {
                    expand(ruleset, raw, denies);
                    continue;
                }
                try {
                    // NOFOLLOW: an entry swapped for a link since it was looked at gets a rule on
                    // the link, which grants nothing, never on where the link leads.
                    ruleset.allow(entry, EXECUTE, LinkOption.NOFOLLOW_LINKS);
                } catch (PosixException e) {
                    if (!e.isNotFound()) {
                        throw e;
                    }
                }
            }
        }
    }

    private static boolean denied(String path, List<String> denies) {
        return denies.stream().anyMatch(d -> Paths.isUnder(path, d));
    }

    private static boolean deniedBelow(String dir, List<String> denies) {
        return denies.stream().anyMatch(d -> !d.equals(dir) && Paths.isUnder(d, dir));
    }
}
