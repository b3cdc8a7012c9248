package dev.cairn.command;

import dev.cairn.server.Client;
import java.util.Map;

/**
 * SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]. The options are validated as Redis 7.0
 * does. With save points (or SAVE, never with NOSAVE) the dataset is saved first; if that
 * fails the server stays up and answers an error, unless FORCE. With no replicas to wait
 * for, NOW changes nothing. On success the caller gets no reply: the server closes.
 */
final class ShutdownCommand {
    private ShutdownCommand() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("shutdown", ShutdownCommand::shutdown);
    }

    static void shutdown(Client c) {
        boolean save = false;
        boolean noSave = false;
        boolean other = false;
        boolean force = false;
        boolean abort = false;
        for (int i = 1; i < c.argc(); i++) {
            if (c.argIs(i, "nosave")) noSave = true;
            else if (c.argIs(i, "save")) save = true;
            else if (c.argIs(i, "now")) other = true;
            else if (c.argIs(i, "force")) other = force = true;
            else if (c.argIs(i, "abort")) abort = true;
            else throw new CommandError(CommandError.SYNTAX);
        }
        if ((abort && (save || noSave || other)) || (save && noSave)) throw new CommandError(CommandError.SYNTAX);
        // Shutting down is immediate, so there is never one in progress to abort.
        if (abort) throw new CommandError("ERR No shutdown in progress.");
        // Past busy-reply-threshold a script can only be stopped by losing its writes.
        String busy = c.server().scripting().busyError();
        if (busy != null && !noSave) throw new CommandError(busy);
        if (!c.server().shutdown(save, noSave, force)) throw new CommandError("ERR Errors trying to SHUTDOWN. Check logs.");
    }
}
