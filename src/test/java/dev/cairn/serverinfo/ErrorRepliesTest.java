package dev.cairn.serverinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Argument checking of CLIENT, INFO, MONITOR, SHUTDOWN, TIME and LASTSAVE, byte for byte as Redis. */
class ErrorRepliesTest {
    private static final List<String[]> COMMANDS = List.of(
            new String[] {"CLIENT"},
            new String[] {"CLIENT", "NOSUCH"},
            new String[] {"CLIENT", "ID", "x"},
            new String[] {"CLIENT", "GETNAME", "x"},
            new String[] {"CLIENT", "HELP", "x"},
            new String[] {"CLIENT", "UNPAUSE", "x"},
            new String[] {"CLIENT", "LIST", "TYPE", "foo"},
            new String[] {"CLIENT", "LIST", "TYPE"},
            new String[] {"CLIENT", "LIST", "x"},
            new String[] {"CLIENT", "LIST", "TYPE", "normal", "x"},
            new String[] {"CLIENT", "LIST", "ID"},
            new String[] {"CLIENT", "LIST", "ID", "abc", "1"},
            new String[] {"CLIENT", "LIST", "ID", "99999"},
            new String[] {"CLIENT", "LIST", "TYPE", "master"},
            new String[] {"CLIENT", "LIST", "type", "SLAVE"},
            new String[] {"CLIENT", "NO-EVICT"},
            new String[] {"CLIENT", "NO-EVICT", "maybe"},
            new String[] {"CLIENT", "NO-EVICT", "ON"},
            new String[] {"CLIENT", "NO-EVICT", "off"},
            new String[] {"CLIENT", "REPLY", "maybe"},
            new String[] {"CLIENT", "REPLY", "on"},
            new String[] {"CLIENT", "PAUSE"},
            new String[] {"CLIENT", "PAUSE", "abc"},
            new String[] {"CLIENT", "PAUSE", "-1"},
            new String[] {"CLIENT", "PAUSE", "10", "foo"},
            new String[] {"CLIENT", "PAUSE", "abc", "foo"},
            new String[] {"CLIENT", "PAUSE", "1", "write", "x"},
            new String[] {"CLIENT", "PAUSE", "0", "WRITE"},
            new String[] {"CLIENT", "PAUSE", "9223372036854775807"},
            new String[] {"CLIENT", "UNPAUSE"},
            new String[] {"CLIENT", "KILL"},
            new String[] {"CLIENT", "KILL", "1.2.3.4:5"},
            new String[] {"CLIENT", "KILL", "addr"},
            new String[] {"CLIENT", "KILL", "ID", "0"},
            new String[] {"CLIENT", "KILL", "ID", "abc"},
            new String[] {"CLIENT", "KILL", "ID", "99999999999999999999"},
            new String[] {"CLIENT", "KILL", "ID", "1", "TYPE"},
            new String[] {"CLIENT", "KILL", "TYPE", "foo"},
            new String[] {"CLIENT", "KILL", "USER", "bob"},
            new String[] {"CLIENT", "KILL", "SKIPME", "maybe"},
            new String[] {"CLIENT", "KILL", "ADDR", "1.1.1.1:1", "SKIPME"},
            new String[] {"CLIENT", "KILL", "ADDR", "x", "LADDR", "y"},
            new String[] {"CLIENT", "KILL", "USER", "default", "SKIPME", "yes"},
            new String[] {"CLIENT", "KILL", "TYPE", "pubsub", "SKIPME", "no"},
            new String[] {"CLIENT", "SETNAME"},
            new String[] {"CLIENT", "SETNAME", "a b"},
            new String[] {"CLIENT", "SETNAME", "a\nb"},
            new String[] {"CLIENT", "SETNAME", "x"},
            new String[] {"CLIENT", "GETNAME"},
            new String[] {"CLIENT", "SETNAME", ""},
            new String[] {"CLIENT", "GETNAME"},
            new String[] {"TIME", "x"},
            new String[] {"LASTSAVE", "x"},
            new String[] {"MONITOR", "x"},
            new String[] {"SHUTDOWN", "ABORT"},
            new String[] {"SHUTDOWN", "abort", "now"},
            new String[] {"SHUTDOWN", "NOSAVE", "ABORT"},
            new String[] {"SHUTDOWN", "SAVE", "NOSAVE"},
            new String[] {"SHUTDOWN", "FORCE", "ABORT"},
            new String[] {"SHUTDOWN", "LATER"});

    @Test
    void repliesMatchTheRealServerInBothProtocols() throws IOException {
        try (TestServer cairn = TestServer.start(); RealRedis real = RealRedis.start()) {
            for (String protocol : List.of("2", "3")) {
                try (RawConnection mine = new RawConnection(cairn.port());
                        RawConnection theirs = new RawConnection(real.port())) {
                    mine.call("HELLO", protocol);
                    theirs.call("HELLO", protocol);
                    for (String[] command : COMMANDS) {
                        assertEquals(theirs.call(command), mine.call(command), String.join(" ", command) + " RESP" + protocol);
                    }
                }
            }
        }
    }
}
