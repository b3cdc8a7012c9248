package dev.cairn.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.ServerFixture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * SPOP and SRANDMEMBER: how many members come back, that they are distinct (or may repeat for
 * a negative count), that they belong to the set, and what SPOP leaves behind. Every size
 * class of Redis's strategies is covered (small counts drawn one by one, large ones taken by
 * elimination, counts over the size), on intsets and tables. No statistics: only facts that
 * hold for every random outcome.
 */
class SetRandomTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn().flushingBeforeEachTest();

    private final Jedis jedis = server.jedis();

    /** A set of {@code size} members, integers (an intset up to 512) or text (a table). */
    private Set<String> create(String key, int size, boolean integers) {
        Set<String> members = new HashSet<>();
        for (int i = 0; i < size; i++) members.add(integers ? Integer.toString(i * 3 - 50) : "m" + i);
        jedis.sadd(key, members.toArray(new String[0]));
        return members;
    }

    private List<String> list(Object... command) {
        String[] args = new String[command.length - 1];
        for (int i = 1; i < command.length; i++) args[i - 1] = String.valueOf(command[i]);
        List<?> reply = (List<?>) jedis.sendCommand((Protocol.Command) command[0], args);
        List<String> result = new ArrayList<>();
        for (Object o : reply) result.add(new String((byte[]) o, StandardCharsets.UTF_8));
        return result;
    }

    @Test
    void srandmemberWithAPositiveCountGivesDistinctMembers() {
        for (boolean integers : new boolean[] {true, false}) {
            for (int size : new int[] {1, 5, 30, 600}) {
                jedis.flushAll();
                Set<String> members = create("s", size, integers);
                for (int count : new int[] {1, 2, size / 3, size / 2, size - 1, size, size + 1, size * 10}) {
                    if (count <= 0) continue;
                    List<String> got = list(Protocol.Command.SRANDMEMBER, "s", count);
                    assertEquals(Math.min(count, size), got.size(), "size " + size + " count " + count);
                    assertEquals(got.size(), new HashSet<>(got).size(), "distinct");
                    assertTrue(members.containsAll(got));
                }
                assertEquals(size, jedis.scard("s"), "SRANDMEMBER leaves the set alone");
            }
        }
    }

    @Test
    void srandmemberWithANegativeCountMayRepeat() {
        for (boolean integers : new boolean[] {true, false}) {
            jedis.flushAll();
            Set<String> members = create("s", 3, integers);
            List<String> got = list(Protocol.Command.SRANDMEMBER, "s", -100);
            assertEquals(100, got.size());
            assertTrue(members.containsAll(got));
            // 100 draws out of 3 members must repeat some.
            assertTrue(new HashSet<>(got).size() <= 3);
            jedis.del("one");
            jedis.sadd("one", "x");
            assertEquals(List.of("x", "x", "x", "x"), list(Protocol.Command.SRANDMEMBER, "one", -4));
        }
    }

    @Test
    void srandmemberWithoutCount() {
        Set<String> members = create("s", 50, false);
        for (int i = 0; i < 20; i++) assertTrue(members.contains(jedis.srandmember("s")));
        Set<String> ints = create("i", 50, true);
        for (int i = 0; i < 20; i++) assertTrue(ints.contains(jedis.srandmember("i")));
    }

    @Test
    void spopRemovesWhatItReturns() {
        for (boolean integers : new boolean[] {true, false}) {
            for (int size : new int[] {2, 12, 100, 700}) {
                for (int count : new int[] {1, size / 10, size / 2, size * 5 / 6, size - 1}) {
                    if (count <= 0) continue;
                    jedis.flushAll();
                    Set<String> members = create("s", size, integers);
                    List<String> popped = list(Protocol.Command.SPOP, "s", count);
                    assertEquals(count, popped.size(), "size " + size + " count " + count);
                    Set<String> distinct = new HashSet<>(popped);
                    assertEquals(count, distinct.size());
                    assertTrue(members.containsAll(distinct));
                    Set<String> left = jedis.smembers("s");
                    assertEquals(size - count, left.size());
                    for (String m : popped) assertFalse(left.contains(m));
                    Set<String> union = new HashSet<>(left);
                    union.addAll(popped);
                    assertEquals(members, union);
                }
            }
        }
    }

    @Test
    void spopOfEverythingDeletesTheKey() {
        Set<String> members = create("s", 40, false);
        assertEquals(members, new HashSet<>(list(Protocol.Command.SPOP, "s", 40)));
        assertFalse(jedis.exists("s"));
        Set<String> ints = create("i", 40, true);
        assertEquals(ints, new HashSet<>(list(Protocol.Command.SPOP, "i", 1000)));
        assertFalse(jedis.exists("i"));
    }

    @Test
    void spopWithoutCountEmptiesTheSetOneByOne() {
        Set<String> members = create("s", 10, true);
        Set<String> popped = new HashSet<>();
        for (int i = 0; i < 10; i++) popped.add(jedis.spop("s"));
        assertEquals(members, popped);
        assertFalse(jedis.exists("s"));
        assertEquals(null, jedis.spop("s"));
    }
}
