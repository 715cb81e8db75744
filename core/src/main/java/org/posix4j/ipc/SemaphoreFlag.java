package org.posix4j.ipc;

/// How [NamedSemaphore#open] treats a name: the seed's `sem_open_flag`.
///
/// Thread safety: immutable.
public enum SemaphoreFlag {
    /// O_CREAT: create the semaphore, with the given mode and initial value, if it does not exist.
    /// Equivalent to `Netsys_posix.SEM_O_CREAT`.
    CREATE,
    /// O_EXCL, only with [#CREATE]: fail with EEXIST if the semaphore already exists.
    /// Equivalent to `Netsys_posix.SEM_O_EXCL`.
    EXCLUSIVE
}
