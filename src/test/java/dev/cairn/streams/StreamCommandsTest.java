package dev.cairn.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.ServerFixture;
import io.lettuce.core.Consumer;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XClaimParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.params.XTrimParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamPendingEntry;
import redis.clients.jedis.resps.StreamPendingSummary;

/**
 * Every stream command through Jedis and Lettuce, as applications use them: entries,
 * ranges, trimming, reading, consumer groups with their pending entries and claims, and
 * the XINFO introspection. Exact bytes are checked in {@link StreamRepliesTest} and
 * against redis-server in {@link StreamDifferentialTest}.
 */
class StreamCommandsTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn().flushingBeforeEachTest();

    private static Map<String, String> fields(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    private static StreamEntryID id(String s) {
        return new StreamEntryID(s);
    }

    @Test
    void xaddXlenXrangeXrevrange() {
        Jedis j = cairn.jedis();
        assertEquals(id("1-1"), j.xadd("s", id("1-1"), fields("a", "1")));
        assertEquals(id("1-2"), j.xadd("s", XAddParams.xAddParams().id("1-*"), fields("b", "2")));
        StreamEntryID generated = j.xadd("s", StreamEntryID.NEW_ENTRY, fields("c", "3"));
        assertTrue(generated.getTime() > 1);
        assertEquals(3, j.xlen("s"));
        List<StreamEntry> all = j.xrange("s", "-", "+");
        assertEquals(List.of(id("1-1"), id("1-2"), generated), all.stream().map(StreamEntry::getID).toList());
        assertEquals(fields("b", "2"), all.get(1).getFields());
        assertEquals(List.of(generated), j.xrevrange("s", "+", "-", 1).stream().map(StreamEntry::getID).toList());
        assertEquals(List.of(id("1-2")), j.xrange("s", "(1-1", "(" + generated).stream().map(StreamEntry::getID).toList());
        JedisDataException e = assertThrows(JedisDataException.class, () -> j.xadd("s", id("1-1"), fields("x", "y")));
        assertEquals("ERR The ID specified in XADD is equal or smaller than the target stream top item", e.getMessage());
        assertNull(j.xadd("missing", XAddParams.xAddParams().noMkStream(), fields("x", "y")));
        assertFalse(j.exists("missing"));
        assertEquals("stream", j.type("s"));
        assertEquals("stream", j.objectEncoding("s"));
    }

    @Test
    void xdelXtrimXsetid() {
        Jedis j = cairn.jedis();
        for (int i = 1; i <= 10; i++) j.xadd("s", id(i + "-0"), fields("n", String.valueOf(i)));
        assertEquals(2, j.xdel("s", id("1-0"), id("2-0"), id("99-0")));
        assertEquals(3, j.xtrim("s", XTrimParams.xTrimParams().maxLen(5)));
        assertEquals(1, j.xtrim("s", XTrimParams.xTrimParams().minId("7-0")));
        assertEquals(List.of(id("7-0"), id("8-0"), id("9-0"), id("10-0")),
                j.xrange("s", "-", "+").stream().map(StreamEntry::getID).toList());
        // Approximate trimming removes whole nodes only: one node of 100 entries stays.
        assertEquals(0, j.xtrim("s", XTrimParams.xTrimParams().maxLen(1).approximateTrimming()));
        assertEquals("OK", j.sendCommand(() -> "XSETID".getBytes(), "s".getBytes(), "20-0".getBytes(),
                "ENTRIESADDED".getBytes(), "30".getBytes()) instanceof byte[] b ? new String(b) : "?");
        assertEquals(id("20-0"), j.xinfoStream("s").getLastGeneratedId());
    }

    @Test
    void xreadFromSeveralStreams() {
        Jedis j = cairn.jedis();
        j.xadd("a", id("1-0"), fields("f", "1"));
        j.xadd("a", id("2-0"), fields("f", "2"));
        j.xadd("b", id("5-0"), fields("g", "5"));
        var result = j.xread(XReadParams.xReadParams().count(1), Map.of("a", id("0-0"), "b", id("0-0")));
        Map<String, List<StreamEntryID>> byKey = new LinkedHashMap<>();
        for (var e : result) byKey.put(e.getKey(), e.getValue().stream().map(StreamEntry::getID).toList());
        assertEquals(Map.of("a", List.of(id("1-0")), "b", List.of(id("5-0"))), byKey);
        assertNull(j.xread(XReadParams.xReadParams(), Map.of("a", id("2-0"))));
    }

    @Test
    void consumerGroupLifecycle() {
        Jedis j = cairn.jedis();
        assertEquals("OK", j.xgroupCreate("s", "g", id("0-0"), true));
        JedisDataException busy = assertThrows(JedisDataException.class, () -> j.xgroupCreate("s", "g", id("0-0"), false));
        assertEquals("BUSYGROUP Consumer Group name already exists", busy.getMessage());
        for (int i = 1; i <= 4; i++) j.xadd("s", id(i + "-0"), fields("job", String.valueOf(i)));
        assertTrue(j.xgroupCreateConsumer("s", "g", "idle"));
        var alice = j.xreadGroup("g", "alice", XReadGroupParams.xReadGroupParams().count(2), Map.of("s", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        assertEquals(List.of(id("1-0"), id("2-0")), alice.getFirst().getValue().stream().map(StreamEntry::getID).toList());
        var bob = j.xreadGroup("g", "bob", XReadGroupParams.xReadGroupParams(), Map.of("s", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        assertEquals(List.of(id("3-0"), id("4-0")), bob.getFirst().getValue().stream().map(StreamEntry::getID).toList());

        StreamPendingSummary summary = j.xpending("s", "g");
        assertEquals(4, summary.getTotal());
        assertEquals(id("1-0"), summary.getMinId());
        assertEquals(Map.of("alice", 2L, "bob", 2L), summary.getConsumerMessageCount());
        List<StreamPendingEntry> bobs = j.xpending("s", "g", XPendingParams.xPendingParams().count(10).consumer("bob"));
        assertEquals(List.of(id("3-0"), id("4-0")), bobs.stream().map(StreamPendingEntry::getID).toList());

        assertEquals(1, j.xack("s", "g", id("1-0"), id("9-0")));
        List<StreamEntryID> claimed = j.xclaimJustId("s", "g", "carol", 0, XClaimParams.xClaimParams(), id("2-0"));
        assertEquals(List.of(id("2-0")), claimed);
        var auto = j.xautoclaim("s", "g", "dave", 0, id("0-0"), XAutoClaimParams.xAutoClaimParams().count(1));
        assertEquals(List.of(id("2-0")), auto.getValue().stream().map(StreamEntry::getID).toList());
        assertEquals(id("3-0"), auto.getKey());

        var groups = j.xinfoGroups("s");
        assertEquals(1, groups.size());
        assertEquals(5, groups.getFirst().getConsumers());
        assertEquals(3, groups.getFirst().getPending());
        assertEquals(id("4-0"), groups.getFirst().getLastDeliveredId());
        assertEquals(List.of("alice", "bob", "carol", "dave", "idle"),
                j.xinfoConsumers("s", "g").stream().map(c -> c.getName()).toList());
        assertEquals(2, j.xgroupDelConsumer("s", "g", "bob"));
        assertEquals("OK", j.xgroupSetID("s", "g", id("0-0")));
        assertEquals(1, j.xgroupDestroy("s", "g"));
        assertEquals(0, j.xinfoStream("s").getGroups());
        assertEquals(id("1-0"), j.xinfoStream("s").getFirstEntry().getID());
        assertEquals(4, j.xinfoStreamFull("s").getEntries().size());
    }

    @Test
    void lettuceStreams() {
        RedisCommands<String, String> l = cairn.lettuce();
        String first = l.xadd("ls", new XAddArgs().id("1-0"), Map.of("k", "v"));
        assertEquals("1-0", first);
        l.xadd("ls", new XAddArgs().id("2-0").maxlen(10), Map.of("k", "w"));
        assertEquals(2L, l.xlen("ls"));
        List<StreamMessage<String, String>> range = l.xrange("ls", Range.create("-", "+"));
        assertEquals(List.of("1-0", "2-0"), range.stream().map(StreamMessage::getId).toList());
        assertEquals("OK", l.xgroupCreate(XReadArgs.StreamOffset.from("ls", "0-0"), "lg"));
        List<StreamMessage<String, String>> got = l.xreadgroup(Consumer.from("lg", "c1"), XReadArgs.StreamOffset.lastConsumed("ls"));
        assertEquals(2, got.size());
        assertEquals(Map.of("k", "w"), got.get(1).getBody());
        assertEquals(2L, l.xack("ls", "lg", "1-0", "2-0"));
        assertEquals(0L, l.xpending("ls", "lg").getCount());
        assertEquals(1L, l.xdel("ls", "1-0"));
        assertEquals(1L, l.xtrim("ls", 0));
        assertEquals(List.of(), l.xrevrange("ls", Range.create("-", "+")));
    }
}
