package dev.cairn.command;

import dev.cairn.config.Config;
import dev.cairn.keyspace.AccessClock;
import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Entry;
import dev.cairn.persistence.QuicklistNodes;
import dev.cairn.persistence.RdbWriter;
import dev.cairn.protocol.Numbers;
import dev.cairn.protocol.Reply;
import dev.cairn.server.Client;
import dev.cairn.types.CollectionValue;
import dev.cairn.types.ListValue;
import dev.cairn.types.Strings;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DEBUG: test and diagnosis aids. One command with its own subcommand dispatch, as in
 * Redis (DEBUG is not a container command). Whether it may run at all is decided by
 * the dispatcher from {@code enable-debug-command}, since DEBUG is a protected command.
 */
final class DebugCommand {
    /** C's strtod/atoi accept a numeric prefix and ignore the rest ("0.5s" is 0.5). */
    private static final Pattern NUMBER_PREFIX = Pattern.compile("^\\s*[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern INTEGER_PREFIX = Pattern.compile("^\\s*[-+]?\\d+");
    /** Redis shares one object for each of the integers 0..9999 (OBJ_SHARED_INTEGERS). */
    private static final int SHARED_INTEGERS = 10000;

    private DebugCommand() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("debug", DebugCommand::debug);
    }

    static void debug(Client c) {
        String sub = c.argString(1).toLowerCase(Locale.ROOT);
        int argc = c.argc();
        switch (sub) {
            case "help" -> {
                if (argc != 2) throw SubcommandHelp.wrongUsage(c);
                help(c);
            }
            case "sleep" -> {
                if (argc != 3) throw SubcommandHelp.wrongUsage(c);
                sleep(c);
            }
            case "set-active-expire" -> {
                if (argc != 3) throw SubcommandHelp.wrongUsage(c);
                c.server().activeExpiry().enabled(atoi(c.argString(2)) != 0);
                c.reply().ok();
            }
            case "object" -> {
                if (argc != 3) throw SubcommandHelp.wrongUsage(c);
                object(c);
            }
            case "digest" -> {
                if (argc != 2) throw SubcommandHelp.wrongUsage(c);
                c.reply().status(DatasetDigest.hex(new DatasetDigest().ofDataset(c.server().keyspace())));
            }
            case "digest-value" -> digestValue(c);
            case "reload" -> reload(c);
            case "populate" -> {
                if (argc < 3 || argc > 5) throw SubcommandHelp.wrongUsage(c);
                populate(c);
            }
            case "error" -> {
                if (argc != 3) throw SubcommandHelp.wrongUsage(c);
                // The text is the whole error, code included, for clients' error handling tests.
                throw new CommandError(c.argString(2));
            }
            case "loadaof" -> {
                if (argc != 2) throw SubcommandHelp.wrongUsage(c);
                try {
                    c.server().aof().reload();
                } catch (java.io.IOException e) {
                    // As Redis, which exits when the files it just wrote cannot be loaded.
                    c.server().log().warning(e.getMessage());
                    Runtime.getRuntime().halt(1);
                }
                // The dataset now is what the AOF holds: nothing to propagate (Redis zeroes dirty),
                // and every tracked key is invalid.
                c.server().propagation().prevent();
                c.server().tracking().flushed();
                c.reply().ok();
            }
            case "log" -> {
                if (argc != 3) throw SubcommandHelp.wrongUsage(c);
                c.server().log().warning("DEBUG LOG: " + c.argString(2));
                c.reply().ok();
            }
            default -> throw SubcommandHelp.wrongUsage(c);
        }
    }

