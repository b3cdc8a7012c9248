package dev.cairn.serverinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.ServerFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

class InfoCommandTest {
    /**
     * Fields the real server prints that Cairn leaves out because the feature they
     * describe does not exist yet, per section. Cairn prints every field of these
     * sections (with the values of a server that never used the feature), so none.
     */
    private static final Map<String, Set<String>> NOT_YET_PRINTED = Map.of();

    /** Sections whose field names do not depend on what the server has done. */
    private static final List<String> FIXED_SECTIONS = List.of(
            "Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU", "Modules", "Cluster");

    @RegisterExtension
    final ServerFixture cairn = ServerFixture.cairn();

    @RegisterExtension
    final ServerFixture real = ServerFixture.realRedis();

    /** The same activity on a fresh server, then INFO everything, parsed by section. */
    private static Map<String, List<String>> everythingAfterActivity(int port) throws IOException {
        try (RawConnection c = new RawConnection(port)) {
            c.call("SET", "k1", "v");
            c.call("SET", "k2", "v", "EX", "100");
            c.call("GET");           // rejected: wrong number of arguments
            c.call("CLIENT", "ID");  // a subcommand
            c.call("NOSUCHCOMMAND"); // an error without a command
            return sections(bulkText(c.call("INFO", "everything")));
        }
    }

    @Test
    void fixedSectionsPrintTheRealServersFieldsInTheSameOrder() throws IOException {
        Map<String, List<String>> mine = everythingAfterActivity(cairn.port());
        Map<String, List<String>> theirs = everythingAfterActivity(real.port());
        assertEquals(List.copyOf(theirs.keySet()), List.copyOf(mine.keySet()), "sections and their order");
        for (String section : FIXED_SECTIONS) {
            List<String> expected = new ArrayList<>(names(theirs.get(section)));
            expected.removeAll(NOT_YET_PRINTED.getOrDefault(section, Set.of()));
            assertEquals(expected, names(mine.get(section)), "fields of # " + section);
        }
    }

    @Test
    void statisticsSectionsNameTheSameCommandsAndErrors() throws IOException {
        Map<String, List<String>> mine = everythingAfterActivity(cairn.port());
        Map<String, List<String>> theirs = everythingAfterActivity(real.port());
        for (String section : List.of("Commandstats", "Errorstats", "Latencystats", "Keyspace")) {
            assertEquals(Set.copyOf(names(theirs.get(section))), Set.copyOf(names(mine.get(section))), section);
        }
        Pattern cmdstat = Pattern.compile(
                "cmdstat_[a-z|-]+:calls=\\d+,usec=\\d+,usec_per_call=\\d+\\.\\d\\d,rejected_calls=\\d+,failed_calls=\\d+");
        Pattern latency = Pattern.compile("latency_percentiles_usec_[a-z|-]+:p50=\\d+\\.\\d{3},p99=\\d+\\.\\d{3},p99\\.9=\\d+\\.\\d{3}");
        for (String line : mine.get("Commandstats")) assertTrue(cmdstat.matcher(line).matches(), line);
        for (String line : mine.get("Latencystats")) assertTrue(latency.matcher(line).matches(), line);
        assertTrue(mine.get("Commandstats").stream().anyMatch(l -> l.startsWith("cmdstat_get:calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0")));
        assertTrue(mine.get("Commandstats").stream().anyMatch(l -> l.startsWith("cmdstat_client|id:calls=1,")));
        assertEquals(List.of("errorstat_ERR:count=2"), mine.get("Errorstats"));
        String db0 = mine.get("Keyspace").getFirst();
        assertTrue(db0.matches("db0:keys=2,expires=1,avg_ttl=\\d+"), db0);
        long avgTtl = Long.parseLong(db0.substring(db0.lastIndexOf('=') + 1));
        assertTrue(avgTtl > 90_000 && avgTtl <= 100_000, db0);
    }

    @Test
    void sectionSelectionFollowsRedis() throws IOException {
        try (RawConnection c = new RawConnection(cairn.port())) {
            assertEquals(List.of("Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU", "Modules",
                    "Errorstats", "Cluster", "Keyspace"), List.copyOf(sections(bulkText(c.call("INFO"))).keySet()));
            assertEquals(List.copyOf(sections(bulkText(c.call("INFO"))).keySet()),
                    List.copyOf(sections(bulkText(c.call("INFO", "default"))).keySet()));
            assertEquals(List.of("Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU", "Modules",
                    "Commandstats", "Errorstats", "Latencystats", "Cluster", "Keyspace"),
                    List.copyOf(sections(bulkText(c.call("INFO", "all"))).keySet()));
            // Output order is Redis's, whatever the order asked; repeats and unknown names add nothing.
            assertEquals(List.of("Server", "CPU"),
                    List.copyOf(sections(bulkText(c.call("INFO", "cpu", "SeRvEr", "nosuch", "server"))).keySet()));
            assertEquals(List.of("Modules"), List.copyOf(sections(bulkText(c.call("INFO", "module_list"))).keySet()));
        }
    }

