package org.posix4j.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;

/// A [ByteChannel] over an [Fd], reading with read(2) and writing with write(2). Direct buffers
/// are read and written in place; heap buffers go through a native bounce buffer. Closing the
/// channel closes the Fd. Not interruptible: a thread blocked in read stays blocked when another
/// closes the channel, as with the descriptor itself.
public final class FdChannel implements ByteChannel {
    private final Fd fd;
    private final NativeBuffer buffer = new NativeBuffer();

    FdChannel(Fd fd) {
        this.fd = fd;
    }

    /// The descriptor this channel reads and writes.
    public Fd fd() {
        return fd;
    }

    /// Reads into `dst` from its position; -1 at end of file.
    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        int want = dst.remaining();
        if (want == 0) {
            return 0;
        }
        if (dst.isDirect()) {
            int n = (int) fd.read(MemorySegment.ofBuffer(dst));
            dst.position(dst.position() + n);
            return n == 0 ? -1 : n;
        }
        buffer.lock.lock();
        try {
            MemorySegment seg = buffer.segment().asSlice(0, Math.min(want, NativeBuffer.SIZE));
            int n = (int) fd.read(seg);
            if (n == 0) {
                return -1;
            }
            dst.put(seg.asSlice(0, n).asByteBuffer());
            return n;
        } finally {
            buffer.lock.unlock();
        }
    }

    /// Writes from `src` at its position; answers how many bytes write(2) took.
    @Override
    public int write(ByteBuffer src) throws IOException {
        ensureOpen();
        int want = src.remaining();
        if (want == 0) {
            return 0;
        }
        if (src.isDirect()) {
            int n = (int) fd.write(MemorySegment.ofBuffer(src));
            src.position(src.position() + n);
            return n;
        }
        buffer.lock.lock();
        try {
            int chunk = Math.min(want, NativeBuffer.SIZE);
            MemorySegment seg = buffer.segment().asSlice(0, chunk);
            seg.asByteBuffer().put(src.slice(src.position(), chunk));
            int n = (int) fd.write(seg);
            src.position(src.position() + n);
            return n;
        } finally {
            buffer.lock.unlock();
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!fd.isOpen()) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public boolean isOpen() {
        return fd.isOpen();
    }

    @Override
    public void close() throws IOException {
        fd.close();
    }
}
