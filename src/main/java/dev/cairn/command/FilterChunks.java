package dev.cairn.command;

import dev.cairn.keyspace.Entry;
import dev.cairn.keyspace.KeyEvent;
import dev.cairn.server.Client;
import dev.cairn.types.ChunkedDump;
import dev.cairn.types.ValueType;
import java.util.function.Function;

/**
 * BF.SCANDUMP / CF.SCANDUMP and BF.LOADCHUNK / CF.LOADCHUNK, the same for both filters.
 * Iterator 0 asks for the header, which comes back with iterator 1; after it come chunks
 * of at most {@link #CHUNK} bytes of table data, each returned with
 * {@code 1 + offset + length} (the data offset where the next chunk starts, plus one),
 * and finally iterator 0 with an empty string. LOADCHUNK takes each (iterator, data) pair
 * as it was returned: iterator 1 is the header, which creates the key; any other
 * iterator is a data chunk that ends at {@code iterator - 1}.
 */
final class FilterChunks {
    private FilterChunks() {}

    /** Largest data chunk, as RedisBloom's few-megabyte chunks. */
    static final int CHUNK = 4 * 1024 * 1024;

    static final String NOT_FOUND = "ERR not found";
    static final String BAD_DATA = "ERR received bad data";

    static void scandump(Client c, ValueType type) {
        long iterator = iterator(c);
        Entry e = c.db().lookupRead(c.arg(1));
        if (e == null) throw new CommandError(NOT_FOUND);
        CommandError.expectType(e.value(), type);
        ChunkedDump filter = (ChunkedDump) e.value();
        if (iterator == 0) {
            c.reply().array(2);
            c.reply().integer(1);
            c.reply().bulk(filter.header());
            return;
        }
        long offset = iterator - 1;
        long length = filter.dataLength();
        c.reply().array(2);
        if (offset >= length) {
            c.reply().integer(0);
            c.reply().emptyBulk();
            return;
        }
        int n = (int) Math.min(CHUNK, length - offset);
        c.reply().integer(1 + offset + n);
        c.reply().bulk(filter.data(offset, n));
    }

    /**
     * LOADCHUNK: {@code fromHeader} parses a header (IllegalArgumentException if bad);
     * {@code event} is the notification raised.
     */
    static void loadchunk(Client c, ValueType type, Function<byte[], Object> fromHeader, String event) {
        long iterator = iterator(c);
        byte[] key = c.arg(1);
        byte[] data = c.arg(3);
        Entry e = c.db().lookupWrite(key);
        if (iterator == 1) {
            if (e != null) {
                CommandError.expectType(e.value(), type);
                throw new CommandError("ERR item exists");
            }
            Object filter;
            try {
                filter = fromHeader.apply(data);
            } catch (IllegalArgumentException bad) {
                throw new CommandError(BAD_DATA);
            }
            c.db().add(key, filter);
        } else {
            if (e == null) throw new CommandError(NOT_FOUND);
            CommandError.expectType(e.value(), type);
            ChunkedDump filter = (ChunkedDump) e.value();
            if (iterator < 1 || !filter.loadData(iterator - 1 - data.length, data)) throw new CommandError(BAD_DATA);
        }
        c.reply().ok();
        c.server().keyModified(c.db(), key, KeyEvent.GENERIC, event);
    }

    private static long iterator(Client c) {
        Long v = dev.cairn.protocol.Numbers.parseStrictLong(c.arg(2));
        if (v == null || v < 0) throw new CommandError("ERR invalid iterator");
        return v;
    }
}
