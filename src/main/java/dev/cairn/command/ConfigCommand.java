package dev.cairn.command;

import dev.cairn.config.Config;
import dev.cairn.config.ConfigException;
import dev.cairn.config.Setting;
import dev.cairn.server.Client;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** CONFIG GET, SET, RESETSTAT, REWRITE and HELP. */
final class ConfigCommand {
    private static final String[] HELP = {
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
    };

    private ConfigCommand() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("config|get", ConfigCommand::get);
        h.put("config|set", ConfigCommand::set);
        h.put("config|resetstat", ConfigCommand::resetstat);
        h.put("config|rewrite", ConfigCommand::rewrite);
        h.put("config|help", ConfigCommand::help);
    }

    /**
     * Each argument is a name (matched case-insensitively and echoed as typed) or a glob
     * pattern over every name and alias; a directive matched twice is listed once.
     */
    static void get(Client c) {
        Config config = c.server().config();
        // lower-case name -> (name as printed, setting)
        Map<String, Map.Entry<String, Setting>> matches = new LinkedHashMap<>();
        for (int i = 2; i < c.argc(); i++) {
            String arg = c.argString(i);
            if (!Config.isPattern(arg)) {
                String key = arg.toLowerCase(Locale.ROOT);
                Setting s = config.find(arg);
                if (s != null) matches.putIfAbsent(key, Map.entry(arg, s));
                continue;
            }
            for (var e : config.names().entrySet()) {
                if (!matches.containsKey(e.getKey()) && Config.nameMatches(arg, e.getKey())) {
                    matches.put(e.getKey(), Map.entry(e.getKey(), e.getValue()));
                }
            }
        }
        var r = c.reply();
        r.map(matches.size());
        for (var m : matches.values()) {
            r.bulk(m.getKey().getBytes(StandardCharsets.ISO_8859_1));
            r.bulk(m.getValue().get().getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * Checks every pair first (unknown, immutable, protected, duplicate: the first problem
     * is reported), then sets them all or none.
     */
    static void set(Client c) {
        if ((c.argc() & 1) == 1) throw new CommandError(CommandError.SYNTAX);
        Config config = c.server().config();
        List<Setting> settings = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 2; i < c.argc(); i += 2) {
            String arg = c.argString(i);
            Setting s = config.find(arg);
            if (s == null) {
                throw new CommandError("ERR Unknown option or number of arguments for CONFIG SET - '"
                        + CommandError.printed(arg) + "'");
            }
            if (s.has(Setting.IMMUTABLE)) throw setFailed(arg, "can't set immutable config");
            if (s.has(Setting.PROTECTED) && !protectedActionAllowed(config.enableProtectedConfigs.value(), c)) {
                throw setFailed(arg, "can't set protected config");
            }
            String name = arg.toLowerCase(Locale.ROOT);
            if (names.contains(name)) throw setFailed(arg, "duplicate parameter");
            settings.add(s);
            names.add(name);
            values.add(c.argString(i + 1));
        }
        try {
            config.setAtomically(settings, names, values);
        } catch (Config.SetFailure e) {
            if (e.whileApplying()) {
                c.server().log().warning("Failed applying new configuration. Possibly related to new " + e.argument()
                        + " setting. Restoring previous settings.");
            }
            throw setFailed(e.argument(), e.getMessage());
        }
        c.reply().ok();
    }

    private static CommandError setFailed(String argument, String reason) {
        return new CommandError("ERR CONFIG SET failed (possibly related to argument '" + CommandError.printed(argument)
                + "') - " + reason);
    }

    /**
     * Redis's allowProtectedAction: "yes", or "local" for clients on the unix socket or
     * the loopback address.
     */
    static boolean protectedActionAllowed(String setting, Client c) {
        if (setting.equals("yes")) return true;
        if (!setting.equals("local")) return false;
        if (c.channel() == null || !(c.channel().remoteAddress() instanceof InetSocketAddress inet)) return true;
        InetAddress address = inet.getAddress();
        return address != null && (address.getHostAddress().equals("127.0.0.1")
                || address.getHostAddress().equals("0:0:0:0:0:0:0:1"));
    }

    static void resetstat(Client c) {
        c.server().stats().reset();
        c.reply().ok();
    }

    static void rewrite(Client c) {
        Config config = c.server().config();
        if (config.configFile() == null) throw new CommandError("ERR The server is running without a config file");
        try {
            config.rewrite();
        } catch (ConfigException e) {
            c.server().log().warning("CONFIG REWRITE failed: " + e.getMessage());
            throw new CommandError("ERR Rewriting config file: " + e.getMessage());
        }
        c.server().log().warning("CONFIG REWRITE executed with success.");
        c.reply().ok();
    }

    static void help(Client c) {
        SubcommandHelp.reply(c, "CONFIG", HELP);
    }
}
