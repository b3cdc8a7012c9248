package dev.cairn.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * CLIENT PAUSE: while a pause is on, the commands of normal clients (all of them, or only
 * those that write for {@link Mode#WRITE}) are not run. The dispatcher asks
 * {@link #postpones} before running a command; a postponed client keeps that request
 * and the input behind it, unread, until the pause ends, then runs them in order
 * (Redis's BLOCKED_POSTPONE clients).
 *
 * <p>Pauses combine as in Redis: the stricter mode and the later end win. The pause ends
 * at its deadline (a timer on the command thread) or at CLIENT UNPAUSE; the postponed
 * clients resume in the order they were stopped, in a task of their own, after the
 * current event, just as Redis reprocesses them before the event loop sleeps.
 */
public final class ClientPause {
    /** What a pause stops; ALL is stricter than WRITE. */
    public enum Mode { WRITE, ALL }

    private final Server server;
    /** The mode in force, or null when not paused. */
    private Mode mode;
    private long endMillis;
    private final List<Client> postponed = new ArrayList<>();
    private ScheduledFuture<?> timer;

    ClientPause(Server server) {
        this.server = server;
    }

    /** Pauses until {@code endMillis} (unix time); an earlier end or milder mode never shortens a pause. */
    public void pause(long endMillis, Mode newMode) {
        if (mode == null || newMode.compareTo(mode) > 0) mode = newMode;
        if (endMillis > this.endMillis) this.endMillis = endMillis;
        if (timer == null) armTimer();
    }

    /** Ends the pause now (CLIENT UNPAUSE). */
    public void unpause() {
        if (mode == null) return;
        mode = null;
        endMillis = 0;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (postponed.isEmpty()) return;
        List<Client> waiting = new ArrayList<>(postponed);
        postponed.clear();
        server.listeners().commandLoop().execute(() -> resume(waiting));
    }

    public boolean paused() {
        return mode != null;
    }

    /** Clients waiting for the pause to end (counted by INFO blocked_clients). */
    public int postponedCount() {
        return postponed.size();
    }

    /**
     * Whether the command must wait; if so the client is recorded as postponed and
     * shown blocked. {@code mayReplicate}: the command writes or may replicate (for EXEC:
     * some queued command does), which a WRITE pause holds. Connections only: internal
     * clients (scripts) are never paused.
     */
    boolean postpones(Client c, boolean mayReplicate) {
        if (mode == null || c.isFake()) return false;
        if (mode == Mode.WRITE && !mayReplicate) return false;
        c.blocked(true);
        postponed.add(c);
        return true;
    }

    /** Drops a client that disconnected while postponed. */
    void forget(Client c) {
        postponed.remove(c);
    }

    private void armTimer() {
        long delay = Math.max(0, endMillis - System.currentTimeMillis());
        timer = server.listeners().commandLoop().schedule(this::deadline, delay, TimeUnit.MILLISECONDS);
    }

    /** The timer fired: end the pause, or wait longer if a later pause extended it. */
    private void deadline() {
        timer = null;
        if (mode == null) return;
        if (System.currentTimeMillis() >= endMillis) unpause();
        else armTimer();
    }

    private void resume(List<Client> waiting) {
        for (Client c : waiting) {
            c.blocked(false);
            if (c.closed() || c.channel() == null) continue;
            ConnectionHandler handler = c.channel().pipeline().get(ConnectionHandler.class);
            if (handler != null) handler.resumePostponed();
        }
        server.clients().flushPending();
    }
}
