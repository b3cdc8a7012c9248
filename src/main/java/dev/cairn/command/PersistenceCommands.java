package dev.cairn.command;

import dev.cairn.server.Client;
import java.util.Map;

/** SAVE and BGSAVE: the RDB file on demand (see persistence/RdbPersistence for the rest). */
final class PersistenceCommands {
    private PersistenceCommands() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("save", PersistenceCommands::save);
        h.put("bgsave", PersistenceCommands::bgsave);
    }

    static void save(Client c) {
        String error = c.server().rdb().save();
        if (error != null) throw new CommandError(error);
        c.reply().ok();
    }

    static void bgsave(Client c) {
        boolean schedule = false;
        if (c.argc() > 1) {
            if (c.argc() == 2 && c.argIs(1, "schedule")) schedule = true;
            else throw new CommandError(CommandError.SYNTAX);
        }
        String error = c.server().rdb().bgsave(schedule);
        if (error != null) throw new CommandError(error);
        c.reply().status(c.server().rdb().scheduled() ? "Background saving scheduled" : "Background saving started");
    }
}