    /** Replies that hold no varying figure are byte for byte the real server's, in RESP2 and RESP3. */
    @Test
    void deterministicRepliesMatchTheRealServer() throws IOException {
        for (String protocol : List.of("2", "3")) {
            try (RawConnection mine = new RawConnection(cairn.port());
                    RawConnection theirs = new RawConnection(real.port())) {
                mine.call("HELLO", protocol);
                theirs.call("HELLO", protocol);
                for (String[] command : new String[][] {
                    {"INFO", "cluster"}, {"INFO", "modules"}, {"INFO", "nosuch"}, {"INFO", "CLUSTER", "modules"},
                    {"INFO", "cluster", "keyspace"},
                }) {
                    assertEquals(theirs.call(command), mine.call(command), String.join(" ", command) + " RESP" + protocol);
                }
            }
        }
    }

    @Test
    void valuesDescribeCairn() throws IOException {
        try (RawConnection c = new RawConnection(cairn.port())) {
            Map<String, String> before = fields(bulkText(c.call("INFO", "persistence")));
            c.call("SET", "a", "1");
            c.call("SET", "b", "2");
            Map<String, String> info = fields(bulkText(c.call("INFO", "everything")));
            assertEquals(Long.parseLong(before.get("rdb_changes_since_last_save")) + 2,
                    Long.parseLong(info.get("rdb_changes_since_last_save")));
            assertEquals("7.0.15", info.get("redis_version"));
            assertEquals(Integer.toString(cairn.port()), info.get("tcp_port"));
            assertEquals(Long.toString(ProcessHandle.current().pid()), info.get("process_id"));
            assertEquals(cairn.server().runId(), info.get("run_id"));
            assertTrue(info.get("master_replid").matches("[0-9a-f]{40}"));
            assertFalse(info.get("master_replid").equals(info.get("run_id")));
            assertEquals("master", info.get("role"));
            assertEquals("0", info.get("aof_enabled"));
            assertEquals(Long.toString(cairn.server().startMillis() / 1000), info.get("rdb_last_save_time"));
            assertTrue(Long.parseLong(info.get("used_memory")) > 0);
            assertTrue(info.get("used_memory_human").matches("\\d+\\.\\d\\d[KMG]"));
            assertTrue(Long.parseLong(info.get("used_memory_rss")) > 0);
            assertTrue(Long.parseLong(info.get("connected_clients")) >= 1);
            assertTrue(info.get("used_cpu_user").matches("\\d+\\.\\d{6}"));
            assertEquals("0", info.get("cluster_enabled"));
        }
    }

    @Test
    void jedisAndLettuceReadInfo() {
        try (Jedis jedis = new Jedis("127.0.0.1", cairn.port())) {
            jedis.set("k", "v");
            assertTrue(jedis.info().contains("# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n"));
            assertTrue(jedis.info("server").startsWith("# Server\r\nredis_version:7.0.15\r\n"));
            assertTrue(jedis.info("commandstats").contains("cmdstat_set:calls="));
        }
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + cairn.port());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> sync = conn.sync();
            assertTrue(sync.info().contains("# Replication\r\nrole:master\r\n"));
            assertTrue(sync.info("cluster").equals("# Cluster\r\ncluster_enabled:0\r\n"));
            assertTrue(sync.info("latencystats").contains("latency_percentiles_usec_set:p50="));
        } finally {
            client.shutdown();
        }
    }

    // ---- parsing ---------------------------------------------------------------------

    /** The text of a bulk or verbatim string reply. */
    static String bulkText(String reply) {
        int start = reply.indexOf("\r\n") + 2;
        if (reply.startsWith("=")) start += 4;
        return reply.substring(start, reply.length() - 2);
    }

    /** Section title -> its lines, in order. */
    static Map<String, List<String>> sections(String info) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : info.split("\r\n")) {
            if (line.startsWith("# ")) {
                current = new ArrayList<>();
                out.put(line.substring(2), current);
            } else if (!line.isEmpty()) {
                current.add(line);
            }
        }
        return out;
    }

    static List<String> names(List<String> lines) {
        return lines.stream().map(l -> l.substring(0, l.indexOf(':'))).toList();
    }

    static Map<String, String> fields(String info) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : info.split("\r\n")) {
            int colon = line.indexOf(':');
            if (!line.startsWith("#") && colon > 0) out.put(line.substring(0, colon), line.substring(colon + 1));
        }
        return out;
    }
}
