package dev.cairn.eviction;

import dev.cairn.config.Config;
import dev.cairn.keyspace.AccessClock;
import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Entry;
import dev.cairn.keyspace.KeyEvent;
import dev.cairn.keyspace.Keyspace;
import dev.cairn.server.Client;
import dev.cairn.server.ClientInfo;
import dev.cairn.server.Server;
import dev.cairn.server.ServerStats;
import io.netty.channel.EventLoop;

/**
 * The maxmemory limit: what used_memory is, and the eviction of keys when it is above the
 * limit (Redis's performEvictions). The dispatcher calls {@link #performEvictions} before
 * every command while a limit is set, and refuses commands that may grow memory when it
 * fails; the cron calls it too, so a lowered limit or a pass cut short by its time limit
 * (maxmemory-eviction-tenacity) goes on without traffic.
 *
 * <p>The keyspace only offers samples (random keys, random keys with a TTL) and deletes;
 * the policy (which keys qualify, how they are ranked) lives here, in the spirit of
 * Caffeine's split between storage and policy. Evicting a key is deleting it as the
 * server does: watchers are touched, the "evicted" event is raised, evicted_keys counts.
 */
public final class Eviction {
    /** The outcome of an eviction pass, as Redis's EVICT_OK / EVICT_RUNNING / EVICT_FAIL. */
    public enum Result { OK, RUNNING, FAIL }

    /**
     * The live heap of an empty server that is not part of the keyspace or the clients
     * (classes' static data, the command table, Netty's pools, the Lua states), measured
     * on JDK 25 after a full collection (5.0 MB). It is used_memory_startup.
     */
    static final long BASELINE = 5L * 1024 * 1024;

    public static final String OOM_ERROR = "OOM command not allowed when used memory > 'maxmemory'.";

    private final Server server;
    private final Config config;
    private final EvictionPool pool = new EvictionPool();
    private EvictionPolicy policy;
    /** Clients' buffers, summed by the cron (summing them per command would cost O(clients)). */
    private long clientsBytes;
    /** The random policies visit the databases in turn. */
    private int nextDb;
    /** A pass stopped on its time limit with memory still above the limit: the cron goes on. */
    private boolean running;
    private boolean continuationQueued;
    /** Whether memory was over the limit when the current EVAL, FCALL or EXEC started. */
    private boolean preCommandOutOfMemory;

    public Eviction(Server server) {
        this.server = server;
        this.config = server.config();
        applyPolicy();
        config.maxmemoryPolicy.onChange(s -> applyPolicy());
        config.lfuLogFactor.onChange(s -> applyPolicy());
        config.lfuDecayTime.onChange(s -> applyPolicy());
        config.maxmemory.onChange(s -> maxmemoryChanged());
        long max = config.maxmemory.value();
        if (max > 0 && max < 1024 * 1024) {
            server.log().warning("WARNING: You specified a maxmemory value that is less than 1MB (current value is "
                    + max + " bytes). Are you sure this is what you really want?");
        }
        warnAboveHeap(max);
    }

    /** A limit the JVM heap cannot hold would end in OutOfMemoryError instead of eviction. */
    private void warnAboveHeap(long max) {
        long heap = Runtime.getRuntime().maxMemory();
        if (max > 0 && heap != Long.MAX_VALUE && max > heap * 3 / 4) {
            server.log().warning("WARNING: maxmemory (" + max + ") is above 75% of the JVM's maximum heap (" + heap
                    + "): raise -Xmx (CAIRN_JAVA_OPTS) so that garbage collection has room.");
        }
    }

    private void applyPolicy() {
        EvictionPolicy next = EvictionPolicy.of(config.maxmemoryPolicy.value());
        // Scores of different policies do not compare: start the pool afresh.
        if (next != policy) pool.clear();
        policy = next;
        server.keyspace().clock().configure(policy.lfu(), config.lfuLogFactor.value(), config.lfuDecayTime.value());
    }

    /** CONFIG SET maxmemory: warn when the new limit is below the usage, and evict at once. */
    private void maxmemoryChanged() {
        long max = config.maxmemory.value();
        if (max == 0) return;
        warnAboveHeap(max);
        long used = usedMemory();
        if (max < used) {
            server.log().warning("WARNING: the new maxmemory value set via CONFIG SET (" + max + ") is smaller than "
                    + "the current memory usage (" + used + "). This will result in key eviction and/or the "
                    + "inability to accept new write commands depending on the maxmemory-policy.");
        }
        performEvictions();
    }

