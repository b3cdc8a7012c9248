package dev.cairn.persistence;

import static dev.cairn.persistence.RdbFormat.*;

import dev.cairn.config.Config;
import dev.cairn.protocol.Numbers;
import dev.cairn.protocol.Strtod;
import dev.cairn.types.HashValue;
import dev.cairn.types.ListValue;
import dev.cairn.types.RankTree;
import dev.cairn.types.SetValue;
import dev.cairn.types.StreamValue;
import dev.cairn.types.Strings;
import dev.cairn.types.ZSetValue;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads RDB files (versions 1 to 10) and DUMP payloads into Cairn values.
 *
 * <p>Every value type Redis 7.0 loads is read, including the older encodings (linked
 * lists, ziplists, zipmaps, quicklists of ziplists, string scores), and each value gets
 * the encoding Redis would give it after loading under the current thresholds
 * ({@link Limits}): a hash of more fields than hash-max-listpack-entries becomes a
 * hashtable, a set past set-max-intset-entries a hashtable, and so on; a list's nodes
 * are bounded by list-max-listpack-size, as a list created by commands.
 *
 * <p>Corrupt input never crashes or loops: every length is checked against what is left
 * (or read incrementally from a stream), every packed blob is parsed entry by entry, and
 * what would break a value's invariants (duplicate members, unsorted intsets, NaN scores)
 * is refused. With {@code sanitize} (sanitize-dump-payload) the listpack element counts
 * are checked too, as Redis's deep integrity validation does. Empty collections are
 * skipped in files (as Redis does) and refused in DUMP payloads.
 */
public final class RdbReader {
    /** Receives what a file holds, in order. */
    public interface Visitor {
        void aux(String name, byte[] value);
        void selectDb(int db);
        void resizeDb(long size, long expires);
        void function(byte[] libraryCode);
        /** One key; expireAtMillis, lruIdleSeconds and lfuFreq are -1 when absent. */
        void entry(byte[] key, Object value, long expireAtMillis, long lruIdleSeconds, int lfuFreq);
    }

    /** The encoding thresholds loaded values are held to (the config's, by default Redis's defaults). */
    public record Limits(long hashMaxListpackEntries, long hashMaxListpackValue, long setMaxIntsetEntries,
            long zsetMaxListpackEntries, long zsetMaxListpackValue, int listMaxListpackSize) {
        public static final Limits DEFAULT = new Limits(512, 64, 512, 128, 64, -2);

        public static Limits of(Config config) {
            return new Limits(config.hashMaxListpackEntries.value(), config.hashMaxListpackValue.value(),
                    config.setMaxIntsetEntries.value(), config.zsetMaxListpackEntries.value(),
                    config.zsetMaxListpackValue.value(), (int) config.listMaxListpackSize.value());
        }
    }

    /** A collection without elements: skipped in a file, refused in a payload. */
    private static final Object EMPTY = new Object();

    private final Input in;
    private final boolean sanitize;
    private final Limits limits;
    private boolean verifyChecksum = true;
    /** What is being read, for error reports (redis-check-rdb's "While doing"). */
    private String doing = "start";
    private byte[] currentKey;
    /** As redis-check-rdb, 0 until the first key is read, then -1 between keys. */
    private int currentType = 0;
    /** Whether the file's stored checksum was zero (saved with rdbchecksum off). */
    private boolean checksumDisabled;
    private long emptyKeysSkipped;

    public RdbReader(InputStream in, boolean sanitize) {
        this(in, sanitize, Limits.DEFAULT);
    }

    public RdbReader(InputStream in, boolean sanitize, Limits limits) {
        this(new Input(in, Long.MAX_VALUE), sanitize, limits);
    }

    private RdbReader(Input in, boolean sanitize, Limits limits) {
        this.in = in;
        this.sanitize = sanitize;
        this.limits = limits;
    }

    /** Whether a non-zero stored checksum is verified (rdbchecksum; on by default). */
    public RdbReader verifyChecksum(boolean verify) {
        this.verifyChecksum = verify;
        return this;
    }

    /** Bytes read so far. */
    public long offset() {
        return in.offset;
    }

    /** What the reader was doing last (start, read-type, read-key, read-object-value, check-sum...). */
    public String doing() {
        return doing;
    }

    /** The key being read when the last error happened, or null. */
    public byte[] currentKey() {
        return currentKey;
    }

