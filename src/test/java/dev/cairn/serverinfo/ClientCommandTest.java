package dev.cairn.serverinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.ServerFixture;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientPauseMode;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

class ClientCommandTest {
    @RegisterExtension
    final ServerFixture cairn = ServerFixture.cairn();

    // ---- CLIENT LIST / INFO format -------------------------------------------------------

    @Test
    void clientListHasTheRealServersFieldsInOrder() throws IOException {
        try (RealRedis real = RealRedis.start();
                RawConnection theirs = new RawConnection(real.port());
                RawConnection mine = new RawConnection(cairn.port())) {
            for (String[] command : new String[][] {{"CLIENT", "LIST"}, {"CLIENT", "INFO"}}) {
                String theirLine = InfoCommandTest.bulkText(theirs.call(command));
                String myLine = InfoCommandTest.bulkText(mine.call(command));
                assertTrue(myLine.endsWith("\n") && !myLine.endsWith("\r\n"), myLine);
                assertEquals(List.copyOf(fields(theirLine).keySet()), List.copyOf(fields(myLine).keySet()));
            }
        }
    }

    @Test
    void clientListDescribesEachConnection() throws IOException {
        try (RawConnection a = new RawConnection(cairn.port()); RawConnection b = new RawConnection(cairn.port())) {
            a.call("CLIENT", "SETNAME", "alpha");
            b.call("SELECT", "3");
            long aId = Long.parseLong(a.call("CLIENT", "ID").substring(1).trim());
            long bId = Long.parseLong(b.call("CLIENT", "ID").substring(1).trim());
            Map<Long, Map<String, String>> list = list(InfoCommandTest.bulkText(a.call("CLIENT", "LIST")));
            assertEquals(Set.of(aId, bId), list.keySet());
            Map<String, String> mine = list.get(aId);
            assertEquals("alpha", mine.get("name"));
            assertEquals("N", mine.get("flags"));
            assertEquals("0", mine.get("db"));
            assertEquals("client|list", mine.get("cmd"));
            assertEquals("127.0.0.1:" + cairn.port(), mine.get("laddr"));
            assertEquals("default", mine.get("user"));
            assertEquals("2", mine.get("resp"));
            assertEquals("-1", mine.get("multi"));
            Map<String, String> other = list.get(bId);
            assertEquals("3", other.get("db"));
            assertEquals("client|id", other.get("cmd"));
            assertEquals("", other.get("name"));

            String byId = InfoCommandTest.bulkText(a.call("CLIENT", "LIST", "ID", Long.toString(bId), "999999"));
            assertEquals(Set.of(bId), list(byId).keySet());
            assertEquals(Set.of(aId, bId), list(InfoCommandTest.bulkText(a.call("CLIENT", "LIST", "TYPE", "normal"))).keySet());
            assertEquals("$0\r\n\r\n", a.call("CLIENT", "LIST", "TYPE", "pubsub"));
            assertEquals("$0\r\n\r\n", a.call("CLIENT", "LIST", "TYPE", "replica"));

            a.call("CLIENT", "NO-EVICT", "on");
            assertEquals("e", fields(InfoCommandTest.bulkText(a.call("CLIENT", "INFO"))).get("flags"));
            a.call("CLIENT", "NO-EVICT", "off");
            Map<String, String> info = fields(InfoCommandTest.bulkText(a.call("CLIENT", "INFO")));
            assertEquals("N", info.get("flags"));
            assertEquals("client|info", info.get("cmd"));
            assertEquals(Long.toString(aId), info.get("id"));
        }
    }

    @Test
    void helpIsTheRealServers() throws IOException {
        try (RealRedis real = RealRedis.start();
                RawConnection theirs = new RawConnection(real.port());
                RawConnection mine = new RawConnection(cairn.port())) {
            assertEquals(theirs.call("CLIENT", "HELP"), mine.call("CLIENT", "HELP"));
        }
    }

    // ---- CLIENT KILL --------------------------------------------------------------------

