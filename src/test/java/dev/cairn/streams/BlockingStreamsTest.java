package dev.cairn.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.ServerFixture;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * XREAD and XREADGROUP with BLOCK over real sockets: XADD wakes readers, {@code $} means
 * the last ID when the reader blocked, timeouts, CLIENT UNBLOCK, a group destroyed or a
 * stream deleted under a waiting consumer (Redis's errors), and no blocking inside
 * MULTI. Waits are on INFO's blocked_clients, never on durations.
 */
class BlockingStreamsTest {
    private static final String NULL_ARRAY = "*-1\r\n";

    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn().flushingBeforeEachTest();

    private RawConnection control;

    @BeforeEach
    void connect() throws IOException {
        control = new RawConnection(server.port());
    }

    @AfterEach
    void disconnect() throws IOException {
        control.close();
    }

    private int blockedClients() {
        try {
            String info = control.call("INFO", "clients");
            for (String line : info.split("\r\n")) {
                if (line.startsWith("blocked_clients:")) return Integer.parseInt(line.substring(16));
            }
            throw new AssertionError("no blocked_clients in " + info);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void awaitBlocked(int n) {
        Eventually.until(() -> "blocked_clients:" + n + " (now " + blockedClients() + ")", () -> blockedClients() == n);
    }

    private static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    /** One stream's reply of XREAD in RESP2: [[key, [[id, [f, v]]]]]. */
    private static String oneEntry(String key, String id, String field, String value) {
        return "*1\r\n*2\r\n" + bulk(key) + "*1\r\n*2\r\n" + bulk(id) + "*2\r\n" + bulk(field) + bulk(value);
    }

    private static long clientId(RawConnection c) throws IOException {
        String reply = c.call("CLIENT", "ID");
        return Long.parseLong(reply.substring(1, reply.length() - 2));
    }

    @Test
    void xaddWakesReaderWaitingWithDollar() throws IOException {
        control.call("XADD", "s", "1-1", "old", "1");
        try (RawConnection reader = new RawConnection(server.port())) {
            reader.command("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            awaitBlocked(1);
            // $ was the last ID when the reader blocked: the new entry is served, not skipped.
            assertEquals(bulk("2-1"), control.call("XADD", "s", "2-1", "new", "2"));
            assertEquals(oneEntry("s", "2-1", "new", "2"), reader.readReply());
            assertEquals(0, blockedClients());
        }
    }

    @Test
    void readerWaitsForAStreamCreatedLater() throws IOException {
        try (RawConnection reader = new RawConnection(server.port())) {
            reader.command("XREAD", "COUNT", "5", "BLOCK", "0", "STREAMS", "nothing", "s", "$", "$");
            awaitBlocked(1);
            control.call("XADD", "other", "1-1", "f", "v");
            control.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            assertEquals(1, blockedClients());
            control.call("XADD", "s", "3-0", "f", "v");
            assertEquals(oneEntry("s", "3-0", "f", "v"), reader.readReply());
        }
    }

    @Test
    void readersTimeOutWithANullArray() throws IOException {
        try (RawConnection reader = new RawConnection(server.port())) {
            assertEquals(NULL_ARRAY, reader.call("XREAD", "BLOCK", "20", "STREAMS", "s", "$"));
            control.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            assertEquals(NULL_ARRAY, reader.call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "20", "STREAMS", "s", ">"));
        }
    }

    @Test
    void consumerOfAGroupGetsNewEntriesAndTheyBecomePending() throws IOException {
        control.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        try (RawConnection consumer = new RawConnection(server.port())) {
            consumer.command("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
            awaitBlocked(1);
            control.call("XADD", "s", "5-0", "job", "1");
            assertEquals(oneEntry("s", "5-0", "job", "1"), consumer.readReply());
            assertEquals("*4\r\n:1\r\n" + bulk("5-0") + bulk("5-0") + "*1\r\n*2\r\n" + bulk("alice") + bulk("1"),
                    control.call("XPENDING", "s", "g"));
        }
    }

    @Test
    void clientUnblockTimesOutOrFails() throws IOException {
        try (RawConnection reader = new RawConnection(server.port())) {
            long id = clientId(reader);
            reader.command("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            awaitBlocked(1);
            assertEquals(":1\r\n", control.call("CLIENT", "UNBLOCK", String.valueOf(id)));
            assertEquals(NULL_ARRAY, reader.readReply());
            reader.command("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            awaitBlocked(1);
            assertEquals(":1\r\n", control.call("CLIENT", "UNBLOCK", String.valueOf(id), "ERROR"));
            assertEquals("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", reader.readReply());
        }
    }

    @Test
    void destroyedGroupOrDeletedStreamEndsTheWaitWithRedisErrors() throws IOException {
        control.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        try (RawConnection consumer = new RawConnection(server.port());
                RawConnection reader = new RawConnection(server.port())) {
            consumer.command("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
            awaitBlocked(1);
            control.call("XGROUP", "DESTROY", "s", "g");
            assertEquals("-NOGROUP the consumer group this client was blocked on no longer exists\r\n",
                    consumer.readReply());

            control.call("XGROUP", "CREATE", "s", "g", "$");
            consumer.command("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
            reader.command("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            awaitBlocked(2);
            control.call("DEL", "s");
            assertEquals("-UNBLOCKED the stream key no longer exists\r\n", consumer.readReply());
            // A plain reader keeps waiting, and gets the entries of a new stream.
            awaitBlocked(1);
            control.call("XADD", "s", "1-1", "f", "v");
            assertEquals(oneEntry("s", "1-1", "f", "v"), reader.readReply());
        }
    }

    @Test
    void flushOrSwapTakingTheStreamAwayEndsAConsumersWait() throws IOException {
        try (RawConnection consumer = new RawConnection(server.port())) {
            control.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            consumer.command("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
            awaitBlocked(1);
            control.call("FLUSHALL");
            assertEquals("-UNBLOCKED the stream key no longer exists\r\n", consumer.readReply());

            control.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            consumer.command("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
            awaitBlocked(1);
            control.call("SWAPDB", "0", "1");
            assertEquals("-UNBLOCKED the stream key no longer exists\r\n", consumer.readReply());
        }
    }

    @Test
    void aReaderIsServedFromTheKeyThatWokeIt() throws IOException {
        try (RawConnection reader = new RawConnection(server.port())) {
            reader.command("XREAD", "BLOCK", "0", "STREAMS", "a", "b", "$", "$");
            awaitBlocked(1);
            control.call("MULTI");
            control.call("XADD", "b", "1-1", "f", "v");
            control.call("XADD", "a", "2-1", "g", "w");
            control.call("EXEC");
            assertEquals(oneEntry("b", "1-1", "f", "v"), reader.readReply());
        }
    }

    @Test
    void blockInsideMultiAnswersAtOnce() throws IOException {
        control.call("MULTI");
        control.call("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
        assertEquals("*1\r\n" + NULL_ARRAY, control.call("EXEC"));
    }

    @Test
    void resp3ReaderGetsAMap() throws IOException {
        try (RawConnection reader = new RawConnection(server.port())) {
            reader.call("HELLO", "3");
            reader.command("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            awaitBlocked(1);
            control.call("XADD", "s", "1-1", "f", "v");
            assertEquals("%1\r\n" + bulk("s") + "*1\r\n*2\r\n" + bulk("1-1") + "*2\r\n" + bulk("f") + bulk("v"),
                    reader.readReply());
        }
    }
}
