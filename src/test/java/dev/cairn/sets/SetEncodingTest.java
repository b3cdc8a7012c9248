package dev.cairn.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.ServerFixture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * OBJECT ENCODING of sets at every step, as Redis 7.0 reports it: "intset" while every member
 * is an integer string2ll accepts and there are at most set-max-intset-entries of them,
 * "hashtable" from then on (never back), and the encodings results of SINTERSTORE,
 * SUNIONSTORE, SDIFFSTORE, SMOVE and SPOP get.
 */
class SetEncodingTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn().flushingBeforeEachTest();

    private final Jedis jedis = server.jedis();

    @AfterEach
    void restoreDefaults() {
        jedis.configSet("set-max-intset-entries", "512");
    }

    private String encoding(String key) {
        return jedis.objectEncoding(key);
    }

    /** SMEMBERS in the order of the reply (an intset's is ascending). */
    private List<String> membersInOrder(String key) {
        List<?> reply = (List<?>) jedis.sendCommand(Protocol.Command.SMEMBERS, key);
        return reply.stream().map(b -> new String((byte[]) b, StandardCharsets.UTF_8)).toList();
    }

    private static String[] range(int from, int to) {
        List<String> members = new ArrayList<>();
        for (int i = from; i < to; i++) members.add(Integer.toString(i));
        return members.toArray(new String[0]);
    }

    @Test
    void theFirstMemberDecides() {
        jedis.sadd("ints", "1");
        jedis.sadd("text", "a");
        jedis.sadd("padded", "01");
        jedis.sadd("plus", "+1");
        jedis.sadd("float", "1.0");
        jedis.sadd("huge", "9223372036854775808");
        jedis.sadd("extremes", "9223372036854775807", "-9223372036854775808");
        assertEquals("intset", encoding("ints"));
        assertEquals("hashtable", encoding("text"));
        assertEquals("hashtable", encoding("padded"));
        assertEquals("hashtable", encoding("plus"));
        assertEquals("hashtable", encoding("float"));
        assertEquals("hashtable", encoding("huge"));
        assertEquals("intset", encoding("extremes"));
    }

    @Test
    void aNonIntegerConvertsForGood() {
        jedis.sadd("s", "1", "2", "3");
        assertEquals("intset", encoding("s"));
        jedis.sadd("s", "x");
        assertEquals("hashtable", encoding("s"));
        jedis.srem("s", "x");
        assertEquals("hashtable", encoding("s"));
        assertEquals(Set.of("1", "2", "3"), jedis.smembers("s"));
    }

    @Test
    void tooManyMembersConvert() {
        jedis.sadd("s", range(0, 512));
        assertEquals("intset", encoding("s"));
        jedis.sadd("s", "511");
        assertEquals("intset", encoding("s"));
        jedis.sadd("s", "512");
        assertEquals("hashtable", encoding("s"));
        assertEquals(513, jedis.scard("s"));
        assertEquals(true, jedis.sismember("s", "0"));
    }

    @Test
    void theLimitIsConfigurable() {
        jedis.configSet("set-max-intset-entries", "3");
        jedis.sadd("s", "1", "2", "3");
        assertEquals("intset", encoding("s"));
        jedis.sadd("s", "4");
        assertEquals("hashtable", encoding("s"));
        jedis.configSet("set-max-intset-entries", "0");
        jedis.sadd("z", "1");
        assertEquals("hashtable", encoding("z"));
        // Raising the limit does not convert existing sets back.
        jedis.configSet("set-max-intset-entries", "1000");
        assertEquals("hashtable", encoding("s"));
        jedis.sadd("big", range(0, 900));
        assertEquals("intset", encoding("big"));
    }

    @Test
    void intsetsWidenAsNeeded() {
        jedis.sadd("s", "1", "-1");
        jedis.sadd("s", "40000");
        jedis.sadd("s", "-5000000000");
        jedis.sadd("s", "32767", "-32768", "2147483647", "-2147483648");
        assertEquals("intset", encoding("s"));
        assertEquals(List.of("-5000000000", "-2147483648", "-32768", "-1", "1", "32767", "40000", "2147483647"),
                membersInOrder("s"));
        assertEquals(8, jedis.scard("s"));
        jedis.srem("s", "-5000000000");
        assertEquals(true, jedis.sismember("s", "40000"));
        assertEquals(false, jedis.sismember("s", "-5000000000"));
    }

    @Test
    void storedResultsStartAsIntsets() {
        jedis.sadd("ints", "1", "2", "3");
        jedis.sadd("mixed", "1", "2", "x");
        assertEquals("hashtable", encoding("mixed"));
        jedis.sinterstore("i", "mixed", "ints");
        assertEquals("intset", encoding("i"));
        jedis.sunionstore("u", "mixed");
        assertEquals("hashtable", encoding("u"));
        jedis.srem("mixed", "x");
        jedis.sunionstore("u2", "mixed");
        assertEquals("hashtable", encoding("mixed"));
        assertEquals("intset", encoding("u2"));
        jedis.sdiffstore("d", "mixed", "nothing");
        assertEquals("intset", encoding("d"));
        jedis.sadd("many", range(0, 600));
        jedis.sunionstore("u3", "many");
        assertEquals("hashtable", encoding("u3"));
    }

    @Test
    void smoveCreatesTheDestinationForItsMember() {
        jedis.sadd("s", "1", "x");
        jedis.smove("s", "a", "1");
        jedis.smove("s", "b", "x");
        assertEquals("intset", encoding("a"));
        assertEquals("hashtable", encoding("b"));
        jedis.sadd("c", "5");
        jedis.sadd("s", "y");
        jedis.smove("s", "c", "y");
        assertEquals("hashtable", encoding("c"));
    }

    @Test
    void spopOfMostOfATableRebuildsTheSet() {
        // Popping over 5/6 of the set builds a new set from the members that stay: an
        // intset again when they are few integers, as in Redis.
        jedis.sadd("s", range(0, 1000));
        assertEquals("hashtable", encoding("s"));
        assertEquals(900, jedis.spop("s", 900).size());
        assertEquals("intset", encoding("s"));
        assertEquals(100, jedis.scard("s"));
        // Popping a smaller part removes members one by one and keeps the table.
        jedis.sadd("t", range(0, 1000));
        jedis.spop("t", 100);
        assertEquals("hashtable", encoding("t"));
    }

    @Test
    void copyKeepsTheEncoding() {
        jedis.sadd("ints", "1", "2");
        jedis.sadd("table", "1", "x");
        jedis.srem("table", "x");
        jedis.copy("ints", "ints2", false);
        jedis.copy("table", "table2", false);
        assertEquals("intset", encoding("ints2"));
        assertEquals("hashtable", encoding("table2"));
        jedis.sadd("table2", "3");
        assertEquals(Set.of("1"), jedis.smembers("table"));
        assertEquals(Set.of("1", "3"), jedis.smembers("table2"));
        jedis.sadd("ints2", "3");
        assertEquals(Set.of("1", "2"), jedis.smembers("ints"));
    }
}
