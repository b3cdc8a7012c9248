package dev.cairn.serverinfo;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal RESP connection for these tests: sends a command and returns its complete
 * reply as raw text (RESP2 or RESP3), so replies can be compared byte for byte with a
 * real Redis even when their length is not known in advance.
 */
final class RespClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RespClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends a command and reads its reply. */
    String call(String... args) throws IOException {
        send(args);
        return read();
    }

    void send(String... args) throws IOException {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n").append(a).append("\r\n");
        }
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads one complete reply. */
    String read() throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        readInto(reply);
        return reply.toString(StandardCharsets.ISO_8859_1);
    }

    /** True when the server closed the connection (no more bytes). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    private void readInto(ByteArrayOutputStream reply) throws IOException {
        String line = readLine();
        reply.writeBytes((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        char type = line.charAt(0);
        long n = type == '_' ? 0 : switch (type) {
            case '$', '=', '*', '%', '~', '>' -> Long.parseLong(line.substring(1));
            default -> 0;
        };
        switch (type) {
            case '$', '=' -> {
                if (n >= 0) reply.writeBytes(in.readNBytes((int) n + 2));
            }
            case '*', '~', '>' -> {
                for (long i = 0; i < n; i++) readInto(reply);
            }
            case '%' -> {
                for (long i = 0; i < 2 * n; i++) readInto(reply);
            }
            default -> { }
        }
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\r') {
                in.read();
                return sb.toString();
            }
            sb.append((char) b);
        }
        throw new IOException("connection closed; got: " + sb);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
