package dev.cairn.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.ServerFixture;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pub/sub commands against the real server where IntrospectionDifferentialTest (COMMAND
 * INFO and COMMAND DOCS's facts of every command) does not look: COMMAND DOCS's arguments,
 * and COMMAND GETKEYS of a shard channel, which is no key.
 */
class PubSubSpecsTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn();

    private static final List<String> COMMANDS = List.of(
            "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "publish", "ssubscribe", "sunsubscribe",
            "spublish", "pubsub|channels", "pubsub|numpat", "pubsub|numsub", "pubsub|shardchannels",
            "pubsub|shardnumsub", "pubsub|help");

    @Test
    void shardChannelsAreNoKeys() throws IOException {
        try (RealRedis real = RealRedis.start();
                RawConnection theirs = new RawConnection(real.port());
                RawConnection ours = new RawConnection(cairn.port())) {
            assertEquals(theirs.call("COMMAND", "GETKEYS", "SSUBSCRIBE", "a"), ours.call("COMMAND", "GETKEYS", "SSUBSCRIBE", "a"));
        }
    }

    /** The arguments byte for byte in RESP3 (PSUBSCRIBE's patterns are a block of one pattern, as in Redis). */
    @Test
    void argumentsAreRediss() throws IOException {
        try (RealRedis real = RealRedis.start();
                RawConnection theirs = new RawConnection(real.port());
                RawConnection ours = new RawConnection(cairn.port())) {
            theirs.call("HELLO", "3");
            ours.call("HELLO", "3");
            for (String name : COMMANDS) {
                assertEquals(arguments(theirs, name), arguments(ours, name), name);
            }
        }
    }

    /** The raw value of COMMAND DOCS's arguments field of one command, null when it has none. */
    private static String arguments(RawConnection c, String name) throws IOException {
        List<String> fields = Frames.elements(Frames.elements(c.call("COMMAND", "DOCS", name)).get(1));
        for (int i = 0; i < fields.size(); i += 2) {
            if (fields.get(i).equals("$9\r\narguments\r\n")) return fields.get(i + 1);
        }
        return null;
    }
}
