package dev.cairn.persistence;

import dev.cairn.keyspace.Entry;
import dev.cairn.protocol.NumberFormat;
import dev.cairn.types.ChunkedDump;
import dev.cairn.types.HashValue;
import dev.cairn.types.ListValue;
import dev.cairn.types.SetValue;
import dev.cairn.types.StreamValue;
import dev.cairn.types.Strings;
import dev.cairn.types.ValueType;
import dev.cairn.types.ZSetValue;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The base file of an AOF written as commands (aof-use-rdb-preamble no), as Redis's
 * rewriteAppendOnlyFileRio writes it: FUNCTION LOAD per library, SELECT per database, then per key SET, RPUSH, SADD,
 * ZADD or HMSET with at most 64 elements per command, streams as XADD, XSETID and their
 * groups' commands, and PEXPIREAT for a TTL.
 */
public final class AofRewriteFormat implements Snapshot.Format {
    /** Redis's AOF_REWRITE_ITEMS_PER_CMD. */
    private static final int ITEMS_PER_COMMAND = 64;
    /** Bytes of filter data per LOADCHUNK command (BF.SCANDUMP's chunk size). */
    private static final int FILTER_CHUNK = 4 * 1024 * 1024;

    private final AofCommandBuffer out = new AofCommandBuffer();
    private final long timestampSeconds;
    private final Iterable<byte[]> libraries;
    private int db = -1;

    /**
     * {@code timestampSeconds}: a {@code #TS:} annotation first, or -1 for none
     * (aof-timestamp-enabled); {@code libraries}: the code of each function library, loaded
     * first with FUNCTION LOAD.
     */
    public AofRewriteFormat(long timestampSeconds, Iterable<byte[]> libraries) {
        this.timestampSeconds = timestampSeconds;
        this.libraries = libraries;
    }

    @Override
    public void begin() {
        if (timestampSeconds >= 0) out.timestamp(timestampSeconds);
        for (byte[] code : libraries) {
            out.header('*', 3);
            out.bulk("FUNCTION");
            out.bulk("LOAD");
            out.bulk(code);
        }
    }

    @Override
    public void entry(int dbIndex, Entry e) {
        if (dbIndex != db) {
            out.header('*', 2);
            out.bulk("SELECT");
            out.bulk(dbIndex);
            db = dbIndex;
        }
        byte[] key = e.key();
        Object value = e.value();
        switch (value) {
            case ListValue list -> {
                Batches rpush = new Batches("RPUSH", key, list.length(), 1);
                list.forEach(item -> {
                    rpush.next();
                    out.bulk(item);
                });
            }
            case SetValue set -> {
                Batches sadd = new Batches("SADD", key, set.size(), 1);
                set.forEach(member -> {
                    sadd.next();
                    out.bulk(member);
                });
            }
            case ZSetValue zset -> {
                Batches zadd = new Batches("ZADD", key, zset.size(), 2);
                zset.forEach((buf, off, len, score) -> {
                    zadd.next();
                    out.bulk(score(score));
                    out.bulk(buf, off, len);
                });
            }
            case HashValue hash -> {
                Batches hmset = new Batches("HMSET", key, hash.size(), 2);
                hash.forEach((field, v) -> {
                    hmset.next();
                    out.bulk(field);
                    out.bulk(v);
                });
            }
            case StreamValue stream -> stream(key, stream);
            case ChunkedDump filter -> {
                // As RedisBloom rewrites its filters: the SCANDUMP chunks as LOADCHUNK commands.
                String command = ValueType.of(value) == ValueType.BLOOM ? "BF.LOADCHUNK" : "CF.LOADCHUNK";
                loadChunk(command, key, 1, filter.header());
                for (long offset = 0; offset < filter.dataLength(); offset += FILTER_CHUNK) {
                    int n = (int) Math.min(FILTER_CHUNK, filter.dataLength() - offset);
                    loadChunk(command, key, 1 + offset + n, filter.data(offset, n));
                }
            }
            default -> {
                out.header('*', 3);
                out.bulk("SET");
                out.bulk(key);
                out.bulk(Strings.bytes(value));
            }
        }
        long expireAt = e.expireAt();
        if (expireAt >= 0) {
            out.header('*', 3);
            out.bulk("PEXPIREAT");
            out.bulk(key);
            out.bulk(expireAt);
        }
    }

