/// POSIX inter-process communication: shared memory objects and semaphores that other programs
/// (C, Python's `multiprocessing.shared_memory`) use by the same names.
///
/// - [SharedMemory] is the seed's POSIX shared memory (`Netsys_posix.shm_open`, `shm_unlink`,
///   `have_posix_shm`): named objects opened with [ShmFlag]s, resized, and mapped with
///   [SharedMemory#map] as a `MemorySegment` whose lifetime is an `Arena` the caller passes;
///   [SharedMemory#memfd] is the anonymous alternative.
///
/// ```java
/// try (Fd fd = SharedMemory.open("/ring", EnumSet.of(ShmFlag.READ_WRITE, ShmFlag.CREATE), 0600);
///         Arena arena = Arena.ofConfined()) {
///     SharedMemory.resize(fd, 4096);
///     MemorySegment ring = SharedMemory.map(fd, 0, 4096, MappingMode.READ_WRITE, arena);
///     ring.set(ValueLayout.JAVA_LONG, 0, 42);
/// } // the arena's close unmaps the memory; the object stays until SharedMemory.unlink("/ring")
/// ```
///
/// Names and flags are checked in Java before any native call. Every descriptor created here is
/// owned and close-on-exec. Each class states its thread safety.
package org.posix4j.ipc;
