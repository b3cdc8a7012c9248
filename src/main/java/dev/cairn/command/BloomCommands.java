package dev.cairn.command;

import dev.cairn.keyspace.KeyEvent;
import dev.cairn.protocol.Numbers;
import dev.cairn.server.Client;
import dev.cairn.types.BloomFilter;
import dev.cairn.types.ValueType;
import java.util.Map;

/**
 * The Bloom filter commands (RedisBloom's BF.*) on {@link BloomFilter} values, with the
 * replies and error texts RedisBloom documents. In RESP3 the per-item answers are
 * booleans and BF.INFO is a map, as RedisBloom's RESP3 replies are.
 *
 * <p>Every change raises a keyspace notification of class generic ({@code g}) named
 * after the command ({@code bf.reserve}, {@code bf.add}, {@code bf.madd}, {@code bf.insert},
 * {@code bf.loadchunk}), raised only when the command created the filter or added an item.
 */
final class BloomCommands {
    private BloomCommands() {}

    static final String FULL = "ERR non scaling filter is full";
    static final String EXISTS = "ERR item exists";

    /** BF.INFO's fields: the option that asks for one, and its label in the full reply. */
    private static final String[] INFO_FIELDS = {"capacity", "size", "filters", "items", "expansion"};
    private static final String[] INFO_LABELS = {"Capacity", "Size", "Number of filters", "Number of items inserted", "Expansion rate"};

    static void register(Map<String, CommandHandler> h) {
        h.put("bf.reserve", BloomCommands::reserve);
        h.put("bf.add", BloomCommands::add);
        h.put("bf.madd", BloomCommands::madd);
        h.put("bf.insert", BloomCommands::insert);
        h.put("bf.exists", BloomCommands::exists);
        h.put("bf.mexists", BloomCommands::mexists);
        h.put("bf.info", BloomCommands::info);
        h.put("bf.card", BloomCommands::card);
        h.put("bf.scandump", c -> FilterChunks.scandump(c, ValueType.BLOOM));
        h.put("bf.loadchunk", c -> FilterChunks.loadchunk(c, ValueType.BLOOM, b -> BloomFilter.fromHeader(b, false), "bf.loadchunk"));
    }

    // ---- arguments -------------------------------------------------------------------

    private static double errorRate(Client c, int i) {
        Double v = Numbers.parseDouble(c.arg(i));
        if (v == null) throw new CommandError("ERR bad error rate");
        if (!(v > 0 && v < 1)) throw new CommandError("ERR (0 < error rate range < 1)");
        return v;
    }

    private static long capacity(Client c, int i) {
        Long v = Numbers.parseStrictLong(c.arg(i));
        if (v == null) throw new CommandError("ERR bad capacity");
        if (v <= 0) throw new CommandError("ERR (capacity should be larger than 0)");
        return v;
    }

    private static int expansion(Client c, int i) {
        Long v = Numbers.parseStrictLong(c.arg(i));
        if (v == null || v < 1 || v > Integer.MAX_VALUE) throw new CommandError("ERR bad expansion");
        return (int) (long) v;
    }

    private static BloomFilter create(double errorRate, long capacity, int expansion) {
        BloomFilter f = BloomFilter.create(errorRate, capacity, expansion);
        if (f == null) throw new CommandError("ERR could not create filter");
        return f;
    }

    /** The filter at the key for writing, null if missing; WRONGTYPE for another type. */
    private static BloomFilter writable(Client c) {
        return ValueLookup.forWrite(c, c.arg(1), ValueType.BLOOM, BloomFilter.class);
    }

    private static BloomFilter readable(Client c) {
        return ValueLookup.forRead(c, c.arg(1), ValueType.BLOOM, BloomFilter.class);
    }

    /** A filter with RedisBloom's default settings, stored at the (missing) key. */
    private static BloomFilter createDefault(Client c) {
        BloomFilter f = create(BloomFilter.DEFAULT_ERROR_RATE, BloomFilter.DEFAULT_CAPACITY, BloomFilter.DEFAULT_EXPANSION);
        c.db().add(c.arg(1), f);
        return f;
    }

    /** One item's answer: 1 or 0 (true or false in RESP3). */
    private static void flag(Client c, boolean yes) {
        c.reply().bool(yes);
    }

    // ---- commands --------------------------------------------------------------------

