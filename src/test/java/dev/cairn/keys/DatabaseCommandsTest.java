package dev.cairn.keys;

import static dev.cairn.testing.ClientErrors.jedisError;
import static dev.cairn.testing.ClientErrors.lettuceError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.ServerFixture;
import dev.cairn.types.RawString;
import io.lettuce.core.CopyArgs;
import io.lettuce.core.FlushMode;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/** SWAPDB, MOVE, COPY, FLUSHDB, FLUSHALL and DBSIZE through Jedis and Lettuce. */
class DatabaseCommandsTest {
    private static final String DB_RANGE = "ERR DB index is out of range";
    private static final String SAME = "ERR source and destination objects are the same";

    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn().flushingBeforeEachTest();

    private final Jedis jedis = server.jedis();
    private final RedisCommands<String, String> lettuce = server.lettuce();

    private static long dirty() {
        return server.onCommandThread(() -> server.server().dirty());
    }

    @Test
    void dbsizeCountsTheSelectedDatabase() {
        assertEquals(0, jedis.dbSize());
        jedis.set("a", "1");
        jedis.set("b", "1");
        assertEquals(2, jedis.dbSize());
        jedis.select(1);
        assertEquals(0, jedis.dbSize());
        assertEquals(2L, lettuce.dbsize());
    }

    @Test
    void flushdbEmptiesOnlyTheSelectedDatabase() {
        jedis.set("a", "1");
        jedis.select(1);
        jedis.set("b", "1");
        assertEquals("OK", jedis.flushDB());
        assertEquals(0, jedis.dbSize());
        jedis.select(0);
        assertEquals(1, jedis.dbSize());
        assertEquals("OK", lettuce.flushdb(FlushMode.ASYNC));
        assertEquals("OK", lettuce.flushdb(FlushMode.SYNC));
        assertEquals(0L, lettuce.dbsize());
        assertEquals("ERR syntax error", jedisError(() -> jedis.sendCommand(Cmd.FLUSHDB, "now")));
    }

