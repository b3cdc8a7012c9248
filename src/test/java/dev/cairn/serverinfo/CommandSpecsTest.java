package dev.cairn.serverinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.command.CommandFlag;
import dev.cairn.command.CommandSpec;
import dev.cairn.command.CommandTable;
import dev.cairn.testing.RealRedis;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.CommandInfo;

/** Arity, flags, ACL categories and tips of this group's commands are the real server's. */
class CommandSpecsTest {
    private static final List<String> COMMANDS = List.of(
            "info", "monitor", "shutdown", "time", "lastsave", "client", "client|id", "client|info", "client|list",
            "client|kill", "client|setname", "client|getname", "client|pause", "client|unpause", "client|reply",
            "client|no-evict", "client|help");

    @Test
    void specsMatchCommandInfo() {
        CommandTable table = CommandTable.load();
        try (RealRedis real = RealRedis.start(); Jedis jedis = new Jedis("127.0.0.1", real.port())) {
            for (String name : COMMANDS) {
                CommandInfo theirs = jedis.commandInfo(name).get(name);
                CommandSpec mine = table.get(name);
                assertEquals(theirs.getArity(), mine.arity(), name + " arity");
                assertEquals(Set.copyOf(theirs.getFlags()),
                        mine.flags().stream().map(CommandFlag::wireName).collect(Collectors.toSet()), name + " flags");
                assertEquals(theirs.getAclCategories().stream().map(c -> c.substring(1)).toList(), mine.aclCategories(),
                        name + " acl");
                assertEquals(theirs.getTips(), mine.tips(), name + " tips");
            }
        }
    }
}
