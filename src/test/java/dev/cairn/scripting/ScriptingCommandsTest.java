package dev.cairn.scripting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.ServerFixture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/**
 * EVAL, EVALSHA, SCRIPT, FUNCTION and FCALL through Jedis and Lettuce: replies, errors
 * and the rules scripts run under (read-only variants, noscript commands, sandbox).
 */
class ScriptingCommandsTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn().flushingBeforeEachTest();

    private static final String LOCK_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then "
            + "return redis.call('del', KEYS[1]) else return 0 end";

    private final Jedis jedis = server.jedis();

    private String error(Runnable r) {
        return assertThrows(JedisDataException.class, r::run).getMessage();
    }

    @Test
    void evalConvertsBothWays() {
        assertEquals(1L, jedis.eval("return 1"));
        assertEquals(3L, jedis.eval("return 3.99"));
        assertEquals("x", jedis.eval("return 'x'"));
        assertNull(jedis.eval("return false"));
        assertEquals(List.of(1L, "two", List.of(3L)), jedis.eval("return {1, 'two', {3}, nil, 5}"));
        assertEquals("OK", jedis.eval("return redis.call('set', KEYS[1], ARGV[1])", List.of("k"), List.of("v")));
        assertEquals("v", jedis.eval("return redis.call('get', KEYS[1])", List.of("k"), List.of()));
        assertEquals("fine", jedis.eval("return redis.status_reply('fine')"));
        assertEquals("MY error", error(() -> jedis.eval("return redis.error_reply('MY error')")));
    }

    @Test
    void evalshaRunsCachedScripts() {
        String sha = jedis.scriptLoad("return ARGV[1] .. '!'");
        assertEquals(RedisApi.sha1hex("return ARGV[1] .. '!'"), sha);
        assertEquals("hi!", jedis.evalsha(sha, List.of(), List.of("hi")));
        assertEquals("hi!", jedis.evalsha(sha.toUpperCase(), List.of(), List.of("hi")));
        assertEquals(List.of(true, false), jedis.scriptExists(sha, "0000000000000000000000000000000000000000"));
        assertEquals("OK", jedis.scriptFlush());
        assertEquals("NOSCRIPT No matching script. Please use EVAL.",
                error(() -> jedis.evalsha(sha, List.of(), List.of("hi"))));
    }

    @Test
    void errorsNameTheScriptAndLine() {
        jedis.set("s", "text");
        String sha = RedisApi.sha1hex("\nreturn redis.call('incr', 's')");
        assertEquals("ERR value is not an integer or out of range script: " + sha + ", on @user_script:2.",
                error(() -> jedis.eval("\nreturn redis.call('incr', 's')")));
        assertEquals("ERR user_script:1: Script attempted to access nonexistent global variable 'nope' script: "
                + RedisApi.sha1hex("return nope") + ", on @user_script:1.", error(() -> jedis.eval("return nope")));
        assertEquals("ERR user_script:1: Attempt to modify a readonly table script: " + RedisApi.sha1hex("x = 1")
                + ", on @user_script:1.", error(() -> jedis.eval("x = 1")));
        assertEquals("ERR This Redis command is not allowed from script script: "
                + RedisApi.sha1hex("return redis.call('client', 'list')") + ", on @user_script:1.",
                error(() -> jedis.eval("return redis.call('client', 'list')")));
        assertEquals("ERR Error compiling script (new function): user_script:1: '<eof>' expected near 'end'",
                error(() -> jedis.eval("return end end")));
    }

    @Test
    void readOnlyScriptsCannotWrite() {
        assertEquals("ERR Write commands are not allowed from read-only scripts. script: "
                + RedisApi.sha1hex("return redis.call('set', 'a', 'b')") + ", on @user_script:1.",
                error(() -> jedis.evalReadonly("return redis.call('set', 'a', 'b')", List.of(), List.of())));
        assertEquals("ERR Can not execute a script with write flag using *_ro command.",
                error(() -> jedis.evalReadonly("#!lua\nreturn 1", List.of(), List.of())));
        assertEquals(1L, jedis.evalReadonly("#!lua flags=no-writes\nreturn 1", List.of(), List.of()));
        assertEquals("ERR Write commands are not allowed from read-only scripts. script: "
                + RedisApi.sha1hex("#!lua flags=no-writes\nreturn redis.call('del', 'a')") + ", on @user_script:2.",
                error(() -> jedis.eval("#!lua flags=no-writes\nreturn redis.call('del', 'a')")));
    }

    @Test
    void keysDoNotExpireWhileAScriptRuns() throws InterruptedException {
        // The key's 30 ms pass while the script runs 100 ms: it is still there for the script.
        assertEquals(1L, jedis.eval("redis.call('set', 'ek', 'v', 'px', 30) "
                + "local function now() local t = redis.call('time') return t[1] * 1e6 + t[2] end "
                + "local s = now() while now() - s < 100000 do end return redis.call('exists', 'ek')"));
        Thread.sleep(5);
        assertFalse(jedis.exists("ek"));
    }

    @Test
    void distributedLockFromTheSeed() {
        // SET key value NX EX, then release with a compare-and-delete script (seed 003).
        assertEquals("OK", jedis.set("resource", "token-1", SetParams.setParams().nx().ex(10)));
        assertNull(jedis.set("resource", "token-2", SetParams.setParams().nx().ex(10)));
        assertEquals(0L, jedis.eval(LOCK_RELEASE, List.of("resource"), List.of("token-2")));
        assertEquals("token-1", jedis.get("resource"));
        assertEquals(1L, jedis.eval(LOCK_RELEASE, List.of("resource"), List.of("token-1")));
        assertFalse(jedis.exists("resource"));
        assertEquals("OK", jedis.set("resource", "token-2", SetParams.setParams().nx().ex(10)));
    }

    @Test
    void functionsThroughJedis() {
        String lib = "#!lua name=counters\n"
                + "redis.register_function('bump', function(keys, args) return redis.call('incrby', keys[1], args[1]) end)\n"
                + "redis.register_function{function_name='peek', callback=function(keys) return redis.call('get', keys[1]) end,"
                + " flags={'no-writes'}}";
        assertEquals("counters", jedis.functionLoad(lib));
        assertEquals(5L, jedis.fcall("bump", List.of("n"), List.of("5")));
        assertEquals(7L, jedis.fcall("bump", List.of("n"), List.of("2")));
        assertEquals("7", jedis.fcallReadonly("peek", List.of("n"), List.of()));
        assertEquals("ERR Can not execute a script with write flag using *_ro command.",
                error(() -> jedis.fcallReadonly("bump", List.of("n"), List.of("1"))));
        assertEquals("ERR Library 'counters' already exists", error(() -> jedis.functionLoad(lib)));
        assertEquals("counters", jedis.functionLoadReplace(lib));
        byte[] payload = jedis.functionDump();
        assertEquals("OK", jedis.functionFlush());
        assertEquals("ERR Function not found", error(() -> jedis.fcall("bump", List.of("n"), List.of("1"))));
        assertEquals("OK", jedis.functionRestore(payload));
        assertEquals(8L, jedis.fcall("bump", List.of("n"), List.of("1")));
        assertEquals("OK", jedis.functionDelete("counters"));
        assertEquals("ERR Library not found", error(() -> jedis.functionDelete("counters")));
    }

    @Test
    void scriptsThroughLettuce() {
        RedisCommands<String, String> lettuce = server.lettuce();
        assertEquals(Long.valueOf(42), lettuce.eval("return 42", ScriptOutputType.INTEGER));
        String sha = lettuce.scriptLoad("return redis.call('incr', KEYS[1])");
        assertEquals(Long.valueOf(1), lettuce.evalsha(sha, ScriptOutputType.INTEGER, "c"));
        assertEquals(Long.valueOf(2), lettuce.evalsha(sha, ScriptOutputType.INTEGER, "c"));
        assertEquals(List.of(true), lettuce.scriptExists(sha));
        assertEquals("lettucelib", lettuce.functionLoad("#!lua name=lettucelib\n"
                + "redis.register_function('echo2', function(keys, args) return args[1] .. args[1] end)"));
        assertEquals("abab", lettuce.fcall("echo2", ScriptOutputType.VALUE, new String[0], "ab"));
        assertArrayEquals(new Object[] {"a", "b"},
                ((List<?>) lettuce.eval("return {'a', 'b'}", ScriptOutputType.MULTI)).toArray());
        assertTrue(lettuce.functionList().size() >= 1);
    }
}
