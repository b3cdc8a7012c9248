package dev.cairn.persistence;

import dev.cairn.config.Config;
import dev.cairn.config.ConfigException;
import dev.cairn.keyspace.Keyspace;
import dev.cairn.server.Propagation;
import dev.cairn.server.Server;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The append only file, as Redis 7.0 keeps it: a directory ({@code appenddirname}) with a
 * manifest, one base file (an RDB, or commands) and incremental files of commands.
 *
 * <p>Writing: every propagated command ({@link Propagation}) is appended in RESP to a
 * buffer on the command thread; the buffer goes to the current incremental file before
 * any reply is flushed ({@link #beforeReplies}, Redis's flushAppendOnlyFile in
 * beforeSleep), and with {@code appendfsync always} it is fsynced there too, so a write
 * is on disk before it is acknowledged. With {@code everysec} a background thread fsyncs
 * about once a second; with {@code no} the OS decides.
 *
 * <p>Rewriting (BGREWRITEAOF, the automatic rewrite, turning the AOF on at run time): at
 * the instant it starts a new incremental file is opened and receives every later write;
 * the dataset as of that instant becomes a new base file; when the base is complete the
 * manifest is replaced (temporary file, fsync, rename) and the old files are deleted.
 *
 * <p>Loading at startup and DEBUG LOADAOF: the manifest's files in order, through
 * {@link AofLoader}. Command thread only, except the fsync thread.
 */
public final class AppendOnlyFile implements Propagation.Listener {
    private enum State { OFF, ON, WAIT_REWRITE }

    /** The AOF cannot be loaded: the server must not start. The message is Redis's log line. */
    public static final class LoadRefused extends IOException {
        LoadRefused(String message) {
            super(message);
        }
    }

    private final Server server;
    private final Config config;
    private State state = State.OFF;
    private AofManifest manifest = AofManifest.empty();
    private FileChannel incr;
    private final AofCommandBuffer buffer = new AofCommandBuffer();
    private int selectedDb = -1;
    private long lastTimestamp;
    /** aof_current_size and aof_base_size. */
    private long currentSize;
    private long baseSize;
    private long lastFsyncMillis;
    private boolean unsynced;
    private final AtomicInteger pendingFsyncs = new AtomicInteger();
    private ExecutorService fsyncThread;
    private boolean lastWriteOk = true;
    /** Why the last write failed (aof_last_write_status err), for the MISCONF error. */
    private String lastWriteError;
    /** Why the last background fsync failed, or null once one succeeds. */
    private volatile String fsyncError;

    // ---- rewrite state ----
    private boolean rewriteInProgress;
    private boolean rewriteScheduled;
    private long rewriteStartMillis = -1;
    private long lastRewriteSeconds = -1;
    private boolean lastRewriteOk = true;
    private long rewrites;
    private long consecutiveFailures;
    /** The incremental file opened when the running rewrite started: the first one it keeps. */
    private long rewriteIncrSeq;
    private String rewriteIncrName;
    private Snapshot running;
    /** The most bytes the last rewrite held waiting for the disk (aof_last_cow_size, as rdb_last_cow_size). */
    private long lastCowSize;

    public AppendOnlyFile(Server server) {
        this.server = server;
        this.config = server.config();
        config.appendonly.onChange(s -> appendonlyChanged());
    }

    // ---- paths ----------------------------------------------------------------------------

    private Path directory() {
        return Path.of(config.dir.value()).resolve(config.appenddirname.value());
    }

    private String fileName() {
        return config.appendfilename.value();
    }

    private Path manifestPath() {
        return directory().resolve(fileName() + AofManifest.EXTENSION);
    }

    private String incrName(long seq) {
        return fileName() + "." + seq + ".incr.aof";
    }

    private String baseName(long seq, boolean rdb) {
        return fileName() + "." + seq + ".base." + (rdb ? "rdb" : "aof");
    }

    // ---- startup -----------------------------------------------------------------------

    /**
     * Loads the AOF when appendonly is yes (Redis's loadDataFromDisk for an AOF), then
     * opens it for appending. Returns false when appendonly is no (the caller may load
     * the RDB). A file that cannot be loaded stops the start with Redis's message.
     */
    public boolean loadAtStartup() throws IOException {
        if (!config.appendonly.value()) return false;
        Files.createDirectories(directory());
        upgradeOldFile();
        if (Files.exists(manifestPath())) {
            long start = System.nanoTime();
            readManifestAndLoad();
            server.log().notice(String.format(Locale.ROOT, "DB loaded from append only file: %.3f seconds",
                    (System.nanoTime() - start) / 1e9));
        }
        openOnStart();
        return true;
    }

    /** An appendonly.aof of Redis before 7.0 in dir: moved into the directory as the base file. */
    private void upgradeOldFile() throws IOException {
        Path old = Path.of(config.dir.value()).resolve(fileName());
        if (Files.exists(manifestPath()) || !Files.isRegularFile(old)) return;
        Files.move(old, directory().resolve(fileName()), StandardCopyOption.REPLACE_EXISTING);
        manifest = new AofManifest(new AofManifest.FileInfo(fileName(), 1, 'b'), java.util.List.of(),
                java.util.List.of());
        manifest.write(manifestPath());
        server.log().notice("Successfully migrated an old-style AOF into the AOF directory (" + directory() + ")");
    }

    /** Runs every file of the manifest through the loader; sizes are counted as Redis does. */
    private void loadFiles() throws IOException {
        var keyspace = server.keyspace();
        boolean expiry = keyspace.expiryEnabled();
        // As Redis while loading: no key expires and nothing is propagated.
        keyspace.expiryEnabled(false);
        server.propagation().suspended(true);
        try {
            AofLoader loader = new AofLoader(server);
            long total = 0;
            int count = (manifest.base() == null ? 0 : 1) + manifest.incrs().size();
            int index = 0;
            if (manifest.base() != null) {
                index++;
                Path base = directory().resolve(manifest.base().name());
                long start = System.nanoTime();
                AofLoader.Result r = loader.load(base, index == count, config.aofLoadTruncated.value());
                if (r == AofLoader.Result.NOT_EXIST) {
                    throw new LoadRefused("The AOF file " + manifest.base().name() + " doesn't exist");
                }
                baseSize = Files.size(base);
                total += baseSize;
                if (r != AofLoader.Result.EMPTY) {
                    server.log().notice(String.format(Locale.ROOT, "DB loaded from base file %s: %.3f seconds",
                            manifest.base().name(), (System.nanoTime() - start) / 1e9));
                }
            }
            for (AofManifest.FileInfo f : manifest.incrs()) {
                index++;
                Path file = directory().resolve(f.name());
                long start = System.nanoTime();
                AofLoader.Result r = loader.load(file, index == count, config.aofLoadTruncated.value());
                if (r == AofLoader.Result.NOT_EXIST) {
                    throw new LoadRefused("The AOF file " + f.name() + " doesn't exist");
                }
                total += Files.size(file);
                if (r != AofLoader.Result.EMPTY) {
                    server.log().notice(String.format(Locale.ROOT, "DB loaded from incr file %s: %.3f seconds",
                            f.name(), (System.nanoTime() - start) / 1e9));
                }
            }
            currentSize = total;
        } finally {
            keyspace.expiryEnabled(expiry);
            server.propagation().suspended(false);
        }
    }

    /**
     * Redis's aofOpenIfNeededOnServerStart: a base file is created from the (empty)
     * dataset when there is none, and the last incremental file opened for appending (a
     * new one when there is none).
     */
    private void openOnStart() throws IOException {
        Path dir = directory();
        if (manifest.base() == null && manifest.incrs().isEmpty()) {
            boolean rdb = rdbBase();
            String name = baseName(1, rdb);
            Snapshot.Outcome o = Snapshot.runNow(server, baseFormat(rdb), dir.resolve(name));
            if (!o.ok()) throw new IOException("Can't create the AOF base file " + name + ": " + o.error().getMessage());
            manifest = new AofManifest(new AofManifest.FileInfo(name, 1, 'b'), java.util.List.of(),
                    java.util.List.of());
            server.log().notice("Creating AOF base file " + name + " on server start");
        }
        if (manifest.incrs().isEmpty()) {
            long seq = manifest.lastIncrSeq() + 1;
            manifest = manifest.withIncr(new AofManifest.FileInfo(incrName(seq), seq, 'i'));
            incr = openForAppend(dir.resolve(incrName(seq)));
            server.log().notice("Creating AOF incr file " + incrName(seq) + " on server start");
            manifest.write(manifestPath());
        } else {
            incr = openForAppend(dir.resolve(manifest.incrs().getLast().name()));
            server.log().notice("Opening AOF incr file " + manifest.incrs().getLast().name() + " on server start");
        }
        state = State.ON;
        selectedDb = -1;
        server.propagation().addListener(this, Propagation.AOF);
    }

    private static FileChannel openForAppend(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    // ---- appending -----------------------------------------------------------------------

    @Override
    public void propagate(int db, byte[][] argv, int targets) {
        if ((targets & Propagation.AOF) == 0 || state == State.OFF) return;
        // Turning on: writes before the rewrite's instant are in its snapshot.
        if (state == State.WAIT_REWRITE && !rewriteInProgress) return;
        if (config.aofTimestampEnabled.value()) {
            long now = System.currentTimeMillis() / 1000;
            if (now > lastTimestamp) {
                buffer.timestamp(now);
                lastTimestamp = now;
            }
        }
        if (db != selectedDb) {
            buffer.header('*', 2);
            buffer.bulk(Propagation.SELECT);
            buffer.bulk(db);
            selectedDb = db;
        }
        buffer.command(argv);
    }

    /**
     * Before replies are flushed: the buffered commands go to the file (and, with
     * appendfsync always, to the disk), so no client hears of a write the AOF lacks.
     */
    public void beforeReplies() {
        if (!buffer.isEmpty() || (unsynced && fsyncsNow())) flush(false);
    }

    /**
     * Why writes are refused (Redis's writeCommandsDeniedByDiskError for the AOF): the last
     * write or background fsync failed; null when they are not.
     */
    public String writeError() {
        if (state == State.OFF) return null;
        if (!lastWriteOk) return lastWriteError;
        return fsyncError;
    }

    /**
     * Whether replies must wait for {@link #beforeReplies}: commands are buffered (or, with
     * appendfsync always, written but not fsynced). The server then sends the replies of
     * the whole event loop turn after one write (and one fsync), as Redis's beforeSleep.
     */
    public boolean holdsReplies() {
        // After a failed write the replies go out (later writes are refused with MISCONF).
        return incr != null && lastWriteOk && (!buffer.isEmpty() || (unsynced && fsyncsNow()));
    }

    /** appendfsync always, unless no-appendfsync-on-rewrite suspends it during a rewrite. */
    private boolean fsyncsNow() {
        return config.appendfsync.value().equals("always")
                && !(config.noAppendfsyncOnRewrite.value() && rewriteInProgress);
    }

    /** Redis's flushAppendOnlyFile: write the buffer, then fsync as the policy says. */
    private void flush(boolean forceSync) {
        if (incr == null) return;
        if (!buffer.isEmpty()) {
            try {
                currentSize += buffer.writeTo(incr);
                unsynced = true;
                if (!lastWriteOk) server.log().warning("AOF write error looks solved, Redis can write again.");
                lastWriteOk = true;
                lastWriteError = null;
            } catch (IOException e) {
                if (config.appendfsync.value().equals("always")) {
                    // Replies wait for the disk: there is no going on without it (as Redis).
                    server.log().warning("Can't recover from AOF write error when the AOF fsync policy is 'always'. "
                            + "Exiting...");
                    Runtime.getRuntime().halt(1);
                }
                // Kept in the buffer's place: Redis retries the write at the next flush.
                if (lastWriteOk) server.log().warning("Error writing to the AOF file: " + e.getMessage());
                lastWriteOk = false;
                lastWriteError = e.getMessage() == null ? e.toString() : e.getMessage();
                return;
            }
        }
        if (!unsynced) return;
        if (config.noAppendfsyncOnRewrite.value() && rewriteInProgress) return;
        String policy = config.appendfsync.value();
        if (forceSync || policy.equals("always")) {
            try {
                incr.force(false);
            } catch (IOException e) {
                server.log().warning("Can't persist AOF for fsync error when the AOF fsync policy is 'always': "
                        + e.getMessage() + ". Exiting...");
                Runtime.getRuntime().halt(1);
            }
            unsynced = false;
            lastFsyncMillis = System.currentTimeMillis();
        } else if (policy.equals("everysec")) {
            long now = System.currentTimeMillis();
            if (now - lastFsyncMillis >= 1000 && pendingFsyncs.get() == 0) {
                FileChannel ch = incr;
                pendingFsyncs.incrementAndGet();
                fsyncThread().execute(() -> {
                    try {
                        ch.force(false);
                        fsyncError = null;
                    } catch (java.nio.channels.ClosedChannelException e) {
                        // A closed file (after a rewrite) was fsynced when it was closed.
                    } catch (IOException e) {
                        fsyncError = e.getMessage() == null ? e.toString() : e.getMessage();
                    } finally {
                        pendingFsyncs.decrementAndGet();
                    }
                });
                unsynced = false;
                lastFsyncMillis = now;
            }
        }
    }

    private ExecutorService fsyncThread() {
        if (fsyncThread == null) {
            fsyncThread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "aof-fsync");
                t.setDaemon(true);
                return t;
            });
        }
        return fsyncThread;
    }

    /** From the server cron: the everysec fsync of idle periods, and the automatic rewrite. */
    public void cron() {
        if (state == State.OFF) return;
        flush(false);
        if (rewriteScheduled && !rewriteInProgress && server.keyspace().snapshot() == null) {
            rewriteScheduled = false;
            startRewrite();
        }
        long percentage = config.autoAofRewritePercentage.value();
        if (state == State.ON && !rewriteInProgress && !rewriteScheduled && server.keyspace().snapshot() == null
                && percentage > 0
                && currentSize > config.autoAofRewriteMinSize.value()) {
            long base = baseSize > 0 ? baseSize : 1;
            long growth = (currentSize * 100 / base) - 100;
            if (growth >= percentage) {
                server.log().notice("Starting automatic rewriting of AOF on " + growth + "% growth");
                startRewrite();
            }
        }
    }

    /**
     * Redis's prepareForShutdown for the AOF: a running rewrite is stopped, except the one
     * writing the first AOF after CONFIG SET appendonly yes (the dataset would be lost):
     * then the shutdown is refused unless forced. Everything is written and fsynced.
     * Returns false when the shutdown must not happen.
     */
    public boolean prepareForShutdown(boolean force) {
        if (running != null) {
            if (state == State.WAIT_REWRITE) {
                if (!force) {
                    server.log().warning("Writing initial AOF, can't exit.");
                    return false;
                }
                server.log().warning("Writing initial AOF. Exit anyway.");
            }
            server.log().warning("There is a child rewriting the AOF. Killing it!");
            cancelRewrite();
        }
        if (state == State.OFF || incr == null) return true;
        server.log().notice("Calling fsync() on the AOF file.");
        flush(true);
        return true;
    }

    /** The server stops: the file is closed (everything was fsynced by {@link #prepareForShutdown}). */
    public void close() {
        flush(true);
        closeIncr();
        if (fsyncThread != null) fsyncThread.shutdown();
    }

    /** Stops a running rewrite (Redis's killAppendOnlyChild): its base is not used. */
    private void cancelRewrite() {
        if (running == null) return;
        Snapshot s = running;
        running = null;
        // Stopped on purpose: not a failed rewrite (Redis kills its child with SIGUSR1 for that).
        rewriteInProgress = false;
        rewriteStartMillis = -1;
        server.log().notice("Killing running AOF rewrite");
        s.cancel();
        if (state == State.WAIT_REWRITE && rewriteIncrName != null) {
            closeIncr();
            try {
                Files.deleteIfExists(directory().resolve(rewriteIncrName));
            } catch (IOException e) {
                server.log().warning("Error removing " + rewriteIncrName + ": " + e.getMessage());
            }
        }
    }

    private void closeIncr() {
        if (incr == null) return;
        try {
            incr.force(false);
            incr.close();
        } catch (IOException e) {
            server.log().warning("Error closing the AOF file: " + e.getMessage());
        }
        incr = null;
    }

    // ---- turning on and off ----------------------------------------------------------------

    private void appendonlyChanged() throws ConfigException {
        boolean on = config.appendonly.value();
        if (on && state == State.OFF) {
            if (!startAppendOnly()) throw new ConfigException("Unable to turn on AOF. Check server logs.");
        } else if (!on && state != State.OFF) {
            stopAppendOnly();
        }
    }

    /** Redis's startAppendOnly: a rewrite creates the AOF from the current dataset. */
    private boolean startAppendOnly() {
        try {
            Files.createDirectories(directory());
            manifest = Files.exists(manifestPath()) ? AofManifest.read(manifestPath()) : AofManifest.empty();
        } catch (IOException | AofManifest.InvalidManifest e) {
            server.log().warning("Redis needs to enable the AOF but can't open the append only file: " + e.getMessage());
            return false;
        }
        state = State.WAIT_REWRITE;
        server.propagation().addListener(this, Propagation.AOF);
        if (server.keyspace().snapshot() != null || server.propagation().nested()) {
            server.log().warning("AOF was enabled but there is already another background operation. An AOF "
                    + "background was scheduled to start when possible.");
            rewriteScheduled = true;
            return true;
        }
        if (!startRewrite()) {
            state = State.OFF;
            server.propagation().removeListener(this);
            return false;
        }
        return true;
    }

    /** Redis's stopAppendOnly: flushed, fsynced, closed; no more writes. */
    private void stopAppendOnly() {
        cancelRewrite();
        flush(true);
        closeIncr();
        server.propagation().removeListener(this);
        state = State.OFF;
        rewriteScheduled = false;
        buffer.clear();
    }

    // ---- rewriting ---------------------------------------------------------------------

    /** BGREWRITEAOF: null when started (or scheduled), else the error to reply. */
    public String bgrewrite() {
        if (rewriteInProgress) return "ERR Background append only file rewriting already in progress";
        if (server.keyspace().snapshot() != null || server.propagation().nested()) {
            // A BGSAVE runs (one snapshot at a time), or an EXEC: the rewrite starts after it.
            rewriteScheduled = true;
            return null;
        }
        if (!startRewrite()) return "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.";
        return null;
    }

    public boolean rewriteScheduled() {
        return rewriteScheduled;
    }

    /**
     * Starts a rewrite at this instant: a new incremental file for the writes from now on
     * (recorded in the manifest at once when the AOF is on), and the base file of the
     * dataset as it is now.
     */
    private boolean startRewrite() {
        Path dir = directory();
        try {
            Files.createDirectories(dir);
            if (state == State.OFF) {
                // The AOF is off: only a new base, which makes every incremental file history.
                manifest = Files.exists(manifestPath()) ? AofManifest.read(manifestPath()) : AofManifest.empty();
                rewriteIncrSeq = manifest.lastIncrSeq() + 1;
                rewriteIncrName = null;
                return writeRewrite(dir);
            }
            // Everything before this instant goes to the files the new base replaces.
            flush(true);
            long seq = manifest.lastIncrSeq() + 1;
            String name = incrName(seq);
            FileChannel next;
            if (state == State.WAIT_REWRITE) {
                buffer.clear();
                // Turning on: the incremental file counts only once its base exists.
                name = "temp-" + fileName() + ".incr";
                next = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            } else {
                next = openForAppend(dir.resolve(name));
                manifest = manifest.withIncr(new AofManifest.FileInfo(name, seq, 'i'));
                manifest.write(manifestPath());
            }
            closeIncr();
            incr = next;
            selectedDb = -1;
            rewriteIncrSeq = seq;
            rewriteIncrName = name;
        } catch (IOException | AofManifest.InvalidManifest e) {
            server.log().warning("Can't open new incr AOF: " + e.getMessage());
            return false;
        }
        return writeRewrite(dir);
    }

    /** The base part of a rewrite, once the writes from now on have their incremental file. */
    private boolean writeRewrite(Path dir) {
        rewriteInProgress = true;
        rewriteStartMillis = System.currentTimeMillis();
        long baseSeq = manifest.baseSeq() + 1;
        boolean rdb = rdbBase();
        AofManifest.FileInfo base = new AofManifest.FileInfo(baseName(baseSeq, rdb), baseSeq, 'b');
        server.log().notice("Background append only file rewriting started");
        running = Snapshot.start(server, baseFormat(rdb), dir.resolve(base.name()), o -> {
            running = null;
            lastCowSize = o.peakPendingBytes();
            if (!o.ok()) server.log().warning("Error writing the AOF base file: " + o.error().getMessage());
            rewriteDone(o.ok(), base);
        });
        return true;
    }

    /** Whether a new base is an RDB (aof-use-rdb-preamble) or commands. */
    private boolean rdbBase() {
        return config.aofUseRdbPreamble.value();
    }

    private Snapshot.Format baseFormat(boolean rdb) {
        if (rdb) return new RdbSnapshotFormat(server, true);
        return new AofRewriteFormat(config.aofTimestampEnabled.value() ? System.currentTimeMillis() / 1000 : -1,
                server.scripting().libraryCodes());
    }

    /** Redis's backgroundRewriteDoneHandler: the new manifest, and the old files deleted. */
    private void rewriteDone(boolean ok, AofManifest.FileInfo base) {
        if (!rewriteInProgress) return;
        rewriteInProgress = false;
        lastRewriteSeconds = (System.currentTimeMillis() - rewriteStartMillis) / 1000;
        rewriteStartMillis = -1;
        Path dir = directory();
        if (ok) {
            try {
                AofManifest next = manifest;
                if (state == State.WAIT_REWRITE) {
                    // The temporary incremental file becomes the AOF's incremental file.
                    String name = incrName(rewriteIncrSeq);
                    Files.move(dir.resolve(rewriteIncrName), dir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                    next = next.withIncr(new AofManifest.FileInfo(name, rewriteIncrSeq, 'i'));
                }
                next = next.rewritten(base, rewriteIncrSeq);
                next.write(manifestPath());
                manifest = next;
                baseSize = Files.size(dir.resolve(base.name()));
                long incrSize = 0;
                for (AofManifest.FileInfo f : manifest.incrs()) incrSize += Files.size(dir.resolve(f.name()));
                currentSize = baseSize + incrSize;
                server.log().notice("Successfully renamed the temporary AOF base file " + base.name() + " into "
                        + base.name());
                deleteHistory();
                if (state == State.WAIT_REWRITE) {
                    state = State.ON;
                    server.log().notice("AOF rewrite successful");
                }
                lastRewriteOk = true;
                consecutiveFailures = 0;
                rewrites++;
                server.log().notice("Background AOF rewrite terminated with success");
                server.log().notice("Background AOF rewrite finished successfully");
                return;
            } catch (IOException e) {
                server.log().warning("Error trying to persist the AOF manifest: " + e.getMessage());
            }
        }
        lastRewriteOk = false;
        consecutiveFailures++;
        server.log().warning("Background AOF rewrite terminated with error");
        if (state == State.WAIT_REWRITE) {
            // Turning on failed: the AOF stays off (Redis retries; Cairn reports it).
            closeIncr();
            server.propagation().removeListener(this);
            state = State.OFF;
        }
    }

    /** Deletes the history files and records the manifest without them. */
    private void deleteHistory() throws IOException {
        if (manifest.history().isEmpty()) return;
        for (AofManifest.FileInfo h : manifest.history()) {
            server.log().notice("Removing the history file " + h.name() + " in the background");
            Files.deleteIfExists(directory().resolve(h.name()));
        }
        manifest = manifest.withoutHistory();
        manifest.write(manifestPath());
    }

    // ---- DEBUG LOADAOF -----------------------------------------------------------------

    /** DEBUG LOADAOF: the dataset emptied and loaded again from the AOF's files. */
    public void reload() throws IOException {
        if (state == State.ON) flush(true);
        server.keyspace().flushAll();
        if (Files.exists(manifestPath())) readManifestAndLoad();
        server.log().warning("Append Only File loaded by DEBUG LOADAOF");
    }

    /** Reads the manifest (refusing an invalid one), removes history files, and loads the base and incr files. */
    private void readManifestAndLoad() throws IOException {
        try {
            manifest = AofManifest.read(manifestPath());
        } catch (AofManifest.InvalidManifest e) {
            throw new LoadRefused(e.getMessage());
        }
        deleteHistory();
        loadFiles();
    }

    // ---- INFO ---------------------------------------------------------------------------

    /** The aof_* fields of INFO persistence, in Redis's order. */
    public void info(BiConsumer<String, Object> field) {
        field.accept("aof_enabled", state != State.OFF ? 1 : 0);
        field.accept("aof_rewrite_in_progress", rewriteInProgress ? 1 : 0);
        field.accept("aof_rewrite_scheduled", rewriteScheduled ? 1 : 0);
        field.accept("aof_last_rewrite_time_sec", lastRewriteSeconds);
        field.accept("aof_current_rewrite_time_sec",
                rewriteInProgress ? (System.currentTimeMillis() - rewriteStartMillis) / 1000 : -1);
        field.accept("aof_last_bgrewrite_status", lastRewriteOk ? "ok" : "err");
        field.accept("aof_rewrites", rewrites);
        field.accept("aof_rewrites_consecutive_failures", consecutiveFailures);
        field.accept("aof_last_write_status", lastWriteOk ? "ok" : "err");
        field.accept("aof_last_cow_size", lastCowSize);
        field.accept("module_fork_in_progress", 0);
        field.accept("module_fork_last_cow_size", 0);
        if (state == State.OFF) return;
        field.accept("aof_current_size", currentSize);
        field.accept("aof_base_size", baseSize);
        field.accept("aof_pending_rewrite", rewriteScheduled ? 1 : 0);
        field.accept("aof_buffer_length", buffer.length());
        field.accept("aof_pending_bio_fsync", pendingFsyncs.get());
        field.accept("aof_delayed_fsync", 0);
    }
}
