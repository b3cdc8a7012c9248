package dev.cairn.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The list commands' keys as COMMAND GETKEYSANDFLAGS finds them, byte for byte against the
 * real server in RESP2 and RESP3: sources and destinations (LMOVE), key counts (LMPOP) and
 * keys before a timeout (BLPOP). COMMAND INFO and COMMAND DOCS of every command are
 * compared by IntrospectionDifferentialTest.
 */
class ListSpecsTest {
    @Test
    void getKeysAndFlagsMatchRedis() throws IOException {
        try (RealRedis real = RealRedis.start();
                TestServer cairn = TestServer.start();
                RawConnection expected = new RawConnection(real.port());
                RawConnection actual = new RawConnection(cairn.port())) {
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
}
