package dev.cairn.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.ServerFixture;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pub/sub command specs against the real server: COMMAND INFO byte for byte (arity,
 * flags, key positions and key specs, ACL categories), and COMMAND DOCS but for the
 * summaries, which are in our own words.
 */
class PubSubSpecsTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn();

    private static final List<String> COMMANDS = List.of(
            "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "publish", "ssubscribe", "sunsubscribe",
            "spublish", "pubsub|channels", "pubsub|numpat", "pubsub|numsub", "pubsub|shardchannels",
            "pubsub|shardnumsub", "pubsub|help");

    @Test
    void commandInfoIsRedissByteForByte() throws IOException {
        try (RealRedis real = RealRedis.start();
                RawConnection theirs = new RawConnection(real.port());
                RawConnection ours = new RawConnection(cairn.port())) {
            for (String name : COMMANDS) {
                assertEquals(theirs.call("COMMAND", "INFO", name), ours.call("COMMAND", "INFO", name), name);
            }
            // The container: its own fields; its subcommands (compared above) come in Redis's hash order.
            List<String> redisContainer = Frames.elements(Frames.elements(theirs.call("COMMAND", "INFO", "pubsub")).get(0));
            List<String> ourContainer = Frames.elements(Frames.elements(ours.call("COMMAND", "INFO", "pubsub")).get(0));
            assertEquals(redisContainer.subList(0, 9), ourContainer.subList(0, 9));
            assertEquals(sorted(Frames.elements(redisContainer.get(9))), sorted(Frames.elements(ourContainer.get(9))));
            assertEquals(theirs.call("COMMAND", "GETKEYS", "SSUBSCRIBE", "a"), ours.call("COMMAND", "GETKEYS", "SSUBSCRIBE", "a"));
        }
    }

    /** COMMAND DOCS field by field, summaries aside (PSUBSCRIBE's patterns are a block of one pattern, as in Redis). */
    @Test
    void commandDocsAreRedissButForTheSummaries() throws IOException {
        try (RealRedis real = RealRedis.start();
                RawConnection theirs = new RawConnection(real.port());
                RawConnection ours = new RawConnection(cairn.port())) {
            for (String name : COMMANDS) {
                Map<String, String> redisDocs = docs(theirs, name);
                Map<String, String> ourDocs = docs(ours, name);
                redisDocs.remove("summary");
                ourDocs.remove("summary");
                assertEquals(redisDocs, ourDocs, name);
            }
            Map<String, String> redisContainer = docs(theirs, "pubsub");
            Map<String, String> ourContainer = docs(ours, "pubsub");
            for (Map<String, String> m : List.of(redisContainer, ourContainer)) {
                m.remove("summary");
                m.remove("subcommands");
            }
            assertEquals(redisContainer, ourContainer);
        }
    }

    /** COMMAND DOCS of one command (in RESP3, so maps read as maps) as field name to raw value. */
    private static Map<String, String> docs(RawConnection c, String name) throws IOException {
        c.call("HELLO", "3");
        List<String> reply = Frames.elements(c.call("COMMAND", "DOCS", name));
        List<String> fields = Frames.elements(reply.get(1));
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i += 2) {
            String key = fields.get(i);
            out.put(key.substring(key.indexOf("\r\n") + 2, key.length() - 2), fields.get(i + 1));
        }
        return out;
    }

    private static List<String> sorted(List<String> items) {
        List<String> out = new ArrayList<>(items);
        out.sort(null);
        return out;
    }
}
