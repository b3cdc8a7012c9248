package dev.cairn.command;

import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Entry;
import dev.cairn.keyspace.Glob;
import dev.cairn.keyspace.KeyEvent;
import dev.cairn.protocol.Reply;
import dev.cairn.server.Client;
import dev.cairn.types.Strings;
import dev.cairn.types.CollectionValue;
import dev.cairn.types.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The keyspace ("generic") commands that work on keys whatever their type (Redis's
 * db.c and object.c): DEL, UNLINK, EXISTS, TYPE, KEYS, SCAN, RANDOMKEY, RENAME,
 * RENAMENX, TOUCH and OBJECT.
 */
final class KeyCommands {
    static final String LFU_NOT_SELECTED = "ERR An LFU maxmemory policy is not selected, access frequency not "
            + "tracked. Please note that when switching between policies at runtime LRU and LFU data will take "
            + "some time to adjust.";
    static final String LFU_SELECTED = "ERR An LFU maxmemory policy is selected, idle time not tracked. Please "
            + "note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
    static final String SAME_OBJECT = "ERR source and destination objects are the same";

    private static final List<String> OBJECT_HELP = List.of(
            "ENCODING <key>",
            "    Return the kind of internal representation used in order to store the value",
            "    associated with a <key>.",
            "FREQ <key>",
            "    Return the access frequency index of the <key>. The returned integer is",
            "    proportional to the logarithm of the recent access frequency of the key.",
            "IDLETIME <key>",
            "    Return the idle time of the <key>, that is the approximated number of",
            "    seconds elapsed since the last access to the key.",
            "REFCOUNT <key>",
            "    Return the number of references of the value associated with the specified",
            "    <key>.");

