package dev.cairn.transaction;

import dev.cairn.command.CommandFlag;
import dev.cairn.command.CommandSpec;
import dev.cairn.keyspace.Database;
import java.util.ArrayList;
import java.util.List;

/**
 * One client's transaction state: whether it is between MULTI and EXEC, the commands
 * queued so far, the keys it watches, and the two reasons EXEC fails: a command was
 * refused while queuing (EXEC replies EXECABORT) or a watched key was touched (EXEC
 * replies a null array). Once either is set, further commands are answered QUEUED but
 * not kept: they could never run.
 */
public final class Transaction {
    /** What a queued command's pointer and length fields weigh, per argument, in multi-mem. */
    private static final int ARGUMENT_OVERHEAD = 8;

    private final WatchedKeys registry;
    private boolean multi;
    /** A command was refused while queuing (Redis's CLIENT_DIRTY_EXEC). */
    private boolean refusedCommand;
    /** A watched key was touched (Redis's CLIENT_DIRTY_CAS). */
    boolean touched;
    private List<QueuedCommand> queued = List.of();
    private long queuedBytes;
    private boolean queuedMayReplicate;
    private boolean queuedDenyoom;
    /** Whether some queued command writes (EXEC is then refused as a write, e.g. MISCONF). */
    private boolean queuedWrite;
    /** The keys this client watches; maintained by {@link WatchedKeys}. */
    final List<WatchedKeys.Watch> watches = new ArrayList<>(0);

    public Transaction(WatchedKeys registry) {
        this.registry = registry;
    }

    /** True between MULTI and EXEC/DISCARD (CLIENT LIST flag x). */
    public boolean inMulti() {
        return multi;
    }

    /** MULTI: starts queuing. */
    public void begin() {
        multi = true;
    }

    /** Records a command refused while queuing, so that EXEC aborts. */
    public void refuseCommand() {
        if (multi) refusedCommand = true;
    }

    public boolean refusedCommand() {
        return refusedCommand;
    }

    /** True once a watched key was touched (CLIENT LIST flag d). */
    public boolean touched() {
        return touched;
    }

    /** Queues a command for EXEC. Not kept when EXEC is bound to fail anyway. */
    public void queue(byte[][] argv, CommandSpec spec) {
        if (refusedCommand || touched) return;
        if (queued.isEmpty()) queued = new ArrayList<>(2);
        queued.add(new QueuedCommand(argv, spec));
        for (byte[] arg : argv) queuedBytes += arg.length + ARGUMENT_OVERHEAD;
        if (spec.has(CommandFlag.WRITE) || spec.has(CommandFlag.MAY_REPLICATE)) queuedMayReplicate = true;
        if (spec.has(CommandFlag.DENYOOM)) queuedDenyoom = true;
        if (spec.has(CommandFlag.WRITE)) queuedWrite = true;
    }

    /** The queued commands, in order. */
    public List<QueuedCommand> queued() {
        return queued;
    }

    /** Whether some queued command writes or may replicate (CLIENT PAUSE WRITE holds EXEC then). */
    public boolean queuedMayReplicate() {
        return queuedMayReplicate;
    }

    /** Whether some queued command may grow memory (EXEC is then refused over maxmemory). */
    public boolean queuedDenyoom() {
        return queuedDenyoom;
    }

    /** Whether some queued command writes. */
    public boolean queuedWrite() {
        return queuedWrite;
    }

    /** Memory held by the queued commands (CLIENT LIST multi-mem). */
    public long memory() {
        return queuedBytes;
    }

    /**
     * Checks the watched keys at EXEC: one that was alive when watched and has expired
     * since counts as touched, though nothing deleted it yet.
     */
    public boolean watchedKeyExpired() {
        for (WatchedKeys.Watch w : watches) {
            if (!w.expiredWhenWatched && WatchedKeys.isExpired(w.db, w.key)) return true;
        }
        return false;
    }

    /** WATCH of one key in {@code db}; no effect once a watched key was touched. */
    public void watch(Database db, byte[] key) {
        if (!touched) registry.watch(this, db, key);
    }

    /** UNWATCH: forgets every watched key and the touched mark. */
    public void unwatch() {
        registry.unwatchAll(this);
        touched = false;
    }

    /** Ends the transaction (EXEC, DISCARD, RESET, disconnection): drops the queue and the watches. */
    public void discard() {
        multi = false;
        refusedCommand = false;
        queued = List.of();
        queuedBytes = 0;
        queuedMayReplicate = false;
        queuedDenyoom = false;
        queuedWrite = false;
        unwatch();
    }
}
