package dev.cairn.strings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.cairn.command.CommandFlag;
import dev.cairn.command.CommandSpec;
import dev.cairn.command.CommandTable;
import dev.cairn.testing.RealRedis;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * The string and bitmap command specs against the real server's COMMAND INFO and
 * COMMAND DOCS: arity, flags, key positions, ACL categories, tips, and the
 * since/complexity/deprecation/history facts.
 */
class StringSpecsTest {
    private static final List<String> COMMANDS = List.of(
            "get", "set", "setnx", "setex", "psetex", "getex", "getdel", "getset", "mset", "msetnx", "mget",
            "append", "strlen", "getrange", "substr", "setrange", "incr", "decr", "incrby", "decrby",
            "incrbyfloat", "lcs", "setbit", "getbit", "bitcount", "bitpos", "bitop", "bitfield", "bitfield_ro");

    @Test
    void specsMatchRedis() {
        CommandTable table = CommandTable.load();
        try (RealRedis real = RealRedis.start(); Jedis jedis = new Jedis("127.0.0.1", real.port())) {
            for (String name : COMMANDS) {
                CommandSpec spec = table.get(name);
                assertNotNull(spec, name);
                List<?> info = (List<?>) ((List<?>) jedis.sendCommand(Protocol.Command.COMMAND, "INFO", name)).get(0);
                assertEquals(((Long) info.get(1)).intValue(), spec.arity(), name + " arity");
                Set<String> flags = new TreeSet<>();
                for (Object f : (List<?>) info.get(2)) flags.add(text(f));
                Set<String> ours = new TreeSet<>();
                for (CommandFlag f : spec.flags()) ours.add(f.wireName());
                assertEquals(flags, ours, name + " flags");
                assertEquals(List.of(info.get(3), info.get(4), info.get(5)),
                        List.of((long) spec.keys().first(), (long) spec.keys().last(), (long) spec.keys().step()),
                        name + " keys");
                List<String> acl = new ArrayList<>();
                for (Object a : (List<?>) info.get(6)) acl.add(text(a).substring(1));
                assertEquals(acl, spec.aclCategories(), name + " acl");
                List<String> tips = new ArrayList<>();
                for (Object t : (List<?>) info.get(7)) tips.add(text(t));
                assertEquals(tips, spec.tips() == null ? List.of() : spec.tips(), name + " tips");

                List<?> docsReply = (List<?>) jedis.sendCommand(Protocol.Command.COMMAND, "DOCS", name);
                Map<String, Object> docs = new HashMap<>();
                List<?> fields = (List<?>) docsReply.get(1);
                for (int i = 0; i < fields.size(); i += 2) docs.put(text(fields.get(i)), fields.get(i + 1));
                assertEquals(text(docs.get("since")), spec.since(), name + " since");
                assertEquals(text(docs.get("group")), spec.group(), name + " group");
                assertEquals(text(docs.get("complexity")), spec.complexity(), name + " complexity");
                assertEquals(docs.containsKey("deprecated_since") ? text(docs.get("deprecated_since")) : null,
                        spec.deprecatedSince(), name + " deprecated_since");
                assertEquals(docs.containsKey("replaced_by") ? text(docs.get("replaced_by")) : null,
                        spec.replacedBy(), name + " replaced_by");
                List<String> history = new ArrayList<>();
                if (docs.containsKey("history")) {
                    for (Object h : (List<?>) docs.get("history")) {
                        List<?> pair = (List<?>) h;
                        history.add(text(pair.get(0)) + ": " + text(pair.get(1)));
                    }
                }
                assertEquals(history, spec.history(), name + " history");
            }
        }
    }

    private static String text(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }
}
