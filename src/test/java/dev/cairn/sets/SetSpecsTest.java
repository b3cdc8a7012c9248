package dev.cairn.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RespReader;
import dev.cairn.testing.ServerFixture;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The set command specs against the real server: COMMAND INFO byte for byte (arity, flags,
 * key positions, ACL categories, tips, key specs), COMMAND GETKEYS and GETKEYSANDFLAGS, and
 * COMMAND DOCS except the summary, which is written in our own words.
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
    void commandInfoAndKeysAreRedis() throws IOException {
        try (RawConnection ours = new RawConnection(cairn.port()); RawConnection theirs = new RawConnection(redis.port())) {
            for (int protocol : new int[] {2, 3}) {
                ours.call("HELLO", Integer.toString(protocol));
                theirs.call("HELLO", Integer.toString(protocol));
                for (String name : COMMANDS) {
                    String[][] requests = {
                        {"COMMAND", "INFO", name},
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
    void commandDocsAreRedisApartFromTheSummary() throws IOException {
        try (RawConnection ours = new RawConnection(cairn.port()); RawConnection theirs = new RawConnection(redis.port())) {
            for (String name : COMMANDS) {
                List<?> mine = withoutSummary(RespReader.parse(ours.call("COMMAND", "DOCS", name)));
                List<?> real = withoutSummary(RespReader.parse(theirs.call("COMMAND", "DOCS", name)));
                assertEquals(real, mine, name);
            }
        }
    }

    @Test
    void summariesAreOurOwn() throws IOException {
        try (RawConnection ours = new RawConnection(cairn.port()); RawConnection theirs = new RawConnection(redis.port())) {
            for (String name : COMMANDS) {
                assertNotEquals(summary(RespReader.parse(theirs.call("COMMAND", "DOCS", name))),
                        summary(RespReader.parse(ours.call("COMMAND", "DOCS", name))), name);
            }
        }
    }

    /** The docs reply ({@code [name, [field, value, ...]]}) with the summary pair removed. */
    private static List<?> withoutSummary(Object reply) {
        List<?> top = (List<?>) reply;
        List<Object> fields = new ArrayList<>((List<?>) top.get(1));
        int at = fields.indexOf("summary");
        fields.remove(at + 1);
        fields.remove(at);
        return List.of(top.get(0), fields);
    }

    private static Object summary(Object reply) {
        List<?> fields = (List<?>) ((List<?>) reply).get(1);
        return fields.get(fields.indexOf("summary") + 1);
    }
}
