package dev.cairn.persistence;

import dev.cairn.keyspace.Entry;
import dev.cairn.server.ProcessMemory;
import dev.cairn.server.Server;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The RDB file of a snapshot, in the order redis-server 7.0 writes it: header, aux fields,
 * function libraries, then each database's keys after SELECTDB and RESIZEDB, then EOF (the
 * {@link Snapshot} appends the checksum).
 *
 * <p>Keys arrive in walk order, except that a key a client changes before the walk
 * reaches it arrives early, possibly from another database; a SELECTDB is written
 * whenever the database changes, and RESIZEDB the first time each database appears, as a
 * loader only needs them as hints.
 */
final class RdbSnapshotFormat implements Snapshot.Format {
    private final Server server;
    private final RdbWriter out;
    private final boolean aofBase;
    private final boolean checksummed;
    private final boolean[] resized;
    /** As Redis: the idle time is saved under an LRU policy, the LFU counter under an LFU one. */
    private final boolean saveIdle;
    private final boolean saveFreq;
    private int currentDb = -1;

    RdbSnapshotFormat(Server server, boolean aofBase) {
        this.server = server;
        this.aofBase = aofBase;
        this.out = new RdbWriter(server.config().rdbcompression.value(),
                (int) server.config().listMaxListpackSize.value());
        this.checksummed = server.config().rdbchecksum.value();
        this.resized = new boolean[server.keyspace().count()];
        String policy = server.config().maxmemoryPolicy.value();
        this.saveIdle = policy.endsWith("-lru");
        this.saveFreq = policy.endsWith("-lfu");
    }

    @Override
    public void begin() {
        out.header();
        out.aux("redis-ver", Server.REDIS_VERSION);
        out.aux("redis-bits", 64);
        out.aux("ctime", System.currentTimeMillis() / 1000);
        out.aux("used-mem", ProcessMemory.usedMemory());
        out.aux("aof-base", aofBase ? 1 : 0);
        for (byte[] code : server.scripting().libraryCodes()) out.function(code);
    }

    @Override
    public void entry(int db, Entry e) {
        if (db != currentDb) {
            out.selectDb(db);
            currentDb = db;
            if (!resized[db]) {
                resized[db] = true;
                var walk = server.keyspace().snapshot();
                if (walk != null) out.resizeDb(walk.sizeAtStart(db), walk.expiresAtStart(db));
            }
        }
        var clock = server.keyspace().clock();
        long idle = saveIdle ? clock.idleSeconds(e.access()) : -1;
        int freq = saveFreq ? clock.decayedCounter(e.access()) : -1;
        out.entry(e.key(), e.value(), e.expireAt(), idle, freq);
    }

    @Override
    public void end() {
        out.eof();
    }

    @Override
    public int buffered() {
        return out.size();
    }

    @Override
    public void drainTo(OutputStream sink) throws IOException {
        out.drainTo(sink);
    }

    @Override
    public boolean checksummed() {
        return checksummed;
    }
}
