package dev.cairn.command;

import dev.cairn.server.Client;
import java.util.Map;

/**
 * MONITOR: turns the connection into a monitor that receives every command the server
 * executes (see {@link dev.cairn.server.Monitors} for the feed). Like a Redis replica,
 * the connection may still run commands that do not touch the keyspace.
 */
final class MonitorCommand {
    private MonitorCommand() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("monitor", MonitorCommand::monitor);
    }

    static void monitor(Client c) {
        // Inside EXEC every command must answer, which a monitor never stops doing.
        if (c.blockingDenied()) throw new CommandError("ERR MONITOR isn't allowed for DENY BLOCKING client");
        // A second MONITOR is ignored, without a reply, as in Redis.
        if (c.monitor()) return;
        c.monitor(true);
        c.reply().ok();
    }
}
