package dev.cairn.persistence;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Bytes of AOF text being built: commands in RESP ({@code *3\r\n$3\r\nSET\r\n...}),
 * timestamp annotations, and the draining of it all to a file. Redis's aof_buf and the
 * rewrite's rio buffer.
 */
final class AofCommandBuffer {
    private byte[] bytes = new byte[4096];
    private int length;

    int length() {
        return length;
    }

    boolean isEmpty() {
        return length == 0;
    }

    void command(byte[][] argv) {
        header('*', argv.length);
        for (byte[] a : argv) bulk(a);
    }

    /** The start of a command of {@code argc} arguments, followed by {@link #bulk} calls. */
    void header(char kind, long n) {
        ensure(24);
        bytes[length++] = (byte) kind;
        digits(n);
        bytes[length++] = '\r';
        bytes[length++] = '\n';
    }

    void bulk(byte[] a) {
        bulk(a, 0, a.length);
    }

    void bulk(byte[] a, int off, int len) {
        header('$', len);
        ensure(len + 2);
        System.arraycopy(a, off, bytes, length, len);
        length += len;
        bytes[length++] = '\r';
        bytes[length++] = '\n';
    }

    void bulk(String s) {
        bulk(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    void bulk(long n) {
        bulk(Long.toString(n));
    }

    /** {@code #TS:<unix seconds>\r\n}, the annotation aof-timestamp-enabled adds. */
    void timestamp(long seconds) {
        byte[] text = ("#TS:" + seconds + "\r\n").getBytes(StandardCharsets.US_ASCII);
        ensure(text.length);
        System.arraycopy(text, 0, bytes, length, text.length);
        length += text.length;
    }

    private void digits(long n) {
        byte[] text = Long.toString(n).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, bytes, length, text.length);
        length += text.length;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }

    /** Writes everything to the channel and empties the buffer; returns the bytes written. */
    int writeTo(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes, 0, length);
        while (buf.hasRemaining()) channel.write(buf);
        int written = length;
        clear();
        return written;
    }

    void drainTo(OutputStream out) throws IOException {
        out.write(bytes, 0, length);
        clear();
    }

    void clear() {
        length = 0;
        // A burst (a large MULTI, a rewrite) must not pin a large array forever.
        if (bytes.length > 1 << 20) bytes = new byte[4096];
    }
}
