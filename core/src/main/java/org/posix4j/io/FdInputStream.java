package org.posix4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/// An InputStream over an [Fd], reading with read(2). Closing it closes the Fd.
final class FdInputStream extends InputStream {
    private final Fd fd;
    private final NativeBuffer buffer = new NativeBuffer();

    FdInputStream(Fd fd) {
        this.fd = fd;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (!fd.isOpen()) {
            throw new IOException("stream closed: " + fd);
        }
        if (len == 0) {
            return 0;
        }
        buffer.lock.lock();
        try {
            MemorySegment seg = buffer.segment().asSlice(0, Math.min(len, NativeBuffer.SIZE));
            int n = (int) fd.read(seg);
            if (n == 0) {
                return -1;
            }
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, 0, b, off, n);
            return n;
        } finally {
            buffer.lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        fd.close();
    }
}
