package dev.cairn.server;

import dev.cairn.command.CommandSpec;
import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Entry;
import dev.cairn.types.ValueType;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Clients blocked on keys by BLPOP, BLMOVE, BZPOPMIN and the other blocking pops (Redis's
 * blocked.c).
 *
 * <p>How a blocking command works: its handler looks for data as the non-blocking form
 * would; when there is none it calls {@link Client#blockOnKeys} and replies nothing.
 * The client then waits in a queue per key, in the order clients blocked, and reads no
 * further requests. When a list or sorted set is created at a key someone waits on
 * ({@link #signalReady}, from the keyspace's {@code added} hook), the key is marked
 * ready; after the command that created it has finished (a whole MULTI/EXEC or script
 * counts as one command), {@link #serveReadyKeys} runs the waiting clients' commands
 * again in queue order. A client whose command now finds data has replied and is
 * unblocked; one that finds nothing (an earlier client took everything) keeps its place.
 *
 * <p>Running the command again, rather than handing over an element, keeps each
 * command's rules in its handler: BLMOVE's destination type check, BLMPOP's count, the
 * keyspace events. A key that is gone, or no longer of the type the client waits for
 * (deleted or replaced later in the same transaction), wakes nobody.
 *
 * <p>Invariants: a client is in the queue of every key it waits on, or in none; it has
 * a {@link State} exactly while it is blocked here. Used only from the command thread.
 */
public final class BlockedClients {
    /** The reply a blocked client gets when its timeout passes or CLIENT UNBLOCK times it out. */
    public enum TimeoutReply { NULL_ARRAY, NULL_BULK }

    /** What a blocked client waits for. */
    static final class State {
        final Database db;
        final List<byte[]> keys;
        final ValueType type;
        final TimeoutReply timeoutReply;
        final long deadlineMillis;
        final byte[][] argv;
        final CommandSpec spec;
        ScheduledFuture<?> timer;
        /** Set when a retry found nothing again: the client keeps waiting. */
        boolean stillWaiting;
        /** The key whose readiness the command is being run again for. */
        byte[] servingKey;

        State(Database db, List<byte[]> keys, ValueType type, TimeoutReply timeoutReply, long deadlineMillis,
                byte[][] argv, CommandSpec spec) {
            this.db = db;
            this.keys = keys;
            this.type = type;
            this.timeoutReply = timeoutReply;
            this.deadlineMillis = deadlineMillis;
            this.argv = argv;
            this.spec = spec;
        }
    }

    /** A key of a database, usable as a map key. */
    private record DbKey(int db, ByteBuffer key) {
        static DbKey of(Database db, byte[] key) {
            return new DbKey(db.id(), ByteBuffer.wrap(key));
        }
    }

    private final Server server;
    private final Map<DbKey, ArrayDeque<Client>> waiting = new HashMap<>();
    /** Keys made ready since the last {@link #serveReadyKeys}, in the order they were signalled. */
    private LinkedHashSet<DbKey> ready = new LinkedHashSet<>();
    private int blockedCount;
    private int withTimeout;
    private boolean serving;

    BlockedClients(Server server) {
        this.server = server;
    }

    /** Clients blocked on keys (INFO blocked_clients adds those postponed by CLIENT PAUSE). */
    public int count() {
        return blockedCount;
    }

    /** Blocked clients with a timeout (INFO clients_in_timeout_table). */
    public int withTimeoutCount() {
        return withTimeout;
    }

    /**
     * Blocks the client on the keys (see {@link Client#blockOnKeys}). When the command is
     * being retried for a client already blocked, it just keeps waiting.
     */
    void block(Client c, List<byte[]> keys, ValueType type, long deadlineMillis, TimeoutReply timeoutReply,
            byte[][] retryArgv) {
        State existing = c.blockState();
        if (existing != null) {
            existing.stillWaiting = true;
            return;
        }
        State s = new State(c.db(), keys, type, timeoutReply, deadlineMillis, retryArgv, c.command());
        for (byte[] key : keys) {
            ArrayDeque<Client> queue = waiting.computeIfAbsent(DbKey.of(s.db, key), k -> new ArrayDeque<>());
            // BLPOP k k waits once on k.
            if (!queue.contains(c)) queue.add(c);
        }
        c.blockState(s);
        c.blocked(true);
        blockedCount++;
        if (deadlineMillis > 0) {
            withTimeout++;
            long delay = Math.max(0, deadlineMillis - System.currentTimeMillis());
            s.timer = server.listeners().commandLoop().schedule(() -> timedOut(c), delay, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Replies the timeout reply of the client's command; also what a blocking command
     * replies where it may not block (inside MULTI or a script).
     */
    static void replyTimeout(Client c, TimeoutReply kind) {
        if (kind == TimeoutReply.NULL_BULK) c.reply().nullBulk();
        else c.reply().nullArray();
    }

    /**
     * A list or sorted set was created at the key, or an entry added to a stream there (or
     * its consumer group destroyed): if clients wait on it, mark it for {@link #serveReadyKeys}.
     */
    public void signalReady(Database db, byte[] key) {
        if (blockedCount == 0) return;
        DbKey k = DbKey.of(db, key);
        if (waiting.containsKey(k)) ready.add(k);
    }

    /**
     * After SWAPDB: keys clients wait on that now hold data become ready, and so do those
     * a group's consumer waits on (its stream may have gone with the swap: Redis's
     * scanDatabaseForDeletedStreams).
     */
    public void databasesSwapped(Database a, Database b) {
        if (blockedCount == 0) return;
        for (var waited : waiting.entrySet()) {
            DbKey k = waited.getKey();
            if (k.db() != a.id() && k.db() != b.id()) continue;
            Database db = k.db() == a.id() ? a : b;
            byte[] key = k.key().array();
            if (db.find(key) != null || waitsForStream(waited.getValue())) ready.add(k);
        }
    }

    /**
     * FLUSHDB or FLUSHALL is about to empty the database: streams clients wait on are
     * going, so their keys become ready (consumers of a group then get the UNBLOCKED error).
     */
    public void databaseEmptying(Database db) {
        if (blockedCount == 0) return;
        for (DbKey k : waiting.keySet()) {
            if (k.db() != db.id()) continue;
            Entry e = db.find(k.key().array());
            if (e != null && ValueType.of(e.value()) == ValueType.STREAM) ready.add(k);
        }
    }

    private static boolean waitsForStream(ArrayDeque<Client> clients) {
        for (Client c : clients) {
            State s = c.blockState();
            if (s != null && s.type == ValueType.STREAM) return true;
        }
        return false;
    }

    boolean hasReadyKeys() {
        return !ready.isEmpty();
    }

    /**
     * Retries the commands of the clients waiting on ready keys, each key's clients in
     * the order they blocked, until no key is ready (serving BLMOVE can make another key
     * ready). Called by the dispatcher after each command.
     */
    void serveReadyKeys(Dispatcher dispatcher) {
        if (serving) return;
        serving = true;
        try {
            while (!ready.isEmpty()) {
                LinkedHashSet<DbKey> batch = ready;
                ready = new LinkedHashSet<>();
                for (DbKey k : batch) serveKey(dispatcher, k);
            }
        } finally {
            serving = false;
        }
    }

    private void serveKey(Dispatcher dispatcher, DbKey k) {
        ArrayDeque<Client> queue = waiting.get(k);
        if (queue == null) return;
        byte[] key = k.key().array();
        for (Client c : new ArrayList<>(queue)) {
            State s = c.blockState();
            if (s == null) continue;
            Entry e = s.db.find(key);
            if (e == null || s.db.isExpired(e) || ValueType.of(e.value()) != s.type) {
                // A consumer of a group whose stream went away is told so (XREAD keeps waiting).
                if (s.type == ValueType.STREAM && s.spec.name().equals("xreadgroup")) {
                    failBlocked(c, "UNBLOCKED the stream key no longer exists");
                }
                continue;
            }
            s.stillWaiting = false;
            s.servingKey = key;
            dispatcher.retryBlocked(c, s.argv, s.spec);
            s.servingKey = null;
            if (!s.stillWaiting) {
                unblock(c);
                c.flush();
                c.resumeInput();
            }
        }
    }

    private void failBlocked(Client c, String error) {
        State s = c.blockState();
        c.reply().error(error);
        server.stats().error(c.reply().takeLastError());
        server.stats().command(s.spec.name()).failedCalls++;
        unblock(c);
        c.flush();
        c.resumeInput();
    }

    /** The client's timeout passed: it gets its command's null reply. */
    private void timedOut(Client c) {
        State s = c.blockState();
        if (s == null || c.closed()) return;
        s.timer = null;
        replyTimeout(c, s.timeoutReply);
        unblock(c);
        c.flush();
        c.resumeInput();
    }

    /**
     * CLIENT UNBLOCK: ends the wait with the timeout reply, or with the UNBLOCKED error.
     * Returns false when the client is not blocked on keys.
     */
    public boolean unblockByRequest(Client c, boolean withError) {
        State s = c.blockState();
        if (s == null) return false;
        if (withError) {
            c.reply().error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
            server.stats().error(c.reply().takeLastError());
            server.stats().command(s.spec.name()).failedCalls++;
        } else {
            replyTimeout(c, s.timeoutReply);
        }
        unblock(c);
        c.flush();
        server.listeners().commandLoop().execute(c::resumeInput);
        return true;
    }

    /** The client disconnected while blocked. */
    void forget(Client c) {
        if (c.blockState() != null) unblock(c);
    }

    private void unblock(Client c) {
        State s = c.blockState();
        for (byte[] key : s.keys) {
            DbKey k = DbKey.of(s.db, key);
            ArrayDeque<Client> queue = waiting.get(k);
            if (queue == null) continue;
            queue.remove(c);
            if (queue.isEmpty()) waiting.remove(k);
        }
        if (s.timer != null) s.timer.cancel(false);
        if (s.deadlineMillis > 0) withTimeout--;
        blockedCount--;
        c.blockState(null);
        c.blocked(false);
    }
}