    @Test
    void flushallEmptiesEveryDatabase() {
        jedis.set("a", "1");
        jedis.select(5);
        jedis.set("b", "1");
        assertEquals("OK", jedis.flushAll(redis.clients.jedis.args.FlushMode.ASYNC));
        assertEquals(0, jedis.dbSize());
        jedis.select(0);
        assertEquals(0, jedis.dbSize());
        lettuce.set("c", "1");
        assertEquals("OK", lettuce.flushall(FlushMode.SYNC));
        assertEquals(0L, lettuce.dbsize());
        assertEquals("ERR syntax error", lettuceError(() -> lettuce.dispatch(io.lettuce.core.protocol.CommandType.FLUSHALL,
                new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8).add("async").add("sync"))));
    }

    @Test
    void swapdbExchangesContentsAndClientsKeepTheirIndex() {
        jedis.set("in0", "x");
        jedis.select(1);
        jedis.set("in1", "y");
        assertEquals("OK", jedis.swapDB(0, 1));
        assertEquals("x", jedis.get("in0"), "db 1 now holds what db 0 held");
        assertNull(jedis.get("in1"));
        assertEquals("y", lettuce.get("in1"), "the Lettuce connection is still on db 0");
        assertEquals("OK", lettuce.swapdb(1, 0));
        assertEquals("x", lettuce.get("in0"));
        assertEquals("OK", jedis.swapDB(3, 3));
        assertEquals(DB_RANGE, jedisError(() -> jedis.swapDB(0, 16)));
        assertEquals(DB_RANGE, lettuceError(() -> lettuce.swapdb(-1, 0)));
        assertEquals("ERR invalid first DB index", jedisError(() -> jedis.sendCommand(Cmd.SWAPDB, "x", "1")));
        assertEquals("ERR invalid second DB index", jedisError(() -> jedis.sendCommand(Cmd.SWAPDB, "1", "99999999999")));
    }

    @Test
    void swapdbKeepsTtls() {
        jedis.set("k", "v");
        jedis.expire("k", 100);
        jedis.swapDB(0, 2);
        jedis.select(2);
        assertTrue(jedis.ttl("k") > 90);
    }

    @Test
    void moveTransfersKeyAndTtl() {
        jedis.set("k", "v");
        jedis.expire("k", 100);
        assertEquals(1, jedis.move("k", 1));
        assertFalse(jedis.exists("k"));
        jedis.select(1);
        assertEquals("v", jedis.get("k"));
        assertTrue(jedis.ttl("k") > 90);
        jedis.select(0);
        jedis.set("k", "other");
        assertEquals(0, jedis.move("k", 1), "the name is taken in the target");
        assertEquals(0, jedis.move("missing", 1));
        assertEquals(SAME, jedisError(() -> jedis.move("k", 0)));
        assertEquals(DB_RANGE, jedisError(() -> jedis.move("k", 16)));
        assertEquals("ERR value is out of range, value must between -2147483648 and 2147483647",
                jedisError(() -> jedis.sendCommand(Cmd.MOVE, "k", "99999999999")));
        assertEquals("ERR value is not an integer or out of range",
                jedisError(() -> jedis.sendCommand(Cmd.MOVE, "k", "one")));

        assertTrue(lettuce.move("k", 2));
        assertFalse(lettuce.move("k", 2));
        assertEquals(SAME, lettuceError(() -> lettuce.move("x", 0)));
    }

    @Test
    void copyWithinAndAcrossDatabases() {
        jedis.set("src", "v");
        jedis.pexpire("src", 100_000);
        assertTrue(jedis.copy("src", "dst", false));
        assertEquals("v", jedis.get("dst"));
        assertTrue(jedis.pttl("dst") > 90_000, "the TTL is copied");
        assertFalse(jedis.copy("src", "dst", false));
        jedis.set("src", "w");
        assertTrue(jedis.copy("src", "dst", true));
        assertEquals("w", jedis.get("dst"));
        assertEquals(-1, jedis.ttl("dst"));
        assertTrue(jedis.copy("src", "src", 3, false));
        jedis.select(3);
        assertEquals("w", jedis.get("src"));
        assertFalse(jedis.copy("missing", "x", false));
        assertEquals(SAME, jedisError(() -> jedis.copy("src", "src", false)));
        assertEquals(DB_RANGE, jedisError(() -> jedis.copy("src", "x", 16, false)));
        assertEquals("ERR syntax error", jedisError(() -> jedis.sendCommand(Cmd.COPY, "src", "x", "db")));
        assertEquals("ERR syntax error", jedisError(() -> jedis.sendCommand(Cmd.COPY, "src", "x", "now")));

        lettuce.set("a", "1");
        assertTrue(lettuce.copy("a", "b"));
        assertFalse(lettuce.copy("a", "b"));
        assertTrue(lettuce.copy("a", "b", CopyArgs.Builder.replace(true)));
        assertTrue(lettuce.copy("a", "b", CopyArgs.Builder.destinationDb(4)));
        assertEquals(DB_RANGE, lettuceError(() -> lettuce.copy("a", "b", CopyArgs.Builder.destinationDb(99))));
        assertEquals(SAME, lettuceError(() -> lettuce.copy("a", "a")));
    }

    @Test
    void copyOfAModifiedStringIsIndependent() {
        byte[] key = "raw".getBytes(StandardCharsets.UTF_8);
        RawString original = new RawString("abc".getBytes(StandardCharsets.UTF_8), 16);
        server.onCommandThread(() -> server.server().keyspace().db(0).add(key, original));
        assertTrue(jedis.copy("raw", "copy", false));
        server.onCommandThread(() -> {
            original.append("def".getBytes(StandardCharsets.UTF_8));
            return null;
        });
        assertEquals("abcdef", jedis.get("raw"));
        assertEquals("abc", jedis.get("copy"));
        assertEquals("raw", jedis.objectEncoding("copy"));
    }

    /** The change counter (what a save would persist) moves as Redis's server.dirty does. */
    @Test
    void changesAreCountedLikeRedis() {
        long start = dirty();
        jedis.set("a", "1");
        jedis.set("b", "1");
        jedis.set("c", "1");
        assertEquals(start + 3, dirty());
        jedis.del("a", "b", "missing");
        assertEquals(start + 5, dirty());
        jedis.rename("c", "d");
        assertEquals(start + 6, dirty(), "one change for two keys");
        jedis.move("d", 1);
        assertEquals(start + 7, dirty());
        jedis.select(1);
        jedis.copy("d", "e", false);
        assertEquals(start + 8, dirty());
        jedis.expire("d", 100);
        jedis.persist("d");
        jedis.persist("d");
        assertEquals(start + 10, dirty());
        jedis.swapDB(0, 0);
        assertEquals(start + 11, dirty());
        jedis.flushDB();
        assertEquals(start + 13, dirty(), "FLUSHDB counts the keys it removed");
        jedis.flushAll();
        assertEquals(start + 13, dirty());
        jedis.set("x", "1");
        jedis.select(2);
        jedis.set("y", "1");
        jedis.flushAll();
        assertEquals(start + 17, dirty());
    }

    private enum Cmd implements redis.clients.jedis.commands.ProtocolCommand {
        FLUSHDB, SWAPDB, MOVE, COPY;

        @Override
        public byte[] getRaw() {
            return name().getBytes(StandardCharsets.US_ASCII);
        }
    }
}
