package dev.cairn.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Client eviction (Redis 7.0's {@code maxmemory-clients}): when the connections together
 * hold as much memory as the limit or more, the largest ones are disconnected until the
 * total is below it. A connection with CLIENT NO-EVICT on counts in the total but is
 * never chosen.
 *
 * <p>A client's memory is what CLIENT LIST shows as tot-mem ({@link ClientInfo#memory}).
 * As Redis keeps a running total updated when a client's memory may have changed (after
 * its input is parsed, after its commands, after its output is written), this keeps each
 * client's last measured figure and the sum of them, so checking the limit costs nothing
 * per command; only when the sum reaches the limit is every client measured again and
 * the choice made. With the limit off (the default) nothing is measured at all.
 *
 * <p>Order: Redis groups clients by power-of-two size and evicts from the largest group
 * first; this evicts the largest client first, which picks from the same groups.
 *
 * <p>Command thread only.
 */
final class ClientEviction {
    /**
     * Redis never lets the limit go below 128 KB, so that a mistaken setting cannot cut off
     * every connection, the administrator's included.
     */
    private static final long MINIMUM_LIMIT = 128 * 1024;

    private final Server server;
    /** Sum of every client's {@link Client#trackedMemory}. */
    private long trackedTotal;

    ClientEviction(Server server) {
        this.server = server;
        // Turned on at run time (a percentage also by maxmemory): the figures kept while it
        // was off are stale, measure again.
        server.config().maxmemoryClients.onChange(s -> measureAll());
        server.config().maxmemory.onChange(s -> measureAll());
    }

    /**
     * The limit in bytes, 0 when off: a percentage applies to maxmemory (and is off without
     * one), and anything lower than {@link #MINIMUM_LIMIT} is raised to it, as Redis's
     * getClientEvictionLimit.
     */
    long limit() {
        long setting = server.config().maxmemoryClients.value();
        long limit;
        if (setting < 0) {
            long maxmemory = server.config().maxmemory.value();
            if (maxmemory == 0) return 0;
            double bytes = (double) maxmemory * -setting / 100;
            limit = bytes >= 0x1p63 ? Long.MAX_VALUE : (long) bytes;
        } else if (setting > 0) {
            limit = setting;
        } else {
            return 0;
        }
        return Math.max(limit, MINIMUM_LIMIT);
    }

    boolean enabled() {
        return limit() != 0;
    }

    /** Measures one client again (its buffers may have grown or shrunk). */
    void measure(Client c) {
        if (!enabled() || c.isFake() || c.closed()) return;
        long memory = ClientInfo.memory(c);
        trackedTotal += memory - c.trackedMemory;
        c.trackedMemory = memory;
    }

    /** Takes a client that goes away out of the total. */
    void forget(Client c) {
        trackedTotal -= c.trackedMemory;
        c.trackedMemory = 0;
    }

    private void measureAll() {
        trackedTotal = 0;
        for (Client c : server.clients().all()) {
            c.trackedMemory = 0;
            measure(c);
        }
    }

    /**
     * Disconnects the largest evictable clients while the clients' memory is at or over the
     * limit (Redis's evictClients). Returns true if any client was disconnected.
     */
    boolean evictIfNeeded() {
        long limit = limit();
        if (limit == 0 || trackedTotal < limit) return false;
        measureAll();
        if (trackedTotal < limit) return false;
        List<Client> candidates = new ArrayList<>();
        for (Client c : server.clients().all()) {
            if (!c.isFake() && !c.closed() && !c.noEvict()) candidates.add(c);
        }
        candidates.sort(Comparator.comparingLong((Client c) -> c.trackedMemory).reversed());
        boolean evicted = false;
        for (Client c : candidates) {
            if (trackedTotal < limit) return evicted;
            server.log().notice("Evicting client: " + ClientInfo.line(c));
            server.stats().evictedClients++;
            server.clients().kill(c);
            evicted = true;
        }
        if (trackedTotal >= limit) server.log().warning("Over client maxmemory after evicting all evictable clients");
        return evicted;
    }
}
