package dev.cairn.introspection;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A connection that sends commands and returns each reply's exact bytes (as Latin-1
 * text), reading exactly one complete RESP2/RESP3 reply per command. Used to compare
 * Cairn's replies with real Redis's byte for byte when their length is not known in
 * advance.
 */
final class Resp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Resp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends the command and returns its whole reply, bytes as Latin-1 characters. */
    String call(String... args) throws IOException {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.ISO_8859_1);
            sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
        }
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        readReply(reply);
        return reply.toString(StandardCharsets.ISO_8859_1);
    }

    private void readReply(ByteArrayOutputStream into) throws IOException {
        String line = readLine(into);
        char type = line.charAt(0);
        switch (type) {
            case '$', '=', '!' -> {
                long n = Long.parseLong(line.substring(1));
                if (n >= 0) into.write(in.readNBytes((int) n + 2));
            }
            case '*', '~', '>' -> {
                long n = Long.parseLong(line.substring(1));
                for (long i = 0; i < n; i++) readReply(into);
            }
            case '%', '|' -> {
                long n = Long.parseLong(line.substring(1));
                for (long i = 0; i < 2 * n; i++) readReply(into);
            }
            default -> { } // +, -, :, ,, #, _, ( carry their value on the line
        }
    }

    private String readLine(ByteArrayOutputStream into) throws IOException {
        StringBuilder sb = new StringBuilder();
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed");
            into.write(b);
            if (prev == '\r' && b == '\n') return sb.substring(0, sb.length() - 1);
            sb.append((char) b);
            prev = b;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