    @Test
    void killByAddressIdAndFilters() throws IOException {
        try (RawConnection admin = new RawConnection(cairn.port());
                RawConnection v1 = new RawConnection(cairn.port());
                RawConnection v2 = new RawConnection(cairn.port());
                RawConnection v3 = new RawConnection(cairn.port())) {
            assertEquals("-ERR No such client\r\n", admin.call("CLIENT", "KILL", "10.0.0.1:1"));
            assertEquals("+OK\r\n", admin.call("CLIENT", "KILL", addrOf(admin, v1)));
            assertEquals("", v1.readUntilClosed());

            String v2Id = v2.call("CLIENT", "ID").substring(1).trim();
            assertEquals(":1\r\n", admin.call("CLIENT", "KILL", "ID", v2Id));
            assertEquals("", v2.readUntilClosed());
            assertEquals(":0\r\n", admin.call("CLIENT", "KILL", "ID", v2Id));

            // SKIPME defaults to yes: the caller survives a filter that matches everybody.
            assertEquals(":1\r\n", admin.call("CLIENT", "KILL", "TYPE", "normal", "USER", "default",
                    "LADDR", "127.0.0.1:" + cairn.port()));
            assertEquals("", v3.readUntilClosed());
            assertEquals("+PONG\r\n", admin.call("PING"));
            awaitClients(1);
        }
    }

    @Test
    void killingItselfRepliesFirst() throws IOException {
        try (RawConnection a = new RawConnection(cairn.port()); RawConnection b = new RawConnection(cairn.port())) {
            String addrA = addrOf(b, a);
            assertEquals(":1\r\n", a.call("CLIENT", "KILL", "ADDR", addrA, "SKIPME", "no"));
            assertEquals("", a.readUntilClosed());
            try (RawConnection c = new RawConnection(cairn.port())) {
                assertEquals("+OK\r\n", c.call("CLIENT", "KILL", addrOf(b, c)));
                assertEquals("", c.readUntilClosed());
            }
        }
    }

    // ---- CLIENT PAUSE -------------------------------------------------------------------

    @Test
    void pauseWriteHoldsWritesButNotReads() throws IOException {
        try (RawConnection admin = new RawConnection(cairn.port());
                RawConnection writer = new RawConnection(cairn.port());
                RawConnection reader = new RawConnection(cairn.port())) {
            writer.call("SET", "k", "old");
            assertEquals("+OK\r\n", admin.call("CLIENT", "PAUSE", "100000", "WRITE"));
            assertEquals("$3\r\nold\r\n", writer.call("GET", "k"));
            // The write and the read queued behind it wait; other clients keep reading.
            writer.command("SET", "k", "new");
            writer.command("GET", "k");
            awaitPostponed(1);
            assertEquals("$3\r\nold\r\n", reader.call("GET", "k"));
            Map<Long, Map<String, String>> list = list(InfoCommandTest.bulkText(admin.call("CLIENT", "LIST")));
            Map<String, String> waiting = list.values().stream().filter(m -> m.get("flags").equals("b")).findFirst().orElseThrow();
            assertEquals("set", waiting.get("cmd"));
            assertTrue(InfoCommandTest.bulkText(admin.call("INFO", "clients")).contains("\r\nblocked_clients:1\r\n"));

            assertEquals("+OK\r\n", admin.call("CLIENT", "UNPAUSE"));
            assertEquals("+OK\r\n", writer.readReply());
            assertEquals("$3\r\nnew\r\n", writer.readReply());
            assertEquals(0, postponed());
        }
    }

    @Test
    void pauseAllHoldsEverythingUntilTheTimeoutThenRunsInOrder() throws IOException {
        try (RawConnection admin = new RawConnection(cairn.port()); RawConnection other = new RawConnection(cairn.port())) {
            assertEquals("+OK\r\n", admin.call("CLIENT", "PAUSE", "300"));
            other.command("SET", "k", "1");
            other.command("SET", "k", "2");
            other.command("GET", "k");
            other.command("PING");
            awaitPostponed(1);
            // Nothing has run: the reply comes once the pause has expired on its own.
            assertEquals("+OK\r\n", other.readReply());
            assertEquals("+OK\r\n", other.readReply());
            assertEquals("$1\r\n2\r\n", other.readReply());
            assertEquals("+PONG\r\n", other.readReply());
            assertEquals(0, postponed());
        }
    }

    @Test
    void aPausedClientThatDisconnectsIsForgotten() throws IOException {
        try (RawConnection admin = new RawConnection(cairn.port())) {
            admin.call("CLIENT", "PAUSE", "100000", "WRITE");
            try (RawConnection gone = new RawConnection(cairn.port())) {
                gone.command("SET", "k", "v");
                awaitPostponed(1);
            }
            awaitPostponed(0);
            assertEquals("+OK\r\n", admin.call("CLIENT", "UNPAUSE"));
            assertEquals("$-1\r\n", admin.call("GET", "k"));
        }
    }

