package dev.cairn.strings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.ServerFixture;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.BitCountOption;
import redis.clients.jedis.args.BitOP;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.BitPosParams;
import redis.clients.jedis.util.SafeEncoder;

/** The bitmap commands through Jedis (RESP2): bit layout, ranges, BITOP and BITFIELD. */
class BitmapCommandsTest {
    private static final String OFFSET_ERROR = "ERR bit offset is not an integer or out of range";
    private static final String TYPE_ERROR =
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

    @RegisterExtension
    final ServerFixture server = ServerFixture.cairn();

    private final Jedis jedis = server.jedis();

    private Object call(String... args) {
        return jedis.sendCommand(() -> SafeEncoder.encode(args[0]), Arrays.copyOfRange(args, 1, args.length));
    }

    private String error(String... args) {
        return assertThrows(JedisDataException.class, () -> call(args)).getMessage();
    }

    private void setBytes(String key, int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) b[i] = (byte) bytes[i];
        jedis.set(key.getBytes(StandardCharsets.UTF_8), b);
    }

    // ---- SETBIT / GETBIT ---------------------------------------------------------------

    @Test
    void bitZeroIsTheMostSignificantBitOfTheFirstByte() {
        assertFalse(jedis.setbit("k1", 1, true));
        assertEquals("@", jedis.get("k1"));
        assertFalse(jedis.setbit("k1", 7, true));
        assertEquals("A", jedis.get("k1"));
        assertTrue(jedis.setbit("k1", 7, false));
        assertEquals("@", jedis.get("k1"));
        assertTrue(jedis.getbit("k1", 1));
        assertFalse(jedis.getbit("k1", 0));
        assertFalse(jedis.getbit("k1", 1000), "past the end reads 0");
        assertFalse(jedis.getbit("missing", 3));
        jedis.setbit("grow", 20, true);
        assertArrayEquals(new byte[] {0, 0, 8}, jedis.get("grow".getBytes()));
        jedis.set("n", "5");
        assertTrue(jedis.getbit("n", 2), "integers read as their decimal text");
    }

    @Test
    void setbitAndGetbitErrors() {
        assertEquals(OFFSET_ERROR, error("SETBIT", "k", "4294967296", "1"));
        assertEquals(OFFSET_ERROR, error("SETBIT", "k", "-1", "1"));
        assertEquals(OFFSET_ERROR, error("SETBIT", "k", "x", "1"));
        assertEquals(OFFSET_ERROR, error("SETBIT", "k", "#1", "1"));
        assertEquals("ERR bit is not an integer or out of range", error("SETBIT", "k", "1", "2"));
        assertEquals("ERR bit is not an integer or out of range", error("SETBIT", "k", "1", "-1"));
        assertEquals("ERR bit is not an integer or out of range", error("SETBIT", "k", "1", "x"));
        assertEquals(OFFSET_ERROR, error("GETBIT", "k", "4294967296"));
        assertEquals(0L, call("GETBIT", "k", "4294967295"));
        assertNull(jedis.get("k"));
    }

    // ---- BITCOUNT ----------------------------------------------------------------------

    @Test
    void bitcount() {
        jedis.set("k", "foobar");
        assertEquals(26, jedis.bitcount("k"));
        assertEquals(4, jedis.bitcount("k", 0, 0));
        assertEquals(6, jedis.bitcount("k", 1, 1));
        assertEquals(6, jedis.bitcount("k", 1, 1, BitCountOption.BYTE));
        assertEquals(17, jedis.bitcount("k", 5, 30, BitCountOption.BIT));
        assertEquals(1, jedis.bitcount("k", -3, -1, BitCountOption.BIT));
        assertEquals(26, jedis.bitcount("k", -100, 100));
        assertEquals(0, jedis.bitcount("k", 3, 1));
        assertEquals(0, jedis.bitcount("k", -1, -3));
        assertEquals(0, jedis.bitcount("missing"));
        // The key is looked up first: a missing key is 0 whatever the range says.
        assertEquals(0L, call("BITCOUNT", "missing", "a", "b"));
        assertEquals(0L, call("BITCOUNT", "missing", "0"));
        assertEquals("ERR syntax error", error("BITCOUNT", "k", "0"));
        assertEquals("ERR syntax error", error("BITCOUNT", "k", "0", "1", "WORD"));
        assertEquals("ERR syntax error", error("BITCOUNT", "k", "0", "1", "BIT", "x"));
        assertEquals("ERR value is not an integer or out of range", error("BITCOUNT", "k", "a", "1"));
        // An inverted negative range answers before the unit is read, as in Redis 7.0.
        assertEquals(0L, call("BITCOUNT", "k", "-1", "-5", "WORD"));
    }

    // ---- BITPOS ------------------------------------------------------------------------

    @Test
    void bitpos() {
        setBytes("k", 0xff, 0xf0, 0x00);
        assertEquals(12, jedis.bitpos("k", false));
        assertEquals(0, jedis.bitpos("k", true));
        assertEquals(8, jedis.bitpos("k", true, new BitPosParams(1)));
        assertEquals(-1, jedis.bitpos("k", true, new BitPosParams(2)));
        assertEquals(16, jedis.bitpos("k", false, new BitPosParams(2)));
        assertEquals(9, jedis.bitpos("k", true, new BitPosParams(9, 15).modifier(BitCountOption.BIT)));
        assertEquals(12, jedis.bitpos("k", false, new BitPosParams(9, -1).modifier(BitCountOption.BIT)));
        assertEquals(-1, jedis.bitpos("k", true, new BitPosParams(-1, -1)));
        setBytes("ones", 0xff, 0xff);
        // Without an end the string continues with zeros; with one, "not found" is -1.
        assertEquals(16, jedis.bitpos("ones", false));
        assertEquals(16, jedis.bitpos("ones", false, new BitPosParams(1)));
        assertEquals(-1, jedis.bitpos("ones", false, new BitPosParams(0, -1)));
        assertEquals(-1, jedis.bitpos("ones", false, new BitPosParams(3, -1).modifier(BitCountOption.BIT)));
        assertEquals(0, jedis.bitpos("missing", false));
        assertEquals(-1, jedis.bitpos("missing", true));
        jedis.set("empty", "");
        assertEquals(-1, jedis.bitpos("empty", false));
        assertEquals(-1, jedis.bitpos("empty", true));
    }

    @Test
    void bitposErrors() {
        jedis.set("k", "abc");
        assertEquals("ERR The bit argument must be 1 or 0.", error("BITPOS", "k", "2"));
        assertEquals("ERR value is not an integer or out of range", error("BITPOS", "k", "x"));
        assertEquals(-1L, call("BITPOS", "missing", "1", "a"));
        assertEquals("ERR value is not an integer or out of range", error("BITPOS", "k", "1", "a"));
        // The unit is checked before the end, and BIT needs an explicit end.
        assertEquals("ERR syntax error", error("BITPOS", "k", "1", "0", "b", "WORD"));
        assertEquals("ERR value is not an integer or out of range", error("BITPOS", "k", "1", "0", "b", "BIT"));
        assertEquals("ERR value is not an integer or out of range", error("BITPOS", "k", "1", "0", "BIT"));
        assertEquals("ERR syntax error", error("BITPOS", "k", "1", "0", "1", "BIT", "x"));
    }

    // ---- BITOP -------------------------------------------------------------------------

    @Test
    void bitop() {
        setBytes("a", 0xf0, 0x0f);
        setBytes("b", 0xff);
        assertEquals(2, jedis.bitop(BitOP.AND, "d", "a", "b"));
        assertArrayEquals(new byte[] {(byte) 0xf0, 0}, jedis.get("d".getBytes()));
        assertEquals(2, jedis.bitop(BitOP.OR, "d", "a", "b"));
        assertArrayEquals(new byte[] {(byte) 0xff, 0x0f}, jedis.get("d".getBytes()));
        assertEquals(2, jedis.bitop(BitOP.XOR, "d", "a", "b", "missing"));
        assertArrayEquals(new byte[] {0x0f, 0x0f}, jedis.get("d".getBytes()));
        assertEquals(2, jedis.bitop(BitOP.NOT, "d", "a"));
        assertArrayEquals(new byte[] {0x0f, (byte) 0xf0}, jedis.get("d".getBytes()));
        assertEquals(1, jedis.bitop(BitOP.NOT, "b", "b"), "the destination may be a source");
        assertArrayEquals(new byte[] {0}, jedis.get("b".getBytes()));
        // An empty result deletes the destination.
        assertEquals(0, jedis.bitop(BitOP.AND, "d", "missing", "other"));
        assertNull(jedis.get("d"));
        assertEquals("ERR BITOP NOT must be called with a single source key.", error("BITOP", "NOT", "d", "a", "b"));
        assertEquals("ERR syntax error", error("BITOP", "NAND", "d", "a"));
        assertEquals("ERR wrong number of arguments for 'bitop' command", error("BITOP", "AND", "d"));
    }

    // ---- BITFIELD ----------------------------------------------------------------------

    @Test
    void bitfieldGetSetIncrby() {
        assertEquals(Arrays.asList(0L, 255L), jedis.bitfield("k", "SET", "u8", "0", "255", "GET", "u8", "0"));
        assertEquals(Arrays.asList(-1L, 255L), jedis.bitfield("k", "GET", "i8", "0", "GET", "u8", "#0"));
        assertEquals(List.of(1L), jedis.bitfield("k", "INCRBY", "u8", "0", "2"), "u8 wraps by default");
        assertEquals(List.of(1L), jedis.bitfield("k", "SET", "i4", "#1", "7"));
        assertEquals(List.of(7L), jedis.bitfield("k", "GET", "u4", "4"));
        assertEquals(List.of(-9223372036854775808L), jedis.bitfield("big", "INCRBY", "i64", "0", "-9223372036854775808"));
        assertEquals(List.of(9223372036854775807L), jedis.bitfield("u", "SET", "u63", "0", "9223372036854775807", "GET", "u63", "0").subList(1, 2));
        assertEquals(Arrays.asList(100L, 100L), jedis.bitfield("mixed", "INCRBY", "u32", "100", "100", "GET", "u32", "100"));
        assertEquals(List.of(), jedis.bitfield("k"));
        assertEquals(List.of(0L), jedis.bitfieldReadonly("missing", "GET", "i16", "40"));
        assertNull(jedis.get("missing"), "a read creates nothing");
    }

    @Test
    void bitfieldOverflow() {
        assertEquals(List.of(127L), jedis.bitfield("k", "OVERFLOW", "SAT", "INCRBY", "i8", "0", "200"));
        assertEquals(List.of(-128L), jedis.bitfield("k", "OVERFLOW", "SAT", "INCRBY", "i8", "0", "-1000"));
        assertEquals(List.of(126L), jedis.bitfield("k", "OVERFLOW", "WRAP", "INCRBY", "i8", "0", "-2"));
        assertEquals(Arrays.asList((Long) null), jedis.bitfield("k", "OVERFLOW", "FAIL", "INCRBY", "i8", "0", "10"));
        assertEquals(List.of(126L), jedis.bitfield("k", "GET", "i8", "0"), "FAIL leaves the field alone");
        assertEquals(List.of(15L), jedis.bitfield("u", "OVERFLOW", "SAT", "INCRBY", "u4", "0", "100"));
        assertEquals(List.of(0L), jedis.bitfield("u", "OVERFLOW", "SAT", "INCRBY", "u4", "0", "-100"));
        assertEquals(List.of(0L), jedis.bitfield("u", "OVERFLOW", "SAT", "SET", "u4", "0", "-1"));
        assertEquals(List.of(15L), jedis.bitfield("u", "GET", "u4", "0"), "a negative SET saturates high");
        assertEquals(List.of(15L), jedis.bitfield("u", "SET", "u4", "0", "17"));
        assertEquals(List.of(1L), jedis.bitfield("u", "GET", "u4", "0"), "and wraps by default");
        assertEquals(Arrays.asList(Long.MAX_VALUE, null), jedis.bitfield("s64",
                "OVERFLOW", "SAT", "INCRBY", "i64", "0", "9223372036854775807",
                "OVERFLOW", "FAIL", "INCRBY", "i64", "0", "1"));
    }

    @Test
    void bitfieldErrors() {
        jedis.set("k", "abc");
        assertEquals(TYPE_ERROR, error("BITFIELD", "k", "GET", "u64", "0"));
        assertEquals(TYPE_ERROR, error("BITFIELD", "k", "GET", "i65", "0"));
        assertEquals(TYPE_ERROR, error("BITFIELD", "k", "GET", "I8", "0"));
        assertEquals(TYPE_ERROR, error("BITFIELD", "k", "GET", "i0", "0"));
        assertEquals(TYPE_ERROR, error("BITFIELD", "k", "GET", "i08", "0"));
        assertEquals(OFFSET_ERROR, error("BITFIELD", "k", "GET", "i8", "4294967296"));
        assertEquals(OFFSET_ERROR, error("BITFIELD", "k", "GET", "i8", "#-1"));
        assertEquals(OFFSET_ERROR, error("BITFIELD", "k", "GET", "i8", "#"));
        assertEquals(OFFSET_ERROR, error("BITFIELD", "k", "GET", "i64", "#67108864"));
        assertEquals(List.of(0L), jedis.bitfield("k", "GET", "i64", "#67108863"));
        assertEquals("ERR Invalid OVERFLOW type specified", error("BITFIELD", "k", "OVERFLOW", "MAYBE"));
        assertEquals("ERR syntax error", error("BITFIELD", "k", "OVERFLOW"));
        assertEquals("ERR syntax error", error("BITFIELD", "k", "GET", "i8"));
        assertEquals("ERR syntax error", error("BITFIELD", "k", "SET", "i8", "0"));
        assertEquals("ERR syntax error", error("BITFIELD", "k", "FETCH", "i8", "0"));
        assertEquals("ERR value is not an integer or out of range", error("BITFIELD", "k", "SET", "i8", "0", "x"));
        assertEquals("ERR BITFIELD_RO only supports the GET subcommand", error("BITFIELD_RO", "k", "SET", "i8", "0", "1"));
        // Argument errors come first, even in BITFIELD_RO.
        assertEquals("ERR value is not an integer or out of range", error("BITFIELD_RO", "k", "SET", "i8", "0", "x"));
        assertEquals(List.of(97L), call("BITFIELD_RO", "k", "GET", "u8", "0", "OVERFLOW", "WRAP"));
        assertEquals("abc", jedis.get("k"), "failed commands change nothing");
    }

    @Test
    void bitfieldFailStillCreatesTheKey() {
        assertEquals(Arrays.asList((Long) null), jedis.bitfield("k", "OVERFLOW", "FAIL", "SET", "u8", "0", "256"));
        assertArrayEquals(new byte[] {0}, jedis.get("k".getBytes()));
    }
}
