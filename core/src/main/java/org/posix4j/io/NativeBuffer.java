package org.posix4j.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.ReentrantLock;

/// A native bounce buffer for copying between Java heap arrays and read(2)/write(2), owned by one
/// stream or channel and guarded by its lock. The memory is released by the garbage collector
/// once the stream is unreachable; it holds no kernel resource.
final class NativeBuffer {
    static final int SIZE = 64 * 1024;

    final ReentrantLock lock = new ReentrantLock();
    private MemorySegment segment;

    /// The buffer; call with [#lock] held.
    MemorySegment segment() {
        if (segment == null) {
            segment = Arena.ofAuto().allocate(SIZE);
        }
        return segment;
    }
}
