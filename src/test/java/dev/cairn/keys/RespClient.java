package dev.cairn.keys;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A minimal RESP2 client for differential tests: sends a command, reads exactly one
 * reply and returns it both as raw bytes (for byte-for-byte comparison) and parsed
 * (for replies whose element order is unspecified, such as KEYS).
 */
final class RespClient implements AutoCloseable {
    /** One reply: its exact bytes, and its value (String status/error with its prefix, Long, byte[], List, null). */
    record Reply(String raw, Object value) {
        /** The elements of an array reply as text, sorted (for KEYS and SCAN key lists). */
        List<String> sortedStrings() {
            List<String> out = new ArrayList<>();
            for (Object o : (List<?>) value) out.add(new String((byte[]) o, StandardCharsets.ISO_8859_1));
            out.sort(Comparator.naturalOrder());
            return out;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private ByteArrayOutputStream rawCopy;

    RespClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    Reply call(String... args) throws IOException {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) bytes[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        return call(bytes);
    }

    Reply call(byte[]... args) throws IOException {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            req.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            req.writeBytes(a);
            req.writeBytes(new byte[] {'\r', '\n'});
        }
        out.write(req.toByteArray());
        out.flush();
        rawCopy = new ByteArrayOutputStream();
        Object value = readValue();
        return new Reply(rawCopy.toString(StandardCharsets.ISO_8859_1), value);
    }

    private Object readValue() throws IOException {
        int type = readByte();
        String line = readLine();
        switch (type) {
            case '+', '-':
                return (char) type + line;
            case ':':
                return Long.parseLong(line);
            case '$': {
                int len = Integer.parseInt(line);
                if (len < 0) return null;
                byte[] data = in.readNBytes(len + 2);
                rawCopy.writeBytes(data);
                byte[] body = new byte[len];
                System.arraycopy(data, 0, body, 0, len);
                return body;
            }
            case '*': {
                int len = Integer.parseInt(line);
                if (len < 0) return null;
                List<Object> items = new ArrayList<>(len);
                for (int i = 0; i < len; i++) items.add(readValue());
                return items;
            }
            default:
                throw new IOException("unexpected reply type " + (char) type);
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) throw new IOException("connection closed");
        rawCopy.write(b);
        return b;
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = readByte();
            if (b == '\r') {
                readByte();
                return sb.toString();
            }
            sb.append((char) b);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
