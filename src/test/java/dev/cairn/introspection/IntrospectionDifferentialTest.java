package dev.cairn.introspection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.CommandDocs;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RespReader;
import dev.cairn.testing.ServerFixture;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * The same requests against Cairn and a real redis-server 7.0, comparing the replies:
 * COMMAND INFO and COMMAND DOCS of every command Cairn has (the one test of the command
 * table against Redis's), and the exact bytes of replies whose content does not depend on
 * timing or on the process.
 */
class IntrospectionDifferentialTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn("--enable-debug-command", "yes");

    @RegisterExtension
    static final ServerFixture redis = ServerFixture.realRedis("--enable-debug-command", "yes");

    /** The COMMAND DOCS fields that are facts about a command, the same as Redis's; the summary is our own. */
    private static final List<String> DOC_FACTS = List.of(
            "since", "group", "complexity", "doc_flags", "deprecated_since", "replaced_by", "history");

    /**
     * Every command and subcommand Cairn has (its COMMAND LIST, but for the built-in
     * RedisBloom commands, which the real server has no module for) is described as Redis
     * describes it: COMMAND INFO byte for byte in RESP2 and RESP3 (arity, flags, key
     * positions, ACL categories, tips, key specs with their notes, a container's subcommands
     * in any order), and COMMAND DOCS's facts, set of fields and arguments, with a summary in
     * our own words. All differences are reported at once.
     */
    @Test
    void commandInfoAndDocsOfEveryCommandAreRedis() throws IOException {
        List<String> differences = new ArrayList<>();
        try (RawConnection ours = new RawConnection(cairn.port());
                RawConnection theirs = new RawConnection(redis.port());
                Jedis oursDocs = new Jedis("127.0.0.1", cairn.port());
                Jedis theirDocs = new Jedis("127.0.0.1", redis.port())) {
            List<String> names = commandList(ours).stream()
                    .filter(name -> !name.startsWith("bf.") && !name.startsWith("cf."))
                    .toList();
            List<String> redisNames = commandList(theirs);
            for (String protocol : new String[] {"2", "3"}) {
                ours.call("HELLO", protocol);
                theirs.call("HELLO", protocol);
                for (String name : names) {
                    String mine = sortedSubcommands(ours, name, ours.call("COMMAND", "INFO", name), names);
                    String real = sortedSubcommands(theirs, name, theirs.call("COMMAND", "INFO", name), redisNames);
                    if (!mine.equals(real)) {
                        differences.add("COMMAND INFO " + name + " in RESP" + protocol + "\n    cairn: "
                                + mine.replace("\r\n", " ") + "\n    redis: " + real.replace("\r\n", " "));
                    }
                }
            }
            for (String name : names) {
                Map<String, Object> mine = CommandDocs.of(oursDocs, name);
                Map<String, Object> real = CommandDocs.of(theirDocs, name);
                for (String field : DOC_FACTS) {
                    if (!Objects.equals(mine.get(field), real.get(field))) {
                        differences.add("COMMAND DOCS " + name + " " + field + "\n    cairn: " + mine.get(field)
                                + "\n    redis: " + real.get(field));
                    }
                }
                if (Objects.equals(mine.get("summary"), real.get("summary"))) {
                    differences.add("COMMAND DOCS " + name + " summary is Redis's, not in our own words");
                }
                if (!Objects.equals(mine.get("arguments"), real.get("arguments"))) {
                    differences.add("COMMAND DOCS " + name + " arguments\n    cairn: " + mine.get("arguments")
                            + "\n    redis: " + real.get("arguments"));
                } else if (names.stream().noneMatch(n -> n.startsWith(name + "|"))) {
                    // The arguments, the last field but for containers, byte for byte (field order included).
                    String myBytes = argumentsBytes(ours.call("COMMAND", "DOCS", name));
                    String realBytes = argumentsBytes(theirs.call("COMMAND", "DOCS", name));
                    if (!myBytes.equals(realBytes)) {
                        differences.add("COMMAND DOCS " + name + " arguments' bytes\n    cairn: " + myBytes.replace("\r\n", " ")
                                + "\n    redis: " + realBytes.replace("\r\n", " "));
                    }
                }
                if (!mine.keySet().equals(real.keySet())) {
                    differences.add("COMMAND DOCS " + name + " fields\n    cairn: " + new TreeSet<>(mine.keySet())
                            + "\n    redis: " + new TreeSet<>(real.keySet()));
                }
            }
        }
        assertTrue(differences.isEmpty(), differences.size() + " differences from Redis:\n" + String.join("\n", differences));
    }

    /** What follows the "arguments" key of a COMMAND DOCS reply, or "" without one. */
    private static String argumentsBytes(String reply) {
        int at = reply.indexOf("$9\r\narguments\r\n");
        return at < 0 ? "" : reply.substring(at);
    }

    private static List<String> commandList(RawConnection c) throws IOException {
        List<String> names = new ArrayList<>();
        for (Object name : (List<?>) RespReader.parse(c.call("COMMAND", "LIST"))) names.add((String) name);
        return names;
    }

    /**
     * A server's COMMAND INFO reply for a command, with a container's subcommand entries put
     * in the order of their names. Redis lists subcommands in the order of a hash table whose
     * seed is random per process, so only the set of entries can be compared, each byte for
     * byte. A reply whose subcommand array is not where it should be is returned as it is,
     * to be reported.
     */
    private static String sortedSubcommands(RawConnection c, String name, String reply, List<String> serverNames)
            throws IOException {
        List<String> subcommands = serverNames.stream().filter(n -> n.startsWith(name + "|")).toList();
        if (subcommands.isEmpty()) return reply;
        Map<String, String> entries = new TreeMap<>();
        for (String sub : subcommands) {
            // A one-command COMMAND INFO reply is a one-element array around the entry a container nests.
            entries.put(sub, c.call("COMMAND", "INFO", sub).substring("*1\r\n".length()));
        }
        int first = entries.values().stream().mapToInt(reply::indexOf).min().orElseThrow();
        String header = "*" + subcommands.size() + "\r\n";
        int length = entries.values().stream().mapToInt(String::length).sum();
        if (first < header.length() || !reply.startsWith(header, first - header.length()) || first + length != reply.length()) {
            return reply;
        }
        return reply.substring(0, first - header.length()) + "*" + entries.size() + "\r\n" + String.join("", entries.values());
    }

    @Test
    void sameBytes() throws Exception {
        List<String[]> requests = new ArrayList<>(List.of(
                new String[] {"COMMAND", "INFO", "get", "nosuch", "memory|usage"},
                new String[] {"COMMAND", "HELP"},
                new String[] {"COMMAND", "GETKEYS", "memory", "usage", "k"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "get", "k"},
                // Key flags that depend on the arguments (variable_flags), and sources beside destinations.
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "set", "k", "v"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "set", "k", "v", "NX", "get"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "set", "k", "v", "GETS"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "bitfield", "k"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "bitfield", "k", "GET", "u8", "0", "OVERFLOW", "SAT"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "bitfield", "k", "GET", "u8", "0", "INCRBY", "u8", "0", "1"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "bitfield", "k", "SET", "u8", "0"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "bitfield", "k", "GET", "u8"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "bitfield", "k", "OVERFLOW"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "bitfield", "k", "nosuch"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "bitop", "AND", "d", "a", "b"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "rename", "a", "b"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "renamenx", "a", "b"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "copy", "a", "b"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "del", "a", "b"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "msetnx", "a", "1", "b", "2"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "eval", "return 1", "2", "a", "b"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "LMOVE", "a", "b", "LEFT", "RIGHT"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "BRPOPLPUSH", "a", "b", "0"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "BLPOP", "a", "b", "c", "0"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "LMPOP", "2", "a", "b", "LEFT"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "BLMPOP", "0", "3", "a", "b", "c", "RIGHT", "COUNT", "2"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "LPUSH", "k", "v"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "LRANGE", "k", "0", "1"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "LLEN", "k"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "LSET", "k", "0", "v"},
                // Shard channels sit where keys would, but are none.
                new String[] {"COMMAND", "GETKEYS", "SSUBSCRIBE", "a"},
                new String[] {"COMMAND", "GETKEYS", "nosuch"},
                new String[] {"COMMAND", "GETKEYS", "ping", "x"},
                new String[] {"COMMAND", "GETKEYS", "get", "a", "b"},
                new String[] {"COMMAND", "GETKEYS", "get"},
                new String[] {"COMMAND", "LIST", "FILTERBY", "MODULE", "x"},
                new String[] {"COMMAND", "LIST", "FILTERBY", "foo", "x"},
                new String[] {"COMMAND", "LIST", "foo"},
                new String[] {"COMMAND", "LIST", "FILTERBY", "PATTERN", "slowlog|[l]e?"},
                new String[] {"COMMAND", "DOCS", "nosuch"},
                new String[] {"COMMAND", "nosuch"},
                new String[] {"SLOWLOG", "HELP"},
                new String[] {"SLOWLOG", "GET", "-2"},
                new String[] {"SLOWLOG", "GET", "abc"},
                new String[] {"SLOWLOG", "Get", "1", "2"},
                new String[] {"SLOWLOG", "RESET"},
                new String[] {"SLOWLOG", "LEN", "x"},
                new String[] {"SLOWLOG"},
                new String[] {"LATENCY", "LATEST"},
                new String[] {"LATENCY", "HISTORY", "command"},
                new String[] {"LATENCY", "GRAPH", "command"},
                new String[] {"LATENCY", "RESET"},
                new String[] {"LATENCY", "RESET", "a", "b"},
                new String[] {"LATENCY", "DOCTOR"},
                new String[] {"MEMORY", "HELP"},
                new String[] {"MEMORY", "USAGE", "nosuch"},
                new String[] {"MEMORY", "USAGE", "k", "SAMPLES"},
                new String[] {"MEMORY", "USAGE", "k", "SAMPLES", "x"},
                new String[] {"MEMORY", "USAGE", "k", "SAMPLES", "-1"},
                new String[] {"MEMORY", "USAGE", "k", "x"},
                new String[] {"MEMORY", "PURGE"},
                new String[] {"DEBUG", "nosuch"},
                new String[] {"DEBUG", "object"},
                new String[] {"DEBUG", "OBJECT", "nosuch"},
                new String[] {"DEBUG", "digest"},
                new String[] {"DEBUG", "DIGEST-VALUE"},
                new String[] {"DEBUG", "DIGEST-VALUE", "nosuch"},
                new String[] {"DEBUG", "POPULATE", "-1"},
                new String[] {"DEBUG", "POPULATE", "x"},
                new String[] {"DEBUG", "POPULATE", "1", "p", "-1"},
                new String[] {"DEBUG", "POPULATE", "1", "2", "3", "4"},
                new String[] {"DEBUG", "SLEEP", "0"},
                new String[] {"DEBUG", "ERROR", "CUSTOM failure\nhere"},
                new String[] {"DEBUG", "LOG", "from the differential test"},
                new String[] {"DEBUG", "SET-ACTIVE-EXPIRE", "1"},
                new String[] {"DEBUG"}));
        for (int size : new int[] {0, 1, 11, 12, 13, 28, 29, 44, 45, 60, 61, 255, 256, 300, 1000, 5000, 70000}) {
            String value = "v".repeat(size);
            requests.add(new String[] {"SET", "k" + size, value});
            requests.add(new String[] {"MEMORY", "USAGE", "k" + size});
            requests.add(new String[] {"MEMORY", "USAGE", "k" + size, "SAMPLES", "0"});
        }
        for (String number : new String[] {"0", "7", "-1", "127", "128", "-129", "32767", "32768", "2147483648",
                "9223372036854775807", "012", "1.5", "12345678901234567890123"}) {
            requests.add(new String[] {"SET", "n", number});
            requests.add(new String[] {"MEMORY", "USAGE", "n"});
        }
        try (RawConnection c = new RawConnection(cairn.port()); RawConnection r = new RawConnection(redis.port())) {
            for (String[] request : requests) {
                assertEquals(r.call(request), c.call(request), String.join(" ", request));
            }
            // The same in RESP3, where maps, sets and verbatim strings have their own types.
            c.call("HELLO", "3");
            r.call("HELLO", "3");
            for (String[] request : requests) {
                assertEquals(r.call(request), c.call(request), "RESP3 " + String.join(" ", request));
            }
        }
    }
}
