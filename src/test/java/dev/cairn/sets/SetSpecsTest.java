package dev.cairn.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RespReader;
import dev.cairn.testing.ServerFixture;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The set commands against the real server where IntrospectionDifferentialTest (COMMAND
 * INFO and COMMAND DOCS's facts of every command) does not look: COMMAND GETKEYS and
 * GETKEYSANDFLAGS, COMMAND DOCS's arguments, and summaries written in our own words.
 */
class SetSpecsTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn();

    @RegisterExtension
    static final ServerFixture redis = ServerFixture.realRedis();

    private static final List<String> COMMANDS = List.of(
            "sadd", "srem", "smembers", "sismember", "smismember", "scard", "spop", "srandmember", "sinter",
            "sintercard", "sunion", "sdiff", "sinterstore", "sunionstore", "sdiffstore", "smove", "sscan");

    @Test
    void keysAreRedis() throws IOException {
        try (RawConnection ours = new RawConnection(cairn.port()); RawConnection theirs = new RawConnection(redis.port())) {
            for (int protocol : new int[] {2, 3}) {
                ours.call("HELLO", Integer.toString(protocol));
                theirs.call("HELLO", Integer.toString(protocol));
                for (String name : COMMANDS) {
                    String[][] requests = {
                        {"COMMAND", "GETKEYS", name, "a", "b", "c", "d"},
                        {"COMMAND", "GETKEYSANDFLAGS", name, "a", "b", "c", "d"},
                    };
                    for (String[] request : requests) {
                        assertEquals(theirs.call(request), ours.call(request), String.join(" ", request));
                    }
                }
                String[] counted = {"COMMAND", "GETKEYSANDFLAGS", "sintercard", "2", "a", "b", "LIMIT", "1"};
                assertEquals(theirs.call(counted), ours.call(counted));
                String[] tooFew = {"COMMAND", "GETKEYS", "sintercard", "3", "a", "b"};
                assertEquals(theirs.call(tooFew), ours.call(tooFew));
            }
        }
    }

    @Test
    void argumentsAreRedis() throws IOException {
        try (RawConnection ours = new RawConnection(cairn.port()); RawConnection theirs = new RawConnection(redis.port())) {
            for (String name : COMMANDS) {
                assertEquals(field(RespReader.parse(theirs.call("COMMAND", "DOCS", name)), "arguments"),
                        field(RespReader.parse(ours.call("COMMAND", "DOCS", name)), "arguments"), name);
            }
        }
    }

    @Test
    void summariesAreOurOwn() throws IOException {
        try (RawConnection ours = new RawConnection(cairn.port()); RawConnection theirs = new RawConnection(redis.port())) {
            for (String name : COMMANDS) {
                assertNotEquals(field(RespReader.parse(theirs.call("COMMAND", "DOCS", name)), "summary"),
                        field(RespReader.parse(ours.call("COMMAND", "DOCS", name)), "summary"), name);
            }
        }
    }

    /** One field of a docs reply ({@code [name, [field, value, ...]]}), null when it has none. */
    private static Object field(Object reply, String name) {
        List<?> fields = (List<?>) ((List<?>) reply).get(1);
        for (int i = 0; i < fields.size(); i += 2) {
            if (name.equals(fields.get(i))) return fields.get(i + 1);
        }
        return null;
    }
}
