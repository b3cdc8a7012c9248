package dev.cairn.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.ServerFixture;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The exact bytes of every pub/sub confirmation, message and reply, in RESP2 and RESP3,
 * and the rules of the subscribed state, as redis-server 7.0.15 sends them.
 */
class PubSubRepliesTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn().flushingBeforeEachTest();

    private static final String REFUSED = "only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in "
            + "this context\r\n";

    private static RawConnection connect() throws IOException {
        return new RawConnection(cairn.port());
    }

    private static RawConnection resp3() throws IOException {
        RawConnection c = connect();
        c.call("HELLO", "3");
        return c;
    }

    private static String push(String header, String... parts) {
        StringBuilder sb = new StringBuilder(header).append(parts.length).append("\r\n");
        for (String p : parts) {
            if (p.startsWith(":") || p.equals("$-1") || p.equals("_")) sb.append(p).append("\r\n");
            else sb.append('$').append(p.length()).append("\r\n").append(p).append("\r\n");
        }
        return sb.toString();
    }

    /** A RESP2 push: an array of bulks, with {@code :n} for integers and {@code $-1} for null. */
    private static String array(String... parts) {
        return push("*", parts);
    }

    private static String push3(String... parts) {
        return push(">", parts);
    }

    @Test
    void subscribeConfirmsEachChannelWithTheRunningCount() throws IOException {
        try (RawConnection c = connect()) {
            String three = array("subscribe", "a", ":1") + array("subscribe", "b", ":2") + array("subscribe", "a", ":2");
            assertEquals(three, c.command("SUBSCRIBE", "a", "b", "a").readLike(three));
            assertEquals(array("psubscribe", "a*", ":3"), c.call("PSUBSCRIBE", "a*"));
            assertEquals(array("unsubscribe", "zz", ":3"), c.call("UNSUBSCRIBE", "zz"));
            String all = array("unsubscribe", "a", ":2") + array("unsubscribe", "b", ":1");
            assertEquals(all, c.command("UNSUBSCRIBE").readLike(all));
            assertEquals(array("punsubscribe", "a*", ":0"), c.call("PUNSUBSCRIBE"));
            // Out of the subscribed state: normal replies again.
            assertEquals("+PONG\r\n", c.call("PING"));
            assertEquals("$-1\r\n", c.call("GET", "x"));
        }
    }

    @Test
    void unsubscribingWithNothingSubscribedRepliesANullChannelAndZero() throws IOException {
        try (RawConnection c = connect(); RawConnection c3 = resp3()) {
            assertEquals(array("unsubscribe", "$-1", ":0"), c.call("UNSUBSCRIBE"));
            assertEquals(array("punsubscribe", "$-1", ":0"), c.call("PUNSUBSCRIBE"));
            assertEquals(array("sunsubscribe", "$-1", ":0"), c.call("SUNSUBSCRIBE"));
            assertEquals(push3("unsubscribe", "_", ":0"), c3.call("UNSUBSCRIBE"));
            assertEquals(push3("punsubscribe", "_", ":0"), c3.call("PUNSUBSCRIBE"));
            assertEquals(push3("sunsubscribe", "_", ":0"), c3.call("SUNSUBSCRIBE"));
            // None of this entered the subscribed state.
            assertEquals("+PONG\r\n", c.call("PING"));
        }
    }

    @Test
    void aSubscribedResp2ClientMayOnlySubscribePingQuitOrReset() throws IOException {
        try (RawConnection c = connect()) {
            c.call("SUBSCRIBE", "ch");
            assertEquals(array("pong", ""), c.call("PING"));
            assertEquals(array("pong", "hi"), c.call("PING", "hi"));
            assertEquals("-ERR Can't execute 'get': " + REFUSED, c.call("GET", "x"));
            assertEquals("-ERR Can't execute 'config|get': " + REFUSED, c.call("CONFIG", "GET", "x"));
            assertEquals("-ERR Can't execute 'client|list': " + REFUSED, c.call("CLIENT", "LIST"));
            assertEquals("-ERR Can't execute 'monitor': " + REFUSED, c.call("MONITOR"));
            assertEquals("-ERR Can't execute 'publish': " + REFUSED, c.call("PUBLISH", "ch", "m"));
            assertEquals("-ERR Can't execute 'hello': " + REFUSED, c.call("HELLO", "3"));
            // Unknown commands and wrong arity are told first, as in Redis.
            assertEquals("-ERR unknown command 'nosuch', with args beginning with: \r\n", c.call("nosuch"));
            assertEquals("-ERR wrong number of arguments for 'get' command\r\n", c.call("GET"));
            assertEquals("-ERR wrong number of arguments for 'ping' command\r\n", c.call("PING", "a", "b"));
            assertEquals(array("ssubscribe", "s", ":1"), c.call("SSUBSCRIBE", "s"));
            assertEquals(array("unsubscribe", "ch", ":0"), c.call("UNSUBSCRIBE"));
            // Still subscribed to a shard channel.
            assertEquals("-ERR Can't execute 'get': " + REFUSED, c.call("GET", "x"));
            assertEquals(array("sunsubscribe", "s", ":0"), c.call("SUNSUBSCRIBE"));
            assertEquals("$-1\r\n", c.call("GET", "x"));
            c.call("PSUBSCRIBE", "p*");
            assertEquals("+OK\r\n", c.call("QUIT"));
        }
    }

    @Test
    void resetLeavesEverySubscriptionSilently() throws IOException {
        try (RawConnection c = connect(); RawConnection p = connect()) {
            c.call("SUBSCRIBE", "ch");
            c.call("PSUBSCRIBE", "c*");
            c.call("SSUBSCRIBE", "s");
            assertEquals("+RESET\r\n", c.call("RESET"));
            assertEquals("+PONG\r\n", c.call("PING"));
            assertEquals(":0\r\n", p.call("PUBLISH", "ch", "m"));
            assertEquals(":0\r\n", p.call("SPUBLISH", "s", "m"));
            assertEquals("*0\r\n", p.call("PUBSUB", "CHANNELS"));
            assertEquals(":0\r\n", p.call("PUBSUB", "NUMPAT"));
        }
    }

    @Test
    void messagesArriveAsArraysInResp2AndPushesInResp3() throws IOException {
        try (RawConnection two = connect(); RawConnection three = resp3(); RawConnection p = connect()) {
            two.call("SUBSCRIBE", "news");
            two.call("PSUBSCRIBE", "n*");
            three.call("SUBSCRIBE", "news");
            three.call("PSUBSCRIBE", "n*");
            assertEquals(":4\r\n", p.call("PUBLISH", "news", "hello"));
            String expected2 = array("message", "news", "hello") + array("pmessage", "n*", "news", "hello");
            assertEquals(expected2, two.readLike(expected2));
            String expected3 = push3("message", "news", "hello") + push3("pmessage", "n*", "news", "hello");
            assertEquals(expected3, three.readLike(expected3));
            // Shard channels: smessage, and patterns never match them.
            two.call("SSUBSCRIBE", "news");
            assertEquals(":1\r\n", p.call("SPUBLISH", "news", "s"));
            assertEquals(array("smessage", "news", "s"), two.readReply());
        }
    }

    @Test
    void aResp3ClientMayRunAnythingAndSeesItsOwnMessagesBeforeTheReply() throws IOException {
        try (RawConnection c = resp3()) {
            assertEquals(push3("subscribe", "a", ":1"), c.call("SUBSCRIBE", "a"));
            assertEquals("+PONG\r\n", c.call("PING"));
            assertEquals("_\r\n", c.call("GET", "x"));
            String expected = push3("message", "a", "m") + ":1\r\n";
            assertEquals(expected, c.command("PUBLISH", "a", "m").readLike(expected));
            c.call("PSUBSCRIBE", "*");
            expected = push3("message", "a", "m2") + push3("pmessage", "*", "a", "m2") + ":2\r\n";
            assertEquals(expected, c.command("PUBLISH", "a", "m2").readLike(expected));
            // Back to RESP2 while subscribed: the restrictions apply.
            c.call("HELLO", "2");
            assertEquals("-ERR Can't execute 'get': " + REFUSED, c.call("GET", "x"));
        }
    }

    @Test
    void pushesPassClientReplyOffAndSkip() throws IOException {
        try (RawConnection c = resp3(); RawConnection p = connect(); RawConnection two = connect()) {
            c.send(RawConnection.request("CLIENT", "REPLY", "OFF"));
            assertEquals(push3("subscribe", "ch", ":1"), c.call("SUBSCRIBE", "ch"));
            assertEquals(":1\r\n", p.call("PUBLISH", "ch", "m1"));
            assertEquals(push3("message", "ch", "m1"), c.readReply());
            // Its own PUBLISH: the message arrives, the reply does not.
            String expected = push3("message", "ch", "m2") + "+OK\r\n";
            c.send(RawConnection.request("PUBLISH", "ch", "m2") + RawConnection.request("CLIENT", "REPLY", "ON"));
            assertEquals(expected, c.readLike(expected));
            two.send(RawConnection.request("CLIENT", "REPLY", "SKIP"));
            assertEquals(array("subscribe", "x", ":1"), two.call("SUBSCRIBE", "x"));
            assertEquals(array("pong", ""), two.call("PING"));
        }
    }

    @Test
    void subscribersAreNeverClosedForBeingIdle() throws IOException {
        try (TestServer s = TestServer.start("--timeout", "1");
                RawConnection subscriber = new RawConnection(s.port());
                RawConnection idle = new RawConnection(s.port())) {
            subscriber.call("SUBSCRIBE", "ch");
            assertTrue(idle.closedByServer());
            try (RawConnection p = new RawConnection(s.port())) {
                assertEquals(":1\r\n", p.call("PUBLISH", "ch", "still here"));
            }
            assertEquals(array("message", "ch", "still here"), subscriber.readReply());
        }
    }

    @Test
    void pubsubIntrospection() throws IOException {
        try (RawConnection a = connect(); RawConnection b = connect(); RawConnection p = connect()) {
            a.call("SUBSCRIBE", "x");
            b.call("SUBSCRIBE", "x");
            b.call("SUBSCRIBE", "");
            a.call("PSUBSCRIBE", "x*");
            b.call("PSUBSCRIBE", "x*");
            b.call("PSUBSCRIBE", "y*");
            a.call("SSUBSCRIBE", "s1");
            assertEquals("*6\r\n$1\r\nx\r\n:2\r\n$0\r\n\r\n:1\r\n$1\r\ny\r\n:0\r\n", p.call("PUBSUB", "NUMSUB", "x", "", "y"));
            assertEquals("*0\r\n", p.call("PUBSUB", "NUMSUB"));
            assertEquals(":2\r\n", p.call("PUBSUB", "NUMPAT"));
            assertEquals("*1\r\n$1\r\nx\r\n", p.call("PUBSUB", "CHANNELS", "*"));
            assertEquals("*1\r\n$1\r\nx\r\n", p.call("PUBSUB", "CHANNELS", "[xz]"));
            assertEquals("*0\r\n", p.call("PUBSUB", "CHANNELS", "y"));
            assertEquals(2, p.call("PUBSUB", "CHANNELS").split("\r\n").length / 2);
            assertEquals("*1\r\n$2\r\ns1\r\n", p.call("PUBSUB", "SHARDCHANNELS"));
            assertEquals("*0\r\n", p.call("PUBSUB", "SHARDCHANNELS", "x"));
            assertEquals("*4\r\n$2\r\ns1\r\n:1\r\n$1\r\nx\r\n:0\r\n", p.call("PUBSUB", "SHARDNUMSUB", "s1", "x"));
            // x: two channel subscribers and two pattern subscribers; "" matches no pattern.
            assertEquals(":4\r\n", p.call("PUBLISH", "x", "m"));
            assertEquals(":1\r\n", p.call("PUBLISH", "", "m"));
            assertEquals(":0\r\n", p.call("PUBLISH", "s1", "m"));
            assertEquals(":1\r\n", p.call("SPUBLISH", "s1", "m"));
            String info = p.call("INFO", "stats");
            assertTrue(info.contains("pubsub_channels:2\r\npubsub_patterns:2\r\npubsubshard_channels:1\r\n"), info);
        }
    }

    @Test
    void pubsubErrorsAndHelp() throws IOException {
        try (RawConnection p = connect()) {
            assertEquals("-ERR wrong number of arguments for 'pubsub|numpat' command\r\n", p.call("PUBSUB", "NUMPAT", "x"));
            assertEquals("-ERR unknown subcommand or wrong number of arguments for 'channels'. Try PUBSUB HELP.\r\n",
                    p.call("PUBSUB", "channels", "a", "b"));
            assertEquals("-ERR unknown subcommand or wrong number of arguments for 'SHARDCHANNELS'. Try PUBSUB HELP.\r\n",
                    p.call("PUBSUB", "SHARDCHANNELS", "a", "b"));
            assertEquals("-ERR unknown subcommand 'foo'. Try PUBSUB HELP.\r\n", p.call("PUBSUB", "foo"));
            assertEquals("-ERR wrong number of arguments for 'pubsub' command\r\n", p.call("PUBSUB"));
            assertEquals("-ERR wrong number of arguments for 'publish' command\r\n", p.call("PUBLISH", "a"));
            assertEquals("-ERR wrong number of arguments for 'subscribe' command\r\n", p.call("SUBSCRIBE"));
            assertEquals("-ERR wrong number of arguments for 'psubscribe' command\r\n", p.call("PSUBSCRIBE"));
            assertEquals("-ERR wrong number of arguments for 'ssubscribe' command\r\n", p.call("SSUBSCRIBE"));
            assertEquals("-ERR wrong number of arguments for 'spublish' command\r\n", p.call("SPUBLISH", "a"));
            assertEquals("-ERR The command has no key arguments\r\n", p.call("COMMAND", "GETKEYS", "SSUBSCRIBE", "a"));
            assertEquals("-ERR The command has no key arguments\r\n", p.call("COMMAND", "GETKEYS", "SPUBLISH", "a", "b"));
            String help = "*14\r\n+PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                    + "+CHANNELS [<pattern>]\r\n"
                    + "+    Return the currently active channels matching a <pattern> (default: '*').\r\n"
                    + "+NUMPAT\r\n+    Return number of subscriptions to patterns.\r\n"
                    + "+NUMSUB [<channel> ...]\r\n"
                    + "+    Return the number of subscribers for the specified channels, excluding\r\n"
                    + "+    pattern subscriptions(default: no channels).\r\n"
                    + "+SHARDCHANNELS [<pattern>]\r\n"
                    + "+    Return the currently active shard level channels matching a <pattern> (default: '*').\r\n"
                    + "+SHARDNUMSUB [<shardchannel> ...]\r\n"
                    + "+    Return the number of subscribers for the specified shard level channel(s)\r\n"
                    + "+HELP\r\n+    Prints this help.\r\n";
            assertEquals(help, p.call("PUBSUB", "HELP"));
        }
    }
}
