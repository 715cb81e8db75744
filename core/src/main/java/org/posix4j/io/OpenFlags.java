package org.posix4j.io;

import org.posix4j.internal.FcntlH;

/// The open(2) flags [Fd#open(String, int, int)] takes, to be ORed together. O_CLOEXEC is not
/// listed: posix4j always adds it.
public final class OpenFlags {
    private OpenFlags() {}

    /// O_RDONLY: open for reading only.
    public static final int READ_ONLY = 0;
    /// O_WRONLY: open for writing only.
    public static final int WRITE_ONLY = 1;
    /// O_RDWR: open for reading and writing.
    public static final int READ_WRITE = 2;
    /// O_CREAT: create the file if it does not exist (the mode argument then applies).
    public static final int CREATE = 0100;
    /// O_EXCL: with CREATE, fail with EEXIST if the file exists.
    public static final int EXCLUSIVE = 0200;
    /// O_NOCTTY: a terminal opened this way never becomes the controlling terminal.
    public static final int NO_CONTROLLING_TTY = 0400;
    /// O_TRUNC: truncate an existing regular file to length 0.
    public static final int TRUNCATE = 01000;
    /// O_APPEND: every write goes to the end of the file.
    public static final int APPEND = 02000;
    /// O_NONBLOCK: reads and writes fail with EAGAIN instead of blocking.
    public static final int NON_BLOCKING = 04000;
    /// O_SYNC: writes return once data and metadata are on disk.
    public static final int SYNC = 04010000;
    /// O_DIRECTORY: fail with ENOTDIR unless the path is a directory. Its bit differs between
    /// architectures, so it is not a compile-time constant.
    public static final int DIRECTORY = FcntlH.O_DIRECTORY;
    /// O_PATH: a descriptor that names the file without opening its contents.
    public static final int PATH = 010000000;
    /// O_NOFOLLOW: fail with ELOOP if the last path component is a symbolic link. Its bit
    /// differs between architectures, so it is not a compile-time constant.
    public static final int NO_FOLLOW = FcntlH.O_NOFOLLOW;
}
