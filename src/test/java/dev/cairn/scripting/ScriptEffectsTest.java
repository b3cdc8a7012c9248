package dev.cairn.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Scripts replicate by effects: propagation receives the write commands a script ran that
 * changed the dataset (wrapped in MULTI/EXEC when several), with the database and
 * redis.set_repl's targets, and nothing for reads, failed writes or REPL_NONE.
 */
class ScriptEffectsTest {
    @Test
    void writesOfScriptsAreRecordedWithTheirDatabaseAndTargets() {
        try (TestServer server = TestServer.start(); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            List<String> seen = new ArrayList<>();
            server.onCommandThread(() -> {
                server.server().propagation().addListener((db, argv, targets) -> seen.add(db + " " + targets + " "
                        + String.join(" ", Arrays.stream(argv).map(a -> new String(a, StandardCharsets.UTF_8)).toList())));
                return null;
            });
            jedis.set("text", "x");
            jedis.eval("redis.call('set', 'a', '1') redis.call('get', 'a') redis.pcall('incr', 'text') "
                    + "redis.call('select', '2') redis.call('incrby', 'n', 5) "
                    + "redis.set_repl(redis.REPL_NONE) redis.call('set', 'hidden', '1') "
                    + "redis.set_repl(redis.REPL_AOF) redis.call('del', 'n') redis.call('del', 'n')");
            jedis.functionLoad("#!lua name=fx\nredis.register_function('fx', function(k) "
                    + "return redis.call('append', k[1], 'z') end)");
            jedis.fcall("fx", List.of("k"), List.of());
            // Several effects go in a MULTI/EXEC; FUNCTION LOAD propagates as itself.
            assertEquals(List.of("0 3 SET text x", "0 3 MULTI", "0 3 set a 1", "2 3 incrby n 5", "2 1 del n",
                    "2 3 EXEC", "0 3 FUNCTION LOAD #!lua name=fx\nredis.register_function('fx', function(k) "
                    + "return redis.call('append', k[1], 'z') end)", "0 3 append k z"), seen);
        }
    }
}
