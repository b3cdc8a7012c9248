package dev.cairn.bloom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.JedisCommands;
import dev.cairn.testing.ServerFixture;
import dev.cairn.types.BloomFilter;
import dev.cairn.types.CuckooFilter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;

/**
 * BF/CF.SCANDUMP and LOADCHUNK give back an identical filter (same digest, same answers),
 * in several chunks for a large one; the serialized form round-trips and bad input is
 * refused with IllegalArgumentException, never anything worse.
 */
class FilterDumpTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn("--enable-debug-command", "yes").flushingBeforeEachTest();

    private final Jedis jedis = server.jedis();
    private final UnifiedJedis bloom = new UnifiedJedis("redis://127.0.0.1:" + server.port());

    @AfterEach
    void close() {
        bloom.close();
    }

    private Object call(String... args) {
        return JedisCommands.call(jedis, args);
    }

    private String digest(String key) {
        return (String) ((List<?>) call("debug", "digest-value", key)).get(0);
    }

    private static List<Map.Entry<Long, byte[]>> dump(Function<Long, Map.Entry<Long, byte[]>> scandump) {
        List<Map.Entry<Long, byte[]>> chunks = new ArrayList<>();
        long iterator = 0;
        while (true) {
            Map.Entry<Long, byte[]> chunk = scandump.apply(iterator);
            iterator = chunk.getKey();
            if (iterator == 0) {
                assertEquals(0, chunk.getValue().length);
                return chunks;
            }
            chunks.add(chunk);
        }
    }

    @Test
    void bloomRoundTripInSeveralChunks() {
        // About 7 MB of bits: a header and two data chunks.
        bloom.bfReserve("bf", 0.001, 4_000_000);
        String[] items = new String[2000];
        for (int i = 0; i < items.length; i++) items[i] = "item:" + i;
        bloom.bfMAdd("bf", items);
        for (int i = 0; i < 300; i++) bloom.bfAdd("scaled", "s" + i);   // 3 sub-filters
        for (String key : List.of("bf", "scaled")) {
            List<Map.Entry<Long, byte[]>> chunks = dump(it -> bloom.bfScanDump(key, it));
            assertEquals(1L, chunks.get(0).getKey());
            if (key.equals("bf")) assertEquals(3, chunks.size());
            String before = digest(key);
            Map<String, Object> info = bloom.bfInfo(key);
            jedis.del(key);
            for (Map.Entry<Long, byte[]> chunk : chunks) assertEquals("OK", bloom.bfLoadChunk(key, chunk.getKey(), chunk.getValue()));
            assertEquals(before, digest(key));
            assertEquals(info, bloom.bfInfo(key));
        }
        assertEquals(List.of(true, true, false), bloom.bfMExists("bf", "item:0", "item:1999", "nope"));
    }

    @Test
    void cuckooRoundTrip() {
        bloom.cfReserve("cf", 3_000_000);
        for (int i = 0; i < 500; i++) bloom.cfAdd("cf", "item:" + i);
        bloom.cfDel("cf", "item:0");
        for (int i = 0; i < 50; i++) bloom.cfAdd("grown", "g" + i);
        call("cf.reserve", "small", "4", "BUCKETSIZE", "1");
        for (int i = 0; i < 20; i++) call("cf.add", "small", "x" + i);
        for (String key : List.of("cf", "grown", "small")) {
            List<Map.Entry<Long, byte[]>> chunks = dump(it -> bloom.cfScanDump(key, it));
            String before = digest(key);
            Map<String, Object> info = bloom.cfInfo(key);
            jedis.del(key);
            for (Map.Entry<Long, byte[]> chunk : chunks) assertEquals("OK", bloom.cfLoadChunk(key, chunk.getKey(), chunk.getValue()));
            assertEquals(before, digest(key));
            assertEquals(info, bloom.cfInfo(key));
        }
        assertTrue(bloom.cfExists("cf", "item:499"));
        assertEquals(1L, call("cf.count", "small", "x19"));
    }

    @Test
    void chunkErrors() {
        bloom.bfAdd("bf", "a");
        byte[] header = bloom.bfScanDump("bf", 0).getValue();
        assertEquals("ERR item exists", JedisCommands.error(jedis, "bf.loadchunk", "bf", "1", "x"));
        assertEquals("ERR not found", JedisCommands.error(jedis, "bf.scandump", "missing", "0"));
        assertEquals("ERR not found", JedisCommands.error(jedis, "bf.loadchunk", "missing", "9", "abcdefgh"));
        assertEquals("ERR invalid iterator", JedisCommands.error(jedis, "bf.scandump", "bf", "x"));
        assertEquals("ERR invalid iterator", JedisCommands.error(jedis, "bf.loadchunk", "bf", "-1", "x"));
        assertEquals("ERR received bad data", JedisCommands.error(jedis, "bf.loadchunk", "new", "1", "garbage"));
        assertEquals("ERR received bad data", JedisCommands.error(jedis, "cf.loadchunk", "new", "1", "garbage"));
        // A data chunk that runs past the table.
        assertEquals("ERR received bad data", JedisCommands.error(jedis, "bf.loadchunk", "bf", "100000", "abc"));
        assertEquals(0L, call("exists", "new"));
        assertEquals("OK", bloom.bfLoadChunk("copy", 1, header));
        assertEquals(1L, call("bf.card", "copy"));
        // Past the end: iterator 0 and an empty string.
        assertEquals(List.of(0L, ""), call("bf.scandump", "bf", "1000000"));
    }

    @Test
    void serializedFormsRoundTrip() {
        BloomFilter b = BloomFilter.create(0.01, 50, 2);
        for (int i = 0; i < 500; i++) b.add(("i" + i).getBytes(StandardCharsets.UTF_8));
        byte[] bytes = b.serialize();
        assertEquals(1, bytes[0], "the version byte comes first");
        BloomFilter back = BloomFilter.deserialize(bytes);
        assertArrayEquals(bytes, back.serialize());
        assertEquals(b.size(), back.size());
        assertEquals(b.filters(), back.filters());

        CuckooFilter c = CuckooFilter.create(100, 2, 20, 2);
        for (int i = 0; i < 500; i++) c.insert(("i" + i).getBytes(StandardCharsets.UTF_8));
        c.delete("i3".getBytes(StandardCharsets.UTF_8));
        bytes = c.serialize();
        assertEquals(1, bytes[0]);
        CuckooFilter cback = CuckooFilter.deserialize(bytes);
        assertArrayEquals(bytes, cback.serialize());
        assertEquals(c.filters(), cback.filters());
    }

    /** Truncated, extended and bit-flipped inputs: an IllegalArgumentException or a filter that re-serializes. */
    @Test
    void badSerializedInputIsRefusedCleanly() {
        BloomFilter b = BloomFilter.create(0.01, 20, 2);
        CuckooFilter c = CuckooFilter.create(20, 2, 20, 1);
        for (int i = 0; i < 60; i++) {
            b.add(("i" + i).getBytes(StandardCharsets.UTF_8));
            c.insert(("i" + i).getBytes(StandardCharsets.UTF_8));
        }
        check(b.serialize(), bytes -> BloomFilter.deserialize(bytes).serialize());
        check(c.serialize(), bytes -> CuckooFilter.deserialize(bytes).serialize());
        assertThrows(IllegalArgumentException.class, () -> BloomFilter.deserialize(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> CuckooFilter.deserialize(new byte[0]));
    }

    private static void check(byte[] good, Function<byte[], byte[]> roundTrip) {
        Random random = new Random(42);
        for (int length = 0; length < good.length; length++) {
            byte[] cut = Arrays.copyOf(good, length);
            assertThrows(IllegalArgumentException.class, () -> roundTrip.apply(cut), "truncated to " + length);
        }
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThrows(IllegalArgumentException.class, () -> roundTrip.apply(longer));
        for (int n = 0; n < 5000; n++) {
            byte[] bad = good.clone();
            int flips = 1 + random.nextInt(4);
            for (int k = 0; k < flips; k++) bad[random.nextInt(Math.min(bad.length, 120))] ^= (byte) (1 << random.nextInt(8));
            try {
                assertArrayEquals(bad, roundTrip.apply(bad));
            } catch (IllegalArgumentException refused) {
                // refused cleanly
            }
        }
    }
}
