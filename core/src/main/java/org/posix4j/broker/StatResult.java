package org.posix4j.broker;

import java.time.Instant;

/// The result of an arbitrated `stat` or `lstat`, with the fields the seed lists. The master
/// writes it into the program's `struct stat` or `struct statx`, whichever the program asked
/// for.
///
/// @param dev the device the file is on, as `makedev(major, minor)`
/// @param ino the inode number
/// @param mode the file type and mode bits (`st_mode`)
/// @param nlink the number of hard links
/// @param uid the owner
/// @param gid the group
/// @param rdev the device a device file stands for
/// @param size the size in bytes
/// @param atime the last access
/// @param mtime the last modification
/// @param ctime the last status change
/// @param blksize the preferred I/O size
/// @param blocks the number of 512-byte blocks allocated
public record StatResult(long dev, long ino, int mode, long nlink, int uid, int gid, long rdev, long size,
        Instant atime, Instant mtime, Instant ctime, long blksize, long blocks) {

    /// The file type bits of `mode` (S_IFMT).
    public static final int S_IFMT = 0170000;

    /// The seed's `type`: "regular", "directory", "symlink", "block", "character", "fifo",
    /// "socket", or "unknown".
    public String type() {
        return switch (mode & S_IFMT) {
            case 0100000 -> "regular";
            case 0040000 -> "directory";
            case 0120000 -> "symlink";
            case 0060000 -> "block";
            case 0020000 -> "character";
            case 0010000 -> "fifo";
            case 0140000 -> "socket";
            default -> "unknown";
        };
    }
}
