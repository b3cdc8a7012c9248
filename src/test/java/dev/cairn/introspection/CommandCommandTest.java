package dev.cairn.introspection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.command.CommandSpec;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RedisCli;
import dev.cairn.testing.ServerFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.models.command.CommandDetail;
import io.lettuce.core.models.command.CommandDetailParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.CommandListFilterByParams;
import redis.clients.jedis.resps.CommandDocument;
import redis.clients.jedis.resps.CommandInfo;
import redis.clients.jedis.util.KeyValue;

/** COMMAND and its subcommands through Jedis, Lettuce, raw bytes and the real redis-cli. */
class CommandCommandTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn();

    private static Jedis jedis() {
        return new Jedis("127.0.0.1", server.port());
    }

    @Test
    void countIsTheNumberOfTopLevelCommands() {
        try (Jedis j = jedis()) {
            assertEquals(server.server().commands().size(), j.commandCount());
            assertEquals(j.commandCount(), j.command().size());
        }
    }

    @Test
    void infoDescribesGetAndSetAsRedisDoes() {
        try (Jedis j = jedis()) {
            Map<String, CommandInfo> info = j.commandInfo("get", "SET", "memory|usage");
            CommandInfo get = info.get("get");
            assertEquals(2, get.getArity());
            assertEquals(List.of("readonly", "fast"), get.getFlags());
            assertEquals(List.of(1L, 1L, 1L), List.of(get.getFirstKey(), get.getLastKey(), get.getStep()));
            assertEquals(List.of("@read", "@string", "@fast"), get.getAclCategories());
            CommandInfo set = info.get("set");
            assertEquals(-3, set.getArity());
            assertEquals(List.of("write", "denyoom"), set.getFlags());
            assertEquals(List.of("@write", "@string", "@slow"), set.getAclCategories());
            CommandInfo usage = info.get("memory|usage");
            assertEquals(List.of(2L, 2L, 1L), List.of(usage.getFirstKey(), usage.getLastKey(), usage.getStep()));
        }
    }

    @Test
    void infoOfGetIsByteForByteRedis() throws Exception {
        String expected = "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
                + "*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n"
                + "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n"
                + "$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n"
                + "$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";
        try (RawConnection c = new RawConnection(server.port())) {
            assertEquals(expected, c.command("COMMAND", "INFO", "get").readLike(expected));
            assertEquals("*2\r\n$-1\r\n$-1\r\n", c.command("COMMAND", "INFO", "nosuch", "get|x").readLike("*2\r\n$-1\r\n$-1\r\n"));
        }
    }

    @Test
    void infoUsesResp3Aggregates() throws Exception {
        try (RawConnection r = new RawConnection(server.port())) {
            r.call("HELLO", "3");
            String reply = r.call("COMMAND", "INFO", "get", "nosuch");
            assertTrue(reply.startsWith("*2\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n"), reply);
            assertTrue(reply.contains("~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n"), reply);
            assertTrue(reply.endsWith("~0\r\n_\r\n"), reply);
        }
    }

    @Test
    void containersListTheirSubcommands() {
        try (Jedis j = jedis()) {
            CommandInfo command = j.commandInfo("command").get("command");
            assertEquals(-1, command.getArity());
            assertEquals(List.of("loading", "stale"), command.getFlags());
            assertEquals(List.of("@slow", "@connection"), command.getAclCategories());
            assertEquals(List.of("nondeterministic_output_order"), command.getTips());
            assertTrue(command.getSubcommands().containsKey("command|docs"), command.getSubcommands().keySet()::toString);
        }
    }

    @Test
    void docsDescribeSummaryHistoryAndArguments() {
        try (Jedis j = jedis()) {
            Map<String, CommandDocument> docs = j.commandDocs("set", "nosuch", "slowlog|get");
            assertEquals(Set.of("set", "slowlog|get"), docs.keySet());
            CommandDocument set = docs.get("set");
            assertEquals("1.0.0", set.getSince());
            assertEquals("string", set.getGroup());
            assertEquals("O(1)", set.getComplexity());
            assertEquals(4, set.getHistory().size());
            assertEquals(server.server().commands().size(), j.commandDocs().size());
        }
    }

    /** The argument tree of SET is Redis's, with the version that added each option. */
    @Test
    void setArgumentsHaveRedisStructure() {
        String expected = "[[name, key, type, key, key_spec_index, 0], [name, value, type, string], "
                + "[name, condition, type, oneof, since, 2.6.12, flags, [optional], arguments, "
                + "[[name, nx, type, pure-token, token, NX], [name, xx, type, pure-token, token, XX]]], "
                + "[name, get, type, pure-token, token, GET, since, 6.2.0, flags, [optional]], "
                + "[name, expiration, type, oneof, flags, [optional], arguments, "
                + "[[name, seconds, type, integer, token, EX, since, 2.6.12], "
                + "[name, milliseconds, type, integer, token, PX, since, 2.6.12], "
                + "[name, unix-time-seconds, type, unix-time, token, EXAT, since, 6.2.0], "
                + "[name, unix-time-milliseconds, type, unix-time, token, PXAT, since, 6.2.0], "
                + "[name, keepttl, type, pure-token, token, KEEPTTL, since, 6.0.0]]]]";
        try (Jedis j = jedis()) {
            assertEquals(expected, Replies.text(docsField(j, "set", "arguments")).toString());
        }
    }

    @Test
    void argumentsOfNestedSyntax() {
        try (Jedis j = jedis()) {
            assertEquals("[[name, arguments, type, block, flags, [optional], arguments, "
                    + "[[name, protover, type, integer], [name, username_password, type, block, token, AUTH, "
                    + "flags, [optional], arguments, [[name, username, type, string], [name, password, type, string]]], "
                    + "[name, clientname, type, string, token, SETNAME, flags, [optional]]]]]",
                    Replies.text(docsField(j, "hello", "arguments")).toString());
            assertEquals("[[name, filterby, type, oneof, token, FILTERBY, flags, [optional], arguments, "
                    + "[[name, module-name, type, string, token, MODULE], [name, category, type, string, token, ACLCAT], "
                    + "[name, pattern, type, pattern, token, PATTERN]]]]",
                    Replies.text(docsField(j, "command|list", "arguments")).toString());
            assertEquals("[[name, command-name, type, string, flags, [optional, multiple]]]",
                    Replies.text(docsField(j, "command|info", "arguments")).toString());
            assertEquals("[[name, key, type, key, key_spec_index, 0], "
                    + "[name, count, type, integer, token, SAMPLES, flags, [optional]]]",
                    Replies.text(docsField(j, "memory|usage", "arguments")).toString());
        }
    }

    /** One field of COMMAND DOCS name, from the flat RESP2 map. */
    private static Object docsField(Jedis j, String command, String field) {
        List<?> reply = (List<?>) j.sendCommand(() -> "COMMAND".getBytes(), "DOCS", command);
        List<?> doc = (List<?>) reply.get(1);
        for (int i = 0; i < doc.size(); i += 2) {
            if (new String((byte[]) doc.get(i)).equals(field)) return doc.get(i + 1);
        }
        return null;
    }

    @Test
    void listWithFilters() {
        try (Jedis j = jedis()) {
            List<String> all = j.commandList();
            assertTrue(all.containsAll(List.of("get", "command", "command|info", "slowlog|get", "debug")), all::toString);
            assertEquals(all.indexOf("command") + 1, all.indexOf("command|count"));
            assertEquals(List.of("slowlog", "slowlog|get", "slowlog|help", "slowlog|len", "slowlog|reset"),
                    j.commandListFilterBy(CommandListFilterByParams.commandListFilterByParams().filterByPattern("SLOW*")));
            List<String> connection = j.commandListFilterBy(
                    CommandListFilterByParams.commandListFilterByParams().filterByAclCat("connection"));
            assertTrue(connection.containsAll(List.of("ping", "command", "command|docs")), connection::toString);
            assertFalse(connection.contains("get"));
            assertEquals(List.of(), j.commandListFilterBy(
                    CommandListFilterByParams.commandListFilterByParams().filterByModule("x")));
            assertEquals(List.of(), j.commandListFilterBy(
                    CommandListFilterByParams.commandListFilterByParams().filterByAclCat("nosuchcategory")));
            assertEquals(List.of("command|getkeys", "command|getkeysandflags"), j.commandListFilterBy(
                    CommandListFilterByParams.commandListFilterByParams().filterByPattern("command|get[k]*")));
            JedisDataException e = assertThrows(JedisDataException.class,
                    () -> j.sendCommand(() -> "COMMAND".getBytes(), "LIST", "FILTERBY", "foo", "x"));
            assertEquals("ERR syntax error", e.getMessage());
            e = assertThrows(JedisDataException.class, () -> j.sendCommand(() -> "COMMAND".getBytes(), "LIST", "x"));
            assertEquals("ERR syntax error", e.getMessage());
        }
    }

    @Test
    void getKeysAndFlags() {
        try (Jedis j = jedis()) {
            assertEquals(List.of("k"), j.commandGetKeys("memory", "usage", "k"));
            assertEquals(List.of("a"), j.commandGetKeys("set", "a", "b"));
            List<KeyValue<String, List<String>>> flags = j.commandGetKeysAndFlags("get", "x");
            assertEquals("x", flags.get(0).getKey());
            assertEquals(List.of("RO", "access"), flags.get(0).getValue());
            assertError(j, "ERR Invalid command specified", "nosuch", "a");
            assertError(j, "ERR Invalid command specified", "config", "nosuch");
            assertError(j, "ERR The command has no key arguments", "ping", "x");
            assertError(j, "ERR Invalid number of arguments specified for command", "get", "a", "b");
            assertError(j, "ERR wrong number of arguments for 'command|getkeys' command", "get");
        }
    }

    private static void assertError(Jedis j, String expected, String... target) {
        String[] args = new String[target.length + 1];
        args[0] = "GETKEYS";
        System.arraycopy(target, 0, args, 1, target.length);
        JedisDataException e = assertThrows(JedisDataException.class, () -> j.sendCommand(() -> "COMMAND".getBytes(), args));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void unknownSubcommandAndHelp() {
        try (Jedis j = jedis()) {
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.sendCommand(() -> "COMMAND".getBytes(), "foo"));
            assertEquals("ERR unknown subcommand 'foo'. Try COMMAND HELP.", e.getMessage());
            List<?> help = (List<?>) j.sendCommand(() -> "COMMAND".getBytes(), "HELP");
            assertEquals("COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", new String((byte[]) help.get(0)));
            assertEquals(21, help.size());
        }
    }

    @Test
    void lettuceParsesCommandDetails() {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            assertEquals(server.server().commands().size(), c.sync().commandCount());
            List<CommandDetail> details = CommandDetailParser.parse(c.sync().commandInfo("get", "set", "command"));
            assertEquals("get", details.get(0).getName());
            assertEquals(2, details.get(0).getArity());
            assertEquals(1, details.get(1).getFirstKeyPosition());
            assertEquals(-1, details.get(2).getArity());
            assertEquals(server.server().commands().size(), CommandDetailParser.parse(c.sync().command()).size());
        } finally {
            client.shutdown();
        }
    }

    private static final Pattern CLI_ENTRY = Pattern.compile("\u001b\\[1m([^\u001b]*)\u001b\\[0m \u001b\\[90m([^\u001b]*)\u001b\\[0m");

    /** The real redis-cli 7.0 builds its HELP and hints from COMMAND DOCS. */
    @Test
    void redisCliHelpShowsTheSpecSyntax() {
        String out = RedisCli.run(server.port(), "", "HELP", "SET");
        assertTrue(out.contains("SET\u001b[0m \u001b[90mkey value [NX|XX] [GET] [EX seconds|PX milliseconds|"
                + "EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]"), out);
        assertTrue(out.contains("group:\u001b[0m string"), out);
    }

    /**
     * For every command, what redis-cli shows as its arguments is the spec's syntax line
     * (in redis-cli's spelling: no spaces around '|', required groups unbracketed), which
     * checks the syntax parser on every spec in the table.
     */
    @Test
    void redisCliRendersEverySyntaxLine() {
        Map<String, String> expected = new LinkedHashMap<>();
        Set<String> groups = new TreeSet<>();
        for (CommandSpec spec : server.server().commands().all()) {
            List<CommandSpec> specs = new ArrayList<>();
            specs.add(spec);
            specs.addAll(spec.subcommands().values());
            for (CommandSpec s : specs) {
                expected.put(s.name().replace('|', ' ').toUpperCase(java.util.Locale.ROOT), cliSpelling(s.syntax()));
                groups.add(s.group());
            }
        }
        Map<String, String> shown = new LinkedHashMap<>();
        for (String group : groups) {
            String out = RedisCli.run(server.port(), "", "HELP", "@" + group);
            assertFalse(out.contains("Unknown type"), out);
            Matcher m = CLI_ENTRY.matcher(out);
            while (m.find()) shown.put(m.group(1), m.group(2));
        }
        assertEquals(expected, shown);
    }

    /**
     * The syntax as redis-cli prints it, without the spec's names (of groups and of pure
     * tokens: {@code ~@approximately}), key spec indexes and types for COMMAND DOCS.
     */
    private static String cliSpelling(String syntax) {
        return syntax.replaceAll("(\\S)@[\\w-]+", "$1")
                .replaceAll("#\\d+", "")
                .replaceAll(":(string|integer|double|key|pattern|unix-time)\\b", "")
                .replace(" | ", "|").replace("<", "").replace(">", "");
    }

    @Test
    void commandTakesNoArgumentsButSubcommands() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            String expected = "-ERR unknown subcommand 'nosuch'. Try COMMAND HELP.\r\n";
            assertEquals(expected, c.command("COMMAND", "nosuch").readLike(expected));
            expected = ":" + server.server().commands().size() + "\r\n";
            assertEquals(expected, c.command("command", "count").readLike(expected));
        }
        try (Jedis j = jedis()) {
            assertNull(j.commandInfo("nosuch").get("nosuch"));
        }
    }
}
