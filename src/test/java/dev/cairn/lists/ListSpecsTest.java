package dev.cairn.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.CommandDocs;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The list command specs against the real server: COMMAND INFO byte for byte (arity,
 * flags, key positions, ACL categories, key specs), COMMAND GETKEYSANDFLAGS, and the
 * since/group/complexity/deprecation/history facts of COMMAND DOCS.
 */
class ListSpecsTest {
    private static final List<String> COMMANDS = List.of(
            "lpush", "rpush", "lpushx", "rpushx", "lpop", "rpop", "llen", "lrange", "lindex", "lset", "lrem",
            "ltrim", "linsert", "lpos", "lmove", "rpoplpush", "lmpop", "blpop", "brpop", "blmove", "brpoplpush",
            "blmpop");

    @Test
    void commandInfoMatchesRedis() throws IOException {
        try (RealRedis real = RealRedis.start();
                TestServer cairn = TestServer.start();
                RawConnection expected = new RawConnection(real.port());
                RawConnection actual = new RawConnection(cairn.port())) {
            for (String name : COMMANDS) {
                assertEquals(expected.call("COMMAND", "INFO", name), actual.call("COMMAND", "INFO", name), name);
            }
            for (String protocol : new String[] {"2", "3"}) {
                expected.call("HELLO", protocol);
                actual.call("HELLO", protocol);
                for (String[] command : new String[][] {
                    {"LMOVE", "a", "b", "LEFT", "RIGHT"}, {"BRPOPLPUSH", "a", "b", "0"}, {"BLPOP", "a", "b", "c", "0"},
                    {"LMPOP", "2", "a", "b", "LEFT"}, {"BLMPOP", "0", "3", "a", "b", "c", "RIGHT", "COUNT", "2"},
                    {"LPUSH", "k", "v"}, {"LRANGE", "k", "0", "1"}, {"LLEN", "k"}, {"LSET", "k", "0", "v"}}) {
                    List<String> args = new ArrayList<>(List.of("COMMAND", "GETKEYSANDFLAGS"));
                    args.addAll(List.of(command));
                    String[] request = args.toArray(String[]::new);
                    assertEquals(expected.call(request), actual.call(request), String.join(" ", command));
                }
            }
        }
    }

    @Test
    void commandDocsFactsMatchRedis() {
        try (RealRedis real = RealRedis.start();
                TestServer cairn = TestServer.start();
                Jedis redis = new Jedis("127.0.0.1", real.port());
                Jedis ours = new Jedis("127.0.0.1", cairn.port())) {
            for (String name : COMMANDS) {
                Map<String, Object> want = CommandDocs.of(redis, name);
                Map<String, Object> got = CommandDocs.of(ours, name);
                for (String field : new String[] {"since", "group", "complexity", "deprecated_since", "replaced_by",
                        "history", "doc_flags"}) {
                    assertEquals(want.get(field), got.get(field), name + " " + field);
                }
            }
        }
    }
}