    /** The type byte of the value being read last, or -1. */
    public int currentType() {
        return currentType;
    }

    /** After a successful read of a version 5+ file: what the checksum check found, as redis-check-rdb says it. */
    public String checksumReport() {
        return checksumDisabled ? "RDB file was saved with checksum disabled: no check performed." : "Checksum OK";
    }

    /** Keys skipped because their collection was empty. */
    public long emptyKeysSkipped() {
        return emptyKeysSkipped;
    }

    /** Reads a whole file (magic, version 1..10, opcodes, EOF, checksum when version >= 5 and non-zero); returns the version. */
    public int read(Visitor v) throws IOException, RdbFormatException {
        byte[] magic = in.bytes(9);
        if (!new String(magic, 0, 5, StandardCharsets.ISO_8859_1).equals("REDIS")) {
            throw new RdbFormatException("Wrong signature trying to load DB from file");
        }
        int version = 0;
        for (int i = 5; i < 9; i++) {
            if (magic[i] < '0' || magic[i] > '9') throw new RdbFormatException("Wrong signature trying to load DB from file");
            version = version * 10 + magic[i] - '0';
        }
        if (version < 1 || version > RdbWriter.RDB_VERSION) {
            throw new RdbFormatException("Can't handle RDB format version " + version);
        }
        long expireAt = -1;
        long idle = -1;
        int freq = -1;
        while (true) {
            doing = "read-type";
            int type = in.u8();
            switch (type) {
                case OPCODE_EXPIRETIME -> {
                    doing = "read-expire";
                    expireAt = in.little(4) * 1000;
                }
                case OPCODE_EXPIRETIME_MS -> {
                    doing = "read-expire";
                    expireAt = in.little(8);
                }
                case OPCODE_FREQ -> freq = in.u8();
                case OPCODE_IDLE -> {
                    doing = "read-len";
                    idle = length();
                }
                case OPCODE_EOF -> {
                    if (version >= 5) {
                        doing = "check-sum";
                        long computed = in.checksum();
                        long stored = in.little(8);
                        checksumDisabled = stored == 0;
                        if (verifyChecksum && stored != 0 && stored != computed) {
                            throw new RdbFormatException("RDB CRC error");
                        }
                    }
                    return version;
                }
                case OPCODE_SELECTDB -> {
                    doing = "read-len";
                    long db = length();
                    if (db > Integer.MAX_VALUE) throw new RdbFormatException("DB index out of range");
                    v.selectDb((int) db);
                }
                case OPCODE_RESIZEDB -> {
                    doing = "read-len";
                    long size = length();
                    long expires = length();
                    v.resizeDb(size, expires);
                }
                case OPCODE_AUX -> {
                    doing = "read-aux";
                    byte[] name = string();
                    byte[] value = string();
                    v.aux(new String(name, StandardCharsets.ISO_8859_1), value);
                }
                case OPCODE_MODULE_AUX -> {
                    doing = "read-module-aux";
                    throw new RdbFormatException("The RDB file contains AUX module data I can't load: modules are not supported");
                }
                case OPCODE_FUNCTION_PRE_GA -> {
                    doing = "read-functions";
                    throw new RdbFormatException("Pre-release function format not supported.");
                }
                case OPCODE_FUNCTION2 -> {
                    doing = "read-functions";
                    v.function(string());
                }
                default -> {
                    if (!isValueType(type)) throw new RdbFormatException("Unknown RDB encoding type " + type);
                    currentType = type;
                    currentKey = null;
                    doing = "read-key";
                    byte[] key = string();
                    currentKey = key;
                    doing = "read-object-value";
                    Object value = value(type);
                    if (value == EMPTY) {
                        emptyKeysSkipped++;
                    } else {
                        v.entry(key, value, expireAt, idle, freq);
                    }
                    currentKey = null;
                    currentType = -1;
                    expireAt = -1;
                    idle = -1;
                    freq = -1;
                }
            }
        }
    }

    /**
     * Redis's verifyDumpPayload: at least 10 bytes, an RDB version (2 bytes LE before the
     * last 8) Redis 7.0 can read, and the right CRC64 (8 bytes LE at the end).
     */
    public static boolean verifyDumpPayload(byte[] p) {
        if (p.length < 10) return false;
        int footer = p.length - 10;
        int version = (p[footer] & 0xff) | ((p[footer + 1] & 0xff) << 8);
        if (version > RdbWriter.RDB_VERSION) return false;
        long crc = RedisListpack.le(p, footer + 2, 8);
        return Crc64.update(0, p, 0, footer + 2) == crc;
    }

