package dev.cairn.strings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.keyspace.Entry;
import dev.cairn.testing.JedisCommands;
import dev.cairn.testing.ServerFixture;
import dev.cairn.types.Strings;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;

/** The @string commands through Jedis (RESP2): replies, errors, TTL effects and encodings. */
class StringCommandsTest {
    @RegisterExtension
    final ServerFixture server = ServerFixture.cairn();

    private final Jedis jedis = server.jedis();

    private Object call(String... args) {
        return JedisCommands.call(jedis, args);
    }


    private String error(String... args) {
        return JedisCommands.error(jedis, args);
    }

    private Entry entry(String key) {
        return server.onCommandThread(() -> server.server().keyspace().db(0).find(key.getBytes(StandardCharsets.UTF_8)));
    }

    private String encoding(String key) {
        return server.onCommandThread(() -> Strings.encoding(
                server.server().keyspace().db(0).find(key.getBytes(StandardCharsets.UTF_8)).value()));
    }

    private long ttlMillis(String key) {
        long at = entry(key).expireAt();
        return at < 0 ? -1 : at - System.currentTimeMillis();
    }

    // ---- GET / SET ---------------------------------------------------------------------

    @Test
    void setAndGet() {
        assertNull(jedis.get("k"));
        assertEquals("OK", jedis.set("k", "v"));
        assertEquals("v", jedis.get("k"));
        assertEquals("OK", jedis.set("k", ""));
        assertEquals("", jedis.get("k"));
        byte[] binary = {0, (byte) 0xff, '\r', '\n', 7};
        jedis.set("b".getBytes(), binary);
        assertArrayEquals(binary, jedis.get("b".getBytes()));
    }

    @Test
    void setNxXx() {
        assertEquals("OK", jedis.set("k", "1", SetParams.setParams().nx()));
        assertNull(jedis.set("k", "2", SetParams.setParams().nx()));
        assertEquals("1", jedis.get("k"));
        assertEquals("OK", jedis.set("k", "3", SetParams.setParams().xx()));
        assertNull(jedis.set("missing", "3", SetParams.setParams().xx()));
        assertNull(jedis.get("missing"));
        assertNull(call("SET", "k", "4", "nx", "NX"), "a repeated option is accepted");
        assertEquals("ERR syntax error", error("SET", "k", "v", "NX", "XX"));
        assertEquals("ERR syntax error", error("SET", "k", "v", "XX", "NX"));
    }

    @Test
    void setGetOption() {
        assertNull(jedis.setGet("k", "a"));
        assertEquals("a", jedis.setGet("k", "b"));
        assertEquals("b", jedis.get("k"));
        // NX with GET (allowed since 7.0): returns the old value and does not write.
        assertEquals("b", call("SET", "k", "c", "NX", "GET"));
        assertEquals("b", jedis.get("k"));
        assertNull(call("SET", "new", "c", "XX", "GET"));
        assertNull(jedis.get("new"));
        assertNull(call("SET", "new", "c", "NX", "GET"));
        assertEquals("c", jedis.get("new"));
    }

    @Test
    void setExpiryOptions() {
        jedis.set("k", "v", SetParams.setParams().ex(100));
        long ttl = ttlMillis("k");
        assertTrue(ttl > 98_000 && ttl <= 100_000, "ttl " + ttl);
        jedis.set("k", "v", SetParams.setParams().px(5000));
        ttl = ttlMillis("k");
        assertTrue(ttl > 3000 && ttl <= 5000, "ttl " + ttl);
        long at = System.currentTimeMillis() + 200_000;
        jedis.set("k", "v", SetParams.setParams().pxAt(at));
        assertEquals(at, entry("k").expireAt());
        jedis.set("k", "v", SetParams.setParams().exAt(at / 1000));
        assertEquals(at / 1000 * 1000, entry("k").expireAt());
        jedis.set("k", "w", SetParams.setParams().keepTtl());
        assertEquals(at / 1000 * 1000, entry("k").expireAt());
        jedis.set("k", "x");
        assertEquals(-1, entry("k").expireAt());
        // Repeating the same unit is accepted; the last amount wins.
        assertEquals("OK", call("SET", "k", "v", "EX", "10", "EX", "20"));
        assertTrue(ttlMillis("k") > 10_000);
        // A time already past leaves nothing to read.
        assertEquals("OK", call("SET", "k", "v", "EXAT", "1"));
        assertNull(jedis.get("k"));
    }

