package dev.cairn.server;

import dev.cairn.config.OutputBufferLimits.Limit;

/**
 * The {@code client-output-buffer-limit} of normal and pubsub clients, enforced as Redis 7.0's
 * checkClientOutputBufferLimits and closeClientOnOutputBufferLimitReached do.
 *
 * <p>What counts is the output not yet written to the socket beyond the first 16 KB
 * (Redis keeps those in a static reply buffer that the limits ignore). A client reaching
 * the hard limit, or staying at or over the soft limit for more than the soft seconds,
 * is closed and its pending output dropped. The check runs when output is added (after
 * each command: "scheduled to be closed ASAP" in the log) and from the cron ("closed").
 * As in Redis, a client with nothing beyond the static buffer is not checked at all,
 * so the time the soft limit was first reached is only forgotten when the client is
 * checked below it.
 *
 * <p>A client that must authenticate and has not is closed as soon as its output overflows
 * the static buffer (see {@link #unauthenticated}).
 *
 * <p>A client subscribed to anything uses the pubsub class (a subscriber that does not
 * read is closed and its messages dropped while publishers carry on); all others,
 * MONITOR clients included, the normal class, as in Redis.
 */
final class OutputBufferLimit {
    /** Redis's static reply buffer (PROTO_REPLY_CHUNK_BYTES), not counted by the limits. */
    static final int STATIC_BUFFER = 16 * 1024;

    private OutputBufferLimit() {}

    /** The pending output the limits apply to. */
    static long usage(Client c) {
        return Math.max(0, c.pendingReplyBytes() + c.socketPendingBytes() - STATIC_BUFFER);
    }

    /**
     * Closes {@code c} if it is over its limit. Returns true when it did.
     *
     * @param fromCron true for the periodic check, false right after output was added
     */
    static boolean enforce(Server server, Client c, boolean fromCron) {
        if (c.isFake() || !c.channel().isActive()) return false;
        long used = usage(c);
        if (used == 0) return false;
        if (!unauthenticated(server, c)) {
            var limits = server.config().clientOutputBufferLimit.value();
            Limit limit = c.subscriptions().active() ? limits.pubsub() : limits.normal();
            if (!reached(c, used, limit)) return false;
        }
        String info = ClientInfo.line(c);
        c.close();
        server.stats().clientOutputBufferLimitDisconnections++;
        server.log().warning("Client " + info + (fromCron
                ? " closed for overcoming of output buffer limits."
                : " scheduled to be closed ASAP for overcoming of output buffer limits."));
        return true;
    }

    /**
     * A client that has not authenticated where a password is required gets no output
     * beyond the static buffer, whatever the limits say (CVE-2025-21605, Redis 7.0.15):
     * otherwise anyone able to connect could make the server buffer replies to pipelined
     * failing commands without reading them. Redis allows such a client 1024 bytes of
     * output list, but the first reply overflowing the static buffer already allocates a
     * 16 KB block there, so any overflow closes it.
     */
    private static boolean unauthenticated(Server server, Client c) {
        return server.authRequired() && !c.authenticated();
    }

    /** Redis's checkClientOutputBufferLimits; byte limits are unsigned, 0 disables one. */
    private static boolean reached(Client c, long used, Limit limit) {
        boolean hard = limit.hardBytes() != 0 && Long.compareUnsigned(used, limit.hardBytes()) >= 0;
        boolean soft = limit.softBytes() != 0 && Long.compareUnsigned(used, limit.softBytes()) >= 0;
        long now = System.currentTimeMillis() / 1000;
        if (soft) {
            // Over the soft limit: tolerated until it has lasted more than softSeconds.
            if (c.outputSoftLimitSince == 0) {
                c.outputSoftLimitSince = now;
                soft = false;
            } else if (now - c.outputSoftLimitSince <= limit.softSeconds()) {
                soft = false;
            }
        } else {
            c.outputSoftLimitSince = 0;
        }
        return hard || soft;
    }
}
