package dev.cairn.zsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Plain sets as inputs of ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD: each
 * member counts with score 1 (times its weight). Compared with a real redis-server, for
 * both set encodings (intset and hashtable) and both sorted set encodings.
 */
class ZSetSetInputsTest {
    private static final String[][] SETUP = {
        {"SADD", "ints", "1", "2", "3", "40"},
        {"SADD", "words", "a", "b", "c", "2"},
        {"ZADD", "z", "5", "a", "7", "2", "9", "x"},
        {"CONFIG", "SET", "zset-max-listpack-entries", "1"},
        {"ZADD", "zs", "5", "a", "7", "2", "9", "x", "-1", "40"},
        {"CONFIG", "SET", "zset-max-listpack-entries", "128"},
        {"SET", "str", "v"},
    };

    private static final String[][] QUERIES = {
        {"ZUNION", "2", "ints", "words", "WITHSCORES"},
        {"ZUNION", "3", "ints", "z", "zs", "WEIGHTS", "2", "0.5", "1", "WITHSCORES"},
        {"ZUNION", "2", "words", "z", "AGGREGATE", "MAX", "WITHSCORES"},
        {"ZINTER", "2", "ints", "zs", "WITHSCORES"},
        {"ZINTER", "2", "words", "z", "WEIGHTS", "3", "1", "AGGREGATE", "MIN", "WITHSCORES"},
        {"ZINTER", "2", "ints", "ints", "WITHSCORES"},
        {"ZDIFF", "2", "z", "words", "WITHSCORES"},
        {"ZDIFF", "2", "ints", "zs", "WITHSCORES"},
        {"ZDIFF", "1", "words"},
        {"ZINTERCARD", "2", "ints", "words"},
        {"ZINTERCARD", "3", "ints", "words", "zs", "LIMIT", "1"},
        {"ZUNIONSTORE", "d1", "2", "ints", "words"},
        {"ZRANGE", "d1", "0", "-1", "WITHSCORES"},
        {"OBJECT", "ENCODING", "d1"},
        {"ZINTERSTORE", "d2", "2", "words", "z"},
        {"ZRANGE", "d2", "0", "-1", "WITHSCORES"},
        {"ZDIFFSTORE", "d3", "2", "ints", "z"},
        {"ZRANGE", "d3", "0", "-1", "WITHSCORES"},
        {"ZUNION", "2", "ints", "str"},
        {"ZRANGE", "ints", "0", "-1"},
        {"ZADD", "ints", "1", "a"},
    };

    @Test
    void setsCountWithScoreOne() throws IOException {
        try (RealRedis real = RealRedis.start();
                TestServer cairn = TestServer.start();
                RawConnection expected = new RawConnection(real.port());
                RawConnection actual = new RawConnection(cairn.port())) {
            for (int protocol : new int[] {2, 3}) {
                expected.call("FLUSHALL");
                actual.call("FLUSHALL");
                expected.call("HELLO", String.valueOf(protocol));
                actual.call("HELLO", String.valueOf(protocol));
                for (String[] s : SETUP) assertEquals(expected.call(s), actual.call(s), String.join(" ", s));
                for (String[] q : QUERIES) assertEquals(expected.call(q), actual.call(q), String.join(" ", q));
            }
        }
    }
}