    public EvictionPolicy policy() {
        return policy;
    }

    // ---- used_memory ---------------------------------------------------------------

    /**
     * used_memory: the baseline, the keyspace's estimate (kept incrementally by the
     * databases), the clients' buffers and the scripts' caches; not the Lua states, which
     * Redis does not count either ({@link dev.cairn.scripting.Scripting#scriptsMemory}). O(1).
     */
    public long usedMemory() {
        return BASELINE + server.keyspace().bytes() + clientsBytes + server.scripting().scriptsMemory();
    }

    /** used_memory_startup. */
    public long startupMemory() {
        return BASELINE;
    }

    /** The clients' query and output buffers as last summed (mem_clients_normal). */
    public long clientsMemory() {
        return clientsBytes;
    }

    /** Sums the clients' buffers now (cron; INFO and MEMORY STATS want a fresh figure). */
    public long refreshClientsMemory() {
        long sum = 0;
        for (Client c : server.clients().all()) sum += ClientInfo.memory(c);
        clientsBytes = sum;
        return sum;
    }

    /** Cron: refresh the clients' figure and, under a limit, evict what is due. */
    public void cron() {
        refreshClientsMemory();
        if (config.maxmemory.value() > 0 && (running || usedMemory() > config.maxmemory.value())) {
            performEvictions();
        }
    }

    // ---- the OOM state of scripts and transactions ------------------------------------

    public void preCommandOutOfMemory(boolean outOfMemory) {
        this.preCommandOutOfMemory = outOfMemory;
    }

    /**
     * Whether a denyoom command a script calls is refused: a limit is set, memory was over
     * it when the script started and the script has not written yet (once it has, it must
     * be allowed to finish what it started), as Redis's scriptVerifyOOM.
     */
    public boolean refusesScriptWrite(boolean scriptWrote) {
        return config.maxmemory.value() > 0 && preCommandOutOfMemory && !scriptWrote;
    }

    public boolean preCommandOutOfMemory() {
        return config.maxmemory.value() > 0 && preCommandOutOfMemory;
    }

    // ---- evicting ------------------------------------------------------------------

    /**
     * Evicts keys until used_memory is within maxmemory, for at most the time
     * maxmemory-eviction-tenacity allows. FAIL when memory is still over the limit and
     * nothing more can go (noeviction, or no candidate left).
     */
    public Result performEvictions() {
        long max = config.maxmemory.value();
        if (server.scripting().busyError() != null || server.clientPause().paused()) return Result.OK;
        if (max == 0 || usedMemory() <= max) {
            running = false;
            return exceeded(Result.OK);
        }
        if (policy == EvictionPolicy.NOEVICTION) return exceeded(Result.FAIL);
        long used = usedMemory();
        long toFree = used - max;
        long freed = 0;
        long start = System.nanoTime();
        long limit = timeLimitNanos();
        long evicted = 0;
        Result result = Result.FAIL;
        while (freed < toFree) {
            Victim victim = policy.random() ? randomVictim() : pooledVictim();
            if (victim == null) break;
            Database db = victim.db();
            byte[] key = victim.key();
            long before = db.bytes();
            long delStart = System.nanoTime();
            db.remove(key);
            long delMillis = (System.nanoTime() - delStart) / 1_000_000;
            server.latency().addSampleIfNeeded(server.config().latencyMonitorThreshold.value(), "eviction-del",
                    delMillis);
            freed += before - db.bytes();
            server.stats().evictedKeys++;
            server.signalKeyRemovedByServer(db, key);
            server.notifyKeyspaceEvent(db, key, KeyEvent.EVICTED, "evicted");
            // The AOF and replicas lose the key too (Redis's propagateDeletion).
            server.propagation().deletion(db.id(), server.config().lazyfreeLazyEviction.value()
                    ? dev.cairn.server.Propagation.UNLINK : dev.cairn.server.Propagation.DEL, key);
            evicted++;
            if ((evicted & 15) == 0 && System.nanoTime() - start > limit && freed < toFree) {
                result = Result.RUNNING;
                break;
            }
        }
        if (freed >= toFree) result = Result.OK;
        running = result == Result.RUNNING;
        if (running) continueSoon();
        server.latency().addSampleIfNeeded(server.config().latencyMonitorThreshold.value(), "eviction-cycle",
                (System.nanoTime() - start) / 1_000_000);
        return exceeded(result);
    }

