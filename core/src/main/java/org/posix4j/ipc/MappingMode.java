package org.posix4j.ipc;

/// How [SharedMemory#map] maps a descriptor: the protection of the pages and whether the answered
/// segment is read-only.
public enum MappingMode {
    /// PROT_READ; the segment is read-only, and writing it throws `IllegalArgumentException`
    /// (FFM's answer for a read-only segment).
    /// The descriptor must be open for reading.
    READ_ONLY,
    /// PROT_READ | PROT_WRITE; writes reach the object and every other mapping of it (MAP_SHARED).
    /// The descriptor must be open for reading and writing.
    READ_WRITE
}
