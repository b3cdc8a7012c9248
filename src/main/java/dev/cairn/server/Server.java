package dev.cairn.server;


import dev.cairn.command.CommandFlag;
import dev.cairn.command.CommandSpec;
import dev.cairn.command.CommandTable;
import dev.cairn.config.Config;
import dev.cairn.config.NotifyKeyspaceEvents;
import dev.cairn.eviction.Eviction;
import dev.cairn.eviction.HeapFootprint;
import dev.cairn.keyspace.AccessClock;
import dev.cairn.keyspace.ActiveExpiry;
import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.KeyEvent;
import dev.cairn.keyspace.Keyspace;
import dev.cairn.persistence.AppendOnlyFile;
import dev.cairn.transaction.WatchedKeys;
import dev.cairn.pubsub.PubSub;
import dev.cairn.scripting.Scripting;
import dev.cairn.tracking.Tracking;
import dev.cairn.types.CollectionValue;
import dev.cairn.types.ValueType;
import dev.cairn.persistence.RdbPersistence;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The running server and the context passed to every command: configuration, keyspace,
 * command table, clients, statistics, log. There is no global state; whoever needs the
 * server is handed this object.
 *
 * <p>Threading: one Netty event loop thread (the command thread) reads requests,
 * executes commands and writes replies for every connection, and also runs the cron
 * ({@link #cron}). Data structures therefore need no locks. See ARCHITECTURE.md.
 */
public final class Server {
    /** The Redis version Cairn is compatible with, reported wherever Redis reports its own. */
    public static final String REDIS_VERSION = "7.0.15";
    public static final String CAIRN_VERSION = "0.1.0";

    private final Config config;
    private final Log log;
    private final ServerStats stats = new ServerStats();
    private final Keyspace keyspace;
    private final ActiveExpiry activeExpiry;
    private final CommandTable commands;
    private final Dispatcher dispatcher;
    private final Clients clients;
    private final String runId;
    private final long startMillis = System.currentTimeMillis();
    private final Listeners listeners;
    private final Monitors monitors = new Monitors(this);
    private final ClientPause clientPause = new ClientPause(this);
    private final BlockedClients blockedClients = new BlockedClients(this);
    private final WatchedKeys watchedKeys;
    private final PubSub pubsub = new PubSub();
    private final Tracking tracking = new Tracking(this);
    /** The replication ID a master reports (INFO master_replid): new at every start. */
    private final String replicationId;
    private final RdbPersistence rdb = new RdbPersistence(this);
    private final SlowLog slowLog = new SlowLog();
    private final LatencyMonitor latency = new LatencyMonitor();
    private final Scripting scripting;
    private final Propagation propagation = new Propagation();
    private final AppendOnlyFile aof;
    private final Eviction eviction;
    private long dirty;
    private volatile boolean shuttingDown;

    public Server(Config config) {
        this.config = config;
        this.log = new Log(config);
        this.keyspace = new Keyspace(config.databases.intValue(), false, new AccessClock(), new KeyspaceHooks());
        this.activeExpiry = new ActiveExpiry(keyspace);
        this.watchedKeys = new WatchedKeys(keyspace.count());
        this.commands = CommandTable.load();
        this.dispatcher = new Dispatcher(this, commands);
        this.clients = new Clients(this);
        byte[] id = new byte[20];
        ThreadLocalRandom.current().nextBytes(id);
        this.runId = HexFormat.of().formatHex(id);
        ThreadLocalRandom.current().nextBytes(id);
        this.replicationId = HexFormat.of().formatHex(id);
        this.listeners = new Listeners(this);
        this.scripting = new Scripting(this);
        this.aof = new AppendOnlyFile(this);
        keyspace.valueBytes(HeapFootprint::of);
        this.eviction = new Eviction(this);
        stats.peakMemory = eviction.usedMemory();
    }

    // ---- accessors -------------------------------------------------------------------

    public Config config() {
        return config;
    }

    public Log log() {
        return log;
    }

    public ServerStats stats() {
        return stats;
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    /** maxmemory: used_memory and the eviction of keys. */
    public Eviction eviction() {
        return eviction;
    }

    public ActiveExpiry activeExpiry() {
        return activeExpiry;
    }

    public CommandTable commands() {
        return commands;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public Clients clients() {
        return clients;
    }

    public Listeners listeners() {
        return listeners;
    }

    public SlowLog slowLog() {
        return slowLog;
    }

    public LatencyMonitor latency() {
        return latency;
    }

    /** RDB saving and loading: SAVE, BGSAVE, save points, the dump file (see dev.cairn.persistence). */
    public RdbPersistence rdb() {
        return rdb;
    }

    /** EVAL, FUNCTION and the Lua engine (see dev.cairn.scripting). */
    public Scripting scripting() {
        return scripting;
    }

    /** Where changes to the dataset are propagated (AOF, replicas). */
    public Propagation propagation() {
        return propagation;
    }

    /** The append only file (appendonly, BGREWRITEAOF, INFO aof_*). */
    public AppendOnlyFile aof() {
        return aof;
    }

    /**
     * Just before a client's replies are written to its socket: the AOF gets the writes
     * those replies acknowledge (and fsyncs them with appendfsync always).
     */
    void beforeReplies() {
        aof.beforeReplies();
    }

    /**
     * Whether replies must wait for the AOF (writes not yet in the file, or not yet
     * fsynced with appendfsync always): they are then flushed together after the reads of
     * this event loop turn, behind one write and fsync, as Redis does in beforeSleep.
     */
    boolean repliesWaitForDisk() {
        return aof.holdsReplies() && !listeners.commandLoop().isShuttingDown();
    }

    public String runId() {
        return runId;
    }

    public long startMillis() {
        return startMillis;
    }

    public Monitors monitors() {
        return monitors;
    }

    public BlockedClients blockedClients() {
        return blockedClients;
    }

    public PubSub pubsub() {
        return pubsub;
    }

    /** Client-side caching: the tracking table and invalidation messages (see dev.cairn.tracking). */
    public Tracking tracking() {
        return tracking;
    }

    public ClientPause clientPause() {
        return clientPause;
    }

    /** Which clients WATCH which keys. */
    public WatchedKeys watchedKeys() {
        return watchedKeys;
    }

    public String replicationId() {
        return replicationId;
    }

    /** LASTSAVE and INFO rdb_last_save_time, in unix seconds. */
    public long lastSaveSeconds() {
        return rdb.lastSaveSeconds();
    }

    /** Whether per-command latency histograms are kept (latency-tracking, default yes). */
    public boolean latencyTracking() {
        return config.latencyTracking.value();
    }

    /** True when clients must AUTH before other commands (requirepass is set). */
    public boolean authRequired() {
        return !config.requirepass.value().isEmpty();
    }

    /** Changes since the last save (INFO's rdb_changes_since_last_save). */
    public long dirty() {
        return dirty;
    }

    public void addDirty(long n) {
        dirty += n;
    }

    // ---- the handler template's last step ------------------------------------------------

    /**
     * What a handler calls after changing a key: counts the change for persistence and
     * raises the keyspace event (Redis's signalModifiedKey + notifyKeyspaceEvent +
     * server.dirty++). {@code event} is the notification name, e.g. "set", "del".
     */
    public void keyModified(Database db, byte[] key, KeyEvent type, String event) {
        dirty++;
        // The value may have grown or shrunk in place: keep used_memory's estimate true.
        db.remeasure(key);
        signalModifiedKey(db, key);
        notifyKeyspaceEvent(db, key, type, event);
    }

    /**
     * Redis's signalModifiedKey alone: the key changed, without counting a change or
     * raising an event. For commands that change two keys but count one change (RENAME,
     * MOVE). Fails the EXEC of the clients that WATCH the key and invalidates it for the
     * clients that may cache it.
     */
    public void signalModifiedKey(Database db, byte[] key) {
        watchedKeys.touch(db, key);
        tracking.keyModified(key, tracking.current());
    }

    /**
     * Redis's signalModifiedKey with no client: a key the server itself removed (expired or
     * evicted). NOLOOP clients are told too, since no client of theirs changed it.
     */
    public void signalKeyRemovedByServer(Database db, byte[] key) {
        watchedKeys.touch(db, key);
        tracking.keyModified(key, null);
    }

    /**
     * Raises a keyspace notification (Redis's notifyKeyspaceEvent): published when
     * notify-keyspace-events enables the event's class, on the channels it selects.
     */
    public void notifyKeyspaceEvent(Database db, byte[] key, KeyEvent type, String event) {
        NotifyKeyspaceEvents enabled = config.notifyKeyspaceEvents.value();
        if (!enabled.raises(type)) return;
        pubsub.keyspaceEvent(db.id(), key, event, enabled.keyspaceChannel(), enabled.keyeventChannel());
    }

    /** What the keyspace reports on its own, turned into statistics and events. */
    private final class KeyspaceHooks implements Keyspace.Listener {
        @Override
        public void expired(Database db, byte[] key) {
            stats.expiredKeys++;
            notifyKeyspaceEvent(db, key, KeyEvent.EXPIRED, "expired");
            // Goes with the operations of the command that found it expired (at once from the cron).
            propagation.deletion(db.id(), config.lazyfreeLazyExpire.value() ? Propagation.UNLINK : Propagation.DEL, key);
            // An expired key's deletion is a change to those who WATCH or cache it (as in Redis).
            signalKeyRemovedByServer(db, key);
        }

        @Override
        public void added(Database db, byte[] key, Object value) {
            // Redis's dbAdd raises "new" for every key created, before the command's own event.
            notifyKeyspaceEvent(db, key, KeyEvent.NEW, "new");
            // Only a new list or sorted set can serve clients blocked on the key: a key
            // someone waits on was missing, and pushing to a list never makes it appear.
            if (value instanceof CollectionValue v
                    && (v.type() == ValueType.LIST || v.type() == ValueType.ZSET || v.type() == ValueType.STREAM)) {
                blockedClients.signalReady(db, key);
            }
        }

        @Override
        public void streamRemoved(Database db, byte[] key) {
            blockedClients.signalReady(db, key);
        }

        @Override
        public void hit() {
            stats.keyspaceHits++;
        }

        @Override
        public void miss(Database db, byte[] key, boolean notify) {
            stats.keyspaceMisses++;
            if (notify) notifyKeyspaceEvent(db, key, KeyEvent.KEY_MISS, "keymiss");
        }
    }

    /**
     * Called by the dispatcher after each executed command (slow log, latency monitor,
     * monitors): the tail of Redis's call().
     */
    void commandExecuted(Client c, CommandSpec spec, long micros) {
        latency.addSampleIfNeeded(config.latencyMonitorThreshold.value(),
                spec.has(CommandFlag.FAST) ? "fast-command" : "command", micros / 1000);
        if (!spec.has(CommandFlag.SKIP_SLOWLOG)) {
            slowLog.record(config.slowlogLogSlowerThan.value(), config.slowlogMaxLen.value(), c.argvForLog(), micros,
                    c.addr(), c.name());
        }
        monitors.feed(c, spec);
    }

    // ---- lifecycle ---------------------------------------------------------------------

    /** Binds the listeners and starts the cron; returns when ready to accept clients. */
    public void start() throws Exception {
        listeners.start();
        // Loaded on the command thread: connections accepted meanwhile wait for it. With
        // appendonly yes the AOF is the dataset and the RDB is not read (as Redis).
        try {
            listeners.commandLoop().submit(() -> {
                if (!aof.loadAtStartup()) rdb.loadAtStartup();
                return null;
            }).get();
        } catch (ExecutionException e) {
            listeners.stop();
            Throwable cause = e.getCause();
            // The AOF's refusals are Redis's own lines.
            if (cause instanceof dev.cairn.persistence.AppendOnlyFile.LoadRefused) throw (IOException) cause;
            throw new IOException("Fatal error loading the DB: " + (cause.getMessage() == null ? cause : cause.getMessage())
                    + ". Exiting.", cause);
        }
        scheduleCron();
    }

    private void scheduleCron() {
        EventLoop loop = listeners.commandLoop();
        int hz = Math.max(1, config.hz.intValue());
        loop.schedule(() -> {
            try {
                cron();
            } catch (RuntimeException e) {
                log.warning("Cron failed: " + e);
            }
            if (!shuttingDown) scheduleCron();
        }, 1000 / hz, TimeUnit.MILLISECONDS);
    }

    /**
     * Periodic work, {@code hz} times a second on the command thread (Redis's
     * serverCron): active expiry, incremental rehashing, statistics samples, idle
     * client timeouts, and flushing output produced outside a read.
     */
    private void cron() {
        // While a script runs past busy-reply-threshold it owns the data: the command
        // thread only answers BUSY (Redis likewise serves only I/O while a script is busy).
        if (scripting.busyError() != null) return;
        long now = System.currentTimeMillis();
        activeExpiry.run(Math.max(1, config.hz.intValue()));
        if (config.activerehashing.value()) keyspace.maintainTables(100);
        stats.sample(now);
        rdb.cron(now);
        ClientsCron.run(this, now);
        // Also here: a lowered tracking-table-max-keys applies even when no command comes.
        tracking.limitKeys();
        eviction.cron();
        stats.peakMemory = Math.max(stats.peakMemory, eviction.usedMemory());
        aof.cron();
        clients.flushPending();
    }

    public boolean shuttingDown() {
        return shuttingDown;
    }

    /** The process exit status once the event loop has stopped. */
    int exitCode() {
        return 0;
    }

    /**
     * Shuts the server down as Redis's prepareForShutdown + exit: logs, removes the pid
     * file and the unix socket, closes every connection and stops the event loop, after
     * which {@link Main} exits the process.
     */
    public void shutdownNow() {
        shutdown(false, false, false);
    }

    /**
     * SHUTDOWN with its options: first the final save (with save points or {@code save},
     * never with {@code noSave}); when it fails the server keeps running unless
     * {@code force}. Returns false when the shutdown was refused.
     */
    public boolean shutdown(boolean save, boolean noSave, boolean force) {
        if (shuttingDown) return true;
        log.warning("User requested shutdown...");
        if (!aof.prepareForShutdown(force)
                || (!rdb.saveForShutdown(save, noSave) && !force)) {
            log.warning("Errors trying to shut down the server. Check the logs for more information.");
            return false;
        }
        if (Daemon.usesPidFile(config)) log.notice("Removing the pid file.");
        Daemon.removePidFile(config);
        if (listeners.listeningUnix()) log.notice("Removing the unix socket file.");
        log.warning("Cairn is now ready to exit, bye bye...");
        shuttingDown = true;
        scripting.shutdown();
        aof.close();
        // Closed and released here: once the event loop stops, Netty no longer reports
        // the connections' end to their handlers.
        for (Client c : clients.all().toArray(new Client[0])) {
            c.flush();
            clients.kill(c);
        }
        listeners.stop();
        return true;
    }
}
