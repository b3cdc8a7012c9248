package dev.cairn.tracking;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RawConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client-side caching session against one server, written down as it goes: named raw
 * connections (a tracker, a writer, a subscriber...), each command with its reply, and
 * each push read. Run the same session on Cairn and on redis-server and compare the
 * transcripts. Client ids differ between servers: a session names a connection's id
 * {@code <id:name>} ({@link #id}), replaced by the id when sent, and an integer reply equal
 * to an id is written that way where the session asks for it ({@link #callShowingIds}).
 */
final class TrackingSession implements AutoCloseable {
    private final int port;
    private final Map<String, RawConnection> connections = new LinkedHashMap<>();
    private final Map<String, String> ids = new LinkedHashMap<>();
    private final StringBuilder transcript = new StringBuilder();

    TrackingSession(int port) {
        this.port = port;
    }

    /** Opens a connection named {@code name} (RESP2 until it says HELLO 3). */
    TrackingSession open(String name) {
        try {
            RawConnection c = new RawConnection(port);
            connections.put(name, c);
            String reply = c.call("CLIENT", "ID");
            ids.put(name, reply.substring(1, reply.length() - 2));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A connection's client id as an argument: written down as its name, sent as the id. */
    static String id(String name) {
        return "<id:" + name + ">";
    }

    private String[] resolved(String[] args) {
        String[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i].startsWith("<id:") && out[i].endsWith(">")) out[i] = ids.get(out[i].substring(4, out[i].length() - 1));
        }
        return out;
    }

    /** Sends a command on a connection and writes it down with the reply that follows. */
    String call(String name, String... args) {
        return record(name, args, false);
    }

    /** As {@link #call}, with integers equal to a connection's id written as that connection's. */
    String callShowingIds(String name, String... args) {
        return record(name, args, true);
    }

    private String record(String name, String[] args, boolean showIds) {
        try {
            String reply = connections.get(name).call(resolved(args));
            String shown = showIds ? maskIds(reply) : reply;
            transcript.append(name).append("> ").append(render(args)).append("\n  ").append(visible(shown)).append('\n');
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a command and reads its reply without writing the reply down (HELLO: its reply holds the id). */
    void quiet(String name, String... args) {
        try {
            connections.get(name).call(resolved(args));
            transcript.append(name).append("> ").append(render(args)).append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a command that replies nothing (after CLIENT REPLY OFF). */
    void send(String name, String... args) {
        try {
            connections.get(name).command(resolved(args));
            transcript.append(name).append("> ").append(render(args)).append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until INFO's line {@code field:value} reads so (a closed connection is freed a moment later). */
    void awaitInfo(String name, String field, String value) {
        Eventually.until(field + ":" + value, () -> {
            try {
                return connections.get(name).call("INFO", "everything").contains("\n" + field + ":" + value + "\r\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Sends commands in one write (one read for the server, so one event-loop turn) and writes each reply down. */
    void pipeline(String name, String[]... commands) {
        try {
            StringBuilder all = new StringBuilder();
            for (String[] command : commands) all.append(RawConnection.request(resolved(command)));
            RawConnection c = connections.get(name);
            c.send(all.toString());
            for (String[] command : commands) {
                transcript.append(name).append("> ").append(render(command)).append("\n  ")
                        .append(visible(c.readReply())).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the next reply or push on a connection (waiting for it) and writes it down. */
    String read(String name) {
        return readMasked(name, false);
    }

    /** As {@link #read}, with integers equal to a connection's id written as that connection's. */
    String readShowingIds(String name) {
        return readMasked(name, true);
    }

    private String readMasked(String name, boolean showIds) {
        try {
            String reply = connections.get(name).readReply();
            transcript.append(name).append(" < ").append(visible(showIds ? maskIds(reply) : reply)).append('\n');
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the next push on a connection with the key names matching {@code keys} written
     * as {@code ?}: for invalidations of keys the server picks at random.
     */
    String readHidingKeys(String name, Pattern keys) {
        try {
            String reply = connections.get(name).readReply();
            transcript.append(name).append(" < ").append(visible(keys.matcher(reply).replaceAll("?"))).append('\n');
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes down the named fields of a CLIENT INFO or INFO reply, in the order given. */
    void fields(String name, String[] command, String... fields) {
        try {
            String reply = connections.get(name).call(command);
            StringBuilder picked = new StringBuilder();
            for (String field : fields) {
                Matcher m = Pattern.compile("(?:^|[ \\n:])" + Pattern.quote(field) + "[=:]([^ \\r\\n]*)").matcher(reply);
                String value = m.find() ? m.group(1) : "(none)";
                if (field.equals("redir")) value = maskIds(":" + value + "\r\n").replace(":", "").replace("\r\n", "");
                picked.append(field).append('=').append(value);
                picked.append(' ');
            }
            transcript.append(name).append("> ").append(render(command)).append("\n  ")
                    .append(visible(picked.toString().strip())).append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes one connection (a redirection target going away). */
    void close(String name) {
        try {
            connections.remove(name).close();
            transcript.append(name).append(" closed\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String transcript() {
        return transcript.toString();
    }

    private static String render(String[] args) {
        return String.join(" ", args);
    }

    private String maskIds(String reply) {
        String out = reply;
        for (var e : ids.entrySet()) out = out.replace(":" + e.getValue() + "\r\n", ":<id:" + e.getKey() + ">\r\n");
        return out;
    }

    private static String visible(String resp) {
        return resp.replace("\r\n", "\\r\\n");
    }

    @Override
    public void close() throws IOException {
        for (RawConnection c : connections.values()) c.close();
    }
}
