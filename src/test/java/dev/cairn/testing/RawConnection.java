package dev.cairn.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A bare TCP connection for asserting exact reply bytes: send raw request bytes, read
 * until an expected number of bytes or the server closes.
 */
public final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public RawConnection send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawConnection send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends a command as a RESP multibulk request. */
    public RawConnection command(String... args) throws IOException {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return send(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Reads exactly as many bytes as {@code expected} has and returns them as text. */
    public String read(int length) throws IOException {
        byte[] buf = in.readNBytes(length);
        return new String(buf, StandardCharsets.ISO_8859_1);
    }

    /** Reads exactly the length of {@code expected}, for assertEquals(expected, readLike(expected)). */
    public String readLike(String expected) throws IOException {
        return read(expected.getBytes(StandardCharsets.ISO_8859_1).length);
    }

    /** Reads exactly one complete RESP2 or RESP3 reply, byte for byte ({@link RespReader}). */
    public String readReply() throws IOException {
        return new RespReader(in).read();
    }

    /** Reads everything until the server closes the connection (or 5 s pass). */
    public String readUntilClosed() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) all.write(buf, 0, n);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("server did not close the connection; got: " + all);
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    /** True when the server has closed the connection. */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
