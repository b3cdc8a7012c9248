package dev.cairn.persistence;

import dev.cairn.config.SavePoints;
import dev.cairn.server.Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * When and where the dataset is saved as an RDB file, and loaded from it: SAVE, BGSAVE
 * [SCHEDULE], the save points checked by the cron, saving at shutdown, loading at
 * startup and DEBUG RELOAD, and the state INFO persistence reports (Redis's rdb.c
 * bookkeeping in server.c). The file is {@code dir}/{@code dbfilename}.
 *
 * <p>Used only from the command thread (and from startup before it runs).
 */
public final class RdbPersistence {
    /** Redis's CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE, save points wait this long. */
    private static final long RETRY_DELAY_SECONDS = 5;

    private final Server server;
    private Snapshot running;
    private boolean scheduled;
    private long lastSaveSeconds;
    private long dirtyAtLastSave;
    private long dirtyAtStart;
    private boolean lastBgsaveOk = true;
    private long lastBgsaveTrySeconds;
    private long lastBgsaveSeconds = -1;
    private long saves;
    private long keysAtStart;
    /** The most bytes the last BGSAVE held in memory waiting for the disk (rdb_last_cow_size). */
    private long lastPendingPeak;
    private RdbLoader.Result lastLoad = new RdbLoader.Result(0, 0, 0);

    public RdbPersistence(Server server) {
        this.server = server;
        this.lastSaveSeconds = System.currentTimeMillis() / 1000;
    }

    /** The RDB file: {@code dbfilename} in {@code dir}. */
    public Path file() {
        return Path.of(server.config().dir.value()).resolve(server.config().dbfilename.value());
    }

    // ---- loading ---------------------------------------------------------------------

    /**
     * Loads the RDB file if there is one (startup). A missing file is an empty dataset;
     * an unreadable or corrupt one throws with the reason, and nothing is overwritten.
     */
    public void loadAtStartup() throws IOException, RdbFormatException {
        long start = System.nanoTime();
        Path file = file();
        try {
            lastLoad = RdbLoader.load(server, file, false);
        } catch (NoSuchFileException e) {
            return;
        }
        server.log().notice("Done loading RDB, keys loaded: " + lastLoad.keysLoaded() + ", keys expired: "
                + lastLoad.keysExpired() + ".");
        server.log().notice(String.format("DB loaded from disk: %.3f seconds", (System.nanoTime() - start) / 1e9));
        lastSaveSeconds = Files.getLastModifiedTime(file).toMillis() / 1000;
    }

    /**
     * DEBUG RELOAD: saves (unless {@code save} is false), empties the dataset (unless
     * {@code flush} is false) and loads the file again; with {@code merge} keys of the file
     * replace existing ones. Returns the error text for the reply, or null.
     */
    public String reload(boolean save, boolean flush, boolean merge) {
        if (save) {
            String error = save();
            if (error != null) return error;
        }
        if (flush) {
            server.keyspace().flushAll();
            server.scripting().flushFunctions();
        }
        try {
            lastLoad = RdbLoader.load(server, file(), merge);
        } catch (IOException | RdbFormatException e) {
            return "ERR Error trying to load the RDB dump, check server logs.";
        }
        server.log().notice("DB reloaded by DEBUG RELOAD");
        return null;
    }

    // ---- saving ----------------------------------------------------------------------

    /** SAVE: writes the file now, blocking. Returns the error reply text, or null. */
    public String save() {
        return save(true);
    }

    /** A blocking save; {@code counted}: it counts in rdb_saves (FLUSHALL's save does not, as in 7.0). */
    private String save(boolean counted) {
        // Another snapshot (a BGSAVE or an AOF rewrite) runs: Redis refuses SAVE while it has a child.
        if (running != null || server.keyspace().snapshot() != null) return "ERR Background save already in progress";
        long dirty = server.dirty();
        Snapshot.Outcome o;
        try {
            o = Snapshot.runNow(server, Snapshot.rdbFormat(server), file());
        } catch (RuntimeException e) {
            server.log().warning("Failed saving the DB: " + e);
            return "ERR";
        }
        if (!o.ok()) {
            server.log().warning("Failed saving the DB: " + reason(o.error()));
            return "ERR";
        }
        server.log().notice("DB saved on disk");
        saved(dirty, o, counted);
        lastBgsaveOk = true;
        return null;
    }

    /**
     * BGSAVE [SCHEDULE]: starts a background save, or with {@code schedule} schedules one
     * while another snapshot (an AOF rewrite) runs. Returns the error reply text when it
     * can do neither, else null ({@link #scheduled} tells which it did).
     */
    public String bgsave(boolean schedule) {
        if (running != null) return "ERR Background save already in progress";
        if (server.keyspace().snapshot() != null) {
            if (!schedule) {
                return "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE "
                        + "in order to schedule a BGSAVE whenever possible.";
            }
            scheduled = true;
            return null;
        }
        startBackground();
        return null;
    }

