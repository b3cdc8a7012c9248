package dev.cairn.scripting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.FunctionRestorePolicy;

/**
 * FUNCTION DUMP payloads move between Cairn and redis-server 7.0 in both directions, and
 * the checks of FUNCTION RESTORE (checksum, version, policies) behave as Redis's.
 */
class FunctionPayloadTest {
    private static final String LIB = "#!lua name=shared\n"
            + "-- a comment long enough for the code to be compressed in the payload, as Redis does\n"
            + "redis.register_function('greet', function(keys, args) return 'hello ' .. args[1] end)\n"
            + "redis.register_function{function_name='twice', callback=function(keys, args) return args[1] * 2 end, "
            + "flags={'no-writes'}, description='doubles'}";

    @Test
    void payloadsMoveBothWays() {
        try (RealRedis real = RealRedis.start();
                TestServer cairn = TestServer.start();
                Jedis redis = new Jedis("127.0.0.1", real.port());
                Jedis ours = new Jedis("127.0.0.1", cairn.port())) {
            redis.functionLoad(LIB);
            byte[] fromRedis = redis.functionDump();
            assertEquals("OK", ours.functionRestore(fromRedis));
            assertEquals("hello you", ours.fcall("greet", List.of(), List.of("you")));
            assertEquals(42L, ours.fcallReadonly("twice", List.of(), List.of("21")));
            // Same library, same bytes: the payload Cairn writes is Redis's.
            assertArrayEquals(fromRedis, ours.functionDump());

            ours.functionLoad("#!lua name=mine\nredis.register_function('mine', function() return 'cairn' end)");
            byte[] fromCairn = ours.functionDump();
            assertEquals("OK", redis.functionRestore(fromCairn, FunctionRestorePolicy.REPLACE));
            assertEquals("cairn", redis.fcall("mine", List.of(), List.of()));
            assertEquals("hello again", redis.fcall("greet", List.of(), List.of("again")));
        }
    }

    @Test
    void restoreChecksAndPolicies() {
        try (TestServer cairn = TestServer.start(); Jedis ours = new Jedis("127.0.0.1", cairn.port())) {
            ours.functionLoad(LIB);
            byte[] payload = ours.functionDump();
            byte[] corrupt = payload.clone();
            corrupt[5] ^= 1;
            assertEquals("ERR DUMP payload version or checksum are wrong",
                    assertErr(() -> ours.functionRestore(corrupt)));
            assertEquals("ERR Library shared already exists", assertErr(() -> ours.functionRestore(payload)));
            assertEquals("OK", ours.functionRestore(payload, FunctionRestorePolicy.REPLACE));
            ours.functionLoad("#!lua name=other\nredis.register_function('other', function() return 1 end)");
            assertEquals("OK", ours.functionRestore(payload, FunctionRestorePolicy.FLUSH));
            assertEquals("ERR Function not found", assertErr(() -> ours.fcall("other", List.of(), List.of())));
            assertEquals("hello x", ours.fcall("greet", List.of(), List.of("x")));
        }
    }

    private static String assertErr(Runnable r) {
        return org.junit.jupiter.api.Assertions.assertThrows(redis.clients.jedis.exceptions.JedisDataException.class,
                r::run).getMessage();
    }
}
