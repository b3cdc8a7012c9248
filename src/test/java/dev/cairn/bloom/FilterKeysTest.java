package dev.cairn.bloom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.JedisCommands;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.ServerFixture;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * Filter keys under the generic key commands: TYPE, OBJECT ENCODING, DEL, EXPIRE, RENAME,
 * COPY (an independent copy), MEMORY USAGE, DEBUG DIGEST-VALUE, and the keyspace
 * notifications the filter commands raise.
 */
class FilterKeysTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn("--enable-debug-command", "yes").flushingBeforeEachTest();

    private final Jedis jedis = server.jedis();

    private Object call(String... args) {
        return JedisCommands.call(jedis, args);
    }

    @AfterEach
    void notificationsOff() {
        jedis.configSet("notify-keyspace-events", "");
    }

    @Test
    void typeAndEncoding() {
        call("bf.add", "bf", "a");
        call("cf.add", "cf", "a");
        assertEquals("MBbloom--", jedis.type("bf"));
        assertEquals("MBbloomCF", jedis.type("cf"));
        assertEquals("raw", jedis.objectEncoding("bf"));
        assertEquals("raw", jedis.objectEncoding("cf"));
        assertEquals(2, jedis.del("bf", "cf"));
        assertEquals(0L, call("bf.exists", "bf", "a"));
    }

    @Test
    void expireRenameCopy() {
        call("bf.add", "bf", "a");
        call("cf.add", "cf", "a");
        assertEquals(1, jedis.pexpire("bf", 100_000));
        assertTrue(jedis.pttl("bf") > 0);
        assertEquals("OK", jedis.rename("bf", "bf2"));
        assertTrue(jedis.pttl("bf2") > 0);
        assertEquals(1L, call("bf.exists", "bf2", "a"));

        assertTrue(jedis.copy("bf2", "bf3", false));
        assertEquals(1L, call("bf.add", "bf3", "b"));
        assertEquals(0L, call("bf.exists", "bf2", "b"), "the copy is independent");
        assertEquals(1L, call("bf.card", "bf2"));
        assertEquals(2L, call("bf.card", "bf3"));

        assertTrue(jedis.copy("cf", "cf2", false));
        assertEquals(1L, call("cf.del", "cf2", "a"));
        assertEquals(1L, call("cf.exists", "cf", "a"), "the copy is independent");

        jedis.pexpire("cf", 1);
        dev.cairn.testing.Eventually.until("cf expired", () -> !jedis.exists("cf"));
        assertEquals(0L, call("cf.exists", "cf", "a"));
    }

    @Test
    void memoryUsageGrowsWithTheFilter() {
        call("bf.reserve", "small", "0.01", "100");
        call("bf.reserve", "large", "0.01", "100000");
        long small = jedis.memoryUsage("small");
        long large = jedis.memoryUsage("large");
        assertTrue(small > 100 && large > 100_000 && large < 200_000, small + " " + large);
        call("cf.reserve", "cf", "1024");
        assertTrue(jedis.memoryUsage("cf") > 1024);
    }

    @Test
    void digestFollowsTheContents() {
        call("bf.reserve", "a", "0.01", "100");
        call("bf.reserve", "b", "0.01", "100");
        String empty = (String) ((List<?>) call("debug", "digest-value", "a")).get(0);
        assertEquals(List.of(empty, empty), call("debug", "digest-value", "a", "b"));
        call("bf.add", "a", "x");
        assertNotEquals(List.of(empty), call("debug", "digest-value", "a"));
        call("bf.add", "b", "x");
        assertEquals(call("debug", "digest-value", "a"), call("debug", "digest-value", "b"));
        call("cf.add", "c", "x");
        assertEquals(40, ((String) ((List<?>) call("debug", "digest-value", "c")).get(0)).length());
        assertNotEquals(call("debug", "digest"), "0".repeat(40));
    }

    @Test
    void commandsRaiseGenericEvents() throws Exception {
        jedis.configSet("notify-keyspace-events", "Eg");
        try (RawConnection sub = new RawConnection(server.port())) {
            sub.call("PSUBSCRIBE", "__keyevent@0__:*");
            call("bf.reserve", "bf", "0.01", "100");
            call("bf.add", "bf", "a");
            call("bf.add", "bf", "a");   // nothing added: no event
            call("bf.madd", "bf", "b");
            call("bf.insert", "bf", "ITEMS", "c");
            call("cf.reserve", "cf", "100");
            call("cf.add", "cf", "a");
            call("cf.addnx", "cf", "b");
            call("cf.insert", "cf", "ITEMS", "c");
            call("cf.insertnx", "cf", "ITEMS", "d");
            call("cf.del", "cf", "a");
            for (String[] expected : new String[][] {{"bf.reserve", "bf"}, {"bf.add", "bf"}, {"bf.madd", "bf"},
                    {"bf.insert", "bf"}, {"cf.reserve", "cf"}, {"cf.add", "cf"}, {"cf.addnx", "cf"}, {"cf.insert", "cf"},
                    {"cf.insertnx", "cf"}, {"cf.del", "cf"}}) {
                String channel = "__keyevent@0__:" + expected[0];
                assertEquals("*4\r\n$8\r\npmessage\r\n$16\r\n__keyevent@0__:*\r\n$" + channel.length() + "\r\n" + channel
                        + "\r\n$2\r\n" + expected[1] + "\r\n", sub.readReply());
            }
        }
    }
}
