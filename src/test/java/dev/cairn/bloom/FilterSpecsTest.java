package dev.cairn.bloom;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.JedisCommands;
import dev.cairn.testing.ServerFixture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * COMMAND INFO of the filter commands: registered as Redis 7.0 registers module commands
 * (the module flag, key 1, ACL categories derived from the flags only), with RedisBloom's
 * arities and write/read/fast split. No real server here has RedisBloom, so the expected
 * values are written out.
 */
class FilterSpecsTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn();

    private static final Map<String, List<Object>> EXPECTED = Map.ofEntries(
            Map.entry("bf.reserve", List.of(-4L, List.of("write", "denyoom", "module", "fast"), List.of("@write", "@fast"))),
            Map.entry("bf.add", List.of(3L, List.of("write", "denyoom", "module", "fast"), List.of("@write", "@fast"))),
            Map.entry("bf.madd", List.of(-3L, List.of("write", "denyoom", "module", "fast"), List.of("@write", "@fast"))),
            Map.entry("bf.insert", List.of(-4L, List.of("write", "denyoom", "module"), List.of("@write", "@slow"))),
            Map.entry("bf.exists", List.of(3L, List.of("readonly", "module", "fast"), List.of("@read", "@fast"))),
            Map.entry("bf.mexists", List.of(-3L, List.of("readonly", "module", "fast"), List.of("@read", "@fast"))),
            Map.entry("bf.info", List.of(-2L, List.of("readonly", "module", "fast"), List.of("@read", "@fast"))),
            Map.entry("bf.card", List.of(2L, List.of("readonly", "module", "fast"), List.of("@read", "@fast"))),
            Map.entry("bf.scandump", List.of(3L, List.of("readonly", "module"), List.of("@read", "@slow"))),
            Map.entry("bf.loadchunk", List.of(4L, List.of("write", "denyoom", "module"), List.of("@write", "@slow"))),
            Map.entry("cf.reserve", List.of(-3L, List.of("write", "denyoom", "module", "fast"), List.of("@write", "@fast"))),
            Map.entry("cf.add", List.of(3L, List.of("write", "denyoom", "module", "fast"), List.of("@write", "@fast"))),
            Map.entry("cf.addnx", List.of(3L, List.of("write", "denyoom", "module", "fast"), List.of("@write", "@fast"))),
            Map.entry("cf.insert", List.of(-4L, List.of("write", "denyoom", "module"), List.of("@write", "@slow"))),
            Map.entry("cf.insertnx", List.of(-4L, List.of("write", "denyoom", "module"), List.of("@write", "@slow"))),
            Map.entry("cf.exists", List.of(3L, List.of("readonly", "module", "fast"), List.of("@read", "@fast"))),
            Map.entry("cf.mexists", List.of(-3L, List.of("readonly", "module", "fast"), List.of("@read", "@fast"))),
            Map.entry("cf.del", List.of(3L, List.of("write", "module", "fast"), List.of("@write", "@fast"))),
            Map.entry("cf.count", List.of(3L, List.of("readonly", "module", "fast"), List.of("@read", "@fast"))),
            Map.entry("cf.info", List.of(2L, List.of("readonly", "module", "fast"), List.of("@read", "@fast"))),
            Map.entry("cf.scandump", List.of(3L, List.of("readonly", "module"), List.of("@read", "@slow"))),
            Map.entry("cf.loadchunk", List.of(4L, List.of("write", "denyoom", "module"), List.of("@write", "@slow"))));

    @Test
    void commandInfo() {
        for (var e : EXPECTED.entrySet()) {
            List<?> info = (List<?>) ((List<?>) JedisCommands.call(server.jedis(), "command", "info", e.getKey())).get(0);
            assertEquals(e.getKey(), info.get(0));
            assertEquals(e.getValue().get(0), info.get(1), e.getKey() + " arity");
            assertEquals(e.getValue().get(1), info.get(2), e.getKey() + " flags");
            assertEquals(List.of(1L, 1L, 1L), info.subList(3, 6), e.getKey() + " keys");
            assertEquals(e.getValue().get(2), info.get(6), e.getKey() + " acl");
        }
        assertEquals(22, EXPECTED.size());
    }
}