    /** A DUMP payload's value (checks the 2-byte RDB version footer and CRC64 first). */
    public static Object readDumpPayload(byte[] payload, boolean sanitize) throws RdbFormatException {
        return readDumpPayload(payload, sanitize, Limits.DEFAULT);
    }

    public static Object readDumpPayload(byte[] payload, boolean sanitize, Limits limits) throws RdbFormatException {
        if (!verifyDumpPayload(payload)) throw new RdbFormatException("DUMP payload version or checksum are wrong");
        // Redis reads from the whole payload: a value running into the footer is not caught here.
        RdbReader r = new RdbReader(new Input(new ByteArrayInputStream(payload), payload.length), sanitize, limits);
        try {
            int type = r.in.u8();
            if (!isValueType(type)) throw new RdbFormatException("Bad data format");
            Object value = r.value(type);
            if (value == EMPTY) throw new RdbFormatException("Bad data format");
            return value;
        } catch (IOException e) {
            throw new RdbFormatException("Bad data format");
        }
    }

    /**
     * The library codes of a FUNCTION DUMP payload (FUNCTION RESTORE), as Redis checks
     * them; the exception's message is the reply error without its "ERR ".
     */
    public static List<byte[]> readFunctionPayload(byte[] payload) throws RdbFormatException {
        if (!verifyDumpPayload(payload)) throw new RdbFormatException("DUMP payload version or checksum are wrong");
        int end = payload.length - 10;
        RdbReader r = new RdbReader(new Input(new ByteArrayInputStream(payload, 0, end), end), false, Limits.DEFAULT);
        List<byte[]> codes = new ArrayList<>();
        while (r.in.offset < end) {
            int type;
            try {
                type = r.in.u8();
            } catch (IOException e) {
                throw new RdbFormatException("failed loading the given functions payload");
            }
            if (type == OPCODE_FUNCTION_PRE_GA) throw new RdbFormatException("Pre-GA function format not supported");
            if (type != OPCODE_FUNCTION2) throw new RdbFormatException("given type is not a function");
            try {
                codes.add(r.string());
            } catch (IOException | RdbFormatException e) {
                throw new RdbFormatException("failed loading the given functions payload");
            }
        }
        return codes;
    }

    // ---- values ----------------------------------------------------------------------

    private Object value(int type) throws IOException, RdbFormatException {
        return switch (type) {
            case STRING -> stringValue();
            case LIST -> linkedList();
            case LIST_ZIPLIST -> listOf(Ziplist.decode(string(), sanitize));
            case LIST_QUICKLIST -> quicklist(false);
            case LIST_QUICKLIST_2 -> quicklist(true);
            case SET -> set();
            case SET_INTSET -> intset(string());
            case ZSET, ZSET_2 -> zset(type == ZSET_2);
            case ZSET_ZIPLIST -> packedZset(Ziplist.decode(string(), sanitize));
            case ZSET_LISTPACK -> packedZset(RedisListpack.decode(string(), sanitize));
            case HASH -> hash();
            case HASH_ZIPMAP -> packedHash(Zipmap.decode(string(), sanitize), true);
            case HASH_ZIPLIST -> packedHash(Ziplist.decode(string(), sanitize), false);
            case HASH_LISTPACK -> packedHash(RedisListpack.decode(string(), sanitize), false);
            case MODULE_2 -> moduleValue();
            case MODULE_PRE_GA -> throw new RdbFormatException("Module values of Redis 4.0 release candidates are not supported");
            case STREAM_LISTPACKS, STREAM_LISTPACKS_2 -> stream(type == STREAM_LISTPACKS_2);
            default -> throw new RdbFormatException("Unknown RDB encoding type " + type);
        };
    }

    /**
     * A module value: the built-in filters (see {@link ModuleTypes}); any other module's
     * data, or any opcode but one string, is refused.
     */
    private Object moduleValue() throws IOException, RdbFormatException {
        long id = length();
        if (length() != ModuleTypes.OPCODE_STRING) throw new RdbFormatException("Bad data format");
        byte[] payload = string();
        if (length() != ModuleTypes.OPCODE_EOF) throw new RdbFormatException("Bad data format");
        return ModuleTypes.deserialize(id, payload);
    }

