package org.posix4j.ipc;

/// Optional flags of [SharedMemory#memfd]. MFD_CLOEXEC is always set and so is not listed.
public enum MemoryFdFlag {
    /// MFD_ALLOW_SEALING: the descriptor accepts seals (fcntl F_ADD_SEALS), so a receiver can
    /// rely on the size or content not changing. Without it the object is sealed with F_SEAL_SEAL.
    ALLOW_SEALING
}