    /**
     * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save the RDB file, empty the dataset and load
     * the file again (NOSAVE: do not save first; NOFLUSH: keep the data; MERGE: keys in the
     * file replace existing ones instead of being an error).
     */
    private static void reload(Client c) {
        boolean save = true;
        boolean flush = true;
        boolean merge = false;
        for (int i = 2; i < c.argc(); i++) {
            if (c.argIs(i, "merge")) merge = true;
            else if (c.argIs(i, "noflush")) flush = false;
            else if (c.argIs(i, "nosave")) save = false;
            else throw new CommandError("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
        }
        String error = c.server().rdb().reload(save, flush, merge);
        if (error != null) throw new CommandError(error);
        // The dataset was emptied: tracking clients are told all their keys are invalid (Redis's emptyData).
        if (flush) c.server().tracking().flushed();
        c.reply().ok();
    }

    /** Blocks the server for the given seconds (decimals allowed), as Redis does. */
    private static void sleep(Client c) {
        long micros = (long) (strtod(c.argString(2)) * 1_000_000);
        if (micros > 0) {
            try {
                Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        c.reply().ok();
    }

    /**
     * Redis's one-line description of a value. Small integers are Redis's shared
     * objects: their refcount is INT_MAX and their LRU clock is that of server start.
     */
    private static void object(Client c) {
        Entry e = c.db().find(c.arg(2));
        if (e == null) throw new CommandError(CommandError.NO_SUCH_KEY);
        Object value = e.value();
        Config config = c.server().config();
        int fill = (int) config.listMaxListpackSize.value();
        long serializedLength = RdbWriter.serializedLength(value, config.rdbcompression.value(), fill);
        String encoding = KeyCommands.encoding(value);
        AccessClock clock = c.server().keyspace().clock();
        int lru = e.access();
        long refcount = 1;
        if (encoding.equals("int")) {
            long n = Numbers.parseStrictLong(Strings.bytes(value));
            if (n >= 0 && n < SHARED_INTEGERS) {
                refcount = Integer.MAX_VALUE;
                lru = (int) ((c.server().startMillis() / 1000) & 0xFFFFFF);
            }
        }
        String address = String.format("0x7f%010x", (long) System.identityHashCode(value) << 4);
        c.reply().status("Value at:" + address + " refcount:" + refcount + " encoding:" + encoding
                + " serializedlength:" + serializedLength + " lru:" + lru
                + " lru_seconds_idle:" + clock.idleSeconds(lru) + quicklistDetails(value, fill, config));
    }

    /** What Redis adds for a list: its quicklist's nodes (as Redis would have them), fill and sizes. */
    private static String quicklistDetails(Object value, int fill, Config config) {
        if (!(value instanceof ListValue list)) return "";
        List<QuicklistNodes.Node> nodes = QuicklistNodes.of(list, fill);
        long bytes = 0;
        for (QuicklistNodes.Node n : nodes) bytes += n.data().length;
        return " ql_nodes:" + nodes.size()
                + " ql_avg_node:" + String.format(Locale.ROOT, "%.2f", (double) list.length() / nodes.size())
                + " ql_listpack_max:" + fill
                + " ql_compressed:" + (config.listCompressDepth.value() != 0 ? 1 : 0)
                + " ql_uncompressed_size:" + bytes;
    }

    /** Per-key digests; like Redis it sees keys whose TTL has passed but are still stored. */
    private static void digestValue(Client c) {
        DatasetDigest digest = new DatasetDigest();
        Reply r = c.reply();
        String[] digests = new String[c.argc() - 2];
        for (int i = 2; i < c.argc(); i++) digests[i - 2] = DatasetDigest.hex(digest.ofValue(c.db().find(c.arg(i))));
        r.array(digests.length);
        for (String d : digests) r.status(d);
    }

    /**
     * Creates {@code count} string keys {@code prefix:N} holding {@code value:N},
     * optionally padded with zero bytes (or cut) to {@code size}. Existing keys are left
     * alone. Like Redis it neither counts changes for persistence nor notifies.
     */
    private static void populate(Client c) {
        long count = positiveLong(c, 2);
        long size = c.argc() == 5 ? positiveLong(c, 4) : 0;
        String prefix = c.argc() >= 4 ? c.argString(3) : "key";
        Database db = c.db();
        for (long j = 0; j < count; j++) {
            byte[] key = (prefix + ":" + j).getBytes(StandardCharsets.ISO_8859_1);
            // Redis formats the key into a 128-byte buffer.
            if (key.length > 127) key = Arrays.copyOf(key, 127);
            if (db.lookupWrite(key) != null) continue;
            byte[] value = ("value:" + j).getBytes(StandardCharsets.US_ASCII);
            if (size > 0) value = Arrays.copyOf(value, (int) Math.min(size, Integer.MAX_VALUE - 8));
            db.add(key, value);
        }
        c.reply().ok();
    }

    private static long positiveLong(Client c, int i) {
        Long n = Numbers.parseStrictLong(c.arg(i));
        if (n == null || n < 0) throw new CommandError("ERR value is out of range, must be positive");
        return n;
    }

    private static double strtod(String text) {
        Matcher m = NUMBER_PREFIX.matcher(text);
        return m.find() ? Double.parseDouble(m.group()) : 0;
    }

    private static long atoi(String text) {
        Matcher m = INTEGER_PREFIX.matcher(text);
        if (!m.find()) return 0;
        try {
            return Long.parseLong(m.group().strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void help(Client c) {
        SubcommandHelp.reply(c, "DEBUG",
                "DIGEST",
                "    Output a hex signature representing the current DB content.",
                "DIGEST-VALUE <key> [<key> ...]",
                "    Output a hex signature of the values of all the specified keys.",
                "ERROR <string>",
                "    Return a Redis protocol error with <string> as message. Useful for clients",
                "    unit tests to simulate Redis errors.",
                "LOG <message>",
                "    Write <message> to the server log.",
                "OBJECT <key>",
                "    Show low level info about `key` and associated value.",
                "POPULATE <count> [<prefix>] [<size>]",
                "    Create <count> string keys named key:<num>. If <prefix> is specified then",
                "    it is used instead of the 'key' prefix. These are not propagated to",
                "    replicas. Cluster slots are not respected so keys not belonging to the",
                "    current node can be created in cluster mode.",
                "SET-ACTIVE-EXPIRE <0|1>",
                "    Setting it to 0 disables expiring keys in background when they are not",
                "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
                "    default.",
                "SLEEP <seconds>",
                "    Stop the server for <seconds>. Decimals allowed.");
    }
}