    /** A string value: int encodings come back as the shared integer arrays. */
    private Object stringValue() throws IOException, RdbFormatException {
        int first = in.u8();
        if ((first & 0xC0) == 0xC0 && (first & 0x3f) <= ENC_INT32) {
            return Strings.integer(encodedInteger(first & 0x3f));
        }
        return stringAfter(first);
    }

    private Object linkedList() throws IOException, RdbFormatException {
        long n = length();
        ListValue list = new ListValue(limits.listMaxListpackSize());
        for (long i = 0; i < n; i++) list.addLast(string());
        return list.length() == 0 ? EMPTY : list;
    }

    private Object listOf(byte[][] elements) {
        if (elements.length == 0) return EMPTY;
        ListValue list = new ListValue(limits.listMaxListpackSize());
        for (byte[] e : elements) list.addLast(e);
        return list;
    }

    /** Quicklist nodes: ziplists (version 1), or containers of listpacks or plain elements (version 2). */
    private Object quicklist(boolean version2) throws IOException, RdbFormatException {
        long nodes = length();
        ListValue list = new ListValue(limits.listMaxListpackSize());
        for (long i = 0; i < nodes; i++) {
            int container = NODE_PACKED;
            if (version2) {
                long c = length();
                if (c != NODE_PACKED && c != NODE_PLAIN) throw new RdbFormatException("Quicklist integrity check failed.");
                container = (int) c;
            }
            byte[] blob = string();
            if (container == NODE_PLAIN) {
                list.addLast(blob);
                continue;
            }
            // Empty nodes are skipped, as Redis does; an empty list is an empty key.
            for (byte[] e : version2 ? RedisListpack.decode(blob, sanitize) : Ziplist.decode(blob, sanitize)) list.addLast(e);
        }
        return list.length() == 0 ? EMPTY : list;
    }

    private Object set() throws IOException, RdbFormatException {
        long n = length();
        if (n == 0) return EMPTY;
        long max = limits.setMaxIntsetEntries();
        SetValue set = n > max ? SetValue.emptyTable((int) Math.min(n, 1 << 16)) : SetValue.emptyIntset();
        for (long i = 0; i < n; i++) {
            if (!set.add(string(), max)) throw new RdbFormatException("Duplicate set members detected");
        }
        return set;
    }

    /** An intset blob: width 2, 4 or 8, count, members ascending and distinct. */
    private Object intset(byte[] blob) throws RdbFormatException {
        if (blob.length < 8) throw new RdbFormatException("Intset integrity check failed.");
        long width = RedisListpack.le(blob, 0, 4);
        long count = RedisListpack.le(blob, 4, 4);
        if ((width != 2 && width != 4 && width != 8) || 8 + count * width != blob.length) {
            throw new RdbFormatException("Intset integrity check failed.");
        }
        if (count == 0) return EMPTY;
        int w = (int) width;
        int n = (int) count;
        long previous = 0;
        for (int i = 0; i < n; i++) {
            long v = RedisListpack.le(blob, 8 + i * w, w);
            v = (v << (64 - 8 * w)) >> (64 - 8 * w);
            if (i > 0 && v <= previous) throw new RdbFormatException("Intset integrity check failed.");
            previous = v;
        }
        SetValue set = SetValue.intsetOf(Arrays.copyOfRange(blob, 8, blob.length), w, n);
        if (count <= limits.setMaxIntsetEntries()) return set;
        SetValue table = SetValue.emptyTable(n);
        set.forEach(m -> table.add(m, 0));
        return table;
    }

    /** ZSET (scores as text) or ZSET_2 (binary doubles). */
    private Object zset(boolean binaryScores) throws IOException, RdbFormatException {
        long n = length();
        if (n == 0) return EMPTY;
        Elements elements = new Elements();
        for (long i = 0; i < n; i++) {
            byte[] member = string();
            double score = binaryScores ? Double.longBitsToDouble(in.little(8)) : textScore();
            elements.add(member, score);
        }
        // Redis builds a skiplist, then converts it when it fits a listpack.
        return elements.build(limits.zsetMaxListpackEntries(), limits.zsetMaxListpackValue());
    }