    private void startBackground() {
        scheduled = false;
        dirtyAtStart = server.dirty();
        keysAtStart = server.keyspace().totalKeys();
        lastBgsaveTrySeconds = System.currentTimeMillis() / 1000;
        server.log().notice("Background saving started");
        running = Snapshot.start(server, Snapshot.rdbFormat(server), file(), this::backgroundDone);
    }

    private void backgroundDone(Snapshot.Outcome o) {
        running = null;
        lastPendingPeak = o.peakPendingBytes();
        lastBgsaveSeconds = Math.round((o.endedMillis() - o.startedMillis()) / 1000.0);
        if (o.ok()) {
            server.log().notice("DB saved on disk");
            server.log().notice("Background saving terminated with success");
            saved(dirtyAtStart, o, true);
            lastBgsaveOk = true;
        } else {
            server.log().warning("Background saving error: " + reason(o.error()));
            lastBgsaveOk = false;
        }
    }

    private void saved(long dirtyAtSnapshot, Snapshot.Outcome o, boolean counted) {
        dirtyAtLastSave = dirtyAtSnapshot;
        lastSaveSeconds = o.startedMillis() / 1000;
        if (counted) saves++;
    }

    private static String reason(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** Stops a running BGSAVE (FLUSHALL, SHUTDOWN); its temp file is removed. */
    public void cancelBackground() {
        if (running == null) return;
        Snapshot s = running;
        s.cancel();
        running = null;
        server.log().notice("Background saving terminated by the server");
    }

    /**
     * The cron's part (Redis's serverCron): starts a scheduled BGSAVE once nothing else
     * snapshots, and a BGSAVE when a save point is reached.
     */
    public void cron(long nowMillis) {
        if (running != null || server.keyspace().snapshot() != null) return;
        if (scheduled) {
            startBackground();
            return;
        }
        long now = nowMillis / 1000;
        long changes = changesSinceLastSave();
        for (SavePoints.Point p : server.config().save.value().points()) {
            if (changes >= p.changes() && now - lastSaveSeconds > p.seconds()
                    && (lastBgsaveOk || now - lastBgsaveTrySeconds > RETRY_DELAY_SECONDS)) {
                server.log().notice(p.changes() + " changes in " + p.seconds() + " seconds. Saving...");
                startBackground();
                return;
            }
        }
    }

    /**
     * The save at SHUTDOWN: with save points (or SHUTDOWN SAVE) and not NOSAVE, a
     * blocking save after stopping any BGSAVE. Returns false when it failed, so the
     * shutdown is refused.
     */
    public boolean saveForShutdown(boolean forceSave, boolean noSave) {
        cancelBackground();
        if (noSave || (!forceSave && server.config().save.value().isEmpty())) return true;
        server.log().notice("Saving the final RDB snapshot before exiting.");
        if (save() != null) {
            server.log().warning("Error trying to save the DB, can't exit.");
            return false;
        }
        return true;
    }

    /** FLUSHALL's part: stop a BGSAVE and, with save points, save the empty dataset. */
    public void afterFlushAll() {
        cancelBackground();
        if (!server.config().save.value().isEmpty()) save(false);
    }

    /**
     * Whether writes are refused with MISCONF: the last background save failed, save
     * points exist and stop-writes-on-bgsave-error is on.
     */
    public boolean refusingWrites() {
        return !lastBgsaveOk && server.config().stopWritesOnBgsaveError.value()
                && !server.config().save.value().isEmpty();
    }

    // ---- INFO persistence --------------------------------------------------------------

    public long changesSinceLastSave() {
        return server.dirty() - dirtyAtLastSave;
    }

    public boolean inProgress() {
        return running != null;
    }

    public boolean scheduled() {
        return scheduled;
    }

    public long lastSaveSeconds() {
        return lastSaveSeconds;
    }

    public boolean lastBgsaveOk() {
        return lastBgsaveOk;
    }

    public long lastBgsaveSeconds() {
        return lastBgsaveSeconds;
    }

    /** Seconds the running BGSAVE has taken so far, or -1. */
    public long currentBgsaveSeconds() {
        return running == null ? -1 : (System.currentTimeMillis() - running.startedMillis()) / 1000;
    }

    /** Keys the running BGSAVE has written so far. */
    public long currentKeysProcessed() {
        return running == null ? 0 : running.keysSaved();
    }

    /** Bytes the running BGSAVE holds that are not yet on disk (its extra memory). */
    public long currentPendingBytes() {
        return running == null ? 0 : running.pendingBytes();
    }

    /** Keys in the dataset when the running BGSAVE started, or 0. */
    public long currentKeysTotal() {
        return running == null ? 0 : keysAtStart;
    }

    public long lastPendingPeak() {
        return lastPendingPeak;
    }

    public long saves() {
        return saves;
    }

    public RdbLoader.Result lastLoad() {
        return lastLoad;
    }
}
