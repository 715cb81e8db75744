package org.posix4j.ipc;

/// The open flags of [SharedMemory#open]: the seed's `shm_open_flag` (`SHM_O_RDONLY`,
/// `SHM_O_RDWR`, `SHM_O_CREAT`, `SHM_O_EXCL`, `SHM_O_TRUNC`).
///
/// A set of flags holds exactly one of [#READ_ONLY] and [#READ_WRITE]; [#EXCLUSIVE] needs
/// [#CREATE], and [#TRUNCATE] needs [#READ_WRITE].
public enum ShmFlag {
    /// O_RDONLY: open for reading only. Equivalent to `SHM_O_RDONLY`.
    READ_ONLY,
    /// O_RDWR: open for reading and writing. Equivalent to `SHM_O_RDWR`.
    READ_WRITE,
    /// O_CREAT: create the object if it does not exist. Equivalent to `SHM_O_CREAT`.
    CREATE,
    /// O_EXCL: with [#CREATE], fail with EEXIST if the object exists. Equivalent to `SHM_O_EXCL`.
    EXCLUSIVE,
    /// O_TRUNC: truncate an existing object to zero bytes. Equivalent to `SHM_O_TRUNC`.
    TRUNCATE
}
