package dev.cairn.persistence;

import static dev.cairn.persistence.RdbFormat.*;

import dev.cairn.protocol.Numbers;
import dev.cairn.types.HashValue;
import dev.cairn.types.ListValue;
import dev.cairn.types.Listpack;
import dev.cairn.types.RawString;
import dev.cairn.types.SetValue;
import dev.cairn.types.StreamValue;
import dev.cairn.types.Strings;
import dev.cairn.types.ZSetValue;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds an RDB byte stream in a growable in-memory buffer; the owner drains it to a
 * file/socket. Not thread-safe.
 *
 * <p>Each value is written in the RDB type Redis 7.0 uses for the same OBJECT ENCODING:
 * strings as RDB strings (small canonical integers in the 8, 16 or 32-bit integer
 * encodings, strings over 20 bytes LZF-compressed when that saves at least 4 bytes and
 * compression is on), lists as quicklist 2 (listpack nodes as Redis would have them, see
 * {@link QuicklistNodes}), compact hashes and sorted sets as one listpack, intsets as
 * their blob, and the hashtable and skiplist encodings element by element (sorted set
 * scores as binary doubles, from the highest to the lowest as Redis walks its skiplist).
 *
 * <p>The writer keeps the running CRC64 of every byte it produced ({@link #checksum}),
 * drained or not, which the owner appends after {@link #eof} for a file.
 */
public final class RdbWriter {
    public static final int RDB_VERSION = 10;
    /** list-max-listpack-size's default. */
    private static final int DEFAULT_LIST_FILL = -2;

    private final boolean compress;
    private final int listFill;
    private byte[] buf = new byte[256];
    private int len;
    /** CRC64 of the bytes drained and of buf[0..crcDone). */
    private long crc;
    private int crcDone;

    public RdbWriter(boolean compress) {
        this(compress, DEFAULT_LIST_FILL);
    }

    /** A writer laying lists out in nodes of {@code listMaxListpackSize} (list-max-listpack-size). */
    public RdbWriter(boolean compress, int listMaxListpackSize) {
        this.compress = compress;
        this.listFill = listMaxListpackSize;
    }

    /** "REDIS0010". */
    public void header() {
        bytes(String.format("REDIS%04d", RDB_VERSION).getBytes(StandardCharsets.US_ASCII));
    }

    public void aux(String name, String value) {
        write(OPCODE_AUX);
        string(name.getBytes(StandardCharsets.UTF_8));
        string(value.getBytes(StandardCharsets.UTF_8));
    }

    /** An aux field holding a number: its decimal text, which the string encoding stores as an integer. */
    public void aux(String name, long value) {
        write(OPCODE_AUX);
        string(name.getBytes(StandardCharsets.UTF_8));
        string(Numbers.bytes(value));
    }

    public void selectDb(int db) {
        write(OPCODE_SELECTDB);
        length(db);
    }

    public void resizeDb(long size, long expires) {
        write(OPCODE_RESIZEDB);
        length(size);
        length(expires);
    }

    /** A function library (RDB_OPCODE_FUNCTION2): its code. */
    public void function(byte[] libraryCode) {
        write(OPCODE_FUNCTION2);
        string(libraryCode);
    }

    /** One key: EXPIRETIME_MS if expireAtMillis >= 0, IDLE if lruIdleSeconds >= 0, FREQ if lfuFreq >= 0, then type, key, value. */
    public void entry(byte[] key, Object value, long expireAtMillis, long lruIdleSeconds, int lfuFreq) {
        if (expireAtMillis >= 0) {
            write(OPCODE_EXPIRETIME_MS);
            little(expireAtMillis, 8);
        }
        if (lruIdleSeconds >= 0) {
            write(OPCODE_IDLE);
            length(lruIdleSeconds);
        }
        if (lfuFreq >= 0) {
            write(OPCODE_FREQ);
            write(lfuFreq);
        }
        write(typeOf(value));
        string(key);
        payload(value);
    }

    /** Type byte + payload (what DUMP serializes). */
    public void value(Object value) {
        write(typeOf(value));
        payload(value);
    }

    /** The EOF opcode only; the 8-byte CRC64 is appended by whoever writes the file. */
    public void eof() {
        write(OPCODE_EOF);
    }

    /** Bytes currently buffered. */
    public int size() {
        return len;
    }

    /** Writes and empties the buffer. */
    public void drainTo(OutputStream out) throws IOException {
        checksum();
        out.write(buf, 0, len);
        len = 0;
        crcDone = 0;
    }

    /** Copy of the buffered bytes. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /** The CRC64 of everything this writer has produced so far (drained or buffered). */
    public long checksum() {
        crc = Crc64.update(crc, buf, crcDone, len - crcDone);
        crcDone = len;
        return crc;
    }

    /** Appends the 8-byte little-endian CRC64 of everything before it (the end of an RDB file). */
    public void checksumTrailer(boolean enabled) {
        little(enabled ? checksum() : 0, 8);
    }

    /** A DUMP payload (LZF compression on, as Redis's default rdbcompression). */
    public static byte[] dumpPayload(Object value) {
        return dumpPayload(value, true, DEFAULT_LIST_FILL);
    }

    /** A DUMP payload: the value's type and payload, the RDB version (2 bytes LE) and the CRC64 (LE). */
    public static byte[] dumpPayload(Object value, boolean compress, int listMaxListpackSize) {
        RdbWriter w = new RdbWriter(compress, listMaxListpackSize);
        w.value(value);
        return w.finishPayload();
    }

    /**
     * Ends a payload (DUMP's, FUNCTION DUMP's): appends the RDB version (2 bytes LE) and
     * the CRC64 of everything (8 bytes LE); returns the whole payload.
     */
    public byte[] finishPayload() {
        write(RDB_VERSION & 0xff);
        write((RDB_VERSION >> 8) & 0xff);
        little(checksum(), 8);
        return toByteArray();
    }

    /** Bytes of the value's payload without its type (Redis's rdbSavedObjectLen, DEBUG OBJECT's serializedlength). */
    public static long serializedLength(Object value, boolean compress, int listMaxListpackSize) {
        RdbWriter w = new RdbWriter(compress, listMaxListpackSize);
        w.payload(value);
        return w.size();
    }

    // ---- values ----------------------------------------------------------------------

    private static int typeOf(Object value) {
        if (value instanceof byte[] || value instanceof RawString) return STRING;
        if (value instanceof ListValue) return LIST_QUICKLIST_2;
        if (value instanceof HashValue h) return h.listpack() != null ? HASH_LISTPACK : HASH;
        if (value instanceof SetValue s) return s.isIntset() ? SET_INTSET : SET;
        if (value instanceof ZSetValue z) return z.isListpack() ? ZSET_LISTPACK : ZSET_2;
        if (value instanceof StreamValue) return STREAM_LISTPACKS_2;
        if (ModuleTypes.isModuleValue(value)) return MODULE_2;
        throw new IllegalArgumentException("not a value: " + value);
    }

    private void payload(Object value) {
        switch (value) {
            case byte[] b -> string(b, 0, b.length);
            case RawString r -> string(Strings.buffer(r), 0, r.length());
            case ListValue l -> list(l);
            case HashValue h -> hash(h);
            case SetValue s -> set(s);
            case ZSetValue z -> zset(z);
            case StreamValue s -> stream(s);
            default -> {
                if (!ModuleTypes.isModuleValue(value)) throw new IllegalArgumentException("not a value: " + value);
                moduleValue(value);
            }
        }
    }

    private void list(ListValue list) {
        var nodes = QuicklistNodes.of(list, listFill);
        length(nodes.size());
        for (QuicklistNodes.Node node : nodes) {
            length(node.plain() ? NODE_PLAIN : NODE_PACKED);
            string(node.data());
        }
    }

    private void hash(HashValue hash) {
        Listpack compact = hash.listpack();
        if (compact != null) {
            RedisListpack.Builder lp = new RedisListpack.Builder();
            for (int at = compact.first(); at < compact.end(); at = compact.next(at)) lp.add(compact.get(at));
            string(lp.finish());
            return;
        }
        length(hash.size());
        hash.table().forEach((field, value) -> {
            string(field);
            string(value);
        });
    }

    private void set(SetValue set) {
        if (set.isIntset()) {
            string(set.intsetBlob());
            return;
        }
        length(set.size());
        set.forEach(this::string);
    }

    private void zset(ZSetValue zset) {
        if (zset.isListpack()) {
            RedisListpack.Builder lp = new RedisListpack.Builder();
            zset.listpackEntries(lp::add);
            string(lp.finish());
            return;
        }
        length(zset.size());
        zset.forEachDescending((m, off, n, score) -> {
            string(m, off, n);
            little(Double.doubleToRawLongBits(score), 8);
        });
    }

    /**
     * A stream as Redis 7.0's RDB_TYPE_STREAM_LISTPACKS_2: the nodes (each its master ID as
     * 16 big-endian bytes and its listpack), the length, the last, first and greatest
     * deleted IDs, entries-added, then each group with its last ID, entries-read, its PEL
     * (raw IDs, delivery times and counts) and its consumers (name, seen time, PEL IDs).
     */
    private void stream(StreamValue s) {
        length(s.nodeCount());
        for (int i = 0; i < s.nodeCount(); i++) {
            StreamValue.Node node = s.node(i);
            string(rawId(node.masterMs, node.masterSeq));
            string(StreamListpacks.encode(node));
        }
        length(s.length());
        unsignedLength(s.lastId.ms());
        unsignedLength(s.lastId.seq());
        unsignedLength(s.firstId.ms());
        unsignedLength(s.firstId.seq());
        unsignedLength(s.maxDeletedId.ms());
        unsignedLength(s.maxDeletedId.seq());
        unsignedLength(s.entriesAdded);
        length(s.groups().size());
        for (StreamValue.Group g : s.groups()) {
            string(g.name);
            unsignedLength(g.lastId.ms());
            unsignedLength(g.lastId.seq());
            unsignedLength(g.entriesRead);
            length(g.pel.size());
            g.pel.forEach((id, nack) -> {
                bytes(rawId(id.ms(), id.seq()));
                little(nack.deliveryTime, 8);
                unsignedLength(nack.deliveryCount);
            });
            length(g.consumers.size());
            for (StreamValue.Consumer c : g.consumers) {
                string(c.name);
                little(c.seenTime, 8);
                length(c.pel.size());
                for (StreamValue.Id id : c.pel.keySet()) bytes(rawId(id.ms(), id.seq()));
            }
        }
    }

    static byte[] rawId(long ms, long seq) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (ms >>> (56 - 8 * i));
            b[8 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        return b;
    }

    /** A length of 64 unsigned bits (IDs, and -1 for an unknown entries-read, as Redis writes them). */
    private void unsignedLength(long n) {
        if (n >= 0) {
            length(n);
            return;
        }
        write(0x81);
        for (int i = 7; i >= 0; i--) write((int) (n >>> (8 * i)));
    }

    /** A built-in filter as a module value (see {@link ModuleTypes}). */
    private void moduleValue(Object value) {
        length(ModuleTypes.encodeId(ModuleTypes.typeName(value), ModuleTypes.ENCODING_VERSION));
        length(ModuleTypes.OPCODE_STRING);
        string(ModuleTypes.serialize(value));
        length(ModuleTypes.OPCODE_EOF);
    }

    // ---- primitives ------------------------------------------------------------------

    private void string(byte[] s) {
        string(s, 0, s.length);
    }

    /**
     * Redis's rdbSaveRawString: up to 11 bytes that read as a canonical integer fitting
     * 32 bits become an integer encoding; over 20 bytes LZF when compression is on and
     * the result is at least 4 bytes shorter; else the length and the bytes.
     */
    private void string(byte[] s, int off, int n) {
        if (n <= 11 && n > 0) {
            Long v = Numbers.parseStrictLong(off == 0 && n == s.length ? s : Arrays.copyOfRange(s, off, off + n));
            if (v != null && integer(v)) return;
        }
        if (compress && n > 20) {
            byte[] in = off == 0 && n == s.length ? s : Arrays.copyOfRange(s, off, off + n);
            int limit = n - 4;
            byte[] out = Lzf.buffer(limit);
            int c = Lzf.compress(in, limit, out);
            if (c > 0) {
                write(0xC0 | ENC_LZF);
                length(c);
                length(n);
                bytes(out, 0, c);
                return;
            }
        }
        length(n);
        bytes(s, off, n);
    }

    /** The integer encodings; false when v needs more than 32 bits. */
    private boolean integer(long v) {
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            write(0xC0 | ENC_INT8);
            little(v, 1);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            write(0xC0 | ENC_INT16);
            little(v, 2);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            write(0xC0 | ENC_INT32);
            little(v, 4);
        } else {
            return false;
        }
        return true;
    }

    /** An RDB length: 6 bits, 14 bits, or 0x80 and 32 bits, or 0x81 and 64 bits (big endian). */
    private void length(long n) {
        if (n < 1 << 6) {
            write((int) n);
        } else if (n < 1 << 14) {
            write((int) (0x40 | (n >> 8)));
            write((int) (n & 0xff));
        } else if (n <= 0xFFFFFFFFL) {
            write(0x80);
            for (int i = 3; i >= 0; i--) write((int) (n >>> (8 * i)));
        } else {
            write(0x81);
            for (int i = 7; i >= 0; i--) write((int) (n >>> (8 * i)));
        }
    }

    private void little(long v, int bytes) {
        ensure(bytes);
        for (int i = 0; i < bytes; i++) buf[len++] = (byte) (v >>> (8 * i));
    }

    private void write(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    private void bytes(byte[] b) {
        bytes(b, 0, b.length);
    }

    private void bytes(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            long wanted = Math.max((long) len + more, (long) buf.length * 2);
            buf = Arrays.copyOf(buf, (int) Math.min(wanted, Integer.MAX_VALUE - 8));
        }
    }
}
