package dev.cairn.command;

import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Entry;
import dev.cairn.keyspace.KeyEvent;
import dev.cairn.protocol.LongDouble;
import dev.cairn.protocol.NumberFormat;
import dev.cairn.protocol.Numbers;
import dev.cairn.server.Client;
import dev.cairn.server.Propagation;
import dev.cairn.types.RawString;
import dev.cairn.types.Strings;
import dev.cairn.types.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The string commands (Redis's t_string.c). Every handler follows the same template:
 * parse and validate the arguments, look the key up for reading or writing, check its
 * type, change it, reply, then {@code keyModified} for what changed. The order of those
 * steps is Redis's, because it decides which error a bad request gets.
 */
final class StringCommands {
    private StringCommands() {}

    /** The largest string a Java array can hold, whatever proto-max-bulk-len says. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    static void register(Map<String, CommandHandler> h) {
        h.put("get", StringCommands::get);
        h.put("set", StringCommands::set);
        h.put("setnx", StringCommands::setnx);
        h.put("setex", c -> setWithExpiry(c, ExpiryUnit.EX));
        h.put("psetex", c -> setWithExpiry(c, ExpiryUnit.PX));
        h.put("getex", StringCommands::getex);
        h.put("getdel", StringCommands::getdel);
        h.put("getset", StringCommands::getset);
        h.put("mset", c -> mset(c, false));
        h.put("msetnx", c -> mset(c, true));
        h.put("mget", StringCommands::mget);
        h.put("append", StringCommands::append);
        h.put("strlen", StringCommands::strlen);
        h.put("getrange", StringCommands::getrange);
        h.put("substr", StringCommands::getrange);
        h.put("setrange", StringCommands::setrange);
        h.put("incr", c -> incrBy(c, 1));
        h.put("decr", c -> incrBy(c, -1));
        h.put("incrby", c -> incrBy(c, c.argLong(2)));
        h.put("decrby", StringCommands::decrby);
        h.put("incrbyfloat", StringCommands::incrbyfloat);
        h.put("lcs", StringCommands::lcs);
    }

    // ---- shared by the string and bitmap commands ------------------------------------

    /** The live entry of a string key for reading, null if missing; WRONGTYPE otherwise. */
    static Entry readEntry(Client c, byte[] key) {
        Entry e = c.db().lookupRead(key);
        if (e != null) CommandError.expectType(e.value(), ValueType.STRING);
        return e;
    }

    /** The string value of a live key for reading, null if missing; WRONGTYPE otherwise. */
    static Object readString(Client c, byte[] key) {
        Entry e = readEntry(c, key);
        return e == null ? null : e.value();
    }

    /** Writes a string value as a bulk reply without copying a raw string's buffer. */
    static void replyString(Client c, Object v) {
        c.reply().bulk(Strings.buffer(v), 0, Strings.length(v));
    }

    /** A string value, or the null reply for a missing key. */
    private static void replyStringOrNull(Client c, Object v) {
        if (v == null) c.reply().nullBulk();
        else replyString(c, v);
    }

    /**
     * The entry's value made modifiable in place (Redis's dbUnshareStringValue): a plain
     * byte[] is replaced by a {@link RawString} copy, keeping the key's TTL.
     */
    static RawString writableString(Database db, Entry e) {
        RawString r = Strings.mutable(e.value());
        if (r != e.value()) db.overwrite(e, r);
        return r;
    }

    /** The longest string a command may build: proto-max-bulk-len (as far as Java allows). */
    static long maxStringLength(Client c) {
        return Math.min(c.server().config().protoMaxBulkLen.value(), MAX_ARRAY);
    }

    /** Redis's checkStringLength: refuses to grow a string of {@code size} by {@code append}. */
    static void checkStringLength(Client c, long size, long append) {
        if (size > maxStringLength(c) - append) {
            throw new CommandError("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        }
    }

    // ---- GET and the SET family ------------------------------------------------------

    static void get(Client c) {
        replyStringOrNull(c, readString(c, c.arg(1)));
    }

    /** The expiry options of SET and GETEX. */
    enum ExpiryUnit { EX, PX, EXAT, PXAT }

    /**
     * SET's and GETEX's options once parsed. The expiry amount stays unparsed: Redis checks
     * it after the option syntax (and, for GETEX, after the key lookup).
     */
    record SetOptions(boolean nx, boolean xx, boolean get, boolean keepTtl, boolean persist,
            ExpiryUnit unit, byte[] expire) {
        static SetOptions of(boolean nx, ExpiryUnit unit, byte[] expire) {
            return new SetOptions(nx, false, false, false, false, unit, expire);
        }
    }

    /**
     * Redis's parseExtendedStringArgumentsOrReply from argument {@code from} on. NX, XX,
     * GET and KEEPTTL belong to SET, PERSIST to GETEX. An option may repeat, but
     * conflicting ones (NX with XX, two different expiry units, an expiry with KEEPTTL or
     * PERSIST) are a syntax error.
     */
    static SetOptions parseSetOptions(Client c, int from, boolean forSet) {
        boolean nx = false, xx = false, get = false, keepTtl = false, persist = false;
        ExpiryUnit unit = null;
        byte[] expire = null;
        for (int i = from; i < c.argc(); i++) {
            ExpiryUnit u = expiryUnit(c, i);
            if (forSet && c.argIs(i, "nx") && !xx) nx = true;
            else if (forSet && c.argIs(i, "xx") && !nx) xx = true;
            else if (forSet && c.argIs(i, "get")) get = true;
            else if (forSet && c.argIs(i, "keepttl") && unit == null) keepTtl = true;
            else if (!forSet && c.argIs(i, "persist") && unit == null) persist = true;
            else if (u != null && (unit == null || unit == u) && !keepTtl && !persist && i + 1 < c.argc()) {
                unit = u;
                expire = c.arg(++i);
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        return new SetOptions(nx, xx, get, keepTtl, persist, unit, expire);
    }

    private static ExpiryUnit expiryUnit(Client c, int i) {
        if (c.argIs(i, "ex")) return ExpiryUnit.EX;
        if (c.argIs(i, "px")) return ExpiryUnit.PX;
        if (c.argIs(i, "exat")) return ExpiryUnit.EXAT;
        if (c.argIs(i, "pxat")) return ExpiryUnit.PXAT;
        return null;
    }

    /**
     * Redis's getExpireMillisecondsOrReply: the expiry as absolute unix ms. Zero, negative
     * and overflowing amounts get "invalid expire time" with the command's name.
     */
    static long expireAtMillis(Client c, ExpiryUnit unit, byte[] amountArg) {
        Long amount = Numbers.parseStrictLong(amountArg);
        if (amount == null) throw new CommandError(CommandError.NOT_INTEGER);
        boolean seconds = unit == ExpiryUnit.EX || unit == ExpiryUnit.EXAT;
        if (amount <= 0 || (seconds && amount > Long.MAX_VALUE / 1000)) throw invalidExpireTime(c);
        long ms = seconds ? amount * 1000 : amount;
        if (unit == ExpiryUnit.EX || unit == ExpiryUnit.PX) {
            // Overflow wraps negative, as in Redis, and is refused below.
            ms += now(c);
        }
        if (ms <= 0) throw invalidExpireTime(c);
        return ms;
    }

    private static CommandError invalidExpireTime(Client c) {
        return new CommandError("ERR invalid expire time in '" + c.command().name() + "' command");
    }

    private static long now(Client c) {
        return c.server().keyspace().clock().nowMillis();
    }

    static void set(Client c) {
        setGeneric(c, c.arg(1), c.arg(2), parseSetOptions(c, 3, true), false);
    }

    static void setnx(Client c) {
        setGeneric(c, c.arg(1), c.arg(2), SetOptions.of(true, null, null), true);
    }

    /** SETEX and PSETEX: key, amount, value. */
    static void setWithExpiry(Client c, ExpiryUnit unit) {
        setGeneric(c, c.arg(1), c.arg(3), SetOptions.of(false, unit, c.arg(2)), false);
    }

    /**
     * Redis's setGenericCommand. With GET the old value is the reply (sent before the
     * write); otherwise OK, or 1/0 for SETNX ({@code integerReply}).
     */
    static void setGeneric(Client c, byte[] key, byte[] value, SetOptions o, boolean integerReply) {
        long expireAt = o.unit() == null ? -1 : expireAtMillis(c, o.unit(), o.expire());
        Database db = c.db();
        if (o.get()) replyStringOrNull(c, readString(c, key));
        // Only NX and XX need to know beforehand; a plain SET looks the key up once, in set().
        boolean found = (o.nx() || o.xx()) && db.exists(key);
        if ((o.nx() && found) || (o.xx() && !found)) {
            if (o.get()) return;
            if (integerReply) c.reply().integer(0);
            else c.reply().nullBulk();
            return;
        }
        Entry e = db.set(key, value, o.keepTtl());
        c.server().keyModified(db, key, KeyEvent.STRING, "set");
        if (expireAt >= 0) {
            db.setExpire(e, expireAt);
            c.server().notifyKeyspaceEvent(db, key, KeyEvent.GENERIC, "expire");
            // Propagated with the absolute time, whatever the form given.
            c.server().propagation().rewrite(SET, key, value, PXAT, Propagation.number(expireAt));
        } else if (o.get()) {
            c.server().propagation().rewrite(withoutGet(c));
        }
        if (o.get()) return;
        if (integerReply) c.reply().integer(1);
        else c.reply().ok();
    }

    private static final byte[] SET = Propagation.word("SET");
    private static final byte[] PXAT = Propagation.word("PXAT");
    private static final byte[] KEEPTTL = Propagation.word("KEEPTTL");
    private static final byte[] PEXPIREAT = Propagation.word("PEXPIREAT");
    private static final byte[] PERSIST = Propagation.word("PERSIST");

    /** SET's arguments without its GET options, which a replica or the AOF has no use for. */
    private static byte[][] withoutGet(Client c) {
        List<byte[]> kept = new ArrayList<>();
        for (int i = 0; i < c.argc(); i++) {
            if (i < 3 || !c.argIs(i, "get")) kept.add(c.arg(i));
        }
        return kept.toArray(new byte[0][]);
    }

    static void getex(Client c) {
        SetOptions o = parseSetOptions(c, 2, false);
        byte[] key = c.arg(1);
        Entry e = readEntry(c, key);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        long expireAt = o.unit() == null ? -1 : expireAtMillis(c, o.unit(), o.expire());
        replyString(c, e.value());
        Database db = c.db();
        boolean absolute = o.unit() == ExpiryUnit.EXAT || o.unit() == ExpiryUnit.PXAT;
        if (absolute && expireAt <= now(c) && c.server().keyspace().expiryEnabled()) {
            // A time already past deletes the key now (Redis's checkAlreadyExpired).
            db.remove(key);
            c.server().keyModified(db, key, KeyEvent.GENERIC, "del");
            c.server().propagation().rewrite(Propagation.DEL, key);
        } else if (o.unit() != null) {
            db.setExpire(e, expireAt);
            c.server().keyModified(db, key, KeyEvent.GENERIC, "expire");
            c.server().propagation().rewrite(PEXPIREAT, key, Propagation.number(expireAt));
        } else if (o.persist() && e.expireAt() >= 0) {
            db.persist(e);
            c.server().keyModified(db, key, KeyEvent.GENERIC, "persist");
            c.server().propagation().rewrite(PERSIST, key);
        }
    }

    static void getdel(Client c) {
        byte[] key = c.arg(1);
        Entry e = readEntry(c, key);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        replyString(c, e.value());
        c.db().remove(key);
        c.server().keyModified(c.db(), key, KeyEvent.GENERIC, "del");
        // Propagated as the deletion it amounts to.
        c.server().propagation().rewrite(
                c.server().config().lazyfreeLazyUserDel.value() ? Propagation.UNLINK : Propagation.DEL, key);
    }

    static void getset(Client c) {
        byte[] key = c.arg(1);
        replyStringOrNull(c, readString(c, key));
        c.db().set(key, c.arg(2), false);
        c.server().keyModified(c.db(), key, KeyEvent.STRING, "set");
        // Propagated as the SET it amounts to.
        c.server().propagation().rewrite(SET, key, c.arg(2));
    }

    /** MSET and MSETNX; MSETNX sets nothing (and replies 0) if any key exists. */
    static void mset(Client c, boolean nx) {
        if (c.argc() % 2 == 0) {
            throw new CommandError("ERR wrong number of arguments for '" + c.command().name() + "' command");
        }
        Database db = c.db();
        if (nx) {
            for (int i = 1; i < c.argc(); i += 2) {
                if (db.exists(c.arg(i))) {
                    c.reply().integer(0);
                    return;
                }
            }
        }
        for (int i = 1; i < c.argc(); i += 2) {
            db.set(c.arg(i), c.arg(i + 1), false);
            c.server().keyModified(db, c.arg(i), KeyEvent.STRING, "set");
        }
        if (nx) c.reply().integer(1);
        else c.reply().ok();
    }

    /** MGET answers null for missing keys and for keys of other types alike. */
    static void mget(Client c) {
        c.reply().array(c.argc() - 1);
        for (int i = 1; i < c.argc(); i++) {
            Entry e = c.db().lookupRead(c.arg(i));
            if (e == null || ValueType.of(e.value()) != ValueType.STRING) c.reply().nullBulk();
            else replyString(c, e.value());
        }
    }

    // ---- in-place edits ----------------------------------------------------------------

    static void append(Client c) {
        Database db = c.db();
        byte[] key = c.arg(1);
        byte[] data = c.arg(2);
        Entry e = db.lookupWrite(key);
        long total;
        if (e == null) {
            // A new key holds the argument as SET would store it.
            db.add(key, data);
            total = data.length;
        } else {
            CommandError.expectType(e.value(), ValueType.STRING);
            checkStringLength(c, Strings.length(e.value()), data.length);
            RawString r = writableString(db, e);
            r.append(data);
            total = r.length();
        }
        c.server().keyModified(db, key, KeyEvent.STRING, "append");
        c.reply().integer(total);
    }

    static void strlen(Client c) {
        Object v = readString(c, c.arg(1));
        c.reply().integer(v == null ? 0 : Strings.length(v));
    }

    /** GETRANGE and SUBSTR: inclusive byte range, negative indexes from the end. */
    static void getrange(Client c) {
        long start = c.argLong(2);
        long end = c.argLong(3);
        Object v = readString(c, c.arg(1));
        if (v == null) {
            c.reply().emptyBulk();
            return;
        }
        long len = Strings.length(v);
        if (start < 0 && end < 0 && start > end) {
            c.reply().emptyBulk();
            return;
        }
        if (start < 0) start = Math.max(len + start, 0);
        if (end < 0) end = Math.max(len + end, 0);
        if (end >= len) end = len - 1;
        if (start > end || len == 0) c.reply().emptyBulk();
        else c.reply().bulk(Strings.buffer(v), (int) start, (int) (end - start + 1));
    }

    static void setrange(Client c) {
        long offset = c.argLong(2);
        if (offset < 0) throw new CommandError("ERR offset is out of range");
        Database db = c.db();
        byte[] key = c.arg(1);
        byte[] data = c.arg(3);
        Entry e = db.lookupWrite(key);
        RawString r;
        if (e == null) {
            // Writing nothing to a missing key creates nothing.
            if (data.length == 0) {
                c.reply().integer(0);
                return;
            }
            checkStringLength(c, offset, data.length);
            r = RawString.adopt(new byte[(int) offset + data.length]);
            db.add(key, r);
        } else {
            CommandError.expectType(e.value(), ValueType.STRING);
            if (data.length == 0) {
                c.reply().integer(Strings.length(e.value()));
                return;
            }
            checkStringLength(c, offset, data.length);
            r = writableString(db, e);
        }
        r.write((int) offset, data);
        c.server().keyModified(db, key, KeyEvent.STRING, "setrange");
        c.reply().integer(r.length());
    }

    // ---- counters ----------------------------------------------------------------------

    static void decrby(Client c) {
        long by = c.argLong(2);
        if (by == Long.MIN_VALUE) throw new CommandError("ERR decrement would overflow");
        incrBy(c, -by);
    }

    /** INCR, DECR, INCRBY, DECRBY: the result is stored as an integer (int encoding). */
    static void incrBy(Client c, long by) {
        Database db = c.db();
        byte[] key = c.arg(1);
        Entry e = db.lookupWrite(key);
        long value = 0;
        if (e != null) {
            CommandError.expectType(e.value(), ValueType.STRING);
            Long current = Strings.length(e.value()) > 20 ? null : Numbers.parseStrictLong(Strings.bytes(e.value()));
            if (current == null) throw new CommandError(CommandError.NOT_INTEGER);
            value = current;
        }
        if ((by < 0 && value < 0 && by < Long.MIN_VALUE - value)
                || (by > 0 && value > 0 && by > Long.MAX_VALUE - value)) {
            throw new CommandError("ERR increment or decrement would overflow");
        }
        value += by;
        byte[] stored = Strings.integer(value);
        if (e == null) db.add(key, stored);
        else db.overwrite(e, stored);
        c.server().keyModified(db, key, KeyEvent.STRING, "incrby");
        c.reply().integer(value);
    }

    /**
     * INCRBYFLOAT in long double precision ({@link LongDouble}), printed as Redis's
     * {@code %.17Lf} with trailing zeros removed; the result is stored as that text.
     */
    static void incrbyfloat(Client c) {
        Database db = c.db();
        byte[] key = c.arg(1);
        Entry e = db.lookupWrite(key);
        if (e != null) CommandError.expectType(e.value(), ValueType.STRING);
        LongDouble current = e == null ? LongDouble.ZERO : LongDouble.parse(Strings.bytes(e.value()));
        LongDouble increment = current == null ? null : LongDouble.parse(c.arg(2));
        if (increment == null) throw new CommandError(CommandError.NOT_FLOAT);
        LongDouble sum = current.plus(increment);
        if (!sum.isFinite()) throw new CommandError("ERR increment would produce NaN or Infinity");
        byte[] text = NumberFormat.humanLongDouble(sum.exact()).getBytes(StandardCharsets.US_ASCII);
        Object stored = Strings.textValue(text);
        if (e == null) db.add(key, stored);
        else db.overwrite(e, stored);
        c.server().keyModified(db, key, KeyEvent.STRING, "incrbyfloat");
        c.reply().bulk(text);
        // Propagated as the value reached, so that float formatting cannot diverge.
        c.server().propagation().rewrite(SET, key, text, KEEPTTL);
    }

    // ---- LCS ---------------------------------------------------------------------------

    /** One common run reported by LCS IDX: inclusive ranges in each string. */
    private record Match(int aStart, int aEnd, int bStart, int bEnd) {
        int length() {
            return aEnd - aStart + 1;
        }
    }

    static void lcs(Client c) {
        Entry ea = c.db().lookupRead(c.arg(1));
        Entry eb = c.db().lookupRead(c.arg(2));
        if ((ea != null && ValueType.of(ea.value()) != ValueType.STRING)
                || (eb != null && ValueType.of(eb.value()) != ValueType.STRING)) {
            throw new CommandError("ERR The specified keys must contain string values");
        }
        boolean idx = false, len = false, withMatchLen = false;
        long minMatchLen = 0;
        for (int i = 3; i < c.argc(); i++) {
            if (c.argIs(i, "idx")) idx = true;
            else if (c.argIs(i, "len")) len = true;
            else if (c.argIs(i, "withmatchlen")) withMatchLen = true;
            else if (c.argIs(i, "minmatchlen") && i + 1 < c.argc()) minMatchLen = Math.max(c.argLong(++i), 0);
            else throw new CommandError(CommandError.SYNTAX);
        }
        if (idx && len) throw new CommandError("ERR If you want both the length and indexes, please just use IDX.");
        byte[] a = ea == null ? new byte[0] : Strings.bytes(ea.value());
        byte[] b = eb == null ? new byte[0] : Strings.bytes(eb.value());
        int[] table = lcsTable(c, a, b);
        int w = b.length + 1;
        int total = table[a.length * w + b.length];
        if (len) {
            c.reply().integer(total);
            return;
        }
        // Walk back from the end: collect the common subsequence and its contiguous runs.
        byte[] common = new byte[total];
        List<Match> matches = new ArrayList<>();
        int k = total;
        int i = a.length, j = b.length;
        int aStart = -1, aEnd = 0, bStart = 0, bEnd = 0;
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                common[--k] = a[i - 1];
                if (aStart < 0) {
                    aStart = aEnd = i - 1;
                    bStart = bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0) emit = true;
                i--;
                j--;
            } else {
                if (table[(i - 1) * w + j] > table[i * w + j - 1]) i--;
                else j--;
                if (aStart >= 0) emit = true;
            }
            if (emit) {
                Match m = new Match(aStart, aEnd, bStart, bEnd);
                if (minMatchLen == 0 || m.length() >= minMatchLen) matches.add(m);
                aStart = -1;
            }
        }
        if (!idx) {
            c.reply().bulk(common);
            return;
        }
        c.reply().map(2);
        c.reply().bulk("matches");
        c.reply().array(matches.size());
        for (Match m : matches) {
            c.reply().array(withMatchLen ? 3 : 2);
            c.reply().array(2);
            c.reply().integer(m.aStart());
            c.reply().integer(m.aEnd());
            c.reply().array(2);
            c.reply().integer(m.bStart());
            c.reply().integer(m.bEnd());
            if (withMatchLen) c.reply().integer(m.length());
        }
        c.reply().bulk("len");
        c.reply().integer(total);
    }

    /**
     * The dynamic-programming table: cell (i, j) holds the LCS length of a's first i
     * and b's first j bytes. Like Redis, refuses a table (4 bytes a cell) larger than
     * proto-max-bulk-len.
     */
    private static int[] lcsTable(Client c, byte[] a, byte[] b) {
        long cells = (long) (a.length + 1) * (b.length + 1);
        if (cells * 4 > c.server().config().protoMaxBulkLen.value()) {
            throw new CommandError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        }
        int[] table;
        try {
            if (cells > MAX_ARRAY) throw new OutOfMemoryError();
            table = new int[(int) cells];
        } catch (OutOfMemoryError e) {
            throw new CommandError("ERR Insufficient memory, failed allocating transient memory for LCS");
        }
        int w = b.length + 1;
        for (int i = 1; i <= a.length; i++) {
            int row = i * w, above = row - w;
            for (int j = 1; j <= b.length; j++) {
                table[row + j] = a[i - 1] == b[j - 1]
                        ? table[above + j - 1] + 1
                        : Math.max(table[above + j], table[row + j - 1]);
            }
        }
        return table;
    }
}
