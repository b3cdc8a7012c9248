package dev.cairn.command;

import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Entry;
import dev.cairn.protocol.Reply;
import dev.cairn.server.Client;
import dev.cairn.server.ProcessMemory;
import dev.cairn.server.Server;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MEMORY USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE and HELP. Key sizes follow Redis's
 * accounting ({@link MemoryFootprint}); the process figures are the JVM heap's (see
 * {@link ProcessMemory}) under Redis's field names.
 */
final class MemoryCommand {
    private static final long FIVE_MB = 5L * 1024 * 1024;

    private MemoryCommand() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("memory|usage", MemoryCommand::usage);
        h.put("memory|stats", MemoryCommand::stats);
        h.put("memory|doctor", c -> c.reply().verbatim(doctor(c.server())));
        h.put("memory|malloc-stats", c -> c.reply().bulk("Stats not supported for the current allocator"));
        h.put("memory|purge", MemoryCommand::purge);
        h.put("memory|help", MemoryCommand::help);
    }

    /**
     * Redis accepts any number of SAMPLES options (the last wins); a value that is not a
     * number, or is negative, is an error. Sampling matters only for aggregate values.
     */
    static void usage(Client c) {
        long samples = MemoryFootprint.DEFAULT_SAMPLES;
        for (int j = 3; j < c.argc(); j++) {
            if (c.argIs(j, "samples") && j + 1 < c.argc()) {
                samples = c.argLong(++j);
                if (samples < 0) throw new CommandError(CommandError.SYNTAX);
                // 0 measures every element.
                if (samples == 0) samples = Long.MAX_VALUE;
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        // Like Redis, a key whose TTL has passed but is still stored is measured.
        Entry e = c.db().find(c.arg(2));
        if (e == null) c.reply().nullBulk();
        else c.reply().integer(MemoryFootprint.ofKey(e.key(), e.value(), samples, c.server().config()));
    }

    /** The numbers MEMORY STATS reports, computed once per call. */
    private record Overhead(long used, long startup, long peak, long clients, List<long[]> dbs, long total,
                            long keys) {
        static Overhead of(Server server) {
            long clients = server.eviction().refreshClientsMemory();
            long used = server.eviction().usedMemory();
            long startup = server.eviction().startupMemory();
            long peak = Math.max(server.stats().peakMemory, used);
            long total = startup + clients + server.scripting().scriptsMemory();
            long keys = 0;
            List<long[]> dbs = new ArrayList<>();
            for (int i = 0; i < server.keyspace().count(); i++) {
                Database db = server.keyspace().db(i);
                if (db.size() == 0) continue;
                long main = db.size() * (MemoryFootprint.DICT_ENTRY + MemoryFootprint.OBJECT_HEADER)
                        + buckets(db.size()) * 8;
                long expires = db.expiresCount() * MemoryFootprint.DICT_ENTRY + buckets(db.expiresCount()) * 8;
                dbs.add(new long[] {i, main, expires});
                total += main + expires;
                keys += db.size();
            }
            return new Overhead(used, startup, peak, clients, dbs, total, keys);
        }

        /** Bytes used beyond what the server used at startup (at least 1, as Redis). */
        long net() {
            return used > startup ? used - startup : 1;
        }
    }

    /** The bucket count of a hash table holding n entries: a power of two, at least 4. */
    private static long buckets(long n) {
        if (n == 0) return 0;
        return Math.max(4, Long.highestOneBit(n - 1) << 1);
    }

    static void stats(Client c) {
        Server server = c.server();
        Overhead o = Overhead.of(server);
        long rss = ProcessMemory.residentSetSize();
        // The reserved heap stands for the allocator's active pages, as far as it is resident.
        long active = Math.min(ProcessMemory.committedHeap(), rss);
        long dataset = Math.max(0, o.used() - o.total());
        Reply r = c.reply();
        r.map(27 + o.dbs().size());
        field(r, "peak.allocated", o.peak());
        field(r, "total.allocated", o.used());
        field(r, "startup.allocated", o.startup());
        field(r, "replication.backlog", 0);
        field(r, "clients.slaves", 0);
        field(r, "clients.normal", o.clients());
        field(r, "cluster.links", 0);
        field(r, "aof.buffer", 0);
        field(r, "lua.caches", server.scripting().cachedScriptsMemory());
        field(r, "functions.caches", server.scripting().functionsMemory());
        for (long[] db : o.dbs()) {
            r.bulk("db." + db[0]);
            r.map(3);
            field(r, "overhead.hashtable.main", db[1]);
            field(r, "overhead.hashtable.expires", db[2]);
            field(r, "overhead.hashtable.slot-to-keys", 0);
        }
        field(r, "overhead.total", o.total());
        field(r, "keys.count", o.keys());
        field(r, "keys.bytes-per-key", o.keys() == 0 ? 0 : o.net() / o.keys());
        field(r, "dataset.bytes", dataset);
        ratio(r, "dataset.percentage", (float) dataset * 100 / o.net());
        ratio(r, "peak.percentage", (float) o.used() * 100 / o.peak());
        // The allocator's figures are the JVM heap's: in use (garbage included) and committed.
        long heap = ProcessMemory.usedMemory();
        field(r, "allocator.allocated", heap);
        field(r, "allocator.active", active);
        field(r, "allocator.resident", rss);
        ratio(r, "allocator-fragmentation.ratio", (float) active / heap);
        field(r, "allocator-fragmentation.bytes", active - heap);
        ratio(r, "allocator-rss.ratio", (float) rss / active);
        field(r, "allocator-rss.bytes", rss - active);
        ratio(r, "rss-overhead.ratio", 1f);
        field(r, "rss-overhead.bytes", 0);
        ratio(r, "fragmentation", (float) rss / o.used());
        field(r, "fragmentation.bytes", rss - o.used());
    }

    private static void field(Reply r, String name, long value) {
        r.bulk(name);
        r.integer(value);
    }

    /** Redis computes its ratios in single precision and prints them as doubles. */
    private static void ratio(Reply r, String name, float value) {
        r.bulk(name);
        r.doubleValue(value);
    }

    /**
     * MEMORY DOCTOR: too little data to judge, big client output buffers, or nothing to
     * report. Redis's allocator checks (fragmentation, RSS, peak) have no meaning for a
     * garbage-collected heap and are not made.
     */
    static String doctor(Server server) {
        Overhead o = Overhead.of(server);
        if (o.used() - o.startup() < FIVE_MB) {
            return "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used "
                    + "in these conditions. Please, leave for your mission on Earth and fill it with some data. The "
                    + "new Sam and I will be back to our programming as soon as I finished rebooting.\n";
        }
        int clients = Math.max(1, server.clients().count());
        if (o.clients() / clients > 1024 * 200) {
            return "Sam, I detected a few issues in this Redis instance memory implants:\n\n"
                    + " * Big client buffers: The clients output buffers in this instance are greater than 200K per "
                    + "client (on average). This may result from different causes, like Pub/Sub clients subscribed "
                    + "to channels bot not receiving data fast enough, so that data piles on the Redis instance "
                    + "output buffer, or clients sending commands with large replies or very large sequences of "
                    + "commands in the same pipeline. Please use the CLIENT LIST command in order to investigate the "
                    + "issue if it causes problems in your instance, or to understand better why certain clients "
                    + "are using a big amount of memory.\n\n"
                    + "I'm here to keep you safe, Sam. I want to help you.\n";
        }
        return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this "
                + "base.\n";
    }

    /** The JVM's equivalent of asking the allocator to return free pages: a collection. */
    static void purge(Client c) {
        System.gc();
        c.reply().ok();
    }

    static void help(Client c) {
        SubcommandHelp.reply(c, "MEMORY",
                "DOCTOR",
                "    Return memory problems reports.",
                "MALLOC-STATS",
                "    Return internal statistics report from the memory allocator.",
                "PURGE",
                "    Attempt to purge dirty pages for reclamation by the allocator.",
                "STATS",
                "    Return information about the memory usage of the server.",
                "USAGE <key> [SAMPLES <count>]",
                "    Return memory in bytes used by <key> and its value. Nested values are",
                "    sampled up to <count> times (default: 5, 0 means sample all).");
    }
}
