package dev.cairn.persistence;

import dev.cairn.command.CommandError;
import dev.cairn.command.CommandHandler;
import dev.cairn.server.Client;
import java.util.Map;

/** BGREWRITEAOF. */
public final class AofCommands {
    private AofCommands() {}

    public static void register(Map<String, CommandHandler> h) {
        h.put("bgrewriteaof", AofCommands::bgrewriteaof);
    }

    static void bgrewriteaof(Client c) {
        AppendOnlyFile aof = c.server().aof();
        String error = aof.bgrewrite();
        if (error != null) throw new CommandError(error);
        c.reply().status(aof.rewriteScheduled() ? "Background append only file rewriting scheduled"
                : "Background append only file rewriting started");
    }
}
