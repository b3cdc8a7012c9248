package dev.cairn.command;

import dev.cairn.protocol.Reply;
import dev.cairn.server.Client;
import dev.cairn.server.SlowLog;
import java.util.Map;

/** SLOWLOG GET, LEN, RESET and HELP over the server's {@link SlowLog}. */
final class SlowlogCommand {
    private SlowlogCommand() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("slowlog|get", SlowlogCommand::get);
        h.put("slowlog|len", c -> c.reply().integer(c.server().slowLog().size()));
        h.put("slowlog|reset", c -> {
            c.server().slowLog().reset();
            c.reply().ok();
        });
        h.put("slowlog|help", SlowlogCommand::help);
    }

    static void get(Client c) {
        if (c.argc() > 3) {
            throw SubcommandHelp.wrongUsage(c);
        }
        long count = 10;
        if (c.argc() == 3) {
            Long n = dev.cairn.protocol.Numbers.parseStrictLong(c.arg(2));
            if (n == null || n < -1) throw new CommandError("ERR count should be greater than or equal to -1");
            count = n == -1 ? Long.MAX_VALUE : n;
        }
        SlowLog log = c.server().slowLog();
        Reply r = c.reply();
        r.array(Math.min(count, log.size()));
        long sent = 0;
        for (SlowLog.Entry e : log.entries()) {
            if (sent++ == count) break;
            r.array(6);
            r.integer(e.id());
            r.integer(e.timestamp());
            r.integer(e.micros());
            r.array(e.argv().size());
            for (byte[] arg : e.argv()) r.bulk(arg);
            r.bulk(e.clientAddr());
            r.bulk(e.clientName());
        }
    }

    static void help(Client c) {
        SubcommandHelp.reply(c, "SLOWLOG",
                "GET [<count>]",
                "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                "    Entries are made of:",
                "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                "    client name",
                "LEN",
                "    Return the length of the slowlog.",
                "RESET",
                "    Reset the slowlog.");
    }
}