    @Test
    void setErrors() {
        assertEquals("ERR syntax error", error("SET", "k", "v", "EX", "10", "PX", "10"));
        assertEquals("ERR syntax error", error("SET", "k", "v", "EX", "10", "KEEPTTL"));
        assertEquals("ERR syntax error", error("SET", "k", "v", "KEEPTTL", "EX", "10"));
        assertEquals("ERR syntax error", error("SET", "k", "v", "EX"));
        assertEquals("ERR syntax error", error("SET", "k", "v", "PERSIST"));
        assertEquals("ERR syntax error", error("SET", "k", "v", "FOO"));
        // The option syntax is checked before the amount.
        assertEquals("ERR syntax error", error("SET", "k", "v", "EX", "abc", "NX", "XX"));
        assertEquals("ERR value is not an integer or out of range", error("SET", "k", "v", "EX", "abc"));
        assertEquals("ERR invalid expire time in 'set' command", error("SET", "k", "v", "EX", "0"));
        assertEquals("ERR invalid expire time in 'set' command", error("SET", "k", "v", "PX", "-1"));
        assertEquals("ERR invalid expire time in 'set' command", error("SET", "k", "v", "EX", "9223372036854775"));
        assertEquals("ERR invalid expire time in 'set' command", error("SET", "k", "v", "PX", "9223372036854775807"));
        assertEquals("OK", call("SET", "k", "v", "EXAT", "9223372036854775"));
        assertEquals("ERR wrong number of arguments for 'set' command", error("SET", "k"));
        assertNull(jedis.get("nothing"));
    }

    @Test
    void setnxSetexPsetex() {
        assertEquals(1, jedis.setnx("k", "a"));
        assertEquals(0, jedis.setnx("k", "b"));
        assertEquals("a", jedis.get("k"));
        assertEquals("OK", jedis.setex("k", 100, "c"));
        assertEquals("c", jedis.get("k"));
        assertTrue(ttlMillis("k") > 98_000);
        assertEquals("OK", jedis.psetex("k", 100_000, "d"));
        assertTrue(ttlMillis("k") > 98_000);
        assertEquals("ERR invalid expire time in 'setex' command", error("SETEX", "k", "0", "v"));
        assertEquals("ERR invalid expire time in 'psetex' command", error("PSETEX", "k", "-5", "v"));
        assertEquals("ERR value is not an integer or out of range", error("SETEX", "k", "x", "v"));
        assertEquals("ERR wrong number of arguments for 'setex' command", error("SETEX", "k", "1"));
    }

    // ---- GETEX / GETDEL / GETSET --------------------------------------------------------

    @Test
    void getex() {
        assertNull(jedis.getEx("missing", GetExParams.getExParams().ex(10)));
        // A bad amount is not even parsed when the key is missing.
        assertNull(call("GETEX", "missing", "EX", "abc"));
        jedis.set("k", "v");
        assertEquals("v", jedis.getEx("k", GetExParams.getExParams()));
        assertEquals(-1, entry("k").expireAt());
        assertEquals("v", jedis.getEx("k", GetExParams.getExParams().ex(100)));
        assertTrue(ttlMillis("k") > 98_000);
        assertEquals("v", jedis.getEx("k", GetExParams.getExParams().persist()));
        assertEquals(-1, entry("k").expireAt());
        assertEquals("v", jedis.getEx("k", GetExParams.getExParams().pxAt(System.currentTimeMillis() + 50_000)));
        assertTrue(ttlMillis("k") > 40_000);
        // An absolute time in the past deletes the key after replying.
        assertEquals("v", jedis.getEx("k", GetExParams.getExParams().exAt(1)));
        assertNull(entry("k"));
    }

    @Test
    void getexErrors() {
        jedis.set("k", "v");
        assertEquals("ERR syntax error", error("GETEX", "k", "PERSIST", "EX", "10"));
        assertEquals("ERR syntax error", error("GETEX", "k", "EX", "10", "PERSIST"));
        assertEquals("ERR syntax error", error("GETEX", "k", "NX"));
        assertEquals("ERR syntax error", error("GETEX", "k", "KEEPTTL"));
        assertEquals("ERR syntax error", error("GETEX", "k", "EX"));
        assertEquals("ERR value is not an integer or out of range", error("GETEX", "k", "EX", "abc"));
        assertEquals("ERR invalid expire time in 'getex' command", error("GETEX", "k", "PX", "0"));
        assertEquals("v", call("GETEX", "k", "EX", "10", "EX", "10"));
    }

    @Test
    void getdelAndGetset() {
        assertNull(jedis.getDel("k"));
        jedis.set("k", "v");
        assertEquals("v", jedis.getDel("k"));
        assertNull(entry("k"));
        assertNull(jedis.getSet("k", "a"));
        jedis.psetex("k", 100_000, "b");
        assertEquals("b", jedis.getSet("k", "c"));
        assertEquals("c", jedis.get("k"));
        assertEquals(-1, entry("k").expireAt(), "GETSET removes the TTL");
    }

    // ---- MSET / MSETNX / MGET -----------------------------------------------------------

