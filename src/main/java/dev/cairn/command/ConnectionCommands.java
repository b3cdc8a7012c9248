package dev.cairn.command;

import dev.cairn.server.Client;
import dev.cairn.server.Server;
import java.util.Map;

/** PING, ECHO, QUIT, RESET, SELECT, AUTH and HELLO: the connection's own state. */
final class ConnectionCommands {
    static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    static final String BAD_CLIENT_NAME = "ERR Client names cannot contain spaces, newlines or special characters.";

    private static final byte[] PONG = {'p', 'o', 'n', 'g'};

    private ConnectionCommands() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("ping", ConnectionCommands::ping);
        h.put("echo", c -> c.reply().bulk(c.arg(1)));
        h.put("quit", ConnectionCommands::quit);
        h.put("reset", ConnectionCommands::reset);
        h.put("select", ConnectionCommands::select);
        h.put("auth", ConnectionCommands::auth);
        h.put("hello", ConnectionCommands::hello);
    }

    static void ping(Client c) {
        if (c.argc() > 2) throw new CommandError("ERR wrong number of arguments for 'ping' command");
        if (c.subscriptions().active() && !c.reply().resp3()) {
            // Subscribed RESP2 connections get a push-shaped answer they can tell from messages.
            c.reply().array(2);
            c.reply().bulk(PONG);
            if (c.argc() == 1) c.reply().emptyBulk();
            else c.reply().bulk(c.arg(1));
        } else if (c.argc() == 1) {
            c.reply().pong();
        } else {
            c.reply().bulk(c.arg(1));
        }
    }

    static void quit(Client c) {
        c.reply().ok();
        c.closeAfterReply();
    }

    static void reset(Client c) {
        c.transaction().discard();
        c.select(0);
        c.reply().protocol(2);
        c.name("");
        c.replyMode(Client.ReplyMode.ON);
        c.monitor(false);
        c.server().pubsub().forget(c.subscriptions());
        c.server().tracking().disable(c);
        c.noEvict(false);
        c.authenticated(!c.server().authRequired());
        c.reply().status("RESET");
    }

    static void select(Client c) {
        int index = c.argInt(1);
        if (index < 0 || index >= c.server().keyspace().count()) throw new CommandError(CommandError.DB_INDEX);
        c.select(index);
        c.reply().ok();
    }

    static void auth(Client c) {
        if (c.argc() > 3) throw new CommandError(CommandError.SYNTAX);
        String user = c.argc() == 3 ? c.argString(1) : "default";
        String password = c.argString(c.argc() - 1);
        // Credentials never reach MONITOR or the slow log, whatever the outcome.
        for (int j = 1; j < c.argc(); j++) c.redactArgument(j);
        Server server = c.server();
        if (c.argc() == 2 && !server.authRequired()) {
            throw new CommandError("ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
        }
        if (!checkPassword(server, user, password)) throw new CommandError(WRONGPASS);
        c.authenticated(true);
        c.reply().ok();
    }

    /** The default user is the only user until ACLs exist; it has requirepass or no password. */
    private static boolean checkPassword(Server server, String user, String password) {
        if (!user.equals("default")) return false;
        return !server.authRequired() || server.config().requirepass.value().equals(password);
    }

    static void hello(Client c) {
        int protocol = c.reply().protocol();
        int next = 1;
        if (c.argc() >= 2) {
            Long v = dev.cairn.protocol.Numbers.parseStrictLong(c.arg(1));
            if (v == null) throw new CommandError("ERR Protocol version is not an integer or out of range");
            if (v < 2 || v > 3) throw new CommandError("NOPROTO unsupported protocol version");
            protocol = v.intValue();
            next = 2;
        }
        // Redis 7.0 acts on each option as it reads it: a name set or a login made before
        // a bad option stays in effect though the command fails.
        for (int i = next; i < c.argc(); i++) {
            boolean more = c.argc() - i - 1 > 0;
            if (c.argIs(i, "auth") && c.argc() - i - 1 >= 2) {
                boolean valid = checkPassword(c.server(), c.argString(i + 1), c.argString(i + 2));
                c.redactArgument(i + 1);
                c.redactArgument(i + 2);
                if (!valid) throw new CommandError(WRONGPASS);
                c.authenticated(true);
                i += 2;
            } else if (c.argIs(i, "setname") && more) {
                String name = c.argString(i + 1);
                if (!ClientNames.valid(name)) throw new CommandError(BAD_CLIENT_NAME);
                c.name(name);
                i++;
            } else {
                throw new CommandError("ERR Syntax error in HELLO option '" + CommandError.printed(c.argString(i))
                        + "'");
            }
        }
        if (!c.authenticated()) {
            throw new CommandError("NOAUTH HELLO must be called with the client already authenticated, otherwise "
                    + "the HELLO AUTH <user> <pass> option can be used to authenticate the client and select "
                    + "the RESP protocol version at the same time");
        }
        c.reply().protocol(protocol);
        var r = c.reply();
        r.map(7);
        r.bulk("server");
        r.bulk("redis");
        r.bulk("version");
        r.bulk(Server.REDIS_VERSION);
        r.bulk("proto");
        r.integer(protocol);
        r.bulk("id");
        r.integer(c.id());
        r.bulk("mode");
        r.bulk("standalone");
        r.bulk("role");
        r.bulk("master");
        r.bulk("modules");
        r.emptyArray();
    }
}
