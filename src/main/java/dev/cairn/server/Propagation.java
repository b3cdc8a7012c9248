package dev.cairn.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the server tells the AOF (and, later, replicas) about each change to the dataset:
 * Redis's propagation by effect ({@code call()}'s alsoPropagate and
 * {@code propagatePendingCommands}).
 *
 * <p>Every call (a request, a command of an EXEC, a script's redis.call, a blocked
 * client's command served later) is a frame. When the call changed the dataset (the
 * dirty counter grew) its arguments are added to the pending operations, unless the
 * handler replaced them ({@link #rewrite}, Redis's rewriteClientCommandVector: SET EX
 * becomes SET PXAT, BLPOP becomes LPOP...) or prevented them ({@link #prevent}: SPOP with
 * a count propagates SREMs of its own through {@link #also}, EVAL its effects). When the
 * outermost call ends the pending operations go to the listeners, wrapped in MULTI/EXEC
 * when there are several (a transaction, a script's effects, a command that found a key
 * expired: its DEL goes first). Outside any call (the cron's expiry) they go out at once.
 *
 * <p>Listeners track the database they last saw and insert their own SELECT. Command
 * thread only.
 */
public final class Propagation {
    /** Targets, as Redis's PROPAGATE_AOF and PROPAGATE_REPL (and redis.set_repl's flags). */
    public static final int AOF = 1;
    public static final int REPLICAS = 2;
    public static final int ALL = AOF | REPLICAS;

    public static final byte[] MULTI = word("MULTI");
    public static final byte[] EXEC = word("EXEC");
    public static final byte[] SELECT = word("SELECT");
    public static final byte[] DEL = word("DEL");
    public static final byte[] UNLINK = word("UNLINK");

    /** Receives the propagated commands in order; inserts SELECT itself when {@code db} changes. */
    public interface Listener {
        void propagate(int db, byte[][] argv, int targets);
    }

    private record Op(int db, byte[][] argv, int targets) {}

    private final List<Listener> listeners = new ArrayList<>();
    /** What the listeners receive, together (Redis's shouldPropagate: the AOF is on, replicas exist). */
    private int listenedTargets;
    private final List<Integer> listenerTargets = new ArrayList<>();
    private final List<Op> pending = new ArrayList<>();
    /** Per nesting depth: the handler's replacement arguments, and the prevented/forced flags. */
    private byte[][][] replacement = new byte[8][][];
    private int[] flags = new int[8];
    private int depth;
    /** Where the commands of the running script go (redis.set_repl, set around each redis.call); ALL otherwise. */
    private int scriptTargets = ALL;
    /** While loading a file nothing is propagated. */
    private boolean suspended;

    private static final int PREVENTED = 1;
    /** Forced targets are kept in the frame's flags above this bit. */
    private static final int FORCED_SHIFT = 1;

    public static byte[] word(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] number(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    /** A listener of everything propagated. */
    public void addListener(Listener l) {
        addListener(l, ALL);
    }

    /**
     * A listener of the commands for {@code targets} (the AOF: {@link #AOF}). A command
     * for targets nobody listens to is dropped before anything else, so it neither shows
     * nor counts for the MULTI/EXEC wrapping (a PUBLISH in a transaction without replicas).
     */
    public void addListener(Listener l, int targets) {
        listeners.add(l);
        listenerTargets.add(targets);
        listenedTargets |= targets;
    }

    public void removeListener(Listener l) {
        int i = listeners.indexOf(l);
        if (i < 0) return;
        listeners.remove(i);
        listenerTargets.remove(i);
        listenedTargets = 0;
        for (int t : listenerTargets) listenedTargets |= t;
    }

    /** Whether anyone listens: handlers may skip building replacement arguments otherwise. */
    public boolean active() {
        return !listeners.isEmpty() && !suspended;
    }

    /** Stops (or resumes) all propagation, for loading a file through the dispatcher. */
    public void suspended(boolean yes) {
        suspended = yes;
    }

    public void scriptTargets(int targets) {
        scriptTargets = targets;
    }

    // ---- the handler's side ---------------------------------------------------------------

    /** Propagates these arguments instead of the running command's (rewriteClientCommandVector). */
    public void rewrite(byte[]... argv) {
        if (depth > 0) replacement[depth - 1] = argv;
    }

    /** The running command propagates nothing of its own (preventCommandPropagation). */
    public void prevent() {
        if (depth > 0) flags[depth - 1] |= PREVENTED;
    }

    /** The running command is propagated even if it changed nothing (forceCommandPropagation). */
    public void force() {
        force(ALL);
    }

    /**
     * The running command goes to these targets even if it changed nothing: PUBLISH to
     * replicas only, so that their subscribers get the message.
     */
    public void force(int targets) {
        if (depth > 0) flags[depth - 1] |= targets << FORCED_SHIFT;
    }

    /** Adds a command to propagate after what is already pending (alsoPropagate). */
    public void also(int db, byte[]... argv) {
        if (!active()) return;
        if (depth == 0) {
            emit(db, argv, ALL);
            return;
        }
        int targets = scriptTargets & listenedTargets;
        if (targets != 0) pending.add(new Op(db, argv, targets));
    }

    /**
     * The deletion of an expired or evicted key (DEL or UNLINK): like {@link #also}, but
     * to every target even inside a script that chose redis.set_repl (Redis's
     * propagateDeletion), since replicas and the AOF must lose the key too.
     */
    public void deletion(int db, byte[] command, byte[] key) {
        if (!active()) return;
        byte[][] argv = {command, key};
        if (depth == 0) emit(db, argv, ALL);
        else pending.add(new Op(db, argv, ALL));
    }

    /**
     * Whether the running command is part of a larger call (EXEC): what ran before it is
     * not propagated yet, so a rewrite starting now would see it in its snapshot and again
     * in its new incremental file (Redis schedules the rewrite while in_exec).
     */
    public boolean nested() {
        return depth > 1 || !pending.isEmpty();
    }

    // ---- the dispatcher's side ------------------------------------------------------------

    /** A call begins: a new frame. */
    void enter() {
        if (depth == replacement.length) {
            replacement = Arrays.copyOf(replacement, depth * 2);
            flags = Arrays.copyOf(flags, depth * 2);
        }
        replacement[depth] = null;
        flags[depth] = 0;
        depth++;
    }

    /**
     * A call ends: its command is propagated when it changed the dataset ({@code dirty}),
     * and when it was the outermost call the pending operations go out.
     */
    void exit(Client c, boolean dirty) {
        int frame = --depth;
        byte[][] argv = replacement[frame];
        replacement[frame] = null;
        int targets = (dirty ? ALL : 0) | (flags[frame] >>> FORCED_SHIFT);
        // A script's redis.set_repl narrows where its commands go; nobody may listen to some.
        targets &= scriptTargets & listenedTargets;
        if (targets != 0 && (flags[frame] & PREVENTED) == 0 && active()) {
            pending.add(new Op(c.dbIndex(), argv != null ? argv : c.argv(), targets));
        }
        if (depth == 0 && !pending.isEmpty()) flushPending();
    }

    private void flushPending() {
        if (!active()) {
            pending.clear();
            return;
        }
        boolean wrap = pending.size() > 1;
        if (wrap) emit(pending.get(0).db(), new byte[][] {MULTI}, ALL);
        for (Op op : pending) emit(op.db(), op.argv(), op.targets());
        if (wrap) emit(pending.get(pending.size() - 1).db(), new byte[][] {EXEC}, ALL);
        pending.clear();
    }

    private void emit(int db, byte[][] argv, int targets) {
        for (Listener l : listeners) l.propagate(db, argv, targets);
    }
}