    @Test
    void msetMsetnxMget() {
        assertEquals("OK", jedis.mset("a", "1", "b", "2"));
        assertEquals(Arrays.asList("1", "2", null), jedis.mget("a", "b", "c"));
        assertEquals(0, jedis.msetnx("c", "3", "a", "x"));
        assertNull(jedis.get("c"));
        assertEquals(1, jedis.msetnx("c", "3", "d", "4"));
        assertEquals(Arrays.asList("3", "4"), jedis.mget("c", "d"));
        // A key repeated in one MSET takes the last value.
        assertEquals("OK", jedis.mset("e", "1", "e", "2"));
        assertEquals("2", jedis.get("e"));
        assertEquals("ERR wrong number of arguments for 'mset' command", error("MSET", "a", "1", "b"));
        assertEquals("ERR wrong number of arguments for 'msetnx' command", error("MSETNX", "a"));
        assertEquals("ERR wrong number of arguments for 'mget' command", error("MGET"));
    }

    // ---- APPEND / STRLEN / GETRANGE / SETRANGE ------------------------------------------

    @Test
    void appendAndStrlen() {
        assertEquals(0, jedis.strlen("k"));
        assertEquals(3, jedis.append("k", "abc"));
        assertEquals(6, jedis.append("k", "def"));
        assertEquals(6, jedis.append("k", ""));
        assertEquals("abcdef", jedis.get("k"));
        assertEquals(6, jedis.strlen("k"));
        jedis.set("n", "12345");
        assertEquals(5, jedis.strlen("n"));
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            jedis.append("big", "xyz" + i);
            expected.append("xyz").append(i);
        }
        assertEquals(expected.toString(), jedis.get("big"));
    }

    @Test
    void getrangeAndSubstr() {
        jedis.set("k", "This is a string");
        assertEquals("This", jedis.getrange("k", 0, 3));
        assertEquals("ing", jedis.getrange("k", -3, -1));
        assertEquals("This is a string", jedis.getrange("k", 0, -1));
        assertEquals("string", jedis.getrange("k", 10, 100));
        assertEquals("", jedis.getrange("k", 5, 3));
        assertEquals("", jedis.getrange("k", -1, -5));
        assertEquals("This", jedis.getrange("k", -100, 3));
        assertEquals("", jedis.getrange("k", 100, 200));
        assertEquals("", jedis.getrange("missing", 0, 10));
        assertEquals("This", jedis.substr("k", 0, 3));
        jedis.set("n", "-12345");
        assertEquals("123", jedis.getrange("n", 1, 3));
        assertEquals("ERR value is not an integer or out of range", error("GETRANGE", "k", "a", "1"));
        assertEquals("ERR value is not an integer or out of range", error("GETRANGE", "missing", "0", "x"));
        assertEquals("ERR wrong number of arguments for 'substr' command", error("SUBSTR", "k", "1"));
    }

    @Test
    void setrange() {
        assertEquals(11, jedis.setrange("k", 0, "Hello World"));
        assertEquals(11, jedis.setrange("k", 6, "Redis"));
        assertEquals("Hello Redis", jedis.get("k"));
        assertEquals(11, jedis.setrange("k", 3, ""));
        assertEquals(8, jedis.setrange("pad", 5, "abc"));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 'a', 'b', 'c'}, jedis.get("pad".getBytes()));
        assertEquals(0, jedis.setrange("nothing", 10, ""));
        assertNull(entry("nothing"), "writing nothing creates nothing");
        assertEquals("ERR offset is out of range", error("SETRANGE", "k", "-1", "x"));
        assertEquals("ERR value is not an integer or out of range", error("SETRANGE", "k", "x", "x"));
        assertEquals("ERR string exceeds maximum allowed size (proto-max-bulk-len)",
                error("SETRANGE", "k", "536870912", "x"));
        assertEquals("ERR string exceeds maximum allowed size (proto-max-bulk-len)",
                error("SETRANGE", "k", "9223372036854775807", "x"));
        assertEquals(0, jedis.setrange("huge", 536870912, ""));
    }

    // ---- counters ----------------------------------------------------------------------

    @Test
    void incrDecrFamily() {
        assertEquals(1, jedis.incr("n"));
        assertEquals(11, jedis.incrBy("n", 10));
        assertEquals(10, jedis.decr("n"));
        assertEquals(-5, jedis.decrBy("n", 15));
        assertEquals(-5, jedis.decrBy("m", 5));
        jedis.set("n", "9223372036854775806");
        assertEquals(Long.MAX_VALUE, jedis.incr("n"));
        assertEquals("ERR increment or decrement would overflow", error("INCR", "n"));
        jedis.set("n", "-9223372036854775808");
        assertEquals("ERR increment or decrement would overflow", error("DECR", "n"));
        assertEquals("ERR increment or decrement would overflow", error("INCRBY", "n", "-1"));
        assertEquals("ERR decrement would overflow", error("DECRBY", "n", "-9223372036854775808"));
        for (String bad : new String[] {"abc", "1.5", " 1", "+1", "01", "", "99999999999999999999"}) {
            jedis.set("bad", bad);
            assertEquals("ERR value is not an integer or out of range", error("INCR", "bad"), bad);
        }
        assertEquals("ERR value is not an integer or out of range", error("INCRBY", "n", "1.0"));
        jedis.psetex("t", 100_000, "5");
        assertEquals(6, jedis.incr("t"));
        assertTrue(ttlMillis("t") > 90_000, "INCR keeps the TTL");
    }

    @Test
    void incrbyfloat() {
        assertEquals("10.5", call("INCRBYFLOAT", "f", "10.5"));
        assertEquals("10.6", call("INCRBYFLOAT", "f", "0.1"));
        assertEquals("5.6", call("INCRBYFLOAT", "f", "-5"));
        assertEquals("5.6", jedis.get("f"));
        // Long double arithmetic shows in the digits, exactly as Redis prints them.
        assertEquals("10000000000.09999999962747097", call("INCRBYFLOAT", "g", "10000000000.1"));
        call("INCRBYFLOAT", "h", "0.1");
        assertEquals("0.3", call("INCRBYFLOAT", "h", "0.2"));
        assertEquals("0", call("INCRBYFLOAT", "tiny", "1e-20"));
        assertEquals("16", call("INCRBYFLOAT", "hex", "0x10"));
        assertEquals("5000", call("INCRBYFLOAT", "e", "5.0e3"));
        assertEquals("100000000000000000", call("INCRBYFLOAT", "big", "1e17"));
        assertEquals("123456789012345678899921813504", call("INCRBYFLOAT", "huge", "123456789012345678901234567890"));
        assertEquals("ERR increment would produce NaN or Infinity", error("INCRBYFLOAT", "x", "inf"));
        assertEquals("ERR increment would produce NaN or Infinity", error("INCRBYFLOAT", "x", "-Infinity"));
        for (String bad : new String[] {"nan", "abc", " 1", "1 ", "", "5.0e", "1e5000", "1e-5000"}) {
            assertEquals("ERR value is not a valid float", error("INCRBYFLOAT", "x", bad), bad);
        }
        jedis.set("s", "hello");
        assertEquals("ERR value is not a valid float", error("INCRBYFLOAT", "s", "1"));
        jedis.set("max", "1.2e4932");
        assertEquals("ERR value is not a valid float", error("INCRBYFLOAT", "max", "1"));
        jedis.set("m", "1.1e4932");
        assertEquals("ERR increment would produce NaN or Infinity", error("INCRBYFLOAT", "m", "1e4932"));
        assertNull(entry("x"));
    }

    // ---- encodings ---------------------------------------------------------------------

    @Test
    void encodingsFollowRedis() {
        jedis.set("k", "99");
        assertEquals("int", encoding("k"));
        jedis.append("k", "9");
        assertEquals("raw", encoding("k"));
        jedis.incr("k");
        assertEquals("int", encoding("k"));
        assertEquals("1000.5", call("INCRBYFLOAT", "k", "0.5"));
        assertEquals("embstr", encoding("k"));
        call("INCRBYFLOAT", "f", "3");
        assertEquals("embstr", encoding("f"), "INCRBYFLOAT never stores an int");
        jedis.append("f", "");
        assertEquals("raw", encoding("f"));
        jedis.set("s", "x".repeat(44));
        assertEquals("embstr", encoding("s"));
        jedis.set("s", "x".repeat(45));
        assertEquals("raw", encoding("s"));
        jedis.set("s", "abc");
        jedis.setrange("s", 0, "");
        assertEquals("embstr", encoding("s"), "an empty SETRANGE leaves the value alone");
        jedis.setrange("s", 1, "z");
        assertEquals("raw", encoding("s"));
        jedis.append("new", "12");
        assertEquals("int", encoding("new"), "APPEND to a missing key stores the argument as SET would");
        jedis.setrange("r", 0, "1");
        assertEquals("raw", encoding("r"));
        jedis.set("b", "5");
        jedis.setbit("b", 0, false);
        assertEquals("raw", encoding("b"), "SETBIT unshares even when no bit changes");
    }

    @Test
    void writesCountAsChanges() {
        long before = server.onCommandThread(() -> server.server().dirty());
        jedis.mset("a", "1", "b", "2", "c", "3");
        jedis.setrange("a", 0, "");
        long after = server.onCommandThread(() -> server.server().dirty());
        assertEquals(3, after - before);
    }
}
