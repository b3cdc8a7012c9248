package dev.cairn.persistence;

import dev.cairn.keyspace.Entry;
import dev.cairn.protocol.NumberFormat;
import dev.cairn.types.ChunkedDump;
import dev.cairn.types.HashValue;
import dev.cairn.types.ListValue;
import dev.cairn.types.SetValue;
import dev.cairn.types.Strings;
import dev.cairn.types.ValueType;
import dev.cairn.types.ZSetValue;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The base file of an AOF written as commands (aof-use-rdb-preamble no), as Redis's
 * rewriteAppendOnlyFileRio writes it: FUNCTION LOAD per library, SELECT per database, then per key SET, RPUSH, SADD,
 * ZADD or HMSET with at most 64 elements per command, and PEXPIREAT for a TTL.
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
                int[] left = {list.length()};
                int[] inBatch = {0};
                list.forEach(item -> {
                    if (inBatch[0] == 0) {
                        int n = Math.min(left[0], ITEMS_PER_COMMAND);
                        out.header('*', 2 + n);
                        out.bulk("RPUSH");
                        out.bulk(key);
                        inBatch[0] = n;
                    }
                    out.bulk(item);
                    inBatch[0]--;
                    left[0]--;
                });
            }
            case SetValue set -> {
                long[] left = {set.size()};
                long[] inBatch = {0};
                set.forEach(member -> {
                    if (inBatch[0] == 0) {
                        long n = Math.min(left[0], ITEMS_PER_COMMAND);
                        out.header('*', 2 + n);
                        out.bulk("SADD");
                        out.bulk(key);
                        inBatch[0] = n;
                    }
                    out.bulk(member);
                    inBatch[0]--;
                    left[0]--;
                });
            }
            case ZSetValue zset -> {
                long[] left = {zset.size()};
                long[] inBatch = {0};
                zset.forEach((buf, off, len, score) -> {
                    if (inBatch[0] == 0) {
                        long n = Math.min(left[0], ITEMS_PER_COMMAND);
                        out.header('*', 2 + 2 * n);
                        out.bulk("ZADD");
                        out.bulk(key);
                        inBatch[0] = n;
                    }
                    out.bulk(score(score));
                    out.bulk(buf, off, len);
                    inBatch[0]--;
                    left[0]--;
                });
            }
            case HashValue hash -> {
                long[] left = {hash.size()};
                long[] inBatch = {0};
                hash.forEach((field, v) -> {
                    if (inBatch[0] == 0) {
                        long n = Math.min(left[0], ITEMS_PER_COMMAND);
                        out.header('*', 2 + 2 * n);
                        out.bulk("HMSET");
                        out.bulk(key);
                        inBatch[0] = n;
                    }
                    out.bulk(field);
                    out.bulk(v);
                    inBatch[0]--;
                    left[0]--;
                });
            }
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
