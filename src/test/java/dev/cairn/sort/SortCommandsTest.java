package dev.cairn.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.testing.ServerFixture;
import io.lettuce.core.SortArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SortingParams;

/** SORT and SORT_RO through Jedis and Lettuce: the options, STORE, errors and encodings. */
class SortCommandsTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn().flushingBeforeEachTest();

    private final Jedis jedis = cairn.jedis();

    @Test
    void numbersByDefaultAlphaOnRequestWithLimitAndDirection() {
        jedis.rpush("l", "3", "10", "1", "2.5", "-4");
        assertEquals(List.of("-4", "1", "2.5", "3", "10"), jedis.sort("l"));
        assertEquals(List.of("10", "3"), jedis.sort("l", new SortingParams().desc().limit(0, 2)));
        assertEquals(List.of("-4", "1", "10", "2.5", "3"), jedis.sort("l", new SortingParams().alpha()));
        jedis.rpush("words", "b", "a");
        JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.sort("words"));
        assertEquals("ERR One or more scores can't be converted into double", e.getMessage());
    }

    @Test
    void byWeightsAndHashFieldsGetPatternsAndNosort() {
        jedis.rpush("ids", "1", "2", "3");
        jedis.mset("w_1", "30", "w_2", "10", "w_3", "20", "name_1", "one", "name_3", "three");
        jedis.hset("h_1", "age", "5");
        jedis.hset("h_2", "age", "9");
        jedis.hset("h_3", "age", "1");
        assertEquals(List.of("2", "3", "1"), jedis.sort("ids", new SortingParams().by("w_*")));
        assertEquals(List.of("3", "1", "2"), jedis.sort("ids", new SortingParams().by("h_*->age")));
        assertEquals(Arrays.asList(null, "three", "one"), jedis.sort("ids", new SortingParams().by("w_*").get("name_*")));
        assertEquals(Arrays.asList("2", null, "3", "three", "1", "one"),
                jedis.sort("ids", new SortingParams().by("w_*").get("#", "name_*")));
        // A BY without '*' does not sort: the list keeps its order, DESC reverses it.
        assertEquals(List.of("3", "2", "1"), jedis.sort("ids", new SortingParams().by("nosort").desc()));
    }

    @Test
    void storeWritesAListAndAnEmptyResultDeletesTheDestination() {
        jedis.sadd("s", "3", "1", "2");
        assertEquals(3, jedis.sort("s", "dst"));
        assertEquals(List.of("1", "2", "3"), jedis.lrange("dst", 0, -1));
        assertEquals("list", jedis.type("dst"));
        assertEquals(0, jedis.sort("missing", "dst"));
        assertFalse(jedis.exists("dst"));
        JedisDataException e = assertThrows(JedisDataException.class,
                () -> jedis.sendCommand(() -> "SORT_RO".getBytes(), "s", "STORE", "x"));
        assertEquals("ERR syntax error", e.getMessage());
    }

    @Test
    void aSortedSetSortsItsMembersAndLeavesListpack() {
        jedis.zadd("z", 1, "30");
        jedis.zadd("z", 2, "4");
        assertEquals("listpack", jedis.objectEncoding("z"));
        assertEquals(List.of("4", "30"), jedis.sort("z"));
        assertEquals("skiplist", jedis.objectEncoding("z"), "Redis 7.0 converts the sorted set for SORT");
        assertEquals(List.of("30", "4"), jedis.sort("z", new SortingParams().by("nosort")));
        jedis.set("str", "x");
        JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.sort("str"));
        assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value", e.getMessage());
    }

    @Test
    void lettuceSortAndSortReadOnly() {
        RedisCommands<String, String> redis = cairn.lettuce();
        redis.rpush("l", "b", "c", "a");
        assertEquals(List.of("c", "b", "a"), redis.sort("l", SortArgs.Builder.alpha().desc()));
        assertEquals(List.of("a", "b"), redis.sortReadOnly("l", SortArgs.Builder.alpha().limit(0, 2)));
        assertEquals(3L, redis.sortStore("l", SortArgs.Builder.alpha(), "out"));
        assertEquals(List.of("a", "b", "c"), redis.lrange("out", 0, -1));
    }
}
