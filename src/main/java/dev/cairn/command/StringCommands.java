package dev.cairn.command;

import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Entry;
import dev.cairn.keyspace.KeyEvent;
import dev.cairn.server.Client;
import dev.cairn.types.Strings;
import dev.cairn.types.ValueType;
import java.util.Map;

/**
 * The string commands (Redis's t_string.c). Every handler follows the same template:
 * parse and validate the arguments, look the key up for reading or writing, check its
 * type, change it, reply, then {@code keyModified} for what changed.
 */
final class StringCommands {
    private StringCommands() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("get", StringCommands::get);
        h.put("set", StringCommands::set);
    }

    /** The string value of a live key for reading, null if missing; WRONGTYPE otherwise. */
    static Object readString(Client c, byte[] key) {
        Entry e = c.db().lookupRead(key);
        if (e == null) return null;
        CommandError.expectType(e.value(), ValueType.STRING);
        return e.value();
    }

    static void get(Client c) {
        Object v = readString(c, c.arg(1));
        if (v == null) c.reply().nullBulk();
        else replyString(c, v);
    }

    /** Writes a string value as a bulk reply without copying a raw string's buffer. */
    static void replyString(Client c, Object v) {
        if (v instanceof byte[] b) c.reply().bulk(b);
        else {
            var raw = (dev.cairn.types.RawString) v;
            c.reply().bulk(raw.buffer(), 0, raw.length());
        }
    }

    /** SET's options once parsed (also used by SETEX-like commands). */
    record SetOptions(boolean nx, boolean xx, boolean get, boolean keepTtl, long expireAtMillis) {}

    static void set(Client c) {
        SetOptions o = parseSetOptions(c, 3, "set");
        setGeneric(c, c.arg(1), c.arg(2), o);
    }

    /**
     * Parses SET's options from argument {@code from} on. Expiry becomes an absolute
     * unix-ms time (-1 for none), with Redis's checks and its error text.
     */
    static SetOptions parseSetOptions(Client c, int from, String commandName) {
        boolean nx = false, xx = false, get = false, keepTtl = false;
        String unit = null;
        long amount = 0;
        for (int i = from; i < c.argc(); i++) {
            boolean hasNext = i + 1 < c.argc();
            if (c.argIs(i, "nx") && !xx) nx = true;
            else if (c.argIs(i, "xx") && !nx) xx = true;
            else if (c.argIs(i, "get")) get = true;
            else if (c.argIs(i, "keepttl") && unit == null) keepTtl = true;
            else if (unit == null && !keepTtl && hasNext
                    && (c.argIs(i, "ex") || c.argIs(i, "px") || c.argIs(i, "exat") || c.argIs(i, "pxat"))) {
                unit = c.argString(i).toLowerCase(java.util.Locale.ROOT);
                amount = c.argLong(++i);
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        long expireAt = -1;
        if (unit != null) expireAt = absoluteExpiry(unit, amount, commandName);
        return new SetOptions(nx, xx, get, keepTtl, expireAt);
    }

    /** Converts EX/PX/EXAT/PXAT amounts to unix ms, rejecting what Redis rejects. */
    static long absoluteExpiry(String unit, long amount, String commandName) {
        boolean seconds = unit.equals("ex") || unit.equals("exat");
        if (amount <= 0 || (seconds && amount > Long.MAX_VALUE / 1000)) {
            throw new CommandError("ERR invalid expire time in '" + commandName + "' command");
        }
        long ms = seconds ? amount * 1000 : amount;
        if (unit.equals("ex") || unit.equals("px")) {
            long now = System.currentTimeMillis();
            if (ms > Long.MAX_VALUE - now) {
                throw new CommandError("ERR invalid expire time in '" + commandName + "' command");
            }
            ms += now;
        }
        return ms;
    }

    /** Redis's setGenericCommand. */
    static void setGeneric(Client c, byte[] key, byte[] value, SetOptions o) {
        Database db = c.db();
        Object old = null;
        if (o.get()) {
            old = readString(c, key);
        }
        boolean exists = o.get() ? old != null : db.exists(key);
        if ((o.nx() && exists) || (o.xx() && !exists)) {
            if (o.get()) replyOld(c, old);
            else c.reply().nullBulk();
            return;
        }
        Entry e = db.set(key, value, o.keepTtl());
        c.server().keyModified(db, key, KeyEvent.STRING, "set");
        if (o.expireAtMillis() >= 0) {
            db.setExpire(e, o.expireAtMillis());
            c.server().notifyKeyspaceEvent(db, key, KeyEvent.GENERIC, "expire");
        }
        if (o.get()) replyOld(c, old);
        else c.reply().ok();
    }

    private static void replyOld(Client c, Object old) {
        if (old == null) c.reply().nullBulk();
        else replyString(c, old);
    }

    static byte[] bytesOf(Object v) {
        return Strings.bytes(v);
    }
}
