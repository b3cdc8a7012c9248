package dev.cairn.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.CommandDocs;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The DUMP and RESTORE specs against the real server: COMMAND INFO byte for byte (arity,
 * flags, key positions and key spec flags, ACL categories, tips), and COMMAND DOCS's
 * facts (since, group, complexity, history, deprecation). Summaries are our own words.
 */
class DumpSpecsTest {
    private static final List<String> COMMANDS = List.of("dump", "restore");

    @Test
    void commandInfoIsRedis() throws Exception {
        try (RealRedis real = RealRedis.start();
                TestServer cairn = TestServer.start();
                RawConnection expected = new RawConnection(real.port());
                RawConnection actual = new RawConnection(cairn.port())) {
            for (String name : COMMANDS) {
                assertEquals(expected.call("COMMAND", "INFO", name), actual.call("COMMAND", "INFO", name), name);
            }
        }
    }

    @Test
    void commandDocsFactsAreRedis() {
        try (RealRedis real = RealRedis.start();
                TestServer cairn = TestServer.start();
                Jedis expected = new Jedis("127.0.0.1", real.port());
                Jedis actual = new Jedis("127.0.0.1", cairn.port())) {
            for (String name : COMMANDS) {
                Map<String, Object> theirs = CommandDocs.of(expected, name);
                Map<String, Object> ours = CommandDocs.of(actual, name);
                for (String field : List.of("since", "group", "complexity", "doc_flags", "deprecated_since",
                        "replaced_by", "history")) {
                    assertEquals(theirs.get(field), ours.get(field), name + " " + field);
                }
                assertEquals(theirs.keySet(), ours.keySet(), name);
            }
        }
    }
}