    /** Redis's rdbLoadDoubleValue: a length byte (253 NaN, 254 +inf, 255 -inf) and the text. */
    private double textScore() throws IOException, RdbFormatException {
        int len = in.u8();
        if (len == 253) return Double.NaN;
        if (len == 254) return Double.POSITIVE_INFINITY;
        if (len == 255) return Double.NEGATIVE_INFINITY;
        // Redis reads it with sscanf("%lg"): the number at the start, an error when there is none.
        double d = Strtod.prefix(in.bytes(len), Double.NaN);
        if (Double.isNaN(d)) throw new RdbFormatException("Bad double value");
        return d;
    }

    /** A ziplist's or listpack's member, score, member, score... */
    /**
     * A stream (see {@link RdbWriter}'s layout); the old type 15 lacks the first and deleted
     * IDs, entries-added and each group's entries-read, which are then worked out as Redis
     * does. An empty stream is a value like any other.
     */
    private Object stream(boolean version2) throws IOException, RdbFormatException {
        StreamValue s = new StreamValue();
        long nodes = length();
        StreamValue.Id previous = null;
        for (long i = 0; i < nodes; i++) {
            byte[] key = string();
            if (key.length != 16) throw new RdbFormatException("Stream node key entry is not the size of a stream ID");
            long ms = RedisListpack.be(key, 0);
            long seq = RedisListpack.be(key, 8);
            StreamValue.Node node = StreamListpacks.decode(ms, seq, string());
            StreamValue.Id master = new StreamValue.Id(ms, seq);
            if (previous != null && master.compareTo(previous) <= 0) {
                throw new RdbFormatException("Stream listpack integrity check failed.");
            }
            previous = master;
            s.addNode(node);
        }
        // Redis takes the length as written, without counting.
        long length = unsignedLength();
        s.loaded(length);
        s.lastId = new StreamValue.Id(unsignedLength(), unsignedLength());
        if (version2) {
            s.firstId = new StreamValue.Id(unsignedLength(), unsignedLength());
            s.maxDeletedId = new StreamValue.Id(unsignedLength(), unsignedLength());
            s.entriesAdded = unsignedLength();
        } else {
            s.entriesAdded = length;
            s.updateFirstId();
        }
        long groups = length();
        for (long g = 0; g < groups; g++) {
            byte[] name = string();
            StreamValue.Id lastId = new StreamValue.Id(unsignedLength(), unsignedLength());
            long entriesRead = version2 ? unsignedLength() : s.estimateEntriesRead(lastId);
            StreamValue.Group group = s.addGroup(name, lastId, entriesRead);
            if (group == null) throw new RdbFormatException("Duplicated consumer group name");
            long pending = length();
            for (long k = 0; k < pending; k++) {
                StreamValue.Id id = rawId();
                long time = in.little(8);
                long count = unsignedLength();
                if (group.pel.put(id, new StreamValue.Nack(null, time, count)) != null) {
                    throw new RdbFormatException("Duplicated global PEL entry loading stream consumer group");
                }
            }
            long consumers = length();
            for (long k = 0; k < consumers; k++) {
                byte[] consumerName = string();
                StreamValue.Consumer consumer = group.addConsumer(consumerName, in.little(8));
                if (consumer == null) throw new RdbFormatException("Duplicate stream consumer detected.");
                long own = length();
                for (long m = 0; m < own; m++) {
                    StreamValue.Id id = rawId();
                    StreamValue.Nack nack = group.pel.get(id);
                    if (nack == null) throw new RdbFormatException("Consumer entry not found in group global PEL");
                    if (consumer.pel.put(id, nack) != null) {
                        throw new RdbFormatException("Duplicated consumer PEL entry loading a stream consumer group");
                    }
                    nack.consumer = consumer;
                }
            }
            // Redis checks this with sanitize-dump-payload only (and would crash on the orphan later).
            for (StreamValue.Nack nack : group.pel.values()) {
                if (nack.consumer == null) throw new RdbFormatException("Stream CG PEL entry without consumer");
            }
        }
        return s;
    }

    private StreamValue.Id rawId() throws IOException {
        return new StreamValue.Id(in.big(8), in.big(8));
    }

    /**
     * A length read as 64 unsigned bits (stream IDs and counters). Redis reads these
     * without checking for its error value: an unknown length encoding reads as the
     * greatest number, after its first byte.
     */
    private long unsignedLength() throws IOException, RdbFormatException {
        int first = in.u8();
        if (first == 0x81) return in.big(8);
        if (first == 0x80) return in.big(4);
        if ((first & 0xC0) == 0xC0) return first & 0x3f;
        if ((first & 0xC0) == 0x80) return -1L;
        return lengthAfter(first);
    }

