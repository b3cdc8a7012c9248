package dev.cairn.hashes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.ServerFixture;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.SafeEncoder;

/**
 * When a hash goes from "listpack" to "hashtable": past hash-max-listpack-entries fields,
 * or with a field or value longer than hash-max-listpack-value, checked where Redis
 * checks (every argument of HSET before adding, the stored value for the counters), and
 * never back. The old hash-max-ziplist-* names set the same thresholds.
 */
class HashEncodingTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn("--enable-debug-command", "yes").flushingBeforeEachTest();

    private final Jedis jedis = server.jedis();

    private Object call(String... args) {
        Object reply = jedis.sendCommand(() -> SafeEncoder.encode(args[0]), Arrays.copyOfRange(args, 1, args.length));
        return reply instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : reply;
    }

    private String encoding(String key) {
        return jedis.objectEncoding(key);
    }

    private void limits(long entries, long value) {
        jedis.configSet("hash-max-listpack-entries", Long.toString(entries));
        jedis.configSet("hash-max-listpack-value", Long.toString(value));
    }

    @AfterEach
    void defaults() {
        limits(512, 64);
    }

    @Test
    void defaultsAreRedis() {
        assertEquals(Map.of("hash-max-listpack-entries", "512"), jedis.configGet("hash-max-listpack-entries"));
        assertEquals(Map.of("hash-max-listpack-value", "64"), jedis.configGet("hash-max-listpack-value"));
    }

    @Test
    void entriesThreshold() {
        limits(4, 64);
        for (int i = 1; i <= 4; i++) jedis.hset("h", "f" + i, "v");
        assertEquals("listpack", encoding("h"));
        jedis.hset("h", "f1", "updated");
        assertEquals("listpack", encoding("h"));
        jedis.hset("h", "f5", "v");
        assertEquals("hashtable", encoding("h"));
        // One way only: deleting back under the limit keeps the table.
        jedis.hdel("h", "f1", "f2", "f3", "f4");
        assertEquals("hashtable", encoding("h"));
        assertEquals(Map.of("f5", "v"), jedis.hgetAll("h"));
    }

    @Test
    void manyPairsInOneCommand() {
        limits(3, 64);
        call("HSET", "h", "a", "1", "b", "2", "c", "3");
        assertEquals("listpack", encoding("h"));
        call("HSET", "n", "a", "1", "b", "2", "c", "3", "d", "4");
        assertEquals("hashtable", encoding("n"));
        assertEquals(4L, jedis.hlen("n"));
    }

    @Test
    void zeroEntriesMeansAlwaysATable() {
        limits(0, 64);
        jedis.hset("h", "f", "v");
        assertEquals("hashtable", encoding("h"));
        jedis.hincrBy("c", "f", 1);
        assertEquals("hashtable", encoding("c"));
    }

    @Test
    void valueThresholdOnFieldsAndValues() {
        limits(512, 3);
        jedis.hset("h", "abc", "abc");
        assertEquals("listpack", encoding("h"));
        jedis.hset("h", "abc", "abcd");
        assertEquals("hashtable", encoding("h"));
        jedis.hset("f", "abcd", "1");
        assertEquals("hashtable", encoding("f"));
    }

    @Test
    void zeroValueLimitLeavesOnlyEmptyStringsCompact() {
        limits(512, 0);
        jedis.hset("h", "", "");
        assertEquals("listpack", encoding("h"));
        jedis.hset("h", "x", "");
        assertEquals("hashtable", encoding("h"));
    }

    /** HSET checks every argument before adding, even one that changes nothing. */
    @Test
    void longArgumentConvertsEvenForAnExistingField() {
        limits(512, 3);
        jedis.hset("h", "abc", "1");
        call("HSET", "h", "abc", "1", "long1", "1");
        assertEquals("hashtable", encoding("h"));
    }

    /** HSETNX converts only when it adds the field. */
    @Test
    void hsetnxConvertsOnlyWhenAdding() {
        limits(512, 3);
        jedis.hset("h", "a", "1");
        jedis.hsetnx("h", "a", "1234567890");
        assertEquals("listpack", encoding("h"));
        jedis.hsetnx("h", "b", "1234567890");
        assertEquals("hashtable", encoding("h"));
    }

    /** The counters' results are checked as they are stored. */
    @Test
    void countersConvertOnTheirResults() {
        limits(512, 3);
        jedis.hset("i", "a", "1");
        jedis.hincrBy("i", "a", 998);
        assertEquals("listpack", encoding("i"));
        jedis.hincrBy("i", "a", 1);
        assertEquals("hashtable", encoding("i"));
        jedis.hset("f", "a", "1");
        call("HINCRBYFLOAT", "f", "a", "0.25");
        assertEquals("hashtable", encoding("f"));
        call("HINCRBYFLOAT", "g", "a", "1");
        assertEquals("listpack", encoding("g"));
        call("HINCRBYFLOAT", "g", "abcd", "1");
        assertEquals("hashtable", encoding("g"));
    }

    @Test
    void ziplistAliasesSetTheSameThresholds() {
        jedis.configSet("hash-max-ziplist-entries", "2");
        jedis.configSet("hash-max-ziplist-value", "5");
        assertEquals(Map.of("hash-max-listpack-entries", "2"), jedis.configGet("hash-max-listpack-entries"));
        assertEquals(Map.of("hash-max-ziplist-value", "5"), jedis.configGet("hash-max-ziplist-value"));
        call("HSET", "h", "a", "1", "b", "2");
        assertEquals("listpack", encoding("h"));
        jedis.hset("h", "c", "3");
        assertEquals("hashtable", encoding("h"));
        jedis.hset("v", "a", "123456");
        assertEquals("hashtable", encoding("v"));
    }

    /** The same fields digest the same in both encodings (DEBUG DIGEST-VALUE is content only). */
    @Test
    void digestDoesNotDependOnEncoding() {
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < 20; i++) fields.put("field" + i, "value" + i);
        jedis.hset("small", fields);
        limits(4, 64);
        jedis.hset("table", fields);
        assertEquals("listpack", encoding("small"));
        assertEquals("hashtable", encoding("table"));
        Object digests = call("DEBUG", "DIGEST-VALUE", "small", "table");
        List<?> both = (List<?>) digests;
        assertEquals(new String((byte[]) both.get(0)), new String((byte[]) both.get(1)));
    }
}
