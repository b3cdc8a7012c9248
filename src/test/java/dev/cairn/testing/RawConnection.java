package dev.cairn.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A bare TCP connection for asserting exact reply bytes, against Cairn or a real
 * redis-server: send raw bytes or a command as a RESP multibulk request, then read one
 * complete reply ({@link RespReader}), an expected number of bytes, or everything until
 * the server closes. Text is Latin-1 both ways (one char per byte), so any byte string
 * can be sent and compared. A connection reset by the server counts as closed.
 */
public final class RawConnection implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** Connects to 127.0.0.1:port. */
    public RawConnection(int port) throws IOException {
        this(new Socket("127.0.0.1", port));
    }

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(TIMEOUT_MILLIS);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    public static RawConnection connect(String host, int port) throws IOException {
        return new RawConnection(new Socket(host, port));
    }

    /** Connects from {@code source} (a local address of this machine) to host:port. */
    public static RawConnection connectFrom(String source, String host, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        s.connect(new InetSocketAddress(InetAddress.getByName(host), port), TIMEOUT_MILLIS);
        return new RawConnection(s);
    }

    /** A client that reads nothing and offers a small receive window. */
    public static RawConnection slowReader(int port) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
        return new RawConnection(s);
    }

    /** A command as a RESP multibulk request, its arguments' chars taken as bytes (Latin-1). */
    public static String request(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        return sb.toString();
    }

    /** A command of binary arguments as a RESP multibulk request. */
    public static byte[] request(List<byte[]> args) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("*" + args.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            request.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(a);
            request.writeBytes(new byte[] {'\r', '\n'});
        }
        return request.toByteArray();
    }

    public RawConnection send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawConnection send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends a command as a RESP multibulk request ({@link #request(String...)}). */
    public RawConnection command(String... args) throws IOException {
        return send(request(args));
    }

    /** Sends a command and returns its reply, byte for byte. */
    public String call(String... args) throws IOException {
        return command(args).readReply();
    }

    /** Reads exactly one complete RESP2 or RESP3 reply, byte for byte ({@link RespReader}). */
    public String readReply() throws IOException {
        return new RespReader(in).read();
    }

    /** Reads {@code length} bytes (fewer if the server closes first) and returns them as text. */
    public String read(int length) throws IOException {
        return new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    /** Reads exactly the length of {@code expected}, for assertEquals(expected, readLike(expected)). */
    public String readLike(String expected) throws IOException {
        return read(expected.length());
    }

    /** Everything the server sends until it closes the connection (10 s at most). */
    public String readUntilClosed() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) all.write(buf, 0, n);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection; got: " + all);
        } catch (SocketException e) {
            // reset: the server closed with our unread request bytes still queued
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    /** What the server sends until it closes or sends nothing for {@code quietMillis}. */
    public String readUntilClosedOrQuiet(int quietMillis) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        socket.setSoTimeout(quietMillis);
        try {
            int n;
            while ((n = in.read(buf)) >= 0) all.write(buf, 0, n);
        } catch (SocketTimeoutException | SocketException e) {
            // quiet, or reset by the server
        } finally {
            if (!socket.isClosed()) socket.setSoTimeout(TIMEOUT_MILLIS);
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    /** Waits (10 s at most) for the server to close, discarding what it sends; true if it did. */
    public boolean closedByServer() throws IOException {
        byte[] buf = new byte[1 << 20];
        try {
            while (in.read(buf) >= 0) {
                // discard
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    /** Shuts the sending side down, as {@code nc -N} does at the end of its input. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