    @Test
    void replyModesMatchTheRealServer() throws IOException {
        try (RealRedis real = RealRedis.start();
                RawConnection theirs = new RawConnection(real.port());
                RawConnection mine = new RawConnection(cairn.port())) {
            for (RawConnection c : List.of(theirs, mine)) {
                c.command("CLIENT", "REPLY", "OFF");
                c.command("SET", "a", "1");
                c.command("CLIENT", "REPLY", "SKIP");
                c.command("CLIENT", "REPLY", "ON");
                c.command("CLIENT", "REPLY", "SKIP");
                c.command("SET", "a", "2");
                c.command("GET", "a");
            }
            assertEquals(theirs.readReply(), mine.readReply());
            assertEquals(theirs.readReply(), mine.readReply());
            assertEquals("$1\r\n2\r\n", mine.call("GET", "a"));
        }
    }

    // ---- clients ------------------------------------------------------------------------

    @Test
    void jedis() {
        try (Jedis jedis = new Jedis("127.0.0.1", cairn.port()); Jedis victim = new Jedis("127.0.0.1", cairn.port())) {
            long id = jedis.clientId();
            assertEquals("OK", jedis.clientSetname("jedis-1"));
            assertEquals("jedis-1", jedis.clientGetname());
            assertTrue(jedis.clientInfo().startsWith("id=" + id + " "));
            assertTrue(jedis.clientInfo().contains(" name=jedis-1 "));
            assertTrue(jedis.clientList().contains("id=" + id + " "));
            assertTrue(jedis.clientList(ClientType.NORMAL).contains("name=jedis-1"));
            assertTrue(jedis.clientList(id).startsWith("id=" + id + " "));
            assertEquals("OK", jedis.clientNoEvictOn());
            assertTrue(jedis.clientInfo().contains(" flags=e "));
            assertEquals("OK", jedis.clientNoEvictOff());
            assertEquals("OK", jedis.clientPause(100000, ClientPauseMode.WRITE));
            assertEquals("OK", jedis.clientUnpause());
            long victimId = victim.clientId();
            assertEquals(1, jedis.clientKill(new ClientKillParams().id(Long.toString(victimId))));
            assertEquals(0, jedis.clientKill(new ClientKillParams().type(ClientType.NORMAL)));
        }
    }

    @Test
    void lettuce() {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + cairn.port());
        try (StatefulRedisConnection<String, String> conn = client.connect();
                StatefulRedisConnection<String, String> victim = client.connect()) {
            RedisCommands<String, String> sync = conn.sync();
            long id = sync.clientId();
            assertNull(sync.clientGetname());
            assertEquals("OK", sync.clientSetname("lettuce-1"));
            assertEquals("lettuce-1", sync.clientGetname());
            assertTrue(sync.clientInfo().contains("id=" + id + " "));
            // Lettuce speaks RESP3 to a 7.0 server.
            assertTrue(sync.clientInfo().contains(" resp=3"));
            assertTrue(sync.clientList().contains("name=lettuce-1"));
            assertEquals("OK", sync.clientNoEvict(true));
            assertEquals("OK", sync.clientPause(1));
            assertEquals(1L, sync.clientKill(KillArgs.Builder.id(victim.sync().clientId())));
            assertEquals(0L, sync.clientKill(KillArgs.Builder.typeNormal()));
        } finally {
            client.shutdown();
        }
    }

    // ---- helpers ------------------------------------------------------------------------

    /** The addr field of {@code target} as seen in CLIENT LIST by {@code observer}. */
    private static String addrOf(RawConnection observer, RawConnection target) throws IOException {
        String id = target.call("CLIENT", "ID").substring(1).trim();
        return list(InfoCommandTest.bulkText(observer.call("CLIENT", "LIST", "ID", id))).values().iterator().next().get("addr");
    }

    private int postponed() {
        return cairn.onCommandThread(() -> cairn.server().clientPause().postponedCount());
    }

    private void awaitPostponed(int n) {
        Eventually.until("postponed clients: " + n, () -> postponed() == n);
    }

    private void awaitClients(int n) {
        Eventually.until("clients: " + n, () -> cairn.onCommandThread(() -> cairn.server().clients().count()) == n);
    }

    /** CLIENT LIST text -> id -> fields. */
    static Map<Long, Map<String, String>> list(String text) {
        Map<Long, Map<String, String>> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) continue;
            Map<String, String> f = fields(line);
            out.put(Long.parseLong(f.get("id")), f);
        }
        return out;
    }

    /** "k=v k=v ..." -> ordered map. */
    static Map<String, String> fields(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : line.strip().split(" ")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return out;
    }
}
