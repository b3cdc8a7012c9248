package dev.cairn.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.ServerFixture;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * notify-keyspace-events: the directive's flags as Redis parses and prints them, and the
 * events the existing commands raise, name for name and in Redis's order (the sequences
 * were taken from redis-server 7.0.15 subscribed to {@code __key*__:*}).
 */
class KeyspaceNotificationsTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn("--enable-debug-command", "yes").flushingBeforeEachTest();

    private static final String PONG = "*2\r\n$4\r\npong\r\n$0\r\n\r\n";

    @TempDir
    Path dir;

    private RawConnection client;
    private RawConnection subscriber;

    @BeforeEach
    void connect() throws IOException {
        client = new RawConnection(cairn.port());
        subscriber = new RawConnection(cairn.port());
        subscriber.call("PSUBSCRIBE", "__key*__:*");
    }

    @AfterEach
    void disconnect() throws IOException {
        client.call("CONFIG", "SET", "notify-keyspace-events", "");
        client.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
        client.close();
        subscriber.close();
    }

    private void flags(String flags) throws IOException {
        assertEquals("+OK\r\n", client.call("CONFIG", "SET", "notify-keyspace-events", flags));
    }

    /** The events published since the last call, as "channel message", up to a PING barrier. */
    private List<String> events() throws IOException {
        subscriber.command("PING");
        List<String> out = new ArrayList<>();
        while (true) {
            String frame = subscriber.readReply();
            if (frame.equals(PONG)) return out;
            String[] parts = frame.split("\r\n");
            out.add(parts[6] + " " + parts[8]);
        }
    }

    /** Runs a command and returns its events in the compact form "keyspace event; keyevent key". */
    private String run(String... command) throws IOException {
        client.call(command);
        return String.join("; ", events());
    }

    private String configGet() throws IOException {
        String reply = client.call("CONFIG", "GET", "notify-keyspace-events");
        String[] parts = reply.split("\r\n");
        return parts.length > 4 ? parts[4] : "";
    }

    @Test
    void flagsArePrintedInRedissCanonicalOrder() throws IOException {
        String[][] cases = {
                {"KEA", "AKE"}, {"A", "A"}, {"", ""}, {"g$", "g$"}, {"Kx", "xK"}, {"zz", "z"}, {"AKEmn", "AKEm"},
                {"nmdtexzhsl$gEK", "AKEm"}, {"Ad", "A"}, {"n", "n"}, {"gn", "gn"}, {"d", "d"}, {"mK", "Km"},
                {"E", "E"}, {"x$zhtl", "$lhzxt"}, {"g$lshzxetd", "A"}, {"g$lshzxet", "g$lshzxet"}};
        for (String[] c : cases) {
            flags(c[0]);
            assertEquals(c[1], configGet(), c[0]);
        }
    }

    @Test
    void anUnknownFlagFailsTheWholeValue() throws IOException {
        flags("KEA");
        String error = "-ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event "
                + "class character. Use 'Ag$lshzxeKEtmdn'.\r\n";
        assertEquals(error, client.call("CONFIG", "SET", "notify-keyspace-events", "KEA KEA"));
        assertEquals(error, client.call("CONFIG", "SET", "notify-keyspace-events", "Ka"));
        assertEquals("AKE", configGet());
    }

    @Test
    void theDirectiveIsReadAtStartupAndRewrittenQuoted() throws Exception {
        try (TestServer s = TestServer.start("--notify-keyspace-events", "Ex");
                RawConnection c = new RawConnection(s.port())) {
            assertEquals("*2\r\n$22\r\nnotify-keyspace-events\r\n$2\r\nxE\r\n",
                    c.call("CONFIG", "GET", "notify-keyspace-events"));
            Path file = dir.resolve("cairn.conf");
            Files.writeString(file, "notify-keyspace-events Ex\n");
            s.server().config().configFile(file.toString());
            c.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
            assertEquals("+OK\r\n", c.call("CONFIG", "REWRITE"));
            assertTrue(Files.readString(file).startsWith("notify-keyspace-events \"AKE\"\n"), Files.readString(file));
        }
    }

    @Test
    void nothingIsPublishedUnlessTheClassAndAChannelAreEnabled() throws IOException {
        assertEquals("", run("SET", "k", "v"));
        flags("A");
        assertEquals("", run("SET", "k", "v"));
        flags("K$");
        assertEquals("__keyspace@0__:k set", run("SET", "k", "v"));
        assertEquals("", run("DEL", "k"));
        flags("Eg");
        assertEquals("", run("SET", "k", "v"));
        assertEquals("__keyevent@0__:del k", run("DEL", "k"));
    }

    @Test
    void stringCommandsRaiseRedissEvents() throws IOException {
        flags("KEA");
        assertEquals("__keyspace@0__:k set; __keyevent@0__:set k", run("SET", "k", "v"));
        assertEquals("__keyspace@0__:k set; __keyevent@0__:set k; __keyspace@0__:k expire; __keyevent@0__:expire k",
                run("SET", "k", "v", "EX", "100"));
        assertEquals("", run("SET", "k", "v", "NX"));
        assertEquals("__keyspace@0__:e set; __keyevent@0__:set e; __keyspace@0__:e expire; __keyevent@0__:expire e",
                run("SETEX", "e", "100", "v"));
        assertEquals("__keyspace@0__:k set; __keyevent@0__:set k", run("GETSET", "k", "x"));
        assertEquals("__keyspace@0__:e persist; __keyevent@0__:persist e", run("GETEX", "e", "PERSIST"));
        assertEquals("__keyspace@0__:e expire; __keyevent@0__:expire e", run("GETEX", "e", "PX", "100000"));
        assertEquals("__keyspace@0__:e del; __keyevent@0__:del e", run("GETEX", "e", "EXAT", "1"));
        assertEquals("__keyspace@0__:k del; __keyevent@0__:del k", run("GETDEL", "k"));
        assertEquals("", run("GETDEL", "k"));
        assertEquals("__keyspace@0__:i incrby; __keyevent@0__:incrby i", run("INCR", "i"));
        assertEquals("__keyspace@0__:i incrby; __keyevent@0__:incrby i", run("DECRBY", "i", "2"));
        assertEquals("__keyspace@0__:i incrbyfloat; __keyevent@0__:incrbyfloat i", run("INCRBYFLOAT", "i", "1.5"));
        assertEquals("__keyspace@0__:a append; __keyevent@0__:append a", run("APPEND", "a", "x"));
        assertEquals("__keyspace@0__:r setrange; __keyevent@0__:setrange r", run("SETRANGE", "r", "5", "x"));
        assertEquals("__keyspace@0__:m1 set; __keyevent@0__:set m1; __keyspace@0__:m2 set; __keyevent@0__:set m2",
                run("MSET", "m1", "1", "m2", "2"));
        assertEquals("", run("MSETNX", "m1", "1", "m3", "2"));
        assertEquals("__keyspace@0__:b setbit; __keyevent@0__:setbit b", run("SETBIT", "b", "3", "1"));
        assertEquals("__keyspace@0__:bf setbit; __keyevent@0__:setbit bf", run("BITFIELD", "bf", "SET", "u8", "0", "1"));
        assertEquals("", run("BITFIELD", "bf", "GET", "u8", "0"));
        assertEquals("__keyspace@0__:d set; __keyevent@0__:set d", run("BITOP", "AND", "d", "b", "bf"));
        assertEquals("__keyspace@0__:d del; __keyevent@0__:del d", run("BITOP", "AND", "d", "nosuch1", "nosuch2"));
    }

    @Test
    void keyCommandsRaiseRedissEvents() throws IOException {
        flags("KEA");
        client.call("MSET", "m1", "1", "m2", "2", "t", "v");
        events();
        assertEquals("__keyspace@0__:m1 del; __keyevent@0__:del m1; __keyspace@0__:m2 del; __keyevent@0__:del m2",
                run("DEL", "m1", "m2", "nosuch"));
        assertEquals("__keyspace@0__:t expire; __keyevent@0__:expire t", run("PEXPIRE", "t", "100000"));
        assertEquals("__keyspace@0__:t persist; __keyevent@0__:persist t", run("PERSIST", "t"));
        assertEquals("", run("PERSIST", "t"));
        assertEquals("__keyspace@0__:t rename_from; __keyevent@0__:rename_from t; "
                + "__keyspace@0__:t2 rename_to; __keyevent@0__:rename_to t2", run("RENAME", "t", "t2"));
        assertEquals("", run("RENAME", "t2", "t2"));
        assertEquals("__keyspace@0__:c1 copy_to; __keyevent@0__:copy_to c1", run("COPY", "t2", "c1"));
        assertEquals("", run("COPY", "t2", "c1"));
        assertEquals("__keyspace@1__:c2 copy_to; __keyevent@1__:copy_to c2", run("COPY", "t2", "c2", "DB", "1"));
        assertEquals("__keyspace@0__:c1 move_from; __keyevent@0__:move_from c1; "
                + "__keyspace@2__:c1 move_to; __keyevent@2__:move_to c1", run("MOVE", "c1", "2"));
        assertEquals("__keyspace@0__:t2 del; __keyevent@0__:del t2", run("EXPIRE", "t2", "-1"));
        client.call("SET", "u", "v");
        events();
        assertEquals("__keyspace@0__:u del; __keyevent@0__:del u", run("UNLINK", "u", "x"));
        // Whole-database commands raise nothing.
        client.call("SET", "x", "1");
        events();
        assertEquals("", run("SWAPDB", "0", "1"));
        assertEquals("", run("FLUSHDB"));
        assertEquals("", run("FLUSHALL"));
    }

    @Test
    void newKeysAndMissesHaveTheirOwnClasses() throws IOException {
        flags("KEAnm");
        assertEquals("__keyspace@0__:k new; __keyevent@0__:new k; __keyspace@0__:k set; __keyevent@0__:set k",
                run("SET", "k", "v"));
        assertEquals("__keyspace@0__:k set; __keyevent@0__:set k", run("SET", "k", "v2"));
        assertEquals("__keyspace@0__:k2 new; __keyevent@0__:new k2; __keyspace@0__:k rename_from; "
                + "__keyevent@0__:rename_from k; __keyspace@0__:k2 rename_to; __keyevent@0__:rename_to k2",
                run("RENAME", "k", "k2"));
        assertEquals("__keyspace@0__:c new; __keyevent@0__:new c; __keyspace@0__:c copy_to; __keyevent@0__:copy_to c",
                run("COPY", "k2", "c"));
        assertEquals("__keyspace@1__:c new; __keyevent@1__:new c; __keyspace@0__:c move_from; "
                + "__keyevent@0__:move_from c; __keyspace@1__:c move_to; __keyevent@1__:move_to c", run("MOVE", "c", "1"));
        assertEquals("__keyspace@0__:nosuch keymiss; __keyevent@0__:keymiss nosuch", run("GET", "nosuch"));
        assertEquals("__keyspace@0__:n1 keymiss; __keyevent@0__:keymiss n1; __keyspace@0__:n2 keymiss; "
                + "__keyevent@0__:keymiss n2", run("MGET", "n1", "k2", "n2"));
        assertEquals("__keyspace@0__:g keymiss; __keyevent@0__:keymiss g; __keyspace@0__:g new; "
                + "__keyevent@0__:new g; __keyspace@0__:g set; __keyevent@0__:set g", run("GETSET", "g", "v"));
        assertEquals("__keyspace@0__:i new; __keyevent@0__:new i; __keyspace@0__:i incrby; __keyevent@0__:incrby i",
                run("INCR", "i"));
        // Lookups that do not count as reads raise no miss.
        assertEquals("", run("OBJECT", "ENCODING", "nosuch"));
        assertEquals("", run("DEL", "nosuch"));
        assertEquals("", run("EXPIRE", "nosuch", "10"));
        // With A alone, neither class is on.
        flags("KEA");
        assertEquals("", run("GET", "nosuch"));
        assertEquals("__keyspace@0__:z set; __keyevent@0__:set z", run("SET", "z", "v"));
    }

    @Test
    void aKeyFoundExpiredOnAccessRaisesExpiredFirst() throws Exception {
        flags("KEAnm");
        client.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        String[][] cases = {
                {"GET", "a"}, {"__keyspace@0__:a expired; __keyevent@0__:expired a; "
                        + "__keyspace@0__:a keymiss; __keyevent@0__:keymiss a"},
                {"SET", "a", "v"}, {"__keyspace@0__:a expired; __keyevent@0__:expired a; __keyspace@0__:a new; "
                        + "__keyevent@0__:new a; __keyspace@0__:a set; __keyevent@0__:set a"},
                {"DEL", "a"}, {"__keyspace@0__:a expired; __keyevent@0__:expired a"},
                {"SET", "a", "v", "XX"}, {"__keyspace@0__:a expired; __keyevent@0__:expired a"},
                {"INCR", "a"}, {"__keyspace@0__:a expired; __keyevent@0__:expired a; __keyspace@0__:a new; "
                        + "__keyevent@0__:new a; __keyspace@0__:a incrby; __keyevent@0__:incrby a"},
                {"MOVE", "a", "1"}, {"__keyspace@0__:a expired; __keyevent@0__:expired a"}};
        for (int i = 0; i < cases.length; i += 2) {
            client.call("SET", "a", "1", "PX", "1");
            events();
            Thread.sleep(5);
            assertEquals(cases[i + 1][0], run(cases[i]), String.join(" ", cases[i]));
            client.call("DEL", "a");
            events();
        }
    }

    @Test
    void theActiveCycleRaisesExpiredForKeysNobodyTouches() throws IOException {
        flags("Ex");
        client.call("SET", "gone", "v", "PX", "1");
        List<String> seen = new ArrayList<>();
        Eventually.until(() -> "expired event; saw " + seen, () -> {
            try {
                seen.addAll(events());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return seen.contains("__keyevent@0__:expired gone");
        });
        assertEquals(List.of("__keyevent@0__:expired gone"), seen);
    }

    @Test
    void bitfieldRaisesSetbitOnlyWhenSomethingChanged() throws IOException {
        flags("KEA");
        assertEquals("__keyspace@0__:b setbit; __keyevent@0__:setbit b", run("BITFIELD", "b", "SET", "u8", "0", "7"));
        assertEquals("", run("BITFIELD", "b", "SET", "u8", "0", "7"));
        assertEquals("", run("BITFIELD", "b", "INCRBY", "u8", "0", "0"));
        assertEquals("", run("BITFIELD", "b", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "300"));
        assertEquals("__keyspace@0__:b setbit; __keyevent@0__:setbit b", run("BITFIELD", "b", "INCRBY", "u8", "0", "1"));
        // Growing the string is a change even when the field written stays zero.
        assertEquals("__keyspace@0__:b setbit; __keyevent@0__:setbit b", run("BITFIELD", "b", "SET", "u8", "8", "0"));
        assertEquals("", run("SETBIT", "b", "0", "0"));
    }

    @Test
    void bitopWithAnEmptyResultDeletesADestinationThatExpiredUnseen() throws Exception {
        flags("KEA");
        client.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        client.call("SET", "dest", "v", "PX", "1");
        events();
        Thread.sleep(5);
        // As Redis's dbDelete: the expired key is still there to delete; no "expired" first.
        assertEquals("__keyspace@0__:dest del; __keyevent@0__:del dest", run("BITOP", "OR", "dest", "nosuch"));
        assertEquals("", run("BITOP", "OR", "dest", "nosuch"));
    }

    @Test
    void expireRepliesBeforeItsEventButDelAfter() throws IOException {
        flags("KEA");
        try (RawConnection c = new RawConnection(cairn.port())) {
            c.call("HELLO", "3");
            c.call("PSUBSCRIBE", "__keyevent@0__:*");
            c.call("SET", "k", "v");
            c.readReply();
            String expected = ":1\r\n>4\r\n$8\r\npmessage\r\n$16\r\n__keyevent@0__:*\r\n$21\r\n__keyevent@0__:expire\r\n"
                    + "$1\r\nk\r\n";
            assertEquals(expected, c.command("EXPIRE", "k", "100").readLike(expected));
            expected = ">4\r\n$8\r\npmessage\r\n$16\r\n__keyevent@0__:*\r\n$18\r\n__keyevent@0__:del\r\n$1\r\nk\r\n"
                    + ":1\r\n";
            assertEquals(expected, c.command("PEXPIRE", "k", "-1").readLike(expected));
        }
    }

    @Test
    void aResp3ClientSubscribedToItsOwnKeysGetsTheEventsBeforeTheReply() throws IOException {
        flags("KEA");
        try (RawConnection c = new RawConnection(cairn.port())) {
            c.call("HELLO", "3");
            c.call("SUBSCRIBE", "__keyevent@0__:set", "__keyevent@0__:del");
            c.readReply();
            String expected = ">3\r\n$7\r\nmessage\r\n$18\r\n__keyevent@0__:set\r\n$1\r\nk\r\n+OK\r\n";
            assertEquals(expected, c.command("SET", "k", "v").readLike(expected));
            expected = ">3\r\n$7\r\nmessage\r\n$18\r\n__keyevent@0__:del\r\n$1\r\nk\r\n:1\r\n";
            assertEquals(expected, c.command("DEL", "k").readLike(expected));
        }
    }
}
