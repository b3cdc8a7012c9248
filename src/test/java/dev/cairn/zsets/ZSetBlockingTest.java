package dev.cairn.zsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.ServerFixture;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * BZPOPMIN, BZPOPMAX and BZMPOP over real sockets: served at once when there is data,
 * waiting otherwise until another client creates the sorted set, in the order the clients
 * blocked, with timeouts, CLIENT UNBLOCK, and argument errors before blocking.
 */
class ZSetBlockingTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn().flushingBeforeEachTest();

    private static int blocked() {
        return server.onCommandThread(() -> server.server().blockedClients().count());
    }

    private static void waitBlocked(int n) {
        Eventually.until(() -> n + " blocked clients, now " + blocked(), () -> blocked() == n);
    }

    @Test
    void servedAtOnceWhenThereIsData() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            c.call("ZADD", "z", "1", "a", "2", "b", "3", "c");
            assertEquals("*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n", c.call("BZPOPMIN", "missing", "z", "0"));
            assertEquals("*3\r\n$1\r\nz\r\n$1\r\nc\r\n$1\r\n3\r\n", c.call("BZPOPMAX", "z", "0"));
            assertEquals("*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
                    c.call("BZMPOP", "0", "2", "missing", "z", "MIN", "COUNT", "10"));
            assertEquals(":0\r\n", c.call("EXISTS", "z"));
        }
    }

    @Test
    void wokenByZaddFromAnotherClient() throws IOException {
        try (RawConnection waiter = new RawConnection(server.port());
                RawConnection writer = new RawConnection(server.port())) {
            waiter.command("BZPOPMIN", "k1", "k2", "0");
            waitBlocked(1);
            assertEquals(":2\r\n", writer.call("ZADD", "k2", "5", "x", "7", "y"));
            assertEquals("*3\r\n$2\r\nk2\r\n$1\r\nx\r\n$1\r\n5\r\n", waiter.readReply());
            assertEquals("*2\r\n$1\r\ny\r\n$1\r\n7\r\n", writer.call("ZRANGE", "k2", "0", "-1", "WITHSCORES"));
            assertEquals(0, blocked());
            // The waiter reads further commands again.
            assertEquals("+PONG\r\n", waiter.call("PING"));
        }
    }

    @Test
    void clientsAreServedInTheOrderTheyBlocked() throws IOException {
        try (RawConnection first = new RawConnection(server.port());
                RawConnection second = new RawConnection(server.port());
                RawConnection writer = new RawConnection(server.port())) {
            first.command("BZPOPMAX", "z", "0");
            waitBlocked(1);
            second.command("BZMPOP", "0", "1", "z", "MAX", "COUNT", "2");
            waitBlocked(2);
            writer.call("ZADD", "z", "1", "a");
            assertEquals("*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n", first.readReply());
            // The set is empty (and gone) again: the second client keeps waiting.
            waitBlocked(1);
            writer.call("ZADD", "z", "1", "b", "2", "c", "3", "d");
            assertEquals("*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\nd\r\n$1\r\n3\r\n*2\r\n$1\r\nc\r\n$1\r\n2\r\n", second.readReply());
            assertEquals("*1\r\n$1\r\nb\r\n", writer.call("ZRANGE", "z", "0", "-1"));
        }
    }

    @Test
    void timeoutsReplyNull() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            assertEquals("*-1\r\n", c.call("BZPOPMIN", "z", "0.05"));
            assertEquals("*-1\r\n", c.call("BZMPOP", "0.05", "1", "z", "MIN"));
            c.command("HELLO", "3").readReply();
            assertEquals("_\r\n", c.call("BZPOPMAX", "z", "0.05"));
            assertEquals(0, blocked());
        }
    }

    @Test
    void storingIntoAWaitedKeyWakesTheWaiter() throws IOException {
        try (RawConnection waiter = new RawConnection(server.port());
                RawConnection writer = new RawConnection(server.port())) {
            writer.call("ZADD", "src", "1", "a", "2", "b");
            waiter.command("BZPOPMAX", "dst", "0");
            waitBlocked(1);
            assertEquals(":2\r\n", writer.call("ZUNIONSTORE", "dst", "1", "src"));
            assertEquals("*3\r\n$3\r\ndst\r\n$1\r\nb\r\n$1\r\n2\r\n", waiter.readReply());
            waiter.command("BZPOPMIN", "copy", "0");
            waitBlocked(1);
            writer.call("ZRANGESTORE", "copy", "src", "0", "0");
            assertEquals("*3\r\n$4\r\ncopy\r\n$1\r\na\r\n$1\r\n1\r\n", waiter.readReply());
        }
    }

    @Test
    void otherTypesWakeNobody() throws IOException {
        try (RawConnection waiter = new RawConnection(server.port());
                RawConnection writer = new RawConnection(server.port())) {
            waiter.command("BZPOPMIN", "k", "0");
            waitBlocked(1);
            writer.call("SET", "k", "v");
            writer.call("DEL", "k");
            writer.call("ZADD", "k", "1", "a");
            assertEquals("*3\r\n$1\r\nk\r\n$1\r\na\r\n$1\r\n1\r\n", waiter.readReply());
        }
    }

    @Test
    void clientUnblock() throws IOException {
        try (RawConnection waiter = new RawConnection(server.port());
                RawConnection admin = new RawConnection(server.port())) {
            String id = waiter.call("CLIENT", "ID").substring(1).strip();
            waiter.command("BZPOPMIN", "z", "0");
            waitBlocked(1);
            assertEquals(":1\r\n", admin.call("CLIENT", "UNBLOCK", id));
            assertEquals("*-1\r\n", waiter.readReply());
            waiter.command("BZMPOP", "0", "1", "z", "MIN");
            waitBlocked(1);
            assertEquals(":1\r\n", admin.call("CLIENT", "UNBLOCK", id, "ERROR"));
            assertEquals("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", waiter.readReply());
        }
    }

    @Test
    void argumentErrorsComeBeforeWaiting() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            assertEquals("-ERR timeout is negative\r\n", c.call("BZPOPMIN", "z", "-1"));
            assertEquals("-ERR timeout is not a float or out of range\r\n", c.call("BZPOPMAX", "z", "x"));
            assertEquals("-ERR numkeys should be greater than 0\r\n", c.call("BZMPOP", "0", "0", "z", "MIN"));
            assertEquals("-ERR syntax error\r\n", c.call("BZMPOP", "0", "1", "z", "MID"));
            // BZMPOP reads its other arguments before the timeout.
            assertEquals("-ERR count should be greater than 0\r\n", c.call("BZMPOP", "x", "1", "z", "MIN", "COUNT", "0"));
            assertEquals("-ERR timeout is not a float or out of range\r\n", c.call("BZMPOP", "x", "1", "z", "MIN"));
            c.call("SET", "s", "v");
            assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
                    c.call("BZPOPMIN", "missing", "s", "0"));
            assertFalse(blocked() > 0);
        }
    }
}