    /**
     * A stream as Redis's rewriteStreamObject writes it: one XADD per entry (an empty stream
     * as {@code XADD key MAXLEN 0 0-1 x y}), XSETID with the last ID, entries-added and the
     * greatest deleted ID, then per group XGROUP CREATE with its last ID and entries-read,
     * and per consumer an XCLAIM per pending entry (time and count kept) or, when it has
     * none, XGROUP CREATECONSUMER.
     */
    private void stream(byte[] key, StreamValue s) {
        if (s.length() > 0) {
            s.range(StreamValue.Id.MIN, StreamValue.Id.MAX, false, (node, i) -> {
                int n = node.elements(i);
                out.header('*', 3 + n);
                out.bulk("XADD");
                out.bulk(key);
                out.bulk(node.id(i).toString());
                for (int j = 0; j < n; j++) out.bulk(node.element(i, j));
                return true;
            });
        } else {
            out.header('*', 7);
            out.bulk("XADD");
            out.bulk(key);
            out.bulk("MAXLEN");
            out.bulk("0");
            out.bulk("0-1");
            out.bulk("x");
            out.bulk("y");
        }
        out.header('*', 7);
        out.bulk("XSETID");
        out.bulk(key);
        out.bulk(s.lastId.toString());
        out.bulk("ENTRIESADDED");
        out.bulk(s.entriesAdded);
        out.bulk("MAXDELETEDID");
        out.bulk(s.maxDeletedId.toString());
        for (StreamValue.Group g : s.groups()) {
            out.header('*', 7);
            out.bulk("XGROUP");
            out.bulk("CREATE");
            out.bulk(key);
            out.bulk(g.name);
            out.bulk(g.lastId.toString());
            out.bulk("ENTRIESREAD");
            out.bulk(g.entriesRead);
            for (StreamValue.Consumer c : g.consumers) {
                if (c.pel.isEmpty()) {
                    out.header('*', 5);
                    out.bulk("XGROUP");
                    out.bulk("CREATECONSUMER");
                    out.bulk(key);
                    out.bulk(g.name);
                    out.bulk(c.name);
                    continue;
                }
                c.pel.forEach((id, nack) -> {
                    out.header('*', 12);
                    out.bulk("XCLAIM");
                    out.bulk(key);
                    out.bulk(g.name);
                    out.bulk(c.name);
                    out.bulk("0");
                    out.bulk(id.toString());
                    out.bulk("TIME");
                    out.bulk(nack.deliveryTime);
                    out.bulk("RETRYCOUNT");
                    out.bulk(nack.deliveryCount);
                    out.bulk("JUSTID");
                    out.bulk("FORCE");
                });
            }
        }
    }

    /**
     * A collection written as commands of at most {@link #ITEMS_PER_COMMAND} items each
     * ({@code COMMAND key item...}, an item being {@code argsPerItem} arguments): call
     * {@link #next} before writing each item's arguments.
     */
    private final class Batches {
        private final String command;
        private final byte[] key;
        private final int argsPerItem;
        private long left;
        private long inBatch;

        Batches(String command, byte[] key, long items, int argsPerItem) {
            this.command = command;
            this.key = key;
            this.argsPerItem = argsPerItem;
            this.left = items;
        }

        /** Starts a new command when the current one is full; then the item's arguments follow. */
        void next() {
            if (inBatch == 0) {
                inBatch = Math.min(left, ITEMS_PER_COMMAND);
                out.header('*', 2 + argsPerItem * inBatch);
                out.bulk(command);
                out.bulk(key);
            }
            inBatch--;
            left--;
        }
    }

    private void loadChunk(String command, byte[] key, long iterator, byte[] data) {
        out.header('*', 4);
        out.bulk(command);
        out.bulk(key);
        out.bulk(iterator);
        out.bulk(data);
    }

    /** Scores as Redis writes them here: {@code %.17g}. */
    private static String score(double d) {
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        return NumberFormat.formatG(d, 17);
    }

    @Override
    public void end() {
    }

    @Override
    public boolean checksummed() {
        return false;
    }

    @Override
    public int buffered() {
        return out.length();
    }

    @Override
    public void drainTo(OutputStream stream) throws IOException {
        out.drainTo(stream);
    }
}
