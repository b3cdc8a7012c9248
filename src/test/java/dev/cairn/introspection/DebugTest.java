package dev.cairn.introspection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.ServerFixture;
import dev.cairn.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/** DEBUG: the enable-debug-command guard, digests (against real Redis), OBJECT, POPULATE, SLEEP. */
class DebugTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn("--enable-debug-command", "local");

    @RegisterExtension
    static final ServerFixture redis = ServerFixture.realRedis("--enable-debug-command", "local");

    private static Object debug(Jedis j, String... args) {
        return Replies.text(j.sendCommand(() -> "DEBUG".getBytes(), args));
    }

    @Test
    void refusedUnlessEnabled() throws Exception {
        String expected = "-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
                + "you can run it from a local connection, otherwise you need to set this option in the "
                + "configuration file, and then restart the server.\r\n";
        try (TestServer off = TestServer.start(); RawConnection r = new RawConnection(off.port())) {
            assertEquals(expected, r.call("DEBUG", "SLEEP", "0"));
            assertEquals("-ERR wrong number of arguments for 'debug' command\r\n", r.call("DEBUG"));
        }
        try (RealRedis off = RealRedis.start(); RawConnection r = new RawConnection(off.port())) {
            assertEquals(expected, r.call("DEBUG", "SLEEP", "0"));
        }
        // The guard comes before authentication, as in Redis.
        try (TestServer off = TestServer.start("--requirepass", "pw"); RawConnection r = new RawConnection(off.port())) {
            assertEquals(expected, r.call("DEBUG", "SLEEP", "0"));
        }
    }

    /** The same data gives the same DEBUG DIGEST and DIGEST-VALUE as on redis-server. */
    @Test
    void digestsMatchRedis() throws Exception {
        List<String[]> steps = List.of(
                new String[] {"DEBUG", "DIGEST"},
                new String[] {"SET", "foo", "bar"},
                new String[] {"SET", "n", "12345"},
                new String[] {"SET", "neg", "-7"},
                new String[] {"SET", "big", "x".repeat(1000)},
                new String[] {"SET", "bin", "\u0000\u00ff\r\n"},
                new String[] {"DEBUG", "DIGEST"},
                new String[] {"DEBUG", "DIGEST-VALUE", "foo", "n", "nosuch", "bin"},
                new String[] {"SET", "ttl", "v", "EX", "1000"},
                new String[] {"SET", "pttl", "12", "PXAT", "99999999999999"},
                new String[] {"DEBUG", "DIGEST"},
                new String[] {"DEBUG", "DIGEST-VALUE", "ttl", "pttl"},
                new String[] {"SELECT", "5"},
                new String[] {"SET", "foo", "bar"},
                new String[] {"DEBUG", "DIGEST"},
                new String[] {"DEBUG", "DIGEST-VALUE", "foo"},
                new String[] {"SET", "foo", "bar", "KEEPTTL"},
                new String[] {"SET", "ttl", "v", "EX", "50"},
                new String[] {"SET", "ttl", "v"},
                new String[] {"DEBUG", "DIGEST"},
                new String[] {"DEBUG", "POPULATE", "100"},
                new String[] {"DEBUG", "POPULATE", "20", "p", "16"},
                new String[] {"DEBUG", "POPULATE", "5", "q", "3"},
                new String[] {"DEBUG", "DIGEST"},
                new String[] {"DEBUG", "OBJECT", "p:3"},
                new String[] {"SELECT", "0"},
                new String[] {"DEBUG", "DIGEST-VALUE", "foo"});
        try (TestServer freshCairn = TestServer.start("--enable-debug-command", "yes");
                RealRedis freshRedis = RealRedis.start("--enable-debug-command", "yes");
                RawConnection c = new RawConnection(freshCairn.port());
                RawConnection r = new RawConnection(freshRedis.port())) {
            for (String[] step : steps) {
                String theirs = r.call(step);
                String ours = c.call(step);
                if (step.length > 1 && step[1].equals("OBJECT")) {
                    theirs = theirs.replaceAll("Value at:\\S+ ", "").replaceAll(" lru.*", "");
                    ours = ours.replaceAll("Value at:\\S+ ", "").replaceAll(" lru.*", "");
                }
                assertEquals(theirs, ours, String.join(" ", step));
            }
        }
    }

    @Test
    void digestOfAnEmptyDatasetIsZeros() {
        try (TestServer empty = TestServer.start("--enable-debug-command", "yes");
                Jedis j = new Jedis("127.0.0.1", empty.port())) {
            assertEquals("0".repeat(40), debug(j, "DIGEST"));
            assertEquals(List.of("0".repeat(40)), debug(j, "DIGEST-VALUE", "nosuch"));
        }
    }

    @Test
    void objectDescribesTheValue() {
        try (Jedis j = new Jedis("127.0.0.1", cairn.port())) {
            j.set("obj", "bar");
            String line = (String) debug(j, "OBJECT", "obj");
            assertTrue(line.matches("Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:4 "
                    + "lru:\\d+ lru_seconds_idle:\\d+"), line);
            j.set("obj", "5");
            assertTrue(((String) debug(j, "OBJECT", "obj")).contains(" refcount:2147483647 encoding:int serializedlength:2 "));
            JedisDataException e = assertThrows(JedisDataException.class, () -> debug(j, "OBJECT", "nosuch"));
            assertEquals("ERR no such key", e.getMessage());
        }
    }

    /** serializedlength is the RDB size, LZF-compressed strings included; compared with redis-server. */
    @Test
    void serializedLengthMatchesRedis() throws Exception {
        Random random = new Random(42);
        String[] alphabets = {"ab", "abc", "abcdefgh", "x", "0123456789", "the quick brown fox "};
        List<String> values = new ArrayList<>(List.of("", "7", "-128", "-129", "32768", "2147483647", "2147483648",
                "0123", "12345678901234567890123", "a".repeat(20), "a".repeat(21), "ab".repeat(300)));
        for (int i = 0; i < 300; i++) {
            int length = new int[] {21, 24, 30, 64, 100, 300, 2000, 20000}[random.nextInt(8)];
            String alphabet = alphabets[random.nextInt(alphabets.length)];
            StringBuilder sb = new StringBuilder();
            String unit = "";
            while (sb.length() < length) {
                if (unit.isEmpty() || random.nextInt(3) == 0) {
                    StringBuilder u = new StringBuilder();
                    for (int k = random.nextInt(12) + 1; k > 0; k--) u.append(alphabet.charAt(random.nextInt(alphabet.length())));
                    unit = u.toString();
                }
                sb.append(unit);
            }
            values.add(sb.substring(0, length));
        }
        try (RawConnection c = new RawConnection(cairn.port()); RawConnection r = new RawConnection(redis.port())) {
            for (String v : values) {
                r.call("SET", "s", v);
                c.call("SET", "s", v);
                assertEquals(serializedLength(r.call("DEBUG", "OBJECT", "s")), serializedLength(c.call("DEBUG", "OBJECT", "s")), v);
            }
        }
    }

    private static String serializedLength(String objectLine) {
        return objectLine.replaceAll(".*serializedlength:(\\d+).*\r\n", "$1");
    }

    @Test
    void populateCreatesKeys() {
        try (TestServer s = TestServer.start("--enable-debug-command", "yes");
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            j.set("key:1", "mine");
            assertEquals("OK", debug(j, "POPULATE", "3"));
            assertEquals(3L, s.onCommandThread(() -> s.server().keyspace().db(0).size()));
            assertEquals("value:0", j.get("key:0"));
            assertEquals("mine", j.get("key:1"));
            debug(j, "POPULATE", "2", "pre", "10");
            assertEquals("value:1\u0000\u0000\u0000", j.get("pre:1"));
            debug(j, "POPULATE", "1", "cut", "3");
            assertEquals("val", j.get("cut:0"));
            JedisDataException e = assertThrows(JedisDataException.class, () -> debug(j, "POPULATE", "-1"));
            assertEquals("ERR value is out of range, must be positive", e.getMessage());
        }
    }

    @Test
    void activeExpiryCanBeSwitchedOff() {
        try (Jedis j = new Jedis("127.0.0.1", cairn.port())) {
            assertEquals("OK", debug(j, "SET-ACTIVE-EXPIRE", "0"));
            assertFalse(cairn.onCommandThread(() -> cairn.server().activeExpiry().enabled()));
            assertEquals("OK", debug(j, "set-active-expire", "1"));
            assertTrue(cairn.onCommandThread(() -> cairn.server().activeExpiry().enabled()));
        }
    }

    @Test
    void sleepHelpAndUnknownSubcommands() {
        try (Jedis j = new Jedis("127.0.0.1", cairn.port())) {
            assertEquals("OK", debug(j, "SLEEP", "0.01"));
            assertEquals("OK", debug(j, "SLEEP", "not-a-number"));
            List<?> help = (List<?>) debug(j, "HELP");
            assertEquals("DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", help.get(0));
            assertTrue(help.contains("POPULATE <count> [<prefix>] [<size>]"));
            JedisDataException e = assertThrows(JedisDataException.class, () -> debug(j, "SLEEP"));
            assertEquals("ERR unknown subcommand or wrong number of arguments for 'SLEEP'. Try DEBUG HELP.", e.getMessage());
        }
    }

    @Test
    void lettuceDebugObject() {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + cairn.port());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().set("lettuce-debug", "x".repeat(50));
            assertTrue(c.sync().debugObject("lettuce-debug").contains(" encoding:raw serializedlength:"));
        } finally {
            client.shutdown();
        }
    }
}
