package dev.cairn.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.ServerFixture;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * COMMAND GETKEYS and GETKEYSANDFLAGS of every set command against the real server, in
 * RESP2 and RESP3 (COMMAND INFO and COMMAND DOCS of every command are compared by
 * IntrospectionDifferentialTest).
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
}
