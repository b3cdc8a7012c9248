package dev.cairn.command;

import dev.cairn.protocol.Numbers;
import dev.cairn.protocol.Reply;
import dev.cairn.server.Client;
import dev.cairn.server.ClientInfo;
import dev.cairn.server.ClientPause;
import dev.cairn.tracking.ClientTracking;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * CLIENT and its subcommands: the connection's own identity and reply mode, listing
 * and killing connections, pausing clients, and the client-side caching settings
 * (TRACKING, CACHING, GETREDIR, TRACKINGINFO; the tracking itself is dev.cairn.tracking).
 */
final class ClientCommand {
    private static final List<String> HELP = List.of(
            "CACHING (YES|NO)",
            "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
            "GETREDIR",
            "    Return the client ID we are redirecting to when tracking is enabled.",
            "GETNAME",
            "    Return the name of the current connection.",
            "ID",
            "    Return the ID of the current connection.",
            "INFO",
            "    Return information about the current client connection.",
            "KILL <ip:port>",
            "    Kill connection made from <ip:port>.",
            "KILL <option> <value> [<option> <value> [...]]",
            "    Kill connections. Options are:",
            "    * ADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made from the specified address",
            "    * LADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made to specified local address",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Kill connections by type.",
            "    * USER <username>",
            "      Kill connections authenticated by <username>.",
            "    * SKIPME (YES|NO)",
            "      Skip killing current connection (default: yes).",
            "LIST [options ...]",
            "    Return information about client connections. Options:",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Return clients of specified type.",
            "UNPAUSE",
            "    Stop the current client pause, resuming traffic.",
            "PAUSE <timeout> [WRITE|ALL]",
            "    Suspend all, or just write, clients for <timeout> milliseconds.",
            "REPLY (ON|OFF|SKIP)",
            "    Control the replies sent to the current connection.",
            "SETNAME <name>",
            "    Assign the name <name> to the current connection.",
            "UNBLOCK <clientid> [TIMEOUT|ERROR]",
            "    Unblock the specified blocked client.",
            "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
            "         [OPTIN] [OPTOUT] [NOLOOP]",
            "    Control server assisted client side caching.",
            "TRACKINGINFO",
            "    Report tracking status for the current connection.",
            "NO-EVICT (ON|OFF)",
            "    Protect current client connection from eviction.");

    /** Connection kinds CLIENT LIST TYPE and CLIENT KILL TYPE select. */
    private enum ClientType { NORMAL, REPLICA, PUBSUB, MASTER }

