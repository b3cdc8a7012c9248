package dev.cairn.command;

import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Entry;
import dev.cairn.keyspace.KeyEvent;
import dev.cairn.server.Client;
import dev.cairn.server.Propagation;
import java.util.Map;

/**
 * Setting, reading and removing TTLs (Redis's expire.c): EXPIRE, PEXPIRE, EXPIREAT,
 * PEXPIREAT, TTL, PTTL, EXPIRETIME, PEXPIRETIME and PERSIST. TTLs are absolute unix
 * milliseconds on the keyspace's clock.
 */
final class ExpireCommands {
    private static final int NX = 1;
    private static final int XX = 2;
    private static final int GT = 4;
    private static final int LT = 8;

    private ExpireCommands() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("expire", c -> expire(c, now(c), true));
        h.put("pexpire", c -> expire(c, now(c), false));
        h.put("expireat", c -> expire(c, 0, true));
        h.put("pexpireat", c -> expire(c, 0, false));
        h.put("ttl", c -> ttl(c, false, false));
        h.put("pttl", c -> ttl(c, true, false));
        h.put("expiretime", c -> ttl(c, false, true));
        h.put("pexpiretime", c -> ttl(c, true, true));
        h.put("persist", ExpireCommands::persist);
    }

    private static long now(Client c) {
        return c.server().keyspace().clock().nowMillis();
    }

    /**
     * The four EXPIRE commands: {@code base} is added to the argument (now for the
     * relative forms, 0 for the absolute ones). A time already past deletes the key.
     */
    static void expire(Client c, long base, boolean seconds) {
        int flags = parseFlags(c);
        long when = c.argLong(2);
        // Negative times are allowed (they delete the key); only overflow is an error.
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) throw invalidTime(c);
            when *= 1000;
        }
        if (when > Long.MAX_VALUE - base) throw invalidTime(c);
        when += base;

        Database db = c.db();
        byte[] key = c.arg(1);
        Entry e = db.lookupWrite(key);
        if (e == null || !conditionHolds(flags, e.expireAt(), when)) {
            c.reply().integer(0);
            return;
        }
        // Redis raises "del" before replying but "expire" after: a subscriber on this
        // connection (RESP3) sees the push and the reply in that order.
        if (when <= now(c) && c.server().keyspace().expiryEnabled()) {
            db.remove(key);
            c.server().keyModified(db, key, KeyEvent.GENERIC, "del");
            c.reply().integer(1);
            c.server().propagation().rewrite(
                    c.server().config().lazyfreeLazyExpire.value() ? Propagation.UNLINK : Propagation.DEL, key);
        } else {
            db.setExpire(e, when);
            c.reply().integer(1);
            c.server().keyModified(db, key, KeyEvent.GENERIC, "expire");
            // Relative or second forms propagate as the absolute time in milliseconds.
            if (base != 0 || seconds) c.server().propagation().rewrite(PEXPIREAT, key, Propagation.number(when));
        }
    }

    private static final byte[] PEXPIREAT = Propagation.word("PEXPIREAT");

    private static CommandError invalidTime(Client c) {
        return new CommandError("ERR invalid expire time in '" + c.command().name() + "' command");
    }

    /** NX, XX, GT and LT, in any case and any number of times; the text of each conflict as Redis words it. */
    private static int parseFlags(Client c) {
        int flags = 0;
        for (int i = 3; i < c.argc(); i++) {
            if (c.argIs(i, "nx")) flags |= NX;
            else if (c.argIs(i, "xx")) flags |= XX;
            else if (c.argIs(i, "gt")) flags |= GT;
            else if (c.argIs(i, "lt")) flags |= LT;
            else throw new CommandError("ERR Unsupported option " + CommandError.printed(c.argString(i)));
        }
        if ((flags & NX) != 0 && (flags & (XX | GT | LT)) != 0) {
            throw new CommandError("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if ((flags & GT) != 0 && (flags & LT) != 0) {
            throw new CommandError("ERR GT and LT options at the same time are not compatible");
        }
        return flags;
    }

    /** Whether the options allow replacing {@code current} (-1: no TTL, an infinite one) by {@code when}. */
    private static boolean conditionHolds(int flags, long current, long when) {
        if ((flags & NX) != 0 && current != -1) return false;
        if ((flags & XX) != 0 && current == -1) return false;
        if ((flags & GT) != 0 && (current == -1 || when <= current)) return false;
        return (flags & LT) == 0 || current == -1 || when < current;
    }

    /**
     * TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 for a missing key, -1 for one without TTL,
     * otherwise the remaining time (or the absolute time), never below 0. Seconds are
     * rounded to the nearest.
     */
    static void ttl(Client c, boolean millis, boolean absolute) {
        Entry e = c.db().lookupRead(c.arg(1), false, true);
        if (e == null) {
            c.reply().integer(-2);
            return;
        }
        long expireAt = e.expireAt();
        if (expireAt == -1) {
            c.reply().integer(-1);
            return;
        }
        long t = Math.max(0, absolute ? expireAt : expireAt - now(c));
        // (t + 500) / 1000 without overflowing near Long.MAX_VALUE.
        c.reply().integer(millis ? t : t / 1000 + (t % 1000 + 500) / 1000);
    }

    static void persist(Client c) {
        Database db = c.db();
        byte[] key = c.arg(1);
        Entry e = db.lookupWrite(key);
        if (e == null || e.expireAt() == -1) {
            c.reply().integer(0);
            return;
        }
        db.persist(e);
        c.server().keyModified(db, key, KeyEvent.GENERIC, "persist");
        c.reply().integer(1);
    }
}