    private Object packedZset(byte[][] entries) throws RdbFormatException {
        if (entries.length % 2 != 0) throw new RdbFormatException("Zset ziplist integrity check failed.");
        if (entries.length == 0) return EMPTY;
        Elements elements = new Elements();
        for (int i = 0; i < entries.length; i += 2) {
            // Read as Redis's zzlGetScore does: strtod of the text, trailing bytes ignored.
            elements.add(entries[i], Strtod.prefix(entries[i + 1], 0));
        }
        // Redis keeps the listpack unless it has too many members.
        long max = limits.zsetMaxListpackEntries();
        return elements.build(max, elements.n <= max ? Long.MAX_VALUE : 0);
    }

    private Object hash() throws IOException, RdbFormatException {
        long n = length();
        if (n == 0) return EMPTY;
        HashValue hash = new HashValue();
        long maxEntries = n > limits.hashMaxListpackEntries() ? 0 : Long.MAX_VALUE;
        for (long i = 0; i < n; i++) {
            byte[] field = string();
            byte[] value = string();
            if (!hash.set(field, value, maxEntries, limits.hashMaxListpackValue())) {
                throw new RdbFormatException("Duplicate hash fields detected");
            }
        }
        return hash;
    }

    /**
     * A ziplist's, listpack's or zipmap's field, value, field, value... Redis keeps it
     * compact unless it has too many fields (or, for a zipmap, a too long string).
     */
    private Object packedHash(byte[][] entries, boolean zipmap) throws RdbFormatException {
        if (entries.length % 2 != 0) throw new RdbFormatException("Hash ziplist integrity check failed.");
        if (entries.length == 0) return EMPTY;
        int fields = entries.length / 2;
        boolean convert = fields > limits.hashMaxListpackEntries();
        if (zipmap && !convert) {
            for (byte[] e : entries) convert |= e.length > limits.hashMaxListpackValue();
        }
        HashValue hash = new HashValue();
        Set<ByteBuffer> seen = new HashSet<>();
        for (int i = 0; i < entries.length; i += 2) {
            if (!seen.add(ByteBuffer.wrap(entries[i]))) throw new RdbFormatException("Hash ziplist integrity check failed.");
            hash.set(entries[i], entries[i + 1], convert ? 0 : Long.MAX_VALUE, Long.MAX_VALUE);
        }
        return hash;
    }

    /** Sorted set elements gathered before choosing the encoding. */
    private static final class Elements {
        byte[][] members = new byte[16][];
        double[] scores = new double[16];
        int n;
        final Set<ByteBuffer> seen = new HashSet<>();

        void add(byte[] member, double score) throws RdbFormatException {
            if (Double.isNaN(score)) throw new RdbFormatException("Zset with NAN score detected");
            if (!seen.add(ByteBuffer.wrap(member))) throw new RdbFormatException("Duplicate zset fields detected");
            if (n == members.length) {
                members = Arrays.copyOf(members, n * 2);
                scores = Arrays.copyOf(scores, n * 2);
            }
            members[n] = member;
            scores[n++] = score;
        }

        ZSetValue build(long maxEntries, long maxValue) {
            // Files hold them in order already: ascending in listpacks, descending from a skiplist.
            if (!inOrder(1)) {
                if (inOrder(-1)) {
                    reverse();
                } else {
                    sort();
                }
            }
            return ZSetValue.fromSorted(members, scores, n, new ZSetValue.Limits(maxEntries, maxValue));
        }

        private int compare(int a, int b) {
            return RankTree.compare(scores[a], members[a], scores[b], members[b]);
        }

        private boolean inOrder(int direction) {
            for (int i = 1; i < n; i++) {
                if (compare(i - 1, i) * direction > 0) return false;
            }
            return true;
        }

        private void reverse() {
            for (int i = 0, j = n - 1; i < j; i++, j--) {
                byte[] m = members[i];
                members[i] = members[j];
                members[j] = m;
                double s = scores[i];
                scores[i] = scores[j];
                scores[j] = s;
            }
        }

