package org.posix4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/// An OutputStream over an [Fd], writing with write(2) until every byte is written. Closing it
/// closes the Fd.
final class FdOutputStream extends OutputStream {
    private final Fd fd;
    private final NativeBuffer buffer = new NativeBuffer();

    FdOutputStream(Fd fd) {
        this.fd = fd;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (!fd.isOpen()) {
            throw new IOException("stream closed: " + fd);
        }
        buffer.lock.lock();
        try {
            MemorySegment seg = buffer.segment();
            while (len > 0) {
                int chunk = Math.min(len, NativeBuffer.SIZE);
                MemorySegment.copy(b, off, seg, ValueLayout.JAVA_BYTE, 0, chunk);
                int done = 0;
                while (done < chunk) {
                    done += (int) fd.write(seg.asSlice(done, chunk - done));
                }
                off += chunk;
                len -= chunk;
            }
        } finally {
            buffer.lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        fd.close();
    }
}
