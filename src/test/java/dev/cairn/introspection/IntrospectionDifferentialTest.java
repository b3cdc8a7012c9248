package dev.cairn.introspection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.ServerFixture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * The same requests against Cairn and a real redis-server 7.0, comparing the replies:
 * COMMAND INFO of every command Cairn has, and the exact bytes of replies whose content
 * does not depend on timing or on the process.
 */
class IntrospectionDifferentialTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn("--enable-debug-command", "yes");

    @RegisterExtension
    static final ServerFixture redis = ServerFixture.realRedis("--enable-debug-command", "yes");

    /**
     * Name, arity, flags, first/last/step key positions and ACL categories are Redis's
     * for every command and subcommand Cairn implements; so are the tips of this
     * group's commands.
     */
    @Test
    void commandInfoOfEveryCommand() {
        try (Jedis c = new Jedis("127.0.0.1", cairn.port()); Jedis r = new Jedis("127.0.0.1", redis.port())) {
            List<String> names = c.commandList();
            for (String name : names) {
                // The built-in RedisBloom commands: the real server has no module to compare with.
                if (name.startsWith("bf.") || name.startsWith("cf.")) continue;
                List<?> ours = info(c, name);
                List<?> theirs = info(r, name);
                assertEquals(theirs.subList(0, 7), ours.subList(0, 7), name);
                if (name.matches("(command|slowlog|latency|memory|debug)(\\|.*)?")) {
                    assertEquals(theirs.get(7), ours.get(7), "tips of " + name);
                }
            }
        }
    }

    private static List<?> info(Jedis j, String name) {
        List<?> reply = (List<?>) Replies.text(j.sendCommand(() -> "COMMAND".getBytes(), "INFO", name));
        return (List<?>) reply.get(0);
    }

    /** Key specs are derived from the key positions and flags; these match Redis exactly. */
    @Test
    void keySpecsMatchRedis() {
        try (Jedis c = new Jedis("127.0.0.1", cairn.port()); Jedis r = new Jedis("127.0.0.1", redis.port())) {
            for (String name : List.of("get", "memory|usage", "command", "ping")) {
                assertEquals(info(r, name).get(8), info(c, name).get(8), name);
            }
        }
    }

    @Test
    void sameBytes() throws Exception {
        List<String[]> requests = new ArrayList<>(List.of(
                new String[] {"COMMAND", "INFO", "get", "nosuch", "memory|usage"},
                new String[] {"COMMAND", "HELP"},
                new String[] {"COMMAND", "GETKEYS", "memory", "usage", "k"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "get", "k"},
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