    /** BF.RESERVE key error_rate capacity [EXPANSION n] [NONSCALING] */
    static void reserve(Client c) {
        double errorRate = errorRate(c, 2);
        long capacity = capacity(c, 3);
        int expansion = BloomFilter.DEFAULT_EXPANSION;
        boolean nonScaling = false;
        for (int i = 4; i < c.argc(); i++) {
            if (c.argIs(i, "nonscaling")) {
                nonScaling = true;
            } else if (c.argIs(i, "expansion") && i + 1 < c.argc()) {
                expansion = expansion(c, ++i);
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        if (c.db().lookupWrite(c.arg(1)) != null) throw new CommandError(EXISTS);
        c.db().add(c.arg(1), create(errorRate, capacity, nonScaling ? 0 : expansion));
        c.reply().ok();
        c.server().keyModified(c.db(), c.arg(1), KeyEvent.GENERIC, "bf.reserve");
    }

    /** BF.ADD key item */
    static void add(Client c) {
        BloomFilter f = writable(c);
        boolean created = f == null;
        if (created) f = createDefault(c);
        int result = f.add(c.arg(2));
        // Only a non-scaling filter, so never one just created, is ever full.
        if (result == BloomFilter.FULL) throw new CommandError(FULL);
        flag(c, result == BloomFilter.ADDED);
        if (created || result == BloomFilter.ADDED) c.server().keyModified(c.db(), c.arg(1), KeyEvent.GENERIC, "bf.add");
    }

    /** BF.MADD key item [item ...] */
    static void madd(Client c) {
        BloomFilter f = writable(c);
        boolean created = f == null;
        if (created) f = createDefault(c);
        addItems(c, f, 2, created, "bf.madd");
    }

    /** Adds argv[from..] and replies one answer each: a full non-scaling filter is an error element. */
    private static void addItems(Client c, BloomFilter f, int from, boolean created, String event) {
        boolean changed = created;
        c.reply().array(c.argc() - from);
        for (int i = from; i < c.argc(); i++) {
            int result = f.add(c.arg(i));
            if (result == BloomFilter.FULL) {
                c.reply().error(FULL);
            } else {
                flag(c, result == BloomFilter.ADDED);
                changed |= result == BloomFilter.ADDED;
            }
        }
        if (changed) c.server().keyModified(c.db(), c.arg(1), KeyEvent.GENERIC, event);
    }

    /** BF.INSERT key [CAPACITY c] [ERROR e] [EXPANSION n] [NOCREATE] [NONSCALING] ITEMS item... */
    static void insert(Client c) {
        double errorRate = BloomFilter.DEFAULT_ERROR_RATE;
        long capacity = BloomFilter.DEFAULT_CAPACITY;
        int expansion = BloomFilter.DEFAULT_EXPANSION;
        boolean noCreate = false, nonScaling = false, sized = false;
        int items = -1;
        for (int i = 2; i < c.argc() && items < 0; i++) {
            if (c.argIs(i, "items")) {
                items = i + 1;
            } else if (c.argIs(i, "nocreate")) {
                noCreate = true;
            } else if (c.argIs(i, "nonscaling")) {
                nonScaling = true;
            } else if (c.argIs(i, "capacity") && i + 1 < c.argc()) {
                capacity = capacity(c, ++i);
                sized = true;
            } else if (c.argIs(i, "error") && i + 1 < c.argc()) {
                errorRate = errorRate(c, ++i);
                sized = true;
            } else if (c.argIs(i, "expansion") && i + 1 < c.argc()) {
                expansion = expansion(c, ++i);
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        if (items < 0 || items >= c.argc()) throw new CommandError("ERR wrong number of arguments for 'bf.insert' command");
        if (noCreate && sized) throw new CommandError("ERR NOCREATE cannot be used with CAPACITY or ERROR");
        BloomFilter f = writable(c);
        boolean created = f == null;
        if (created) {
            if (noCreate) throw new CommandError(FilterChunks.NOT_FOUND);
            f = create(errorRate, capacity, nonScaling ? 0 : expansion);
            c.db().add(c.arg(1), f);
        }
        addItems(c, f, items, created, "bf.insert");
    }

    /** BF.EXISTS key item: 0 for a missing key. */
    static void exists(Client c) {
        BloomFilter f = readable(c);
        flag(c, f != null && f.contains(c.arg(2)));
    }

    /** BF.MEXISTS key item [item ...] */
    static void mexists(Client c) {
        BloomFilter f = readable(c);
        c.reply().array(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) flag(c, f != null && f.contains(c.arg(i)));
    }

    /** BF.CARD key: items added, 0 for a missing key. */
    static void card(Client c) {
        BloomFilter f = readable(c);
        c.reply().integer(f == null ? 0 : f.size());
    }

    /** BF.INFO key [CAPACITY | SIZE | FILTERS | ITEMS | EXPANSION] */
    static void info(Client c) {
        if (c.argc() > 3) throw new CommandError(CommandError.SYNTAX);
        BloomFilter f = readable(c);
        if (f == null) throw new CommandError(FilterChunks.NOT_FOUND);
        if (c.argc() == 3) {
            for (int k = 0; k < INFO_FIELDS.length; k++) {
                if (c.argIs(2, INFO_FIELDS[k])) {
                    if (c.reply().resp3()) {
                        c.reply().map(1);
                        c.reply().status(INFO_LABELS[k]);
                    } else {
                        c.reply().array(1);
                    }
                    infoValue(c, f, k);
                    return;
                }
            }
            throw new CommandError("ERR Invalid information value");
        }
        if (c.reply().resp3()) c.reply().map(5);
        else c.reply().array(10);
        for (int k = 0; k < INFO_LABELS.length; k++) {
            c.reply().status(INFO_LABELS[k]);
            infoValue(c, f, k);
        }
    }

    /** BF.INFO's k-th figure; a non-scaling filter has no expansion rate (null). */
    private static void infoValue(Client c, BloomFilter f, int k) {
        switch (k) {
            case 0 -> c.reply().integer(f.capacity());
            case 1 -> c.reply().integer(f.bytes());
            case 2 -> c.reply().integer(f.filters());
            case 3 -> c.reply().integer(f.size());
            default -> {
                if (f.scaling()) c.reply().integer(f.expansion());
                else c.reply().nullBulk();
            }
        }
    }
}
