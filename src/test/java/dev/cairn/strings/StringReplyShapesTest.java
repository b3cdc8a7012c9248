package dev.cairn.strings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exact reply bytes of the string and bitmap commands whose shape depends on the
 * protocol (nulls, LCS's map, BITFIELD's nulls), checked literally and against a real
 * redis-server for the same script in RESP2 and RESP3.
 */
class StringReplyShapesTest {
    private static final List<String[]> SCRIPT = List.of(
            new String[] {"MSET", "key1", "ohmytext", "key2", "mynewtext"},
            new String[] {"LCS", "key1", "key2"},
            new String[] {"LCS", "key1", "key2", "LEN"},
            new String[] {"LCS", "key1", "key2", "IDX"},
            new String[] {"LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"},
            new String[] {"LCS", "key1", "missing", "IDX", "WITHMATCHLEN"},
            new String[] {"LCS", "key1", "key2", "LEN", "IDX"},
            new String[] {"GET", "missing"},
            new String[] {"GETEX", "missing", "PERSIST"},
            new String[] {"GETDEL", "missing"},
            new String[] {"GETSET", "missing", "v"},
            new String[] {"SET", "key1", "x", "NX"},
            new String[] {"SET", "key1", "x", "XX", "GET"},
            new String[] {"SETNX", "key1", "y"},
            new String[] {"MGET", "key1", "missing", "key2"},
            new String[] {"GETRANGE", "missing", "0", "-1"},
            new String[] {"GETRANGE", "key2", "5", "1"},
            new String[] {"INCRBYFLOAT", "f", "1.5"},
            new String[] {"INCRBYFLOAT", "f", "2.5"},
            new String[] {"BITFIELD", "b", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "5", "GET", "u2", "0"},
            new String[] {"BITFIELD", "b"},
            new String[] {"BITFIELD_RO", "b", "GET", "i3", "0"},
            new String[] {"STRLEN", "missing"});

    @Test
    void lcsRepliesInResp2() throws IOException {
        try (TestServer server = TestServer.start(); RawConnection c = new RawConnection(server.port())) {
            c.command("MSET", "key1", "ohmytext", "key2", "mynewtext").readReply();
            assertEquals("$6\r\nmytext\r\n", c.command("LCS", "key1", "key2").readReply());
            assertEquals(":6\r\n", c.command("LCS", "key1", "key2", "LEN").readReply());
            assertEquals("*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n",
                    c.command("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN").readReply());
            assertEquals("*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n"
                            + "*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n",
                    c.command("LCS", "key1", "key2", "IDX").readReply());
        }
    }

    @Test
    void nullsAndMapsInResp3() throws IOException {
        try (TestServer server = TestServer.start(); RawConnection c = new RawConnection(server.port())) {
            c.command("HELLO", "3").readReply();
            c.command("MSET", "key1", "ohmytext", "key2", "mynewtext").readReply();
            assertEquals("%2\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n",
                    c.command("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN").readReply());
            assertEquals("_\r\n", c.command("GET", "missing").readReply());
            assertEquals("*3\r\n$8\r\nohmytext\r\n_\r\n$9\r\nmynewtext\r\n",
                    c.command("MGET", "key1", "missing", "key2").readReply());
            assertEquals("*2\r\n_\r\n:0\r\n",
                    c.command("BITFIELD", "b", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "5", "GET", "u2", "0").readReply());
            assertEquals("$0\r\n\r\n", c.command("GETRANGE", "missing", "0", "-1").readReply());
            assertEquals("$3\r\n1.5\r\n", c.command("INCRBYFLOAT", "f", "1.5").readReply());
        }
    }

    @Test
    void sameBytesAsRedisInBothProtocols() throws IOException {
        for (String protocol : new String[] {"2", "3"}) {
            try (RealRedis real = RealRedis.start();
                    TestServer cairn = TestServer.start();
                    RawConnection expected = new RawConnection(real.port());
                    RawConnection actual = new RawConnection(cairn.port())) {
                expected.command("HELLO", protocol).readReply();
                actual.command("HELLO", protocol).readReply();
                for (String[] command : SCRIPT) {
                    assertEquals(expected.command(command).readReply(), actual.command(command).readReply(),
                            "RESP" + protocol + ": " + String.join(" ", command));
                }
            }
        }
    }
}
