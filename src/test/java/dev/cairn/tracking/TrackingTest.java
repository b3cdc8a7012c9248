package dev.cairn.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.ServerFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Client-side caching on Cairn, byte for byte: the pushes and their order relative to
 * replies, CLIENT LIST's flags and redir field for other connections, and the INFO
 * counts as clients come and go (a disconnected or RESET client leaves its prefixes; its
 * ids stay in the table until their keys change, as in Redis).
 */
class TrackingTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn("--enable-debug-command", "yes").flushingBeforeEachTest();

    private static String id(RawConnection c) throws IOException {
        String reply = c.call("CLIENT", "ID");
        return reply.substring(1, reply.length() - 2);
    }

    private static String info(RawConnection c, String field) throws IOException {
        Matcher m = Pattern.compile("\r\n" + field + ":(\\d+)\r\n").matcher(c.call("INFO", "everything"));
        assertTrue(m.find(), field);
        return m.group(1);
    }

    private static void awaitInfo(RawConnection c, String field, String value) {
        Eventually.until(field + ":" + value, () -> {
            try {
                return info(c, field).equals(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The field of the CLIENT LIST line of client {@code id}. */
    private static String listField(RawConnection c, String id, String field) throws IOException {
        String list = c.call("CLIENT", "LIST", "ID", id);
        Matcher m = Pattern.compile(" " + field + "=(\\S*)").matcher(list);
        assertTrue(m.find(), list);
        return m.group(1);
    }

    @Test
    void invalidationPushFollowsTheReplyOfTheCommandThatCausedIt() throws IOException {
        try (RawConnection tracker = new RawConnection(cairn.port())) {
            tracker.call("HELLO", "3");
            assertEquals("+OK\r\n", tracker.call("CLIENT", "TRACKING", "on"));
            assertEquals("_\r\n", tracker.call("GET", "k"));
            // Pipelined: the SET's reply, its invalidation, then the PING's reply.
            tracker.send(RawConnection.request("SET", "k", "1") + RawConnection.request("PING"));
            assertEquals("+OK\r\n", tracker.readReply());
            assertEquals(">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n", tracker.readReply());
            assertEquals("+PONG\r\n", tracker.readReply());
            // FLUSHALL: one null for all keys, after the reply.
            assertEquals("+OK\r\n", tracker.call("FLUSHALL"));
            assertEquals(">2\r\n$10\r\ninvalidate\r\n_\r\n", tracker.readReply());
        }
    }

    @Test
    void debugReloadEmptiesTheDatasetAndInvalidatesEverything() throws IOException {
        try (RawConnection tracker = new RawConnection(cairn.port());
                RawConnection writer = new RawConnection(cairn.port())) {
            tracker.call("HELLO", "3");
            assertEquals("+OK\r\n", tracker.call("CLIENT", "TRACKING", "on"));
            assertEquals("_\r\n", tracker.call("GET", "k"));
            assertEquals("+OK\r\n", writer.call("DEBUG", "RELOAD"));
            assertEquals(">2\r\n$10\r\ninvalidate\r\n_\r\n", tracker.readReply());
            assertEquals("0", info(writer, "tracking_total_keys"));
        }
    }

    @Test
    void resp2TrackerWithoutRedirectionHearsNothingButKeysAreForgotten() throws IOException {
        try (RawConnection tracker = new RawConnection(cairn.port());
                RawConnection writer = new RawConnection(cairn.port())) {
            assertEquals("+OK\r\n", tracker.call("CLIENT", "TRACKING", "on"));
            assertEquals("*2\r\n$-1\r\n$-1\r\n", tracker.call("MGET", "a", "b"));
            assertEquals("2", info(writer, "tracking_total_keys"));
            assertEquals("+OK\r\n", writer.call("SET", "a", "1"));
            assertEquals("1", info(writer, "tracking_total_keys"));
            assertEquals("1", info(writer, "tracking_total_items"));
            assertEquals("+PONG\r\n", tracker.call("PING"));
        }
    }

    @Test
    void clientListShowsTrackingFlagsAndRedirection() throws IOException {
        try (RawConnection tracker = new RawConnection(cairn.port());
                RawConnection target = new RawConnection(cairn.port());
                RawConnection admin = new RawConnection(cairn.port())) {
            String trackerId = id(tracker);
            String targetId = id(target);
            assertEquals("N", listField(admin, trackerId, "flags"));
            assertEquals("-1", listField(admin, trackerId, "redir"));
            tracker.call("HELLO", "3");
            assertEquals("+OK\r\n", tracker.call("CLIENT", "TRACKING", "on", "REDIRECT", targetId, "BCAST"));
            assertEquals("tB", listField(admin, trackerId, "flags"));
            assertEquals(targetId, listField(admin, trackerId, "redir"));
            assertEquals(":" + targetId + "\r\n", tracker.call("CLIENT", "GETREDIR"));
            // The target goes away: the next invalidation finds the redirection broken.
            assertEquals(":1\r\n", admin.call("CLIENT", "KILL", "ID", targetId));
            assertEquals("+OK\r\n", admin.call("SET", "x", "1"));
            assertEquals(">2\r\n$21\r\ntracking-redir-broken\r\n:" + targetId + "\r\n", tracker.readReply());
            assertEquals("tRB", listField(admin, trackerId, "flags"));
            assertEquals("+OK\r\n", tracker.call("CLIENT", "TRACKING", "off"));
            assertEquals("N", listField(admin, trackerId, "flags"));
            assertEquals("-1", listField(admin, trackerId, "redir"));
        }
    }

    @Test
    void disconnectionAndResetLeaveTrackingAndPrefixes() throws IOException {
        try (RawConnection writer = new RawConnection(cairn.port())) {
            awaitInfo(writer, "tracking_clients", "0");
            try (RawConnection b1 = new RawConnection(cairn.port());
                    RawConnection b2 = new RawConnection(cairn.port());
                    RawConnection plain = new RawConnection(cairn.port())) {
                b1.call("HELLO", "3");
                b2.call("HELLO", "3");
                assertEquals("+OK\r\n", b1.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "p", "PREFIX", "q"));
                assertEquals("+OK\r\n", b2.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "q"));
                assertEquals("+OK\r\n", plain.call("CLIENT", "TRACKING", "on"));
                assertEquals("$-1\r\n", plain.call("GET", "r"));
                assertEquals("3", info(writer, "tracking_clients"));
                assertEquals("2", info(writer, "tracking_total_prefixes"));
                assertEquals("1", info(writer, "tracking_total_keys"));
                // Both subscribers of q hear of q1; only b1 of p1.
                writer.send(RawConnection.request("SET", "q1", "1") + RawConnection.request("SET", "p1", "1"));
                assertEquals("+OK\r\n", writer.readReply());
                assertEquals("+OK\r\n", writer.readReply());
                assertEquals(">2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\np1\r\n", b1.readReply());
                assertEquals(">2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\nq1\r\n", b1.readReply());
                assertEquals(">2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\nq1\r\n", b2.readReply());
                assertEquals("+RESET\r\n", b2.call("RESET"));
                assertEquals("2", info(writer, "tracking_clients"));
                assertEquals("2", info(writer, "tracking_total_prefixes"));
            }
            awaitInfo(writer, "tracking_clients", "0");
            assertEquals("0", info(writer, "tracking_total_prefixes"));
            // The gone client's id stays with its key until the key changes.
            assertEquals("1", info(writer, "tracking_total_items"));
            assertEquals("+OK\r\n", writer.call("SET", "r", "1"));
            assertEquals("0", info(writer, "tracking_total_items"));
        }
    }

    @Test
    void subscriberRedirectionIsAPubSubMessage() throws IOException {
        try (RawConnection tracker = new RawConnection(cairn.port());
                RawConnection subscriber = new RawConnection(cairn.port())) {
            String subscriberId = id(subscriber);
            subscriber.call("SUBSCRIBE", "__redis__:invalidate");
            assertEquals("+OK\r\n", tracker.call("CLIENT", "TRACKING", "on", "REDIRECT", subscriberId));
            assertEquals("$-1\r\n", tracker.call("GET", "k"));
            assertEquals("+OK\r\n", tracker.call("SET", "k", "1"));
            assertEquals("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$1\r\nk\r\n",
                    subscriber.readReply());
        }
    }
}
