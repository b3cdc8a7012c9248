package dev.cairn.scripting;

import dev.cairn.command.CommandError;
import dev.cairn.command.CommandHandler;
import dev.cairn.command.SubcommandHelp;
import dev.cairn.keyspace.Glob;
import dev.cairn.protocol.Numbers;
import dev.cairn.protocol.Reply;
import dev.cairn.server.Client;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** FUNCTION and FCALL (Redis's functions.c commands). */
final class FunctionCommands {
    private FunctionCommands() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("fcall", c -> fcall(c, false));
        h.put("fcall_ro", c -> fcall(c, true));
        h.put("function|load", FunctionCommands::load);
        h.put("function|list", FunctionCommands::list);
        h.put("function|delete", FunctionCommands::delete);
        h.put("function|flush", FunctionCommands::flush);
        h.put("function|dump", FunctionCommands::dump);
        h.put("function|restore", FunctionCommands::restore);
        h.put("function|stats", FunctionCommands::stats);
        h.put("function|kill", c -> c.server().scripting().kill(c, false));
        h.put("function|help", FunctionCommands::help);
    }

    private static FunctionLibraries libraries(Client c) {
        return c.server().scripting().functions();
    }

    /** Redis's fcallCommandGeneric. */
    private static void fcall(Client c, boolean readOnly) {
        Scripting s = c.server().scripting();
        c.server().monitors().feedNow(c);
        FunctionLibraries.Function f = s.functions().function(c.argString(1));
        if (f == null) throw new CommandError("ERR Function not found");
        Long n = Numbers.parseStrictLong(c.arg(2));
        if (n == null) throw new CommandError("ERR Bad number of keys provided");
        if (n > c.argc() - 3) throw new CommandError("ERR Number of keys can't be greater than number of args");
        if (n < 0) throw new CommandError("ERR Number of keys can't be negative");
        s.runFunction(c, f, c.argv(), (int) (long) n, readOnly);
    }

    private static void load(Client c) {
        boolean replace = false;
        int at = 2;
        while (at < c.argc() - 1) {
            if (c.argIs(at, "replace")) {
                replace = true;
                at++;
                continue;
            }
            throw new CommandError("ERR Unknown option given: " + CommandError.printed(c.argString(at)));
        }
        if (at >= c.argc()) throw new CommandError("ERR Function code is missing");
        String name = libraries(c).load(c.arg(at), replace);
        c.server().addDirty(1);
        c.reply().bulk(name.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]. */
    private static void list(Client c) {
        boolean withCode = false;
        byte[] pattern = null;
        for (int i = 2; i < c.argc(); i++) {
            if (!withCode && c.argIs(i, "withcode")) {
                withCode = true;
                continue;
            }
            if (pattern == null && c.argIs(i, "libraryname")) {
                if (i >= c.argc() - 1) throw new CommandError("ERR library name argument was not given");
                pattern = c.arg(++i);
                continue;
            }
            throw new CommandError("ERR Unknown argument " + CommandError.printed(c.argString(i)));
        }
        List<FunctionLibraries.Library> shown = new ArrayList<>();
        for (FunctionLibraries.Library lib : libraries(c).libraries().values()) {
            byte[] name = lib.name.getBytes(StandardCharsets.ISO_8859_1);
            if (pattern == null || Glob.matches(pattern, name, 0, name.length, true)) shown.add(lib);
        }
        Reply r = c.reply();
        r.array(shown.size());
        for (FunctionLibraries.Library lib : shown) {
            r.map(withCode ? 4 : 3);
            r.bulk("library_name");
            r.bulk(lib.name.getBytes(StandardCharsets.ISO_8859_1));
            r.bulk("engine");
            r.bulk(FunctionLibraries.ENGINE);
            r.bulk("functions");
            r.array(lib.functions.size());
            for (FunctionLibraries.Function f : lib.functions.values()) {
                r.map(3);
                r.bulk("name");
                r.bulk(f.name().getBytes(StandardCharsets.ISO_8859_1));
                r.bulk("description");
                if (f.description() == null) r.nullBulk();
                else r.bulk(f.description().getBytes(StandardCharsets.ISO_8859_1));
                r.bulk("flags");
                List<String> flags = ScriptFlags.names(f.flags());
                r.set(flags.size());
                for (String flag : flags) r.status(flag);
            }
            if (withCode) {
                r.bulk("library_code");
                r.bulk(lib.code);
            }
        }
    }

    private static void delete(Client c) {
        libraries(c).delete(c.argString(2));
        c.server().addDirty(1);
        c.reply().ok();
    }

    private static void flush(Client c) {
        if (c.argc() > 3) throw SubcommandHelp.wrongUsage(c);
        if (c.argc() == 3 && !c.argIs(2, "sync") && !c.argIs(2, "async")) {
            throw new CommandError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
        }
        libraries(c).flush();
        c.server().addDirty(1);
        c.reply().ok();
    }

    private static void dump(Client c) {
        c.reply().bulk(libraries(c).dump());
    }

    private static void restore(Client c) {
        if (c.argc() > 4) throw SubcommandHelp.wrongUsage(c);
        String policy = "append";
        if (c.argc() == 4) {
            if (c.argIs(3, "append")) policy = "append";
            else if (c.argIs(3, "replace")) policy = "replace";
            else if (c.argIs(3, "flush")) policy = "flush";
            else throw new CommandError("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
        }
        libraries(c).restore(c.arg(2), policy);
        c.server().addDirty(1);
        c.reply().ok();
    }

    /** FUNCTION STATS: the running function (if any) and the engine's counts. */
    private static void stats(Client c) {
        Scripting s = c.server().scripting();
        ScriptRun run = s.currentRun();
        if (run != null && run.evalMode) throw new CommandError(Scripting.SLOW_EVAL);
        Reply r = c.reply();
        r.map(2);
        r.bulk("running_script");
        if (run == null) {
            r.nullBulk();
        } else {
            r.map(3);
            r.bulk("name");
            r.bulk(run.name.getBytes(StandardCharsets.ISO_8859_1));
            r.bulk("command");
            r.array(run.caller.argc());
            for (byte[] arg : run.caller.argv()) r.bulk(arg);
            r.bulk("duration_ms");
            r.integer(run.elapsedMillis());
        }
        r.bulk("engines");
        r.map(1);
        r.bulk(FunctionLibraries.ENGINE);
        r.map(2);
        r.bulk("libraries_count");
        r.integer(s.functions().libraries().size());
        r.bulk("functions_count");
        r.integer(s.functions().functionCount());
    }

    private static void help(Client c) {
        SubcommandHelp.reply(c, "FUNCTION",
                "LOAD [REPLACE] <FUNCTION CODE>",
                "    Create a new library with the given library name and code.",
                "DELETE <LIBRARY NAME>",
                "    Delete the given library.",
                "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
                "    Return general information on all the libraries:",
                "    * Library name",
                "    * The engine used to run the Library",
                "    * Library description",
                "    * Functions list",
                "    * Library code (if WITHCODE is given)",
                "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
                "STATS",
                "    Return information about the current function running:",
                "    * Function name",
                "    * Command used to run the function",
                "    * Duration in MS that the function is running",
                "    If no function is running, return nil",
                "    In addition, returns a list of available engines.",
                "KILL",
                "    Kill the current running function.",
                "FLUSH [ASYNC|SYNC]",
                "    Delete all the libraries.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the libraries.",
                "    * SYNC: Synchronously flush the libraries.",
                "DUMP",
                "    Return a serialized payload representing the current libraries, can be restored using FUNCTION "
                        + "RESTORE command",
                "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
                "    Restore the libraries represented by the given payload, it is possible to give a restore policy "
                        + "to",
                "    control how to handle existing libraries (default APPEND):",
                "    * FLUSH: delete all existing libraries.",
                "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
                "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the "
                        + "old",
                "      libraries with the new libraries (notice that even on this option there is a chance of "
                        + "failure",
                "      in case of functions name collision with another library).");
    }
}
