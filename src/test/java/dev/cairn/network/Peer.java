package dev.cairn.network;

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

/**
 * A raw TCP client for network tests: any server address, optionally from a chosen
 * source address, exact bytes in and out, and a reader for one RESP reply at a time.
 * A connection reset by the server counts as closed.
 */
final class Peer implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private Peer(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static Peer connect(String host, int port) throws IOException {
        return new Peer(new Socket(host, port));
    }

    /** Connects from {@code source} (a local address of this machine) to host:port. */
    static Peer connectFrom(String source, String host, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        s.connect(new InetSocketAddress(InetAddress.getByName(host), port), 10_000);
        return new Peer(s);
    }

    /** A client that reads nothing and offers a small receive window. */
    static Peer slowReader(int port) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        return new Peer(s);
    }

    Peer send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    Peer send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends a command as a RESP multibulk request. */
    Peer command(String... args) throws IOException {
        return send(resp(args));
    }

    static String resp(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        return sb.toString();
    }

    /** Sends a command and returns its reply in RESP form. */
    String call(String... args) throws IOException {
        command(args);
        return readReply();
    }

    /** Shuts the sending side down, as {@code nc -N} does at the end of its input. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    String read(int length) throws IOException {
        return new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    /** Reads one complete RESP reply and returns its bytes as text. */
    String readReply() throws IOException {
        StringBuilder sb = new StringBuilder();
        readReply(sb);
        return sb.toString();
    }

    private void readReply(StringBuilder sb) throws IOException {
        String line = readLine();
        sb.append(line).append("\r\n");
        char type = line.charAt(0);
        long n = type == '$' || type == '*' || type == '%' || type == '~' ? Long.parseLong(line.substring(1)) : 0;
        if (type == '$' && n >= 0) {
            sb.append(read((int) n + 2));
        } else if ((type == '*' || type == '~') && n > 0) {
            for (long i = 0; i < n; i++) readReply(sb);
        } else if (type == '%') {
            for (long i = 0; i < 2 * n; i++) readReply(sb);
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) throw new IOException("closed by the server after: " + line);
            if (prev == '\r' && b == '\n') break;
            if (prev >= 0) line.write(prev);
            prev = b;
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Everything the server sends until it closes the connection (10 s at most). */
    String readUntilClosed() throws IOException {
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
    String readUntilClosedOrQuiet(int quietMillis) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        socket.setSoTimeout(quietMillis);
        try {
            int n;
            while ((n = in.read(buf)) >= 0) all.write(buf, 0, n);
        } catch (SocketTimeoutException | SocketException e) {
            // quiet, or reset by the server
        } finally {
            if (!socket.isClosed()) socket.setSoTimeout(10_000);
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    /** Waits (10 s at most) for the server to close, discarding what it sends; true if it did. */
    boolean closedByServer() throws IOException {
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

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
