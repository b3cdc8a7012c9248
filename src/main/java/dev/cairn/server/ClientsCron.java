package dev.cairn.server;

/**
 * The per-client part of the cron (Redis's clientsCron): closes clients idle for longer
 * than {@code timeout} seconds and clients over their output buffer limits, and measures
 * the clients' memory again for client eviction (output written since). Command
 * thread only.
 */
final class ClientsCron {
    private ClientsCron() {}

    static void run(Server server, long nowMillis) {
        long timeout = server.config().timeout.value();
        for (Client c : server.clients().all().toArray(new Client[0])) {
            if (c.isFake() || !c.channel().isActive()) continue;
            if (timeout > 0 && idleTooLong(c, nowMillis, timeout)) {
                server.log().verbose("Closing idle client");
                c.close();
                continue;
            }
            if (!OutputBufferLimit.enforce(server, c, true)) server.clients().eviction().measure(c);
        }
        server.clients().eviction().evictIfNeeded();
    }

    /**
     * Redis compares whole seconds ({@code now - lastinteraction > timeout} in unix time);
     * MONITOR clients never time out, nor do clients waiting on the server (CLIENT PAUSE)
     * or subscribers, who are expected to sit waiting for messages.
     */
    private static boolean idleTooLong(Client c, long nowMillis, long timeout) {
        if (c.monitor() || c.blocked() || c.subscriptions().active()) return false;
        return nowMillis / 1000 - c.lastInteractionMillis() / 1000 > timeout;
    }
}
