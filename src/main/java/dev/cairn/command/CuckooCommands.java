package dev.cairn.command;

import dev.cairn.keyspace.KeyEvent;
import dev.cairn.protocol.Numbers;
import dev.cairn.server.Client;
import dev.cairn.types.CuckooFilter;
import dev.cairn.types.ValueType;
import java.util.Map;

/**
 * The Cuckoo filter commands (RedisBloom's CF.*) on {@link CuckooFilter} values, with the
 * replies and error texts RedisBloom documents. In RESP3 the yes/no answers are booleans
 * and CF.INFO is a map; CF.INSERT's and CF.INSERTNX's per-item codes stay integers (they
 * can be -1). A filter that cannot take an item answers RedisBloom's module errors, which
 * carry no ERR code: {@code Filter is full} (expansion 0) and {@code Maximum expansions
 * reached} (32 sub-filters).
 *
 * <p>Every change raises a keyspace notification of class generic ({@code g}) named after
 * the command ({@code cf.reserve}, {@code cf.add}, {@code cf.addnx}, {@code cf.insert},
 * {@code cf.insertnx}, {@code cf.del}, {@code cf.loadchunk}).
 */
final class CuckooCommands {
    private CuckooCommands() {}

    static final String FULL = "Filter is full";
    static final String MAX_EXPANSIONS = "Maximum expansions reached";

    private static final String[] INFO_LABELS = {"Size", "Number of buckets", "Number of filters",
        "Number of items inserted", "Number of items deleted", "Bucket size", "Expansion rate", "Max iterations"};

    static void register(Map<String, CommandHandler> h) {
        h.put("cf.reserve", CuckooCommands::reserve);
        h.put("cf.add", c -> add(c, false));
        h.put("cf.addnx", c -> add(c, true));
        h.put("cf.insert", c -> insert(c, false));
        h.put("cf.insertnx", c -> insert(c, true));
        h.put("cf.exists", CuckooCommands::exists);
        h.put("cf.mexists", CuckooCommands::mexists);
        h.put("cf.del", CuckooCommands::del);
        h.put("cf.count", CuckooCommands::count);
        h.put("cf.info", CuckooCommands::info);
        h.put("cf.scandump", c -> FilterChunks.scandump(c, ValueType.CUCKOO));
        h.put("cf.loadchunk", c -> FilterChunks.loadchunk(c, ValueType.CUCKOO, b -> CuckooFilter.fromHeader(b, false), "cf.loadchunk"));
    }

    // ---- arguments -------------------------------------------------------------------

    /** An integer option in [min, max], else {@code error}. */
    private static long bounded(Client c, int i, long min, long max, String error) {
        Long v = Numbers.parseStrictLong(c.arg(i));
        if (v == null || v < min || v > max) throw new CommandError(error);
        return v;
    }

    private static long capacity(Client c, int i) {
        return bounded(c, i, 1, Long.MAX_VALUE, "ERR Bad capacity");
    }

    private static CuckooFilter create(long capacity, int bucketSize, int maxIterations, int expansion) {
        CuckooFilter f = CuckooFilter.create(capacity, bucketSize, maxIterations, expansion);
        if (f == null) throw new CommandError("ERR could not create filter");
        return f;
    }

    /** The filter at the key for writing, null if missing; WRONGTYPE for another type. */
    private static CuckooFilter writable(Client c) {
        return ValueLookup.forWrite(c, c.arg(1), ValueType.CUCKOO, CuckooFilter.class);
    }

    private static CuckooFilter readable(Client c) {
        return ValueLookup.forRead(c, c.arg(1), ValueType.CUCKOO, CuckooFilter.class);
    }

    private static CuckooFilter createAt(Client c, long capacity) {
        CuckooFilter f = create(capacity, CuckooFilter.DEFAULT_BUCKET_SIZE, CuckooFilter.DEFAULT_MAX_ITERATIONS,
                CuckooFilter.DEFAULT_EXPANSION);
        c.db().add(c.arg(1), f);
        return f;
    }

    private static String failure(int result) {
        return result == CuckooFilter.MAX_EXPANSIONS ? MAX_EXPANSIONS : FULL;
    }

    // ---- commands --------------------------------------------------------------------

