package dev.cairn.strings;

import static dev.cairn.testing.ClientErrors.lettuceError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.ServerFixture;
import io.lettuce.core.BitFieldArgs;
import io.lettuce.core.GetExArgs;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LcsArgs;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StringMatchResult;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The string and bitmap commands through Lettuce, which speaks RESP3 (HELLO 3). */
class StringsLettuceTest {
    @RegisterExtension
    final ServerFixture server = ServerFixture.cairn();

    private final RedisCommands<String, String> redis = server.lettuce();

    @Test
    void setFamily() {
        assertEquals("OK", redis.set("k", "v"));
        assertNull(redis.set("k", "w", SetArgs.Builder.nx()));
        assertEquals("v", redis.setGet("k", "w"));
        assertEquals("w", redis.get("k"));
        assertNull(redis.get("missing"));
        assertTrue(redis.setnx("n", "1"));
        assertFalse(redis.setnx("n", "2"));
        assertEquals("OK", redis.setex("e", 100, "x"));
        assertEquals("OK", redis.psetex("p", 100_000, "y"));
        assertEquals("x", redis.getex("e", GetExArgs.Builder.persist()));
        assertEquals("y", redis.getdel("p"));
        assertNull(redis.get("p"));
        assertEquals("x", redis.getset("e", "z"));
        assertEquals("ERR invalid expire time in 'set' command", lettuceError(() -> redis.set("k", "v", SetArgs.Builder.ex(0))));
    }

    @Test
    void multiKey() {
        assertEquals("OK", redis.mset(Map.of("a", "1", "b", "2")));
        assertFalse(redis.msetnx(Map.of("a", "3", "c", "3")));
        assertTrue(redis.msetnx(Map.of("c", "3")));
        List<KeyValue<String, String>> values = redis.mget("a", "missing", "c");
        assertEquals("1", values.get(0).getValue());
        assertFalse(values.get(1).hasValue());
        assertEquals("3", values.get(2).getValue());
    }

    @Test
    void editsAndCounters() {
        assertEquals(5, redis.append("s", "hello"));
        assertEquals(11, redis.setrange("s", 5, " world"));
        assertEquals("world", redis.getrange("s", 6, -1));
        assertEquals(11, redis.strlen("s"));
        assertEquals(1, redis.incr("c"));
        assertEquals(-9, redis.decrby("c", 10));
        assertEquals(1, redis.incrby("c", 10));
        assertEquals(0, redis.decr("c"));
        assertEquals(2.5, redis.incrbyfloat("c", 2.5));
        assertEquals("ERR value is not an integer or out of range", lettuceError(() -> redis.incr("s")));
        assertEquals("ERR value is not a valid float", lettuceError(() -> redis.incrbyfloat("s", 1)));
        assertEquals("ERR offset is out of range", lettuceError(() -> redis.setrange("s", -1, "x")));
    }

    @Test
    void lcsInResp3() {
        redis.mset(Map.of("key1", "ohmytext", "key2", "mynewtext"));
        assertEquals("mytext", redis.lcs(LcsArgs.Builder.keys("key1", "key2")).getMatchString());
        assertEquals(6, redis.lcs(LcsArgs.Builder.keys("key1", "key2").justLen()).getLen());
        StringMatchResult idx = redis.lcs(LcsArgs.Builder.keys("key1", "key2").withIdx().minMatchLen(4).withMatchLen());
        assertEquals(6, idx.getLen());
        assertEquals(1, idx.getMatches().size());
        StringMatchResult.MatchedPosition m = idx.getMatches().get(0);
        assertEquals(List.of(4L, 7L, 5L, 8L, 4L),
                List.of(m.getA().getStart(), m.getA().getEnd(), m.getB().getStart(), m.getB().getEnd(), m.getMatchLen()));
    }

    @Test
    void bitmaps() {
        assertEquals(0, redis.setbit("b", 1, 1));
        assertEquals("@", redis.get("b"));
        assertEquals(1, redis.getbit("b", 1));
        assertEquals(1, redis.bitcount("b"));
        assertEquals(1, redis.bitpos("b", true));
        assertEquals(0, redis.bitpos("b", false));
        redis.set("x", "\u007f");
        assertEquals(1, redis.bitopAnd("d", "b", "x"));
        assertEquals("@", redis.get("d"));
        assertEquals(1, redis.bitopNot("d", "x"));
        assertEquals(1, redis.bitopXor("d", "b", "x"));
        assertEquals(1, redis.bitopOr("d", "b", "missing"));
        assertEquals(Arrays.asList(0L, 100L), redis.bitfield("f", new BitFieldArgs()
                .set(BitFieldArgs.unsigned(8), 0, 100).get(BitFieldArgs.unsigned(8), 0)));
        assertEquals(Arrays.asList((Long) null), redis.bitfield("f", new BitFieldArgs()
                .overflow(BitFieldArgs.OverflowType.FAIL).incrBy(BitFieldArgs.unsigned(8), 0, 200)));
        assertEquals("ERR bit offset is not an integer or out of range", lettuceError(() -> redis.setbit("b", -1, 1)));
    }
}
