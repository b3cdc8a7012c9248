package dev.cairn.scripting;

import dev.cairn.command.CommandError;
import dev.cairn.command.CommandHandler;
import dev.cairn.command.SubcommandHelp;
import dev.cairn.protocol.Numbers;
import dev.cairn.protocol.Reply;
import dev.cairn.server.Client;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** EVAL, EVALSHA, their _RO forms and SCRIPT; FUNCTION and FCALL are in {@link FunctionCommands}. */
public final class ScriptingCommands {
    private ScriptingCommands() {}

    public static void register(Map<String, CommandHandler> h) {
        h.put("eval", c -> eval(c, false, false));
        h.put("eval_ro", c -> eval(c, false, true));
        h.put("evalsha", c -> eval(c, true, false));
        h.put("evalsha_ro", c -> eval(c, true, true));
        h.put("script|load", ScriptingCommands::load);
        h.put("script|exists", ScriptingCommands::exists);
        h.put("script|flush", ScriptingCommands::flush);
        h.put("script|kill", c -> c.server().scripting().kill(c, true));
        h.put("script|debug", ScriptingCommands::debug);
        h.put("script|help", ScriptingCommands::help);
        FunctionCommands.register(h);
    }

    /** Redis's evalGenericCommand. */
    static void eval(Client c, boolean bySha, boolean readOnly) {
        Scripting s = c.server().scripting();
        // MONITOR shows the script before the commands it calls.
        c.server().monitors().feedNow(c);
        if (bySha && c.arg(1).length != 40) throw new CommandError(Scripting.NO_SCRIPT);
        int numkeys = numkeys(c);
        Scripting.EvalScript script;
        if (bySha) {
            script = s.cachedScript(c.arg(1));
            if (script == null) throw new CommandError(Scripting.NO_SCRIPT);
        } else {
            script = s.createScript(c.arg(1));
        }
        s.runEval(c, script, c.argv(), numkeys, readOnly);
    }

    /** The key count of EVAL and FCALL, checked as Redis checks it. */
    static int numkeys(Client c) {
        Long n = Numbers.parseStrictLong(c.arg(2));
        if (n == null) throw new CommandError(CommandError.NOT_INTEGER);
        if (n > c.argc() - 3) throw new CommandError("ERR Number of keys can't be greater than number of args");
        if (n < 0) throw new CommandError("ERR Number of keys can't be negative");
        return (int) (long) n;
    }

    private static void load(Client c) {
        Scripting.EvalScript script = c.server().scripting().createScript(c.arg(2));
        c.reply().bulk(script.sha().getBytes(StandardCharsets.US_ASCII));
    }

    private static void exists(Client c) {
        Scripting s = c.server().scripting();
        Reply r = c.reply();
        r.array(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            // The cache is keyed by C strings: a SHA with a NUL byte is cut there.
            String sha = ReplyConversion.cString(c.argString(i));
            r.integer(sha.length() == 40 && s.cachedScript(sha) != null ? 1 : 0);
        }
    }

    private static void flush(Client c) {
        if (c.argc() == 3 && !c.argIs(2, "sync") && !c.argIs(2, "async")) {
            throw new CommandError("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        }
        if (c.argc() > 3) throw new CommandError("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        c.server().scripting().flushScripts();
        c.reply().ok();
    }

    /** The Lua debugger (LDB) is not available; switching it off is accepted. */
    private static void debug(Client c) {
        if (c.argIs(2, "no")) {
            c.reply().ok();
        } else if (c.argIs(2, "yes") || c.argIs(2, "sync")) {
            throw new CommandError("ERR The Lua debugger (SCRIPT DEBUG) is not supported by this server");
        } else {
            throw new CommandError("ERR Use SCRIPT DEBUG YES/SYNC/NO");
        }
    }

    private static void help(Client c) {
        SubcommandHelp.reply(c, "SCRIPT",
                "DEBUG (YES|SYNC|NO)",
                "    Set the debug mode for subsequent scripts executed.",
                "EXISTS <sha1> [<sha1> ...]",
                "    Return information about the existence of the scripts in the script cache.",
                "FLUSH [ASYNC|SYNC]",
                "    Flush the Lua scripts cache. Very dangerous on replicas.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the scripts cache.",
                "    * SYNC: Synchronously flush the scripts cache.",
                "KILL",
                "    Kill the currently executing Lua script.",
                "LOAD <script>",
                "    Load a script into the scripts cache without executing it.");
    }
}
