package dev.cairn.lists;

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
 * BLPOP, BRPOP, BLMOVE, BRPOPLPUSH and BLMPOP over real sockets, several clients each:
 * who is served first, what wakes a client and what does not, timeouts, CLIENT UNBLOCK,
 * pipelined requests behind a blocked one, and disconnecting while blocked. Waits are on
 * conditions (INFO's blocked_clients), never on durations.
 */
class BlockingListsTest {
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

    private static String pair(String key, String value) {
        return "*2\r\n" + bulk(key) + bulk(value);
    }

    private static long clientId(RawConnection c) throws IOException {
        String reply = c.call("CLIENT", "ID");
        return Long.parseLong(reply.substring(1, reply.length() - 2));
    }

    @Test
    void clientsAreServedInTheOrderTheyBlocked() throws IOException {
        try (RawConnection first = new RawConnection(server.port());
                RawConnection second = new RawConnection(server.port());
                RawConnection third = new RawConnection(server.port())) {
            first.command("BLPOP", "k", "0");
            awaitBlocked(1);
            second.command("BLPOP", "other", "k", "0");
            awaitBlocked(2);
            third.command("BRPOP", "k", "0");
            awaitBlocked(3);
            assertEquals(":2\r\n", control.call("RPUSH", "k", "a", "b"));
            assertEquals(pair("k", "a"), first.readReply());
            assertEquals(pair("k", "b"), second.readReply());
            assertEquals(":0\r\n", control.call("EXISTS", "k"), "the served clients took everything");
            awaitBlocked(1);
            assertEquals(":1\r\n", control.call("LPUSH", "k", "c"));
            assertEquals(pair("k", "c"), third.readReply());
            awaitBlocked(0);
        }
    }

    @Test
    void aPushFromAnotherClientWakesTheWaiter() throws IOException {
        try (RawConnection waiter = new RawConnection(server.port())) {
            waiter.command("BRPOP", "a", "b", "c", "0");
            awaitBlocked(1);
            assertEquals(":0\r\n", control.call("RPUSHX", "b", "x"), "RPUSHX does not create the list");
            assertEquals(":3\r\n", control.call("RPUSH", "b", "x", "y", "z"));
            assertEquals(pair("b", "z"), waiter.readReply());
            assertEquals("*2\r\n$1\r\nx\r\n$1\r\ny\r\n", control.call("LRANGE", "b", "0", "-1"));
        }
    }

    @Test
    void blmoveDeliversToItsDestinationAndWakesItsWaiters() throws IOException {
        try (RawConnection popper = new RawConnection(server.port());
                RawConnection mover = new RawConnection(server.port())) {
            popper.command("BLPOP", "dst", "0");
            awaitBlocked(1);
            mover.command("BLMOVE", "src", "dst", "RIGHT", "LEFT", "0");
            awaitBlocked(2);
            assertEquals(":2\r\n", control.call("RPUSH", "src", "1", "2"));
            assertEquals(bulk("2"), mover.readReply());
            // The move created dst, which serves the client waiting on it in turn.
            assertEquals(pair("dst", "2"), popper.readReply());
            assertEquals("*1\r\n$1\r\n1\r\n", control.call("LRANGE", "src", "0", "-1"));
            assertEquals(":0\r\n", control.call("EXISTS", "dst"));
        }
    }

    @Test
    void brpoplpushMovesTailToHead() throws IOException {
        try (RawConnection mover = new RawConnection(server.port())) {
            control.call("RPUSH", "dst", "old");
            mover.command("BRPOPLPUSH", "src", "dst", "0");
            awaitBlocked(1);
            control.call("RPUSH", "src", "a", "b");
            assertEquals(bulk("b"), mover.readReply());
            assertEquals("*2\r\n" + bulk("b") + bulk("old"), control.call("LRANGE", "dst", "0", "-1"));
        }
    }

    @Test
    void blmpopTakesUpToCountFromTheReadyKey() throws IOException {
        try (RawConnection waiter = new RawConnection(server.port())) {
            waiter.command("BLMPOP", "0", "2", "a", "b", "RIGHT", "COUNT", "2");
            awaitBlocked(1);
            control.call("RPUSH", "b", "1", "2", "3");
            assertEquals("*2\r\n" + bulk("b") + "*2\r\n" + bulk("3") + bulk("2"), waiter.readReply());
        }
    }

    @Test
    void fractionalTimeoutsReplyNull() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            assertEquals(NULL_ARRAY, c.call("BLPOP", "k", "0.01"));
            assertEquals(NULL_ARRAY, c.call("BRPOP", "k", "j", ".02"));
            assertEquals(NULL_ARRAY, c.call("BLMOVE", "k", "d", "LEFT", "RIGHT", "0.015"), "a null array, not a null bulk");
            assertEquals(NULL_ARRAY, c.call("BRPOPLPUSH", "k", "d", "0.01"));
            assertEquals(NULL_ARRAY, c.call("BLMPOP", "1e-2", "1", "k", "LEFT"));
            c.call("HELLO", "3");
            assertEquals("_\r\n", c.call("BLPOP", "k", "0.01"));
            assertEquals("_\r\n", c.call("BLMOVE", "k", "d", "LEFT", "RIGHT", "0.01"));
        }
        assertEquals(":0\r\n", control.call("EXISTS", "d"));
        awaitBlocked(0);
    }

    @Test
    void zeroWaitsForEver() throws IOException {
        try (RawConnection forever = new RawConnection(server.port());
                RawConnection brief = new RawConnection(server.port())) {
            forever.command("BLPOP", "k", "0");
            awaitBlocked(1);
            brief.command("BLPOP", "k", "0.05");
            // The brief one times out while the other, which blocked earlier, stays.
            assertEquals(NULL_ARRAY, brief.readReply());
            awaitBlocked(1);
            control.call("RPUSH", "k", "v");
            assertEquals(pair("k", "v"), forever.readReply());
        }
    }

    @Test
    void clientUnblockWithTimeoutOrError() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            String id = Long.toString(clientId(c));
            c.command("BLMOVE", "k", "d", "LEFT", "LEFT", "0");
            awaitBlocked(1);
            assertEquals(":1\r\n", control.call("CLIENT", "UNBLOCK", id, "TIMEOUT"));
            assertEquals(NULL_ARRAY, c.readReply());
            c.command("BLPOP", "k", "0");
            awaitBlocked(1);
            assertEquals(":1\r\n", control.call("CLIENT", "UNBLOCK", id, "ERROR"));
            assertEquals("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", c.readReply());
            assertEquals(":0\r\n", control.call("CLIENT", "UNBLOCK", id), "no longer blocked");
            assertEquals("+PONG\r\n", c.call("PING"));
        }
    }

    @Test
    void aStringOrAnotherKeyDoesNotWakeTheWaiter() throws IOException {
        try (RawConnection waiter = new RawConnection(server.port())) {
            waiter.command("BLPOP", "k", "0");
            waiter.command("PING");
            awaitBlocked(1);
            assertEquals("+OK\r\n", control.call("SET", "k", "str"));
            assertEquals(":1\r\n", control.call("LPUSH", "other", "x"));
            assertEquals(":1\r\n", control.call("DEL", "k"));
            awaitBlocked(1);
            // Pipelined, LPUSH then DEL: the waiter is served right after the LPUSH, as Redis
            // serves blocked clients after each command, so DEL finds nothing to delete.
            control.send(RawConnection.request("LPUSH", "k", "x") + RawConnection.request("DEL", "k"));
            assertEquals(":1\r\n", control.readReply());
            assertEquals(":0\r\n", control.readReply());
            assertEquals(pair("k", "x"), waiter.readReply());
            assertEquals("+PONG\r\n", waiter.readReply());
            assertEquals("*1\r\n" + bulk("x"), control.call("LRANGE", "other", "0", "-1"));
        }
    }

    @Test
    void anotherWaitedKeyBecomingAStringDoesNotSpoilTheServing() throws IOException {
        try (RawConnection pop = new RawConnection(server.port());
                RawConnection mpop = new RawConnection(server.port())) {
            pop.command("BLPOP", "a", "b", "0");
            mpop.command("BLMPOP", "0", "2", "a", "b", "LEFT", "COUNT", "5");
            awaitBlocked(2);
            control.call("SET", "a", "str");
            control.call("RPUSH", "b", "x", "y", "z");
            // Served from b, the key that became ready; a is not looked at.
            assertEquals(pair("b", "x"), pop.readReply());
            assertEquals("*2\r\n" + bulk("b") + "*2\r\n" + bulk("y") + bulk("z"), mpop.readReply());
            assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
                    pop.call("BLPOP", "a", "b", "0"), "a fresh call still checks every key");
        }
    }

    @Test
    void aBlmoveWhoseDestinationBecameAStringGetsWrongtype() throws IOException {
        try (RawConnection mover = new RawConnection(server.port())) {
            mover.command("BLMOVE", "src", "dst", "LEFT", "LEFT", "0");
            awaitBlocked(1);
            control.call("SET", "dst", "str");
            control.call("RPUSH", "src", "x");
            assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", mover.readReply());
            awaitBlocked(0);
            assertEquals("*1\r\n" + bulk("x"), control.call("LRANGE", "src", "0", "-1"), "nothing moved");
        }
    }

    @Test
    void insideMultiTheBlockingCommandsAnswerAtOnce() throws IOException {
        assertEquals("+OK\r\n", control.call("MULTI"));
        for (String[] command : new String[][] {{"BLPOP", "k", "0"}, {"BLMOVE", "a", "b", "LEFT", "LEFT", "0"},
                {"BRPOPLPUSH", "a", "b", "0"}, {"BLMPOP", "0", "1", "a", "LEFT"}}) {
            assertEquals("+QUEUED\r\n", control.call(command));
        }
        // As redis-server 7.0.15 answers: BLMOVE and BRPOPLPUSH a null bulk, the others a null array.
        assertEquals("*4\r\n*-1\r\n$-1\r\n$-1\r\n*-1\r\n", control.call("EXEC"));
        assertEquals(0, blockedClients());
    }

    @Test
    void aPushInsideATransactionServesTheWaiterAfterExec() throws IOException {
        try (RawConnection waiter = new RawConnection(server.port())) {
            waiter.command("BLPOP", "k", "0");
            awaitBlocked(1);
            control.call("MULTI");
            control.call("LPUSH", "k", "a");
            control.call("LLEN", "k");
            // LLEN inside the transaction still sees the element: nobody is served mid-EXEC.
            assertEquals("*2\r\n:1\r\n:1\r\n", control.call("EXEC"));
            assertEquals(pair("k", "a"), waiter.readReply());
            assertEquals(":0\r\n", control.call("EXISTS", "k"));
        }
    }

    @Test
    void aPushFromAScriptServesTheWaiterAfterTheScript() throws IOException {
        try (RawConnection waiter = new RawConnection(server.port())) {
            waiter.command("BRPOP", "k", "0");
            awaitBlocked(1);
            // LLEN inside the script still sees both elements: nobody is served mid-script.
            assertEquals(":2\r\n", control.call("EVAL", "redis.call('rpush', KEYS[1], 'a', 'b') return redis.call('llen', KEYS[1])", "1", "k"));
            assertEquals(pair("k", "b"), waiter.readReply());
            assertEquals("*1\r\n" + bulk("a"), control.call("LRANGE", "k", "0", "-1"));
        }
    }

    @Test
    void blockingCommandsAreRefusedInScripts() throws IOException {
        // As redis-server 7.0.15 answers: the blocking commands are flagged noscript.
        assertEquals("-ERR This Redis command is not allowed from script script: "
                + "bbae03f1c683ace681993979fbebb3c54bf68a75, on @user_script:1.\r\n",
                control.call("EVAL", "return redis.call('blpop', 'nothing', 0)", "0"));
        assertEquals(0, blockedClients());
    }

    @Test
    void aKeyPushedThenDeletedOrRetypedInOneTransactionWakesNobody() throws IOException {
        try (RawConnection waiter = new RawConnection(server.port())) {
            waiter.command("BLPOP", "k", "0");
            awaitBlocked(1);
            control.call("MULTI");
            control.call("LPUSH", "k", "a");
            control.call("DEL", "k");
            assertEquals("*2\r\n:1\r\n:1\r\n", control.call("EXEC"));
            control.call("MULTI");
            control.call("RPUSH", "k", "b");
            control.call("DEL", "k");
            control.call("SET", "k", "str");
            assertEquals("*3\r\n:1\r\n:1\r\n+OK\r\n", control.call("EXEC"));
            awaitBlocked(1);
            control.call("DEL", "k");
            control.call("RPUSH", "k", "c");
            assertEquals(pair("k", "c"), waiter.readReply());
        }
    }

    @Test
    void pipelinedCommandsRunAfterTheBlockedOneIsServed() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(RawConnection.request("BLPOP", "k", "0") + RawConnection.request("PING")
                    + RawConnection.request("LLEN", "k") + RawConnection.request("RPUSH", "mine", "1"));
            awaitBlocked(1);
            assertEquals(":0\r\n", control.call("EXISTS", "mine"), "requests behind the blocked one wait");
            control.call("RPUSH", "k", "a", "b");
            assertEquals(pair("k", "a"), c.readReply());
            assertEquals("+PONG\r\n", c.readReply());
            assertEquals(":1\r\n", c.readReply());
            assertEquals(":1\r\n", c.readReply());
        }
    }

    @Test
    void aClientThatDisconnectsWhileBlockedTakesNothing() throws IOException {
        RawConnection gone = new RawConnection(server.port());
        gone.command("BLPOP", "k", "0");
        awaitBlocked(1);
        gone.close();
        awaitBlocked(0);
        try (RawConnection next = new RawConnection(server.port())) {
            next.command("BLPOP", "k", "0");
            awaitBlocked(1);
            control.call("RPUSH", "k", "1", "2");
            assertEquals(pair("k", "1"), next.readReply());
            assertEquals("*1\r\n" + bulk("2"), control.call("LRANGE", "k", "0", "-1"));
        }
    }

    @Test
    void aBlockingCallIsCountedWhenItBlocksAndItsFailuresWhenTheyHappen() throws IOException {
        control.call("CONFIG", "RESETSTAT");
        try (RawConnection c = new RawConnection(server.port())) {
            String id = Long.toString(clientId(c));
            c.command("BLPOP", "k", "0");
            awaitBlocked(1);
            // Redis 7.0 counts the call when it blocks, and not again when it is served.
            assertEquals(true, infoContains("cmdstat_blpop:calls=1,"));
            control.call("RPUSH", "k", "v");
            assertEquals(pair("k", "v"), c.readReply());
            assertEquals(true, infoContains("cmdstat_blpop:calls=1,"));
            c.command("BRPOP", "k", "0");
            awaitBlocked(1);
            control.call("CLIENT", "UNBLOCK", id, "ERROR");
            c.readReply();
            c.command("BLMOVE", "s", "d", "LEFT", "LEFT", "0");
            awaitBlocked(1);
            control.call("SET", "d", "string");
            control.call("RPUSH", "s", "v");
            c.readReply();
            assertEquals(true, infoContains("cmdstat_brpop:calls=1,"));
            String stats = control.call("INFO", "commandstats");
            for (String command : new String[] {"brpop", "blmove"}) {
                assertEquals(true, stats.matches("(?s).*cmdstat_" + command + ":calls=1,[^\r]*failed_calls=1\r\n.*"), stats);
            }
        }
    }

    private boolean infoContains(String text) {
        try {
            return control.call("INFO", "commandstats").contains(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
