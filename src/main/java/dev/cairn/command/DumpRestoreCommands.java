package dev.cairn.command;

import dev.cairn.config.Config;
import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Entry;
import dev.cairn.keyspace.KeyEvent;
import dev.cairn.persistence.RdbFormatException;
import dev.cairn.persistence.RdbReader;
import dev.cairn.persistence.RdbWriter;
import dev.cairn.server.Client;
import java.util.Map;

/**
 * DUMP and RESTORE: a value in Redis's serialized form (an RDB value, the RDB version and
 * a CRC64), so keys move between Cairn and redis-server both ways. The codec lives in the
 * persistence package.
 */
final class DumpRestoreCommands {
    private static final String BAD_PAYLOAD = "ERR DUMP payload version or checksum are wrong";
    private static final String BAD_DATA = "ERR Bad data format";
    private static final String BUSY_KEY = "BUSYKEY Target key name already exists.";
    /** Redis's LRU_CLOCK_MAX: the 24-bit access clock wraps there. */
    private static final long LRU_CLOCK_MAX = (1 << 24) - 1;

    private DumpRestoreCommands() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("dump", DumpRestoreCommands::dump);
        h.put("restore", DumpRestoreCommands::restore);
    }

    private static void dump(Client c) {
        Entry e = c.db().lookupRead(c.arg(1));
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        Config config = c.server().config();
        c.reply().bulk(RdbWriter.dumpPayload(e.value(), config.rdbcompression.value(),
                (int) config.listMaxListpackSize.value()));
    }

    /** RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency], checked in Redis's order. */
    private static void restore(Client c) {
        boolean replace = false;
        boolean absttl = false;
        long idle = -1;
        long freq = -1;
        for (int j = 4; j < c.argc(); j++) {
            boolean more = j + 1 < c.argc();
            if (c.argIs(j, "replace")) {
                replace = true;
            } else if (c.argIs(j, "absttl")) {
                absttl = true;
            } else if (c.argIs(j, "idletime") && more && freq == -1) {
                idle = c.argLong(++j);
                if (idle < 0) throw new CommandError("ERR Invalid IDLETIME value, must be >= 0");
            } else if (c.argIs(j, "freq") && more && idle == -1) {
                freq = c.argLong(++j);
                if (freq < 0 || freq > 255) throw new CommandError("ERR Invalid FREQ value, must be >= 0 and <= 255");
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        Database db = c.db();
        byte[] key = c.arg(1);
        if (!replace && db.lookupWrite(key) != null) throw new CommandError(BUSY_KEY);
        long ttl = c.argLong(2);
        if (ttl < 0) throw new CommandError("ERR Invalid TTL value, must be >= 0");
        byte[] payload = c.arg(3);
        if (!RdbReader.verifyDumpPayload(payload)) throw new CommandError(BAD_PAYLOAD);
        Config config = c.server().config();
        // "clients" sanitizes what normal clients send; Cairn has no master or AOF client yet.
        boolean sanitize = !config.sanitizeDumpPayload.value().equals("no");
        Object value;
        try {
            value = RdbReader.readDumpPayload(payload, sanitize, RdbReader.Limits.of(config));
        } catch (RdbFormatException e) {
            throw new CommandError(BAD_DATA);
        }
        boolean deleted = replace && db.delete(key);
        if (ttl != 0 && !absttl) ttl += c.server().keyspace().clock().nowMillis();
        if (ttl != 0 && ttl <= c.server().keyspace().clock().nowMillis()) {
            // Already expired: nothing is created, but a replaced key is gone.
            if (deleted) {
                c.server().keyModified(db, key, KeyEvent.GENERIC, "del");
                c.server().propagation().rewrite(c.server().config().lazyfreeLazyServerDel.value()
                        ? dev.cairn.server.Propagation.UNLINK : dev.cairn.server.Propagation.DEL, key);
            }
            c.reply().ok();
            return;
        }
        Entry e = db.add(key, value);
        if (ttl != 0) {
            e = db.setExpire(e, ttl);
            // A relative TTL is propagated as the absolute time it stands for.
            if (!absttl) {
                byte[][] argv = java.util.Arrays.copyOf(c.argv(), c.argc() + 1);
                argv[2] = dev.cairn.server.Propagation.number(ttl);
                argv[c.argc()] = dev.cairn.server.Propagation.word("ABSTTL");
                c.server().propagation().rewrite(argv);
            }
        }
        if (idle >= 0) {
            // Redis's objectSetLRUOrLFU without an LFU policy: the access time idle seconds ago.
            long clock = c.server().keyspace().clock().lruNow() - idle;
            if (clock < 0) clock += LRU_CLOCK_MAX;
            e.access((int) clock);
        }
        c.server().keyModified(db, key, KeyEvent.GENERIC, "restore");
        c.reply().ok();
    }
}