    /** Times the periods spent over the limit (INFO *_eviction_exceeded_time), as Redis's update_metrics. */
    private Result exceeded(Result result) {
        ServerStats stats = server.stats();
        if (result != Result.OK) {
            if (stats.evictionExceededSince == 0) stats.evictionExceededSince = System.nanoTime();
        } else if (stats.evictionExceededSince != 0) {
            stats.evictionExceededNanos += System.nanoTime() - stats.evictionExceededSince;
            stats.evictionExceededSince = 0;
        }
        return result;
    }

    /**
     * A pass cut short goes on at the command thread's next turn, after the I/O ready by
     * then (Redis's evictionTimeProc), so that clients are served between the steps.
     */
    private void continueSoon() {
        if (continuationQueued) return;
        EventLoop loop = server.listeners().commandLoop();
        if (loop == null) return;
        continuationQueued = true;
        loop.execute(() -> {
            continuationQueued = false;
            if (running) performEvictions();
        });
    }

    /** Redis's evictionTimeLimitUs: 50 µs per step up to 10, then growing 15% a step; 100 is unlimited. */
    private long timeLimitNanos() {
        long tenacity = config.maxmemoryEvictionTenacity.value();
        if (tenacity <= 10) return 50_000L * tenacity;
        if (tenacity < 100) return (long) (500.0 * Math.pow(1.15, tenacity - 10.0)) * 1000;
        return Long.MAX_VALUE;
    }

    /** The key chosen to go. */
    private record Victim(Database db, byte[] key) {}

    /** The random policies: a random candidate of the next database that has one. */
    private Victim randomVictim() {
        Keyspace keyspace = server.keyspace();
        for (int i = 0; i < keyspace.count(); i++) {
            Database db = keyspace.db(nextDb++ % keyspace.count());
            Entry e = policy.volatileOnly() ? db.randomExpiring() : db.randomEntry();
            if (e != null) return new Victim(db, e.key());
        }
        return null;
    }

    /**
     * LRU, LFU and TTL: sample every database into the pool, then take the best candidate
     * still present (a pooled key may have been deleted or lost its TTL since).
     */
    private Victim pooledVictim() {
        Keyspace keyspace = server.keyspace();
        boolean volatileOnly = policy.volatileOnly();
        while (true) {
            long candidates = 0;
            for (int i = 0; i < keyspace.count(); i++) {
                Database db = keyspace.db(i);
                long n = volatileOnly ? db.expiresCount() : db.size();
                if (n == 0) continue;
                candidates += n;
                sample(db, volatileOnly);
            }
            if (candidates == 0) return null;
            while (!pool.isEmpty()) {
                byte[] key = pool.bestKey();
                Database db = keyspace.db(pool.bestDb());
                pool.removeBest();
                Entry e = db.find(key);
                if (e != null && (!volatileOnly || e.expireAt() >= 0)) return new Victim(db, e.key());
            }
        }
    }

    private void sample(Database db, boolean volatileOnly) {
        AccessClock clock = server.keyspace().clock();
        int samples = (int) Math.min(config.maxmemorySamples.value(), 1 << 20);
        if (!volatileOnly) {
            db.sample(samples, e -> pool.offer(score(e, clock), e.key(), db.id()));
            return;
        }
        for (int j = 0; j < samples; j++) {
            Entry e = db.randomExpiring();
            if (e == null) return;
            pool.offer(score(e, clock), e.key(), db.id());
        }
    }

    /** Higher is a better victim: idle seconds, inverted frequency, or the sooner expiry. */
    private long score(Entry e, AccessClock clock) {
        return switch (policy) {
            case VOLATILE_LRU, ALLKEYS_LRU -> clock.idleSeconds(e.access());
            case VOLATILE_LFU, ALLKEYS_LFU -> 255 - clock.decayedCounter(e.access());
            default -> Long.MAX_VALUE - e.expireAt();
        };
    }
}
