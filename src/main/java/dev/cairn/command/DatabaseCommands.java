package dev.cairn.command;

import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Entry;
import dev.cairn.keyspace.KeyEvent;
import dev.cairn.keyspace.Keyspace;
import dev.cairn.server.Client;
import dev.cairn.server.Server;
import dev.cairn.types.RawString;
import dev.cairn.types.Strings;
import dev.cairn.types.CollectionValue;
import dev.cairn.types.ValueType;
import java.util.Arrays;
import java.util.Map;

/**
 * Commands that work across databases or on a whole database: SWAPDB, MOVE, COPY,
 * FLUSHDB, FLUSHALL and DBSIZE (SELECT is a connection command).
 */
final class DatabaseCommands {
    private DatabaseCommands() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("swapdb", DatabaseCommands::swapdb);
        h.put("move", DatabaseCommands::move);
        h.put("copy", DatabaseCommands::copy);
        h.put("flushdb", DatabaseCommands::flushdb);
        h.put("flushall", DatabaseCommands::flushall);
        h.put("dbsize", c -> c.reply().integer(c.db().size()));
    }

    /**
     * An argument as a C int, as Redis's getIntFromObjectOrReply: {@code error} replaces
     * both the "not an integer" and the "out of range" texts when given.
     */
    private static int argInt(Client c, int i, String error) {
        if (error == null) return c.argInt(i);
        try {
            return c.argInt(i);
        } catch (CommandError e) {
            throw new CommandError(error);
        }
    }

    /** A database index argument: an int that names an existing database. */
    private static Database argDatabase(Client c, int i) {
        int index = argInt(c, i, null);
        Keyspace keyspace = c.server().keyspace();
        if (index < 0 || index >= keyspace.count()) throw new CommandError(CommandError.DB_INDEX);
        return keyspace.db(index);
    }

    /**
     * Exchanges two databases' contents. Clients stay on their index, so each now sees
     * the other's keys. Swapping a database with itself still counts as a change.
     */
    static void swapdb(Client c) {
        int first = argInt(c, 1, "ERR invalid first DB index");
        int second = argInt(c, 2, "ERR invalid second DB index");
        Keyspace keyspace = c.server().keyspace();
        if (first < 0 || first >= keyspace.count() || second < 0 || second >= keyspace.count()) {
            throw new CommandError(CommandError.DB_INDEX);
        }
        if (first != second) {
            // Watchers of a key present on either side see it change.
            var watched = c.server().watchedKeys();
            watched.touchAllInDb(keyspace.db(first), keyspace.db(second));
            watched.touchAllInDb(keyspace.db(second), keyspace.db(first));
            keyspace.swap(first, second);
            c.server().blockedClients().databasesSwapped(keyspace.db(first), keyspace.db(second));
        }
        c.server().addDirty(1);
        c.reply().ok();
    }

    /** Moves a key with its TTL to another database, only if the name is free there. */
    static void move(Client c) {
        Database src = c.db();
        Database dst = argDatabase(c, 2);
        if (src == dst) throw new CommandError(KeyCommands.SAME_OBJECT);
        byte[] key = c.arg(1);
        Entry e = src.lookupWrite(key);
        if (e == null || dst.lookupWrite(key) != null) {
            c.reply().integer(0);
            return;
        }
        long expireAt = e.expireAt();
        Entry moved = dst.add(key, e.value());
        if (expireAt != -1) dst.setExpire(moved, expireAt);
        src.remove(key);
        Server server = c.server();
        server.signalModifiedKey(src, key);
        server.signalModifiedKey(dst, key);
        server.notifyKeyspaceEvent(src, key, KeyEvent.GENERIC, "move_from");
        server.notifyKeyspaceEvent(dst, key, KeyEvent.GENERIC, "move_to");
        server.addDirty(1);
        c.reply().integer(1);
    }

    /** COPY source destination [DB destination-db] [REPLACE]: an independent copy with the same TTL. */
    static void copy(Client c) {
        Database src = c.db();
        Database dst = src;
        boolean replace = false;
        for (int i = 3; i < c.argc(); i++) {
            if (c.argIs(i, "replace")) {
                replace = true;
            } else if (c.argIs(i, "db") && i + 1 < c.argc()) {
                dst = argDatabase(c, ++i);
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        byte[] from = c.arg(1);
        byte[] to = c.arg(2);
        if (src == dst && Arrays.equals(from, to)) throw new CommandError(KeyCommands.SAME_OBJECT);
        Entry e = src.lookupRead(from);
        if (e == null) {
            c.reply().integer(0);
            return;
        }
        if (dst.lookupWrite(to) != null) {
            if (!replace) {
                c.reply().integer(0);
                return;
            }
            dst.remove(to);
        }
        long expireAt = e.expireAt();
        Entry copied = dst.add(to, duplicate(e.value()));
        if (expireAt != -1) dst.setExpire(copied, expireAt);
        c.server().keyModified(dst, to, KeyEvent.GENERIC, "copy_to");
        c.reply().integer(1);
    }

    /**
     * A copy of a value that changes independently of the original. A plain byte[]
     * string is never modified in place, so it can be shared; a RawString is.
     */
    static Object duplicate(Object value) {
        return switch (ValueType.of(value)) {
            case STRING -> value instanceof RawString raw ? duplicate(raw) : Strings.duplicate((byte[]) value);
            default -> ((CollectionValue) value).copy();
        };
    }

    /** A raw string's copy; INCRBYFLOAT's unmodified text stays text (an embstr to OBJECT ENCODING). */
    private static RawString duplicate(RawString raw) {
        return raw.modified() ? new RawString(raw.toBytes(), 0) : RawString.text(raw.toBytes());
    }

    /** FLUSHDB [ASYNC | SYNC]; the JVM frees memory in the background, so the modes are alike. */
    static void flushdb(Client c) {
        checkFlushMode(c);
        c.server().watchedKeys().touchAllInDb(c.db(), null);
        c.server().tracking().flushed();
        c.server().blockedClients().databaseEmptying(c.db());
        c.server().addDirty(c.db().clear());
        // Propagated even when the database was already empty (as Redis).
        c.server().propagation().force();
        c.reply().ok();
    }

    static void flushall(Client c) {
        checkFlushMode(c);
        Keyspace keyspace = c.server().keyspace();
        for (int i = 0; i < keyspace.count(); i++) {
            c.server().watchedKeys().touchAllInDb(keyspace.db(i), null);
            c.server().blockedClients().databaseEmptying(keyspace.db(i));
        }
        c.server().tracking().flushed();
        c.server().addDirty(keyspace.flushAll());
        // As Redis: a running BGSAVE is stopped, and with save points the empty dataset is saved.
        c.server().rdb().afterFlushAll();
        // Propagated even when the dataset was already empty (as Redis).
        c.server().propagation().force();
        c.reply().ok();
    }

    private static void checkFlushMode(Client c) {
        if (c.argc() == 1) return;
        if (c.argc() == 2 && (c.argIs(1, "sync") || c.argIs(1, "async"))) return;
        throw new CommandError(CommandError.SYNTAX);
    }
}