    /** CF.RESERVE key capacity [BUCKETSIZE n] [MAXITERATIONS n] [EXPANSION n] */
    static void reserve(Client c) {
        long capacity = capacity(c, 2);
        int bucketSize = CuckooFilter.DEFAULT_BUCKET_SIZE;
        int maxIterations = CuckooFilter.DEFAULT_MAX_ITERATIONS;
        int expansion = CuckooFilter.DEFAULT_EXPANSION;
        for (int i = 3; i < c.argc(); i += 2) {
            if (i + 1 >= c.argc()) throw new CommandError(CommandError.SYNTAX);
            if (c.argIs(i, "bucketsize")) {
                bucketSize = (int) bounded(c, i + 1, 1, CuckooFilter.MAX_BUCKET_SIZE, "ERR Bad bucket size");
            } else if (c.argIs(i, "maxiterations")) {
                maxIterations = (int) bounded(c, i + 1, 1, CuckooFilter.MAX_ITERATIONS_LIMIT, "ERR Bad max iterations");
            } else if (c.argIs(i, "expansion")) {
                expansion = (int) bounded(c, i + 1, 0, CuckooFilter.MAX_EXPANSION, "ERR Bad expansion");
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        if (c.db().lookupWrite(c.arg(1)) != null) throw new CommandError(BloomCommands.EXISTS);
        c.db().add(c.arg(1), create(capacity, bucketSize, maxIterations, expansion));
        c.reply().ok();
        c.server().keyModified(c.db(), c.arg(1), KeyEvent.GENERIC, "cf.reserve");
    }

    /** CF.ADD key item (added even if present) / CF.ADDNX key item (only if absent). */
    static void add(Client c, boolean onlyNew) {
        CuckooFilter f = writable(c);
        if (f == null) f = createAt(c, CuckooFilter.DEFAULT_CAPACITY);
        String event = onlyNew ? "cf.addnx" : "cf.add";
        if (onlyNew && f.contains(c.arg(2))) {
            c.reply().bool(false);
            return;
        }
        int result = f.insert(c.arg(2));
        // A filter just created takes its first item, so a failure leaves no new key behind.
        if (result != CuckooFilter.ADDED) throw new CommandError(failure(result));
        c.reply().bool(true);
        c.server().keyModified(c.db(), c.arg(1), KeyEvent.GENERIC, event);
    }

    /** CF.INSERT / CF.INSERTNX key [CAPACITY c] [NOCREATE] ITEMS item [item ...] */
    static void insert(Client c, boolean onlyNew) {
        long capacity = CuckooFilter.DEFAULT_CAPACITY;
        boolean noCreate = false;
        int items = -1;
        for (int i = 2; i < c.argc() && items < 0; i++) {
            if (c.argIs(i, "items")) {
                items = i + 1;
            } else if (c.argIs(i, "nocreate")) {
                noCreate = true;
            } else if (c.argIs(i, "capacity") && i + 1 < c.argc()) {
                capacity = capacity(c, ++i);
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        String name = onlyNew ? "cf.insertnx" : "cf.insert";
        if (items < 0 || items >= c.argc()) throw new CommandError("ERR wrong number of arguments for '" + name + "' command");
        CuckooFilter f = writable(c);
        boolean changed = f == null;
        if (f == null) {
            if (noCreate) throw new CommandError(FilterChunks.NOT_FOUND);
            f = createAt(c, capacity);
        }
        c.reply().array(c.argc() - items);
        for (int i = items; i < c.argc(); i++) {
            if (onlyNew && f.contains(c.arg(i))) {
                c.reply().integer(0);
            } else if (f.insert(c.arg(i)) == CuckooFilter.ADDED) {
                if (onlyNew) c.reply().integer(1);
                else c.reply().bool(true);
                changed = true;
            } else {
                c.reply().integer(-1);
            }
        }
        if (changed) c.server().keyModified(c.db(), c.arg(1), KeyEvent.GENERIC, name);
    }

    /** CF.EXISTS key item: 0 for a missing key. */
    static void exists(Client c) {
        CuckooFilter f = readable(c);
        c.reply().bool(f != null && f.contains(c.arg(2)));
    }

    /** CF.MEXISTS key item [item ...] */
    static void mexists(Client c) {
        CuckooFilter f = readable(c);
        c.reply().array(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) c.reply().bool(f != null && f.contains(c.arg(i)));
    }

    /** CF.DEL key item: removes one occurrence. */
    static void del(Client c) {
        CuckooFilter f = writable(c);
        if (f == null) throw new CommandError(FilterChunks.NOT_FOUND);
        boolean deleted = f.delete(c.arg(2));
        c.reply().bool(deleted);
        if (deleted) c.server().keyModified(c.db(), c.arg(1), KeyEvent.GENERIC, "cf.del");
    }

    /** CF.COUNT key item: 0 for a missing key. */
    static void count(Client c) {
        CuckooFilter f = readable(c);
        c.reply().integer(f == null ? 0 : f.count(c.arg(2)));
    }

    /** CF.INFO key */
    static void info(Client c) {
        CuckooFilter f = readable(c);
        if (f == null) throw new CommandError(FilterChunks.NOT_FOUND);
        long[] values = {f.bytes(), f.buckets(), f.filters(), f.size(), f.deleted(), f.bucketSize(), f.expansion(),
            f.maxIterations()};
        if (c.reply().resp3()) c.reply().map(values.length);
        else c.reply().array(values.length * 2L);
        for (int k = 0; k < values.length; k++) {
            c.reply().status(INFO_LABELS[k]);
            c.reply().integer(values[k]);
        }
    }
}