        private void sort() {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) order[i] = i;
            Arrays.sort(order, this::compare);
            byte[][] m = new byte[n][];
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                m[i] = members[order[i]];
                s[i] = scores[order[i]];
            }
            members = m;
            scores = s;
        }
    }

    // ---- primitives ------------------------------------------------------------------

    /**
     * An RDB length (6, 14, 32 or 64 bits). A string-encoding marker (11xxxxxx) reads as
     * its 6 bits, as Redis's rdbLoadLen does where no encoding is expected.
     */
    private long length() throws IOException, RdbFormatException {
        int first = in.u8();
        if ((first & 0xC0) == 0xC0) return first & 0x3f;
        return lengthAfter(first);
    }

    private long lengthAfter(int first) throws IOException, RdbFormatException {
        switch (first >> 6) {
            case 0:
                return first & 0x3f;
            case 1:
                return ((first & 0x3f) << 8) | in.u8();
            default:
                if (first == 0x80) return in.big(4);
                if (first == 0x81) {
                    long v = in.big(8);
                    if (v < 0) throw new RdbFormatException("Length out of range");
                    return v;
                }
                throw new RdbFormatException("Unknown length encoding " + first + " in rdbLoadLen()");
        }
    }

    /** An RDB string: plain, LZF-compressed, or an integer encoding (as its decimal text). */
    byte[] string() throws IOException, RdbFormatException {
        return stringAfter(in.u8());
    }

    private byte[] stringAfter(int first) throws IOException, RdbFormatException {
        if ((first & 0xC0) == 0xC0) {
            int enc = first & 0x3f;
            if (enc <= ENC_INT32) return Numbers.bytes(encodedInteger(enc));
            if (enc == ENC_LZF) {
                long compressed = length();
                long plain = length();
                // A back reference of 3 bytes expands to at most 264: more is corrupt (and no allocation).
                if (plain > Integer.MAX_VALUE - 8 || compressed > Integer.MAX_VALUE - 8 || plain > compressed * 88 + 64) {
                    throw new RdbFormatException("LZF string too long");
                }
                byte[] data = in.bytes(compressed);
                // liblzf "decompresses" anything into 0 bytes successfully, so Redis reads "".
                if (plain == 0) return new byte[0];
                byte[] s = Lzf.decompress(data, 0, data.length, (int) plain);
                if (s == null || s.length != plain) throw new RdbFormatException("Invalid LZF compressed string");
                return s;
            }
            throw new RdbFormatException("Unknown RDB string encoding type " + enc);
        }
        return in.bytes(lengthAfter(first));
    }

    private long encodedInteger(int enc) throws IOException {
        return switch (enc) {
            case ENC_INT8 -> (byte) in.u8();
            case ENC_INT16 -> (short) in.little(2);
            default -> (int) in.little(4);
        };
    }

    /** The bytes being read: counts the offset and keeps the CRC64 of everything consumed. */
    private static final class Input {
        private final InputStream in;
        /** Bytes the source can hold at most (a payload's size), to refuse impossible lengths early. */
        private final long limit;
        private final byte[] buf = new byte[64 * 1024];
        private int pos;
        private int end;
        private int crcFrom;
        private long crc;
        long offset;

        Input(InputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        int u8() throws IOException {
            if (pos == end) fill();
            offset++;
            return buf[pos++] & 0xff;
        }

        long little(int bytes) throws IOException {
            long v = 0;
            for (int i = 0; i < bytes; i++) v |= (long) u8() << (8 * i);
            return v;
        }

        long big(int bytes) throws IOException {
            long v = 0;
            for (int i = 0; i < bytes; i++) v = (v << 8) | u8();
            return v;
        }

        /** n bytes; a length past what the source can hold fails before allocating it. */
        byte[] bytes(long n) throws IOException, RdbFormatException {
            if (n > limit - offset || n > Integer.MAX_VALUE - 8) throw new EOFException();
            byte[] out = new byte[(int) Math.min(n, 1 << 20)];
            int got = 0;
            while (got < n) {
                if (pos == end) fill();
                if (got == out.length) out = Arrays.copyOf(out, (int) Math.min(n, (long) out.length * 2));
                int take = Math.min(end - pos, out.length - got);
                System.arraycopy(buf, pos, out, got, take);
                pos += take;
                got += take;
                offset += take;
            }
            return out;
        }

        /** The CRC64 of every byte consumed so far. */
        long checksum() {
            crc = Crc64.update(crc, buf, crcFrom, pos - crcFrom);
            crcFrom = pos;
            return crc;
        }

        private void fill() throws IOException {
            checksum();
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) throw new EOFException("Unexpected EOF reading RDB file");
            pos = 0;
            end = n;
            crcFrom = 0;
        }
    }
}
