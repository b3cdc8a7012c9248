package dev.cairn.bloom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.testing.ServerFixture;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.BooleanOutput;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.MapOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every BF.* and CF.* command through Lettuce (RESP3) with custom command types: booleans,
 * maps for the INFO commands, per-item arrays, and the error texts.
 */
class FiltersLettuceTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn().flushingBeforeEachTest();

    /** A command name Lettuce sends as given. */
    private record Name(String name) implements ProtocolKeyword {
        @Override
        public byte[] getBytes() {
            return name.getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final RedisCommands<String, String> redis = server.lettuce();

    private <T> T run(String command, Supplier<CommandOutput<String, String, T>> output, Object... args) {
        CommandArgs<String, String> a = new CommandArgs<>(StringCodec.UTF8);
        for (Object arg : args) {
            if (arg instanceof byte[] b) a.add(b);
            else a.add(String.valueOf(arg));
        }
        return redis.dispatch(new Name(command), output.get(), a);
    }

    private Boolean bool(String command, Object... args) {
        return run(command, () -> new BooleanOutput<>(StringCodec.UTF8), args);
    }

    private Long integer(String command, Object... args) {
        return run(command, () -> new IntegerOutput<>(StringCodec.UTF8), args);
    }

    private String status(String command, Object... args) {
        return run(command, () -> new StatusOutput<>(StringCodec.UTF8), args);
    }

    private List<Object> array(String command, Object... args) {
        return run(command, () -> new Items(false), args);
    }

    /** A map reply; its integer values arrive as Longs whatever the codec's value type says. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Map<String, Object> map(String command, Object... args) {
        return (Map<String, Object>) (Map) run(command, () -> new MapOutput<>(StringCodec.UTF8), args);
    }

    private String error(String command, Object... args) {
        return assertThrows(RedisCommandExecutionException.class, () -> array(command, args)).getMessage();
    }

    @Test
    void bloomCommands() {
        assertEquals("OK", status("BF.RESERVE", "bf", "0.01", "1000", "EXPANSION", "4"));
        assertEquals("ERR item exists", error("BF.RESERVE", "bf", "0.01", "1000"));
        assertEquals(true, bool("BF.ADD", "bf", "a"));
        assertEquals(false, bool("BF.ADD", "bf", "a"));
        assertEquals(List.of(true, false), array("BF.MADD", "bf", "b", "a"));
        assertEquals(true, bool("BF.EXISTS", "bf", "b"));
        assertEquals(false, bool("BF.EXISTS", "bf", "zz"));
        assertEquals(List.of(true, false), array("BF.MEXISTS", "bf", "a", "zz"));
        assertEquals(List.of(true, true), array("BF.INSERT", "other", "CAPACITY", "10", "ERROR", "0.001", "ITEMS", "x", "y"));
        assertEquals("ERR not found", error("BF.INSERT", "none", "NOCREATE", "ITEMS", "x"));
        assertEquals(2L, integer("BF.CARD", "bf"));
        Map<String, Object> info = map("BF.INFO", "bf");
        assertEquals(List.of("Capacity", "Size", "Number of filters", "Number of items inserted", "Expansion rate"),
                new ArrayList<>(info.keySet()));
        assertEquals(1000L, info.get("Capacity"));
        assertEquals(4L, info.get("Expansion rate"));
        assertEquals(Map.of("Number of items inserted", 2L), map("BF.INFO", "bf", "ITEMS"));
        assertEquals("ERR bad error rate", error("BF.RESERVE", "k", "x", "10"));
        assertEquals("ERR not found", error("BF.INFO", "missing"));
    }

    @Test
    void cuckooCommands() {
        assertEquals("OK", status("CF.RESERVE", "cf", "1000", "BUCKETSIZE", "4", "MAXITERATIONS", "30", "EXPANSION", "2"));
        assertEquals(true, bool("CF.ADD", "cf", "a"));
        assertEquals(false, bool("CF.ADDNX", "cf", "a"));
        assertEquals(List.of(true, true), array("CF.INSERT", "cf", "ITEMS", "a", "b"));
        assertEquals(List.of(0L, 1L), array("CF.INSERTNX", "cf", "ITEMS", "b", "c"));
        assertEquals(true, bool("CF.EXISTS", "cf", "c"));
        assertEquals(List.of(true, false), array("CF.MEXISTS", "cf", "a", "zz"));
        assertEquals(2L, integer("CF.COUNT", "cf", "a"));
        assertEquals(true, bool("CF.DEL", "cf", "a"));
        assertEquals(false, bool("CF.DEL", "cf", "zz"));
        Map<String, Object> info = map("CF.INFO", "cf");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("Size", info.get("Size"));
        expected.put("Number of buckets", 256L);
        expected.put("Number of filters", 1L);
        expected.put("Number of items inserted", 3L);
        expected.put("Number of items deleted", 1L);
        expected.put("Bucket size", 4L);
        expected.put("Expansion rate", 2L);
        expected.put("Max iterations", 30L);
        assertEquals(expected, info);
        assertEquals("ERR not found", error("CF.DEL", "missing", "a"));
        assertEquals("ERR Bad bucket size", error("CF.RESERVE", "k", "10", "BUCKETSIZE", "300"));
    }

    @Test
    void scandumpAndLoadchunk() {
        for (int i = 0; i < 100; i++) bool("BF.ADD", "bf", "item" + i);
        for (int i = 0; i < 100; i++) bool("CF.ADD", "cf", "item" + i);
        for (String[] kind : new String[][] {{"BF", "bf"}, {"CF", "cf"}}) {
            List<Object[]> chunks = new ArrayList<>();
            long iterator = 0;
            while (true) {
                List<Object> reply = run(kind[0] + ".SCANDUMP", () -> new Items(true), kind[1], iterator);
                iterator = (Long) reply.get(0);
                if (iterator == 0) break;
                chunks.add(new Object[] {iterator, reply.get(1)});
            }
            redis.del(kind[1]);
            for (Object[] chunk : chunks) assertEquals("OK", status(kind[0] + ".LOADCHUNK", kind[1], chunk[0], chunk[1]));
            for (int i = 0; i < 100; i++) assertEquals(true, bool(kind[0] + ".EXISTS", kind[1], "item" + i));
        }
    }

    /**
     * A flat array reply of integers, booleans and strings (raw bytes with {@code binary},
     * as SCANDUMP's chunks must stay).
     */
    private static final class Items extends CommandOutput<String, String, List<Object>> {
        private final boolean binary;

        Items(boolean binary) {
            super(StringCodec.UTF8, new ArrayList<>());
            this.binary = binary;
        }

        @Override
        public void set(long integer) {
            output.add(integer);
        }

        @Override
        public void set(boolean value) {
            output.add(value);
        }

        @Override
        public void set(java.nio.ByteBuffer bytes) {
            byte[] b = new byte[bytes == null ? 0 : bytes.remaining()];
            if (bytes != null) bytes.get(b);
            output.add(binary ? b : new String(b, StandardCharsets.UTF_8));
        }
    }
}
