package dev.cairn.command;

import dev.cairn.protocol.Reply;
import dev.cairn.server.Client;
import java.util.Locale;

/** The reply of every {@code <CONTAINER> HELP} (Redis's addReplyHelp layout), and the error for a misused subcommand. */
public final class SubcommandHelp {
    private SubcommandHelp() {}

    /**
     * Replies the header line, the given lines and the closing HELP entry, each as a
     * status reply, as Redis does.
     */
    public static void reply(Client c, String command, String... lines) {
        Reply r = c.reply();
        r.array(lines.length + 3);
        r.status(command + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String line : lines) r.status(line);
        r.status("HELP");
        r.status("    Prints this help.");
    }

    /**
     * Redis's addReplySubcommandSyntaxError, for commands that check a subcommand's
     * arguments themselves: names the subcommand as typed (at most 128 characters).
     */
    public static CommandError wrongUsage(Client c) {
        String sub = c.argString(1);
        return new CommandError("ERR unknown subcommand or wrong number of arguments for '"
                + (sub.length() > 128 ? sub.substring(0, 128) : sub) + "'. Try "
                + c.argString(0).toUpperCase(Locale.ROOT) + " HELP.");
    }
}