    private KeyCommands() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("del", KeyCommands::del);
        h.put("unlink", KeyCommands::del);
        h.put("exists", KeyCommands::exists);
        h.put("type", KeyCommands::type);
        h.put("keys", KeyCommands::keys);
        h.put("scan", KeyCommands::scan);
        h.put("randomkey", KeyCommands::randomKey);
        h.put("rename", c -> rename(c, false));
        h.put("renamenx", c -> rename(c, true));
        h.put("touch", KeyCommands::touch);
        h.put("object|encoding", KeyCommands::objectEncoding);
        h.put("object|refcount", KeyCommands::objectRefcount);
        h.put("object|idletime", KeyCommands::objectIdletime);
        h.put("object|freq", KeyCommands::objectFreq);
        h.put("object|help", c -> SubcommandHelp.reply(c, "OBJECT", OBJECT_HELP.toArray(String[]::new)));
    }

    /** DEL and UNLINK: the JVM reclaims memory in the background anyway, so both are one. */
    static void del(Client c) {
        Database db = c.db();
        long deleted = 0;
        for (int i = 1; i < c.argc(); i++) {
            if (db.delete(c.arg(i))) {
                c.server().keyModified(db, c.arg(i), KeyEvent.GENERIC, "del");
                deleted++;
            }
        }
        c.reply().integer(deleted);
    }

    /** Counts every argument that names a live key, repeats included. */
    static void exists(Client c) {
        long found = 0;
        for (int i = 1; i < c.argc(); i++) {
            if (c.db().lookupRead(c.arg(i), false, true) != null) found++;
        }
        c.reply().integer(found);
    }

    static void touch(Client c) {
        long found = 0;
        for (int i = 1; i < c.argc(); i++) {
            if (c.db().lookupRead(c.arg(i)) != null) found++;
        }
        c.reply().integer(found);
    }

    static void type(Client c) {
        Entry e = c.db().lookupRead(c.arg(1), false, true);
        c.reply().status(typeName(e));
    }

    private static String typeName(Entry e) {
        return e == null ? "none" : ValueType.of(e.value()).typeName();
    }

    /** Every live key matching the pattern; expired keys are skipped but not deleted, as in Redis. */
    static void keys(Client c) {
        Database db = c.db();
        byte[] pattern = c.arg(1);
        boolean all = pattern.length == 1 && pattern[0] == '*';
        Reply r = c.reply();
        int header = r.deferredArray();
        long[] count = {0};
        db.forEach(e -> {
            if ((all || Glob.matches(pattern, e.key())) && !db.isExpired(e)) {
                r.bulk(e.key());
                count[0]++;
            }
        });
        r.setDeferredLength(header, '*', count[0]);
    }

    /**
     * SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]: walks buckets until COUNT
     * keys are gathered (or ten times COUNT buckets were visited), then filters them by
     * pattern, type and expiry, exactly in Redis's order.
     */
    static void scan(Client c) {
        long cursor = parseCursor(c.arg(1));
        CollectionScan.Options options = CollectionScan.Options.parse(c, 2, true);
        long count = options.count();
        byte[] pattern = options.pattern();
        byte[] type = options.type();
        Database db = c.db();
        List<byte[]> found = new ArrayList<>();
        // A sparse table could make one call visit very many empty buckets: stop after
        // ten times COUNT steps even if fewer keys were found (C's wrap-around included).
        long maxIterations = count * 10;
        do {
            cursor = db.scan(cursor, e -> found.add(e.key()));
        } while (cursor != 0 && maxIterations-- != 0 && found.size() < count);

        String wantedType = type == null ? null : new String(type, StandardCharsets.ISO_8859_1);
        List<byte[]> keys = new ArrayList<>(found.size());
        for (byte[] key : found) {
            if (pattern != null && !Glob.matches(pattern, key)) continue;
            // Redis finds the type with a read lookup, which deletes an expired key and
            // then calls it "none"; the expiry check below then has nothing left to do.
            if (wantedType != null && !typeName(db.lookupRead(key, false, true)).equalsIgnoreCase(wantedType)) continue;
            if (db.expireIfNeeded(key)) continue;
            keys.add(key);
        }
        Reply r = c.reply();
        r.array(2);
        r.bulk(cursor);
        r.array(keys.size());
        for (byte[] key : keys) r.bulk(key);
    }

    /**
     * A SCAN cursor as C's strtoul reads it, which is what Redis accepts: an optional
     * sign (a negative cursor wraps around), decimal digits, nothing after them, no
     * leading space, no overflow. The empty string is cursor 0.
     */
    static long parseCursor(byte[] arg) {
        int end = arg.length;
        for (int i = 0; i < arg.length; i++) {
            if (arg[i] == 0) {
                end = i; // C stops reading at the first NUL
                break;
            }
        }
        if (end == 0) return 0;
        if (isCSpace(arg[0])) throw new CommandError("ERR invalid cursor");
        int i = 0;
        boolean negative = false;
        if (arg[0] == '+' || arg[0] == '-') {
            negative = arg[0] == '-';
            i++;
        }
        if (i == end) throw new CommandError("ERR invalid cursor");
        long value = 0;
        for (; i < end; i++) {
            int d = arg[i] - '0';
            if (d < 0 || d > 9) throw new CommandError("ERR invalid cursor");
            // value * 10 + d must stay within an unsigned 64-bit value.
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, 10)) > 0) {
                throw new CommandError("ERR invalid cursor");
            }
            value = value * 10 + d;
        }
        return negative ? -value : value;
    }

    private static boolean isCSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    static void randomKey(Client c) {
        byte[] key = c.db().randomKey();
        if (key == null) c.reply().nullBulk();
        else c.reply().bulk(key);
    }

    /**
     * RENAME and RENAMENX: the value and its TTL move to the new name, replacing what
     * was there (RENAME) or only if nothing was (RENAMENX). One change, two events.
     */
    static void rename(Client c, boolean nx) {
        Database db = c.db();
        byte[] from = c.arg(1);
        byte[] to = c.arg(2);
        Entry e = db.lookupWrite(from);
        if (e == null) throw new CommandError(CommandError.NO_SUCH_KEY);
        if (Arrays.equals(from, to)) {
            if (nx) c.reply().integer(0);
            else c.reply().ok();
            return;
        }
        if (db.lookupWrite(to) != null) {
            if (nx) {
                c.reply().integer(0);
                return;
            }
            db.remove(to);
        }
        Object value = e.value();
        long expireAt = e.expireAt();
        db.remove(from);
        Entry moved = db.add(to, value);
        if (expireAt != -1) db.setExpire(moved, expireAt);
        var server = c.server();
        server.signalModifiedKey(db, from);
        server.signalModifiedKey(db, to);
        server.notifyKeyspaceEvent(db, from, KeyEvent.GENERIC, "rename_from");
        server.notifyKeyspaceEvent(db, to, KeyEvent.GENERIC, "rename_to");
        server.addDirty(1);
        if (nx) c.reply().integer(1);
        else c.reply().ok();
    }

    // ---- OBJECT ------------------------------------------------------------------------

    /** OBJECT's lookup: no access-time update and no "keymiss" event. */
    private static Entry objectLookup(Client c) {
        return c.db().lookupRead(c.arg(2), false, false);
    }

    static void objectEncoding(Client c) {
        Entry e = objectLookup(c);
        if (e == null) c.reply().nullBulk();
        else c.reply().bulk(encoding(e.value()));
    }

    /** OBJECT ENCODING's name for a value. */
    static String encoding(Object value) {
        return switch (ValueType.of(value)) {
            case STRING -> Strings.encoding(value);
            default -> ((CollectionValue) value).encoding();
        };
    }

    private static boolean ownAccessClocks(Client c) {
        var policy = c.server().eviction().policy();
        return c.server().config().maxmemory.value() > 0 && policy.tracksAccess();
    }

    static void objectRefcount(Client c) {
        Entry e = objectLookup(c);
        if (e == null) c.reply().nullBulk();
        // Redis's shared integers have the refcount INT_MAX; under a maxmemory LRU or LFU
        // policy Redis does not share them (each key needs its own access clock).
        else c.reply().integer(Strings.isSharedInteger(e.value()) && !ownAccessClocks(c) ? Integer.MAX_VALUE : 1);
    }

    static void objectIdletime(Client c) {
        Entry e = objectLookup(c);
        if (e == null) c.reply().nullBulk();
        else if (c.server().keyspace().clock().lfu()) throw new CommandError(LFU_SELECTED);
        else c.reply().integer(c.server().keyspace().clock().idleSeconds(e.access()));
    }

    /** The LFU counter after the decay due (not stored); only an LFU policy keeps one. */
    static void objectFreq(Client c) {
        Entry e = objectLookup(c);
        if (e == null) c.reply().nullBulk();
        else if (!c.server().keyspace().clock().lfu()) throw new CommandError(LFU_NOT_SELECTED);
        else c.reply().integer(c.server().keyspace().clock().decayedCounter(e.access()));
    }
}
