package org.posix4j.cli.command;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import org.posix4j.PosixException;
import org.posix4j.io.Fd;
import org.posix4j.ipc.MappingMode;
import org.posix4j.ipc.SharedMemory;
import org.posix4j.ipc.ShmFlag;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/// `posix4j ipc shm create|write|read|unlink NAME ...`: a POSIX shared memory object, through
/// [SharedMemory]. Reads and writes go through a MAP_SHARED mapping, so other processes that map
/// the object see the bytes at once.
@Command(
        name = "shm",
        mixinStandardHelpOptions = true,
        synopsisSubcommandLabel = "create|write|read|unlink",
        description = "POSIX shared memory objects; NAME is given with or without its leading '/'.",
        subcommands = {
            IpcShmCommand.Create.class, IpcShmCommand.Write.class, IpcShmCommand.Read.class,
            IpcShmCommand.Unlink.class
        })
final class IpcShmCommand {
    /// Creates the command; picocli fills in its options when it parses.
    IpcShmCommand() {}

    /// Checks that `offset` lies within the `size` bytes of object `name`.
    private static void checkOffset(String name, long offset, long size) {
        if (offset > size) {
            throw new IllegalArgumentException(
                    "offset " + offset + " is beyond the end of " + name + " (" + size + " bytes)");
        }
    }

    /// `shm create NAME SIZE [--mode MODE]`: shm_open with O_CREAT|O_EXCL, then ftruncate to SIZE.
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates the object NAME of SIZE zero bytes; fails if it exists.")
    static final class Create extends IpcCommand.Action {
        @Parameters(index = "0", paramLabel = "NAME", description = "The object's name.")
        private String name;

        @Parameters(index = "1", paramLabel = "SIZE", converter = IpcCommand.SizeConverter.class,
                description = "Its size in bytes.")
        private long size;

        @Option(names = "--mode", paramLabel = "MODE", converter = IpcCommand.ModeConverter.class,
                defaultValue = "0600",
                description = "Permission bits in octal, less the umask. Default: ${DEFAULT-VALUE}.")
        private int mode;

        @Override
        int run() throws IOException {
            String object = IpcCommand.objectName(name);
            try (Fd fd = SharedMemory.open(object,
                    EnumSet.of(ShmFlag.READ_WRITE, ShmFlag.CREATE, ShmFlag.EXCLUSIVE), mode)) {
                try {
                    SharedMemory.resize(fd, size);
                } catch (PosixException e) {
                    // Leave no empty object behind that a retry would then find existing.
                    SharedMemory.unlink(object);
                    throw e;
                }
            }
            return 0;
        }
    }

    /// `shm write NAME [--offset N]`: copies standard input into the object from N.
    @Command(name = "write", mixinStandardHelpOptions = true,
            description = "Copies standard input into NAME from --offset on. Nothing is written if the input"
                    + " does not fit between the offset and the end of the object.")
    static final class Write extends IpcCommand.Action {
        @Parameters(index = "0", paramLabel = "NAME", description = "The object's name.")
        private String name;

        @Option(names = "--offset", paramLabel = "N", converter = IpcCommand.SizeConverter.class,
                defaultValue = "0", description = "Where the first byte goes. Default: ${DEFAULT-VALUE}.")
        private long offset;

        @Override
        int run() throws IOException {
            String object = IpcCommand.objectName(name);
            try (Fd fd = SharedMemory.open(object, EnumSet.of(ShmFlag.READ_WRITE), 0);
                    Arena arena = Arena.ofConfined()) {
                long size = SharedMemory.size(fd);
                checkOffset(object, offset, size);
                // All of the input first, so that input too long changes nothing.
                byte[] input = System.in.readAllBytes();
                if (input.length > size - offset) {
                    throw new IllegalArgumentException("the input (" + input.length + " bytes) does not fit in "
                            + object + " from offset " + offset + " (" + size + " bytes)");
                }
                // mmap(2) refuses an empty mapping, and an empty input has nothing to map for.
                if (input.length > 0) {
                    MemorySegment.copy(MemorySegment.ofArray(input), 0,
                            SharedMemory.map(fd, 0, size, MappingMode.READ_WRITE, arena), offset, input.length);
                }
            }
            return 0;
        }
    }

    /// `shm read NAME [--offset N] [--length N]`: copies bytes of the object to standard output.
    @Command(name = "read", mixinStandardHelpOptions = true,
            description = "Copies --length bytes of NAME from --offset on to standard output.")
    static final class Read extends IpcCommand.Action {
        @Parameters(index = "0", paramLabel = "NAME", description = "The object's name.")
        private String name;

        @Option(names = "--offset", paramLabel = "N", converter = IpcCommand.SizeConverter.class,
                defaultValue = "0", description = "The first byte to read. Default: ${DEFAULT-VALUE}.")
        private long offset;

        @Option(names = "--length", paramLabel = "N", converter = IpcCommand.SizeConverter.class,
                description = "How many bytes. Default: up to the end of the object.")
        private Long length;

        @Override
        int run() throws IOException {
            String object = IpcCommand.objectName(name);
            try (Fd fd = SharedMemory.open(object, EnumSet.of(ShmFlag.READ_ONLY), 0);
                    Arena arena = Arena.ofConfined()) {
                long size = SharedMemory.size(fd);
                checkOffset(object, offset, size);
                long count = length == null ? size - offset : length;
                if (count > size - offset) {
                    throw new IllegalArgumentException("offset " + offset + " + length " + count
                            + " is beyond the end of " + object + " (" + size + " bytes)");
                }
                // mmap(2) refuses an empty mapping, and there is nothing to print then.
                if (count > 0) {
                    // Straight from the mapping to fd 1: no copy through the Java heap.
                    MemorySegment bytes =
                            SharedMemory.map(fd, 0, size, MappingMode.READ_ONLY, arena).asSlice(offset, count);
                    Fd out = Fd.stdout();
                    for (long done = 0; done < count; ) {
                        done += out.write(bytes.asSlice(done));
                    }
                }
            }
            return 0;
        }
    }

    /// `shm unlink NAME`: shm_unlink.
    @Command(name = "unlink", mixinStandardHelpOptions = true,
            description = "Removes the name NAME; processes that have the object mapped keep it.")
    static final class Unlink extends IpcCommand.Action {
        @Parameters(index = "0", paramLabel = "NAME", description = "The object's name.")
        private String name;

        @Override
        int run() throws IOException {
            SharedMemory.unlink(IpcCommand.objectName(name));
            return 0;
        }
    }
}