    private ClientCommand() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("client|id", c -> c.reply().integer(c.id()));
        h.put("client|info", c -> c.reply().verbatim(ClientInfo.line(c) + "\n"));
        h.put("client|list", ClientCommand::list);
        h.put("client|kill", ClientCommand::kill);
        h.put("client|setname", ClientCommand::setName);
        h.put("client|getname", ClientCommand::getName);
        h.put("client|pause", ClientCommand::pause);
        h.put("client|unpause", ClientCommand::unpause);
        h.put("client|unblock", ClientCommand::unblock);
        h.put("client|reply", ClientCommand::reply);
        h.put("client|no-evict", ClientCommand::noEvict);
        h.put("client|help", ClientCommand::help);
        h.put("client|tracking", ClientCommand::tracking);
        h.put("client|caching", ClientCommand::caching);
        h.put("client|getredir", c -> c.reply().integer(c.tracking().redirectForDisplay()));
        h.put("client|trackinginfo", ClientCommand::trackingInfo);
    }

    static void list(Client c) {
        StringBuilder out = new StringBuilder();
        if (c.argc() == 4 && c.argIs(2, "type")) {
            ClientType type = parseType(c.argString(3));
            for (Client other : c.server().clients().all()) {
                if (typeOf(other) == type) out.append(ClientInfo.line(other)).append('\n');
            }
        } else if (c.argc() > 3 && c.argIs(2, "id")) {
            for (int i = 3; i < c.argc(); i++) {
                Long id = Numbers.parseStrictLong(c.arg(i));
                if (id == null) throw new CommandError("ERR Invalid client ID");
                Client other = c.server().clients().byId(id);
                if (other != null) out.append(ClientInfo.line(other)).append('\n');
            }
        } else if (c.argc() == 2) {
            for (Client other : c.server().clients().all()) out.append(ClientInfo.line(other)).append('\n');
        } else {
            throw new CommandError(CommandError.SYNTAX);
        }
        c.reply().verbatim(out.toString());
    }

    /** CLIENT KILL ip:port (replies OK), or CLIENT KILL with filters (replies the count). */
    static void kill(Client c) {
        String addr = null;
        String laddr = null;
        ClientType type = null;
        long id = 0;
        boolean skipMe = true;
        if (c.argc() == 3) {
            addr = c.argString(2);
            skipMe = false; // the old form may kill the caller itself
        } else {
            for (int i = 2; i < c.argc(); i += 2) {
                boolean more = i + 1 < c.argc();
                if (c.argIs(i, "id") && more) {
                    Long v = Numbers.parseStrictLong(c.arg(i + 1));
                    if (v == null || v < 1) throw new CommandError("ERR client-id should be greater than 0");
                    id = v;
                } else if (c.argIs(i, "type") && more) {
                    type = parseType(c.argString(i + 1));
                } else if (c.argIs(i, "addr") && more) {
                    addr = c.argString(i + 1);
                } else if (c.argIs(i, "laddr") && more) {
                    laddr = c.argString(i + 1);
                } else if (c.argIs(i, "user") && more) {
                    // The default user is the only user until ACLs exist; it owns every connection.
                    if (!c.argString(i + 1).equals("default")) {
                        throw new CommandError("ERR No such user '" + CommandError.printed(c.argString(i + 1)) + "'");
                    }
                } else if (c.argIs(i, "skipme") && more) {
                    if (c.argIs(i + 1, "yes")) skipMe = true;
                    else if (c.argIs(i + 1, "no")) skipMe = false;
                    else throw new CommandError(CommandError.SYNTAX);
                } else {
                    throw new CommandError(CommandError.SYNTAX);
                }
            }
        }
        List<Client> victims = new ArrayList<>();
        for (Client other : c.server().clients().all()) {
            if (addr != null && !other.addr().equals(addr)) continue;
            if (laddr != null && !other.laddr().equals(laddr)) continue;
            if (type != null && typeOf(other) != type) continue;
            if (id != 0 && other.id() != id) continue;
            if (other == c && skipMe) continue;
            victims.add(other);
        }
        for (Client v : victims) {
            if (v != c) c.server().clients().kill(v);
        }
        if (c.argc() == 3) {
            if (victims.isEmpty()) throw new CommandError("ERR No such client");
            c.reply().ok();
        } else {
            c.reply().integer(victims.size());
        }
        // The caller goes last, once its reply is written.
        if (victims.contains(c)) c.closeAfterReply();
    }

    static void setName(Client c) {
        String name = c.argString(2);
        if (!ClientNames.valid(name)) throw new CommandError(ConnectionCommands.BAD_CLIENT_NAME);
        c.name(name);
        c.reply().ok();
    }

    static void getName(Client c) {
        if (c.name().isEmpty()) c.reply().nullBulk();
        else c.reply().bulk(c.name());
    }

    static void pause(Client c) {
        if (c.argc() > 4) {
            throw new CommandError("ERR unknown subcommand or wrong number of arguments for '"
                    + CommandError.printed(c.argString(1)) + "'. Try CLIENT HELP.");
        }
        ClientPause.Mode mode = ClientPause.Mode.ALL;
        if (c.argc() == 4) {
            if (c.argIs(3, "write")) mode = ClientPause.Mode.WRITE;
            else if (!c.argIs(3, "all")) throw new CommandError("ERR CLIENT PAUSE mode must be WRITE or ALL");
        }
        Long timeout = Numbers.parseStrictLong(c.arg(2));
        if (timeout == null) throw new CommandError("ERR timeout is not an integer or out of range");
        if (timeout < 0) throw new CommandError("ERR timeout is negative");
        // Redis 7.0 adds the timeout to the current time without an overflow check; a
        // sum that wraps around is a deadline in the past, which ends the pause at once.
        long end = timeout == 0 ? 0 : System.currentTimeMillis() + timeout;
        c.server().clientPause().pause(end, mode);
        c.reply().ok();
    }

    static void unpause(Client c) {
        c.server().clientPause().unpause();
        c.reply().ok();
    }

    /**
     * Ends another client's blocking command (BLPOP...) as if its timeout had passed, or
     * with the UNBLOCKED error. 1 when that client was blocked on keys, else 0; clients
     * held by CLIENT PAUSE are not blocked in this sense.
     */
    static void unblock(Client c) {
        if (c.argc() > 4) throw SubcommandHelp.wrongUsage(c);
        boolean withError = false;
        if (c.argc() == 4) {
            if (c.argIs(3, "error")) withError = true;
            else if (!c.argIs(3, "timeout")) throw new CommandError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
        }
        Client target = c.server().clients().byId(c.argLong(2));
        c.reply().integer(target != null && c.server().blockedClients().unblockByRequest(target, withError) ? 1 : 0);
    }

    /** ON replies OK; OFF and SKIP reply nothing (the silence starts with their own reply). */
    static void reply(Client c) {
        if (c.argIs(2, "on")) {
            c.replyMode(Client.ReplyMode.ON);
            c.stopSkippingReply();
            c.reply().ok();
        } else if (c.argIs(2, "off")) {
            c.replyMode(Client.ReplyMode.OFF);
        } else if (c.argIs(2, "skip")) {
            if (c.replyMode() != Client.ReplyMode.OFF) c.replyMode(Client.ReplyMode.SKIP);
        } else {
            throw new CommandError(CommandError.SYNTAX);
        }
    }

    static void noEvict(Client c) {
        if (c.argIs(2, "on")) c.noEvict(true);
        else if (c.argIs(2, "off")) c.noEvict(false);
        else throw new CommandError(CommandError.SYNTAX);
        c.reply().ok();
    }

    /**
     * CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]:
     * the options are parsed first (OFF ignores them once they parse), then checked
     * against each other and against the mode tracking is already on in, in Redis's order.
     */
    static void tracking(Client c) {
        long redirect = 0;
        boolean bcast = false;
        boolean optIn = false;
        boolean optOut = false;
        boolean noLoop = false;
        List<byte[]> prefixes = new ArrayList<>();
        for (int i = 3; i < c.argc(); i++) {
            boolean more = i + 1 < c.argc();
            if (c.argIs(i, "redirect") && more) {
                i++;
                if (redirect != 0) throw new CommandError("ERR A client can only redirect to a single other client");
                redirect = c.argLong(i);
                // The target must exist now, though it may go away later.
                if (c.server().clients().byId(redirect) == null) {
                    throw new CommandError("ERR The client ID you want redirect to does not exist");
                }
            } else if (c.argIs(i, "bcast")) {
                bcast = true;
            } else if (c.argIs(i, "optin")) {
                optIn = true;
            } else if (c.argIs(i, "optout")) {
                optOut = true;
            } else if (c.argIs(i, "noloop")) {
                noLoop = true;
            } else if (c.argIs(i, "prefix") && more) {
                prefixes.add(c.arg(++i));
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        if (c.argIs(2, "off")) {
            c.server().tracking().disable(c);
            c.reply().ok();
            return;
        }
        if (!c.argIs(2, "on")) throw new CommandError(CommandError.SYNTAX);
        ClientTracking current = c.tracking();
        if (!bcast && !prefixes.isEmpty()) throw new CommandError("ERR PREFIX option requires BCAST mode to be enabled");
        if (current.on() && current.bcast() != bcast) {
            throw new CommandError("ERR You can't switch BCAST mode on/off before disabling tracking for this client, "
                    + "and then re-enabling it with a different mode.");
        }
        if (bcast && (optIn || optOut)) throw new CommandError("ERR OPTIN and OPTOUT are not compatible with BCAST");
        if (optIn && optOut) throw new CommandError("ERR You can't specify both OPTIN mode and OPTOUT mode");
        if ((optIn && current.optOut()) || (optOut && current.optIn())) {
            throw new CommandError("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, "
                    + "and then re-enabling it with a different mode.");
        }
        if (bcast && !prefixesAccepted(c, current, prefixes)) return;
        c.server().tracking().enable(c, redirect, bcast, optIn, optOut, noLoop, prefixes);
        c.reply().ok();
    }

    /**
     * Redis's checkPrefixCollisionsOrReply: two prefixes overlap when one starts the other,
     * since a key would then be sent twice. False (the error replied) when a new prefix
     * overlaps one the client has, or when the first new prefix overlaps a later one.
     * Redis 7.0 reports an overlap between two later new prefixes and then goes on as if
     * there were none, so the client gets the error and then OK: kept, byte for byte.
     */
    private static boolean prefixesAccepted(Client c, ClientTracking current, List<byte[]> prefixes) {
        for (int i = 0; i < prefixes.size(); i++) {
            byte[] p = prefixes.get(i);
            for (byte[] existing : current.prefixes()) {
                if (overlap(existing, p)) {
                    throw new CommandError("ERR Prefix '" + printed(p) + "' overlaps with an existing prefix '"
                            + printed(existing) + "'. Prefixes for a single client must not overlap.");
                }
            }
            for (int j = i + 1; j < prefixes.size(); j++) {
                if (!overlap(p, prefixes.get(j))) continue;
                String error = "ERR Prefix '" + printed(p) + "' overlaps with another provided prefix '"
                        + printed(prefixes.get(j)) + "'. Prefixes for a single client must not overlap.";
                if (i == 0) throw new CommandError(error);
                c.reply().error(error);
                return true;
            }
        }
        return true;
    }

    private static boolean overlap(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        return Arrays.equals(a, 0, n, b, 0, n);
    }

    /** An argument as Redis's %s prints it: up to the first NUL byte. */
    private static String printed(byte[] b) {
        int end = 0;
        while (end < b.length && b[end] != 0) end++;
        return CommandError.printed(new String(b, 0, end, StandardCharsets.ISO_8859_1));
    }

    /** CLIENT CACHING YES|NO: whether the next command's keys are tracked, in OPTIN or OPTOUT mode. */
    static void caching(Client c) {
        ClientTracking t = c.tracking();
        if (!t.on()) {
            throw new CommandError("ERR CLIENT CACHING can be called only when the client is in tracking mode with "
                    + "OPTIN or OPTOUT mode enabled");
        }
        if (c.argIs(2, "yes")) {
            if (!t.optIn()) throw new CommandError("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
        } else if (c.argIs(2, "no")) {
            if (!t.optOut()) throw new CommandError("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
        } else {
            throw new CommandError(CommandError.SYNTAX);
        }
        t.cachingGiven();
        c.reply().ok();
    }

    /** CLIENT TRACKINGINFO: a map of the flags (a set), the redirection and the prefixes. */
    static void trackingInfo(Client c) {
        ClientTracking t = c.tracking();
        List<String> flags = new ArrayList<>();
        flags.add(t.on() ? "on" : "off");
        if (t.bcast()) flags.add("bcast");
        if (t.optIn()) {
            flags.add("optin");
            if (t.caching()) flags.add("caching-yes");
        }
        if (t.optOut()) {
            flags.add("optout");
            if (t.caching()) flags.add("caching-no");
        }
        if (t.noLoop()) flags.add("noloop");
        if (t.brokenRedirect()) flags.add("broken_redirect");
        Reply r = c.reply();
        r.map(3);
        r.bulk("flags");
        r.set(flags.size());
        for (String f : flags) r.bulk(f);
        r.bulk("redirect");
        r.integer(t.redirectForDisplay());
        r.bulk("prefixes");
        r.array(t.prefixes().size());
        for (byte[] p : t.prefixes()) r.bulk(p);
    }

    static void help(Client c) {
        SubcommandHelp.reply(c, "CLIENT", HELP.toArray(String[]::new));
    }

    /** A TYPE argument; SLAVE is the old name of REPLICA. */
    private static ClientType parseType(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "normal" -> ClientType.NORMAL;
            case "replica", "slave" -> ClientType.REPLICA;
            case "pubsub" -> ClientType.PUBSUB;
            case "master" -> ClientType.MASTER;
            default -> throw new CommandError("ERR Unknown client type '" + CommandError.printed(name) + "'");
        };
    }

    /**
     * A connection's type, as Redis's getClientType: pubsub while subscribed to anything,
     * else normal (MONITOR connections count as normal in Redis too). Replicas and
     * masters arrive with replication.
     */
    private static ClientType typeOf(Client c) {
        return c.subscriptions().active() ? ClientType.PUBSUB : ClientType.NORMAL;
    }
}
