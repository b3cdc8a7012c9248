package dev.cairn.eviction;

import static dev.cairn.eviction.EvictionPolicyTest.info;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.ServerFixture;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * Scripts and used_memory as in Redis 7.0: the Lua states (used_memory_lua,
 * used_memory_vm_*) are not part of used_memory, nor of what maxmemory limits; the caches
 * of scripts and libraries (used_memory_scripts) are, as overhead.
 */
class ScriptsMemoryTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn().flushingBeforeEachTest();

    private static final String BIG_TABLE = "local t = {} for i = 1, 200000 do t[i] = i end return 1";

    @Test
    void theLuaStateIsNotInUsedMemory() {
        Jedis j = cairn.jedis();
        j.scriptFlush();
        long lua = info(j, "memory", "used_memory_lua");
        long used = info(j, "memory", "used_memory");
        j.eval(BIG_TABLE);
        // The table is garbage in the Lua state now, several megabytes of it...
        long luaGrowth = info(j, "memory", "used_memory_lua") - lua;
        assertTrue(luaGrowth > 1_000_000, "lua grew by " + luaGrowth);
        // ...and used_memory only took the one cached script (and buffer noise).
        long usedGrowth = info(j, "memory", "used_memory") - used;
        assertTrue(usedGrowth < 64 * 1024, "used_memory grew by " + usedGrowth);
    }

    @Test
    void theLuaStateDoesNotCountAgainstMaxmemory() {
        Jedis j = cairn.jedis();
        j.scriptFlush();
        long used = info(j, "memory", "used_memory");
        j.configSet("maxmemory", Long.toString(used + 512 * 1024));
        try {
            j.eval(BIG_TABLE);
            // More garbage in the Lua state than the room left under the limit.
            assertTrue(info(j, "memory", "used_memory_lua") > 1024 * 1024);
            // A write is still accepted under noeviction: the Lua state's garbage is not used_memory.
            assertEquals("OK", j.set("k", "v"));
        } finally {
            j.configSet("maxmemory", "0");
        }
    }

    @Test
    void cachedScriptsAndLibrariesAreInUsedMemoryAsOverhead() {
        Jedis j = cairn.jedis();
        j.scriptFlush();
        j.functionFlush();
        Map<String, Long> before = memory(j);
        for (int i = 0; i < 200; i++) j.scriptLoad("return " + i + " -- " + "x".repeat(100));
        j.functionLoad("#!lua name=lib\nredis.register_function('f', function() return 1 end)");
        Map<String, Long> loaded = memory(j);
        long scripts = loaded.get("used_memory_scripts");
        assertEquals(scripts, loaded.get("used_memory_scripts_eval") + loaded.get("used_memory_functions"));
        assertTrue(scripts > 200 * 100, "scripts " + scripts);
        assertEquals(loaded.get("used_memory_startup") + loaded.get("mem_clients_normal") + scripts,
                loaded.get("used_memory_overhead"));
        long clientsGrowth = loaded.get("mem_clients_normal") - before.get("mem_clients_normal");
        assertEquals(before.get("used_memory") + scripts + clientsGrowth, loaded.get("used_memory"));
        // Flushed, the caches leave used_memory again.
        j.scriptFlush();
        j.functionFlush();
        Map<String, Long> flushed = memory(j);
        assertEquals(0, flushed.get("used_memory_scripts"));
        assertEquals(before.get("used_memory") + flushed.get("mem_clients_normal") - before.get("mem_clients_normal"),
                flushed.get("used_memory"));
    }

    /** The integer fields of one INFO memory reply. */
    private static Map<String, Long> memory(Jedis j) {
        Map<String, Long> fields = new HashMap<>();
        for (String line : j.info("memory").split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(colon + 1).matches("\\d+")) continue;
            fields.put(line.substring(0, colon), Long.parseLong(line.substring(colon + 1)));
        }
        return fields;
    }
}
