import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/// A build step of the cli module (run by Maven after it copies the runtime dependencies to
/// `target/lib`, with `java UpgradeOldClasses.java DIR`): rewrites, in every jar of DIR, the
/// classes older than class file version 50 as version 52, with the stack map frames that
/// version requires, computed by the JDK's class-file API. Nothing else in a class changes.
///
/// Why: HotSpot verifies such old classes (picocli's are version 49, for Java 5) with the old
/// type-inferring verifier, and leaves every one linked in a training run out of an AOT cache.
/// The launchers' caches then held none of picocli's classes, and every start of the command
/// read, parsed and verified some 180 of them from the jar: about 40 ms of a sandbox's start.
///
/// A jar without old classes is left untouched, so running this again changes nothing. A signed
/// jar with old classes stops the build: rewriting them would break its signature.
public final class UpgradeOldClasses {
    private static final int FIRST_WITH_FRAMES = 50;
    private static final int TARGET = 52;

    private UpgradeOldClasses() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1 || !Files.isDirectory(Path.of(args[0]))) {
            System.err.println("usage: java UpgradeOldClasses.java DIRECTORY-OF-JARS");
            System.exit(2);
        }
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of(args[0]), "*.jar")) {
            dir.forEach(jars::add);
        }
        for (Path jar : jars) {
            int upgraded = upgrade(jar);
            if (upgraded > 0) {
                System.out.println("UpgradeOldClasses: " + jar.getFileName() + ": " + upgraded
                        + " classes rewritten as class file version " + TARGET);
            }
        }
    }

    /// Rewrites `jar` in place when it holds old classes; answers how many were rewritten.
    private static int upgrade(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(zip.entries());
            boolean old = false;
            for (ZipEntry e : entries) {
                if (isClass(e) && majorVersion(zip, e) < FIRST_WITH_FRAMES) {
                    old = true;
                    break;
                }
            }
            if (!old) {
                return 0;
            }
            for (ZipEntry e : entries) {
                String name = e.getName().toUpperCase(Locale.ROOT);
                if (name.startsWith("META-INF/") && (name.endsWith(".SF") || name.endsWith(".RSA")
                        || name.endsWith(".DSA") || name.endsWith(".EC"))) {
                    throw new IOException(jar + " is signed and holds classes older than version "
                            + FIRST_WITH_FRAMES + ": rewriting them would break its signature");
                }
            }
            // Frames merge types, so the resolver must see the jar's own classes besides the JDK's.
            try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                    ClassLoader.getPlatformClassLoader())) {
                ClassFile classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                        ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.ofClassLoading(loader)));
                // Every method body is rebuilt (not copied) so that its frames are generated.
                ClassTransform rewrite = ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                        .andThen(ClassTransform.endHandler(b -> b.withVersion(TARGET, 0)));
                Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
                int count = 0;
                try (OutputStream out = Files.newOutputStream(tmp); ZipOutputStream zout = new ZipOutputStream(out)) {
                    for (ZipEntry e : entries) {
                        byte[] bytes = zip.getInputStream(e).readAllBytes();
                        if (isClass(e)) {
                            ClassModel model = classFile.parse(bytes);
                            if (model.majorVersion() < FIRST_WITH_FRAMES) {
                                bytes = classFile.transformClass(model, rewrite);
                                count++;
                            }
                        }
                        ZipEntry copy = new ZipEntry(e.getName());
                        copy.setTime(e.getTime());
                        zout.putNextEntry(copy);
                        zout.write(bytes);
                        zout.closeEntry();
                    }
                }
                Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
                return count;
            }
        }
    }

    /// A class of the jar's unversioned part: module-info and the classes under META-INF/versions
    /// are for newer JDKs already.
    private static boolean isClass(ZipEntry e) {
        return e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")
                && !e.getName().endsWith("module-info.class");
    }

    private static int majorVersion(ZipFile zip, ZipEntry e) throws IOException {
        try (var in = zip.getInputStream(e)) {
            byte[] head = in.readNBytes(8);
            return head.length < 8 ? Integer.MAX_VALUE : (head[6] & 0xff) << 8 | head[7] & 0xff;
        }
    }
}
