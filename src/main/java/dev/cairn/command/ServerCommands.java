package dev.cairn.command;

import dev.cairn.server.Client;
import java.time.Instant;
import java.util.Map;

/** TIME and LASTSAVE. */
final class ServerCommands {
    private ServerCommands() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("time", ServerCommands::time);
        h.put("lastsave", c -> c.reply().integer(c.server().lastSaveSeconds()));
    }

    /** Unix seconds and the microseconds within that second, both as bulk strings. */
    static void time(Client c) {
        Instant now = Instant.now();
        c.reply().array(2);
        c.reply().bulk(now.getEpochSecond());
        c.reply().bulk(now.getNano() / 1000);
    }
}
