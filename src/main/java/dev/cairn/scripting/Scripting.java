package dev.cairn.scripting;

import dev.cairn.eviction.Eviction;
import dev.cairn.command.CommandError;
import dev.cairn.command.CommandFlag;
import dev.cairn.command.CommandSpec;
import dev.cairn.protocol.Reply;
import dev.cairn.server.Client;
import dev.cairn.server.Server;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HashMap;
import java.util.Map;

/**
 * The scripting subsystem of one server: the Lua state of EVAL scripts and its script
 * cache, the function libraries, the client scripts run commands through, and the busy
 * mode of a script running past busy-reply-threshold (see the package documentation).
 *
 * <p>Threading: scripts run on the command thread, like every command; everything here
 * is used from that thread only.
 */
public final class Scripting {
    static final String SLOW_EVAL = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or "
            + "SHUTDOWN NOSAVE.";
    static final String SLOW_FUNCTION = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or "
            + "SHUTDOWN NOSAVE.";
    static final String NO_SCRIPT = "NOSCRIPT No matching script. Please use EVAL.";

    private final Server server;
    private final Lrand48 random = new Lrand48();
    /** EVAL's Lua state, created on first use and dropped by SCRIPT FLUSH. */
    private LuaRuntime evalLua;
    private RedisApi evalApi;
    /** The names KEYS and ARGV as Lua strings of evalLua (see LuaRuntime#pushName). */
    private int keysName;
    private int argvName;
    /** The script cache: lower-case SHA1 of the body -> script. */
    private final Map<String, EvalScript> evalScripts = new HashMap<>();
    /** The cached scripts' bytes (used_memory_scripts_eval), kept as they come and go. */
    private long evalCacheBytes;
    private Client scriptClient;
    private ScriptRun current;
    /** The BUSY error other clients get, while a script runs past busy-reply-threshold. */
    private String busyError;
    private boolean shuttingDown;
    /** Where the final reply is built, then copied to the caller (its errors need special care). */
    private final ByteBuf resultBuffer = Unpooled.buffer(256);
    private final Reply result = new Reply(resultBuffer);
    private final FunctionLibraries functions;

    /** A script in the EVAL cache. */
    record EvalScript(String sha, byte[] body, int flags, int ref) {}

    public Scripting(Server server) {
        this.server = server;
        this.functions = new FunctionLibraries(this);
    }

    Server server() {
        return server;
    }

    Lrand48 random() {
        return random;
    }

    FunctionLibraries functions() {
        return functions;
    }

    /** The client the running script's commands run on. */
    Client scriptClient() {
        if (scriptClient == null) scriptClient = Client.internal(server);
        return scriptClient;
    }

    ScriptRun currentRun() {
        return current;
    }

    /** The BUSY error to answer while a script runs past busy-reply-threshold, else null. */
    public String busyError() {
        return busyError;
    }

    // ---- the EVAL script cache -------------------------------------------------------------

    private LuaRuntime evalLua() {
        if (evalLua == null) {
            evalApi = new RedisApi(this, null);
            evalLua = new LuaRuntime(evalApi, false);
            keysName = evalLua.nameRef("KEYS");
            argvName = evalLua.nameRef("ARGV");
        }
        return evalLua;
    }

    /**
     * Whether this EVAL, EVALSHA or FCALL is a denyoom command, as Redis derives its flags
     * from the script's: a script with a shebang, or a function, that declares neither
     * no-writes nor allow-oom. Scripts without a shebang keep EVAL's own flags (not denyoom).
     */
    public boolean deniedWhenOutOfMemory(String command, byte[][] argv) {
        int flags;
        switch (command) {
            case "eval", "eval_ro" -> {
                ScriptFlags.Shebang shebang = ScriptFlags.shebang(argv[1]);
                if (shebang.error() != null) return false;
                flags = shebang.flags();
            }
            case "evalsha", "evalsha_ro" -> {
                EvalScript script = cachedScript(argv[1]);
                if (script == null) return false;
                flags = script.flags();
            }
            case "fcall", "fcall_ro" -> {
                FunctionLibraries.Function f = functions.function(new String(argv[1],
                        java.nio.charset.StandardCharsets.ISO_8859_1));
                if (f == null) return false;
                flags = f.flags();
            }
            default -> {
                return false;
            }
        }
        return (flags & ScriptFlags.EVAL_COMPAT_MODE) == 0
                && (flags & (ScriptFlags.NO_WRITES | ScriptFlags.ALLOW_OOM)) == 0;
    }

    /** The cached script with this SHA (any case), or null. */
    EvalScript cachedScript(String sha) {
        return evalScripts.get(sha.toLowerCase(java.util.Locale.ROOT));
    }

    /** EVALSHA's lookup: the SHA's bytes folded to lower case in one pass, then one string. */
    EvalScript cachedScript(byte[] sha) {
        // Pipelines run the same script again and again: its SHA as last given is one compare.
        if (java.util.Arrays.equals(sha, lastSha)) return lastShaScript;
        EvalScript script = lookupSha(sha);
        if (script != null) {
            lastSha = sha.clone();
            lastShaScript = script;
        }
        return script;
    }

    /** The last SHA EVALSHA found (the bytes as given) and its script; forgotten by SCRIPT FLUSH. */
    private byte[] lastSha;
    private EvalScript lastShaScript;

    private EvalScript lookupSha(byte[] sha) {
        byte[] lower = new byte[sha.length];
        for (int i = 0; i < sha.length; i++) {
            byte b = sha[i];
            lower[i] = b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
        }
        return evalScripts.get(new String(lower, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /**
     * Redis's luaCreateFunction: the cached script for this body, compiling it first if
     * needed. Throws the reply error when the shebang or the code is invalid.
     */
    EvalScript createScript(byte[] body) {
        String sha = RedisApi.sha1hex(body);
        EvalScript known = evalScripts.get(sha);
        if (known != null) return known;
        ScriptFlags.Shebang shebang = ScriptFlags.shebang(body);
        if (shebang.error() != null) throw new CommandError("ERR " + shebang.error());
        LuaRuntime rt = evalLua();
        int start = shebang.length();
        if (start < body.length && body[start] == 27) {
            // Redis's Lua reads precompiled chunks as text, which stops at the first byte.
            throw new CommandError("ERR Error compiling script (new function): user_script:1: unexpected symbol near "
                    + "'char(27)'");
        }
        if (rt.compile(body, start, body.length - start, "@user_script") != 0) {
            String message = rt.toLatin1(rt.L, -1);
            rt.C.lua_settop(rt.L, 0);
            throw new CommandError("ERR Error compiling script (new function): " + message);
        }
        EvalScript script = new EvalScript(sha, body, shebang.flags(), rt.ref());
        evalScripts.put(sha, script);
        evalCacheBytes += cacheBytes(script);
        return script;
    }

    /** SCRIPT FLUSH: forgets every script and starts a fresh Lua state. */
    void flushScripts() {
        evalScripts.clear();
        evalCacheBytes = 0;
        lastSha = null;
        lastShaScript = null;
        if (evalLua != null) {
            evalLua.close();
            evalLua = null;
            evalApi = null;
        }
    }

    // ---- running ---------------------------------------------------------------------------

    /**
     * Runs a cached EVAL script for {@code c} (Redis's evalGenericCommand after the
     * lookup): the checks a shebang script gets before it starts, then the call.
     */
    void runEval(Client c, EvalScript script, byte[][] argv, int numkeys, boolean readOnlyCommand) {
        boolean compat = (script.flags & ScriptFlags.EVAL_COMPAT_MODE) != 0;
        checkBeforeRun(script.flags, compat, readOnlyCommand);
        boolean readOnly = readOnlyCommand || (!compat && (script.flags & ScriptFlags.NO_WRITES) != 0);
        ScriptRun run = new ScriptRun(c, script.sha, true, readOnly);
        run.allowOom = (script.flags & ScriptFlags.ALLOW_OOM) != 0;
        LuaRuntime rt = evalLua;
        RedisApi api = evalApi;
        run(run, () -> {
            long L = rt.L;
            rt.armHook();
            rt.pushHandler();
            rt.push(script.ref);
            rt.pushRealGlobals();
            rt.pushName(keysName);
            rt.pushArray(L, argv, 3, numkeys);
            rt.rawset(L, -3);
            rt.pushName(argvName);
            rt.pushArray(L, argv, 3 + numkeys, argv.length - 3 - numkeys);
            rt.rawset(L, -3);
            rt.settop(L, -2);
            int status = rt.pcall(L, 0, 1, -2);
            return finishCall(rt, api, run, status);
        });
    }

    /** Runs a function for {@code c} (Redis's fcallCommandGeneric after its lookups). */
    void runFunction(Client c, FunctionLibraries.Function f, byte[][] argv, int numkeys, boolean readOnlyCommand) {
        checkBeforeRun(f.flags(), false, readOnlyCommand);
        boolean readOnly = readOnlyCommand || (f.flags() & ScriptFlags.NO_WRITES) != 0;
        ScriptRun run = new ScriptRun(c, f.name(), false, readOnly);
        run.allowOom = (f.flags() & ScriptFlags.ALLOW_OOM) != 0;
        LuaRuntime rt = functions.lua();
        RedisApi api = functions.api();
        run(run, () -> {
            long L = rt.L;
            rt.armHook();
            rt.pushHandler();
            rt.push(f.ref());
            rt.pushArray(L, argv, 3, numkeys);
            rt.pushArray(L, argv, 3 + numkeys, argv.length - 3 - numkeys);
            int status = rt.pcall(L, 2, 1, -4);
            return finishCall(rt, api, run, status);
        });
    }

    /** Redis's scriptPrepareForRun checks on the flags of a script with a shebang. */
    static void checkBeforeRun(int flags, boolean compat, boolean readOnlyCommand) {
        if (compat) return;
        if ((flags & ScriptFlags.NO_WRITES) == 0 && readOnlyCommand) {
            throw new CommandError("ERR Can not execute a script with write flag using *_ro command.");
        }
    }

    /** What a script produced: an error to reply (and whether it was counted already), or reply bytes. */
    record Outcome(String error, boolean errorCounted, byte[] reply) {}

    /**
     * After lua_pcall of a script with the error handler below it: converts the result or
     * the error into the outcome, leaves the stack empty.
     */
    Outcome finishCall(LuaRuntime rt, RedisApi api, ScriptRun run, int status) {
        long L = rt.L;
        try {
            rt.collectSometimes();
            ReplyConversion conv = api.conversion();
            if (status != 0) {
                ReplyConversion.ErrorInfo e = conv.errorInfo(L);
                if (rt.C.lua_type(L, -1) != LuaRuntime.TTABLE) {
                    String msg = e.message() == null ? "execution failure" : e.message().substring(4);
                    if (msg.length() > 100) msg = msg.substring(0, 100);
                    return new Outcome("ERR Error running script " + run.name + ", " + msg, false, null);
                }
                String text = e.message() == null ? "" : e.message();
                if (e.line() != null && e.source() != null) {
                    text = text + " script: " + run.name + ", on " + e.source() + ":" + e.line() + ".";
                }
                return new Outcome(text, e.alreadyCounted(), null);
            }
            // A top-level error table is the script's error reply.
            if (rt.type(L, -1) == LuaRuntime.TTABLE) {
                rt.C.lua_pushstring(L, "err");
                rt.C.lua_rawget(L, -2);
                boolean isError = rt.C.lua_type(L, -1) == LuaRuntime.TSTRING;
                rt.C.lua_pop(L, 1);
                if (isError) {
                    ReplyConversion.ErrorInfo e = conv.errorInfo(L);
                    return new Outcome(e.message(), e.alreadyCounted(), null);
                }
            }
            resultBuffer.clear();
            result.protocol(run.caller.reply().protocol());
            conv.writeValue(L, result, scriptClient().reply().protocol());
            byte[] bytes = new byte[resultBuffer.readableBytes()];
            resultBuffer.readBytes(bytes);
            return new Outcome(null, false, bytes);
        } finally {
            rt.settop(L, 0);
        }
    }

    /** The body of a run: calls the script and converts its outcome. */
    interface Body {
        Outcome call();
    }

    /**
     * Runs a script for its caller, on this (the command) thread, and replies its outcome.
     * A script that runs past busy-reply-threshold keeps running here; its hook makes the
     * server busy and serves the other clients meanwhile ({@link #interrupted}).
     */
    void run(ScriptRun run, Body body) {
        Client fake = scriptClient();
        fake.select(run.caller.dbIndex());
        fake.reply().protocol(2);
        current = run;
        var clock = server.keyspace().clock();
        clock.scriptSnapshot(System.currentTimeMillis());
        Outcome outcome;
        try {
            outcome = body.call();
        } catch (RuntimeException e) {
            server.log().warning("Internal error running a script: " + e);
            outcome = new Outcome("ERR internal error running the script: " + e, false, null);
        } finally {
            current = null;
            busyError = null;
            clock.scriptSnapshot(-1);
            // Its effects were propagated, not the EVAL or FCALL itself.
            server.propagation().prevent();
        }
        // SHUTDOWN NOSAVE while the script was busy has closed the caller.
        if (!run.caller.closed()) reply(run.caller, outcome);
    }

    private void reply(Client c, Outcome outcome) {
        if (outcome.error != null) {
            if (outcome.errorCounted) c.reply().errorAlreadyCounted(outcome.error);
            else c.reply().error(outcome.error);
        } else {
            c.reply().raw(outcome.reply);
        }
    }

    /**
     * redis.call from the running script: Redis's scriptCall checks, then the command on
     * the script client. Returns the refusal text, or the buffer holding the reply.
     */
    Object execute(byte[][] argv) {
        ScriptRun run = current;
        CommandSpec spec = lookup(argv);
        if (spec == null) return "Unknown Redis command called from script";
        int arity = spec.arity();
        if ((arity > 0 && arity != argv.length) || argv.length < -arity) {
            return "Wrong number of args calling Redis command from script";
        }
        if (spec.has(CommandFlag.NOSCRIPT)) return "This Redis command is not allowed from script";
        boolean write = spec.has(CommandFlag.WRITE);
        if (write && run != null && run.readOnly) return "Write commands are not allowed from read-only scripts.";
        // Redis's scriptVerifyOOM: over maxmemory when the script started, its first write
        // that may grow memory is refused (later ones must be let through to finish it).
        if (run != null && !run.allowOom && spec.has(CommandFlag.DENYOOM)
                && server.eviction().refusesScriptWrite(run.wrote)) {
            return "-" + Eviction.OOM_ERROR;
        }
        if (write && run != null) run.wrote = true;
        Client fake = scriptClient();
        // Scripts replicate by effects: the command propagates (rewritten as it would be
        // outside a script) to where redis.set_repl sends the script's writes.
        var propagation = server.propagation();
        propagation.scriptTargets(run == null ? dev.cairn.server.Propagation.ALL : run.replication);
        try {
            server.dispatcher().runFromScript(fake, argv, spec);
        } finally {
            propagation.scriptTargets(dev.cairn.server.Propagation.ALL);
        }
        return fake.reply().buffer();
    }

    /** The last command name a script called and its spec (not a subcommand): scripts call the same few. */
    private byte[] lastCommandName;
    private CommandSpec lastCommand;

    /** The command table's lookup, skipped when the script calls the same command as last time. */
    private CommandSpec lookup(byte[][] argv) {
        if (java.util.Arrays.equals(argv[0], lastCommandName)) return lastCommand;
        CommandSpec spec = server.commands().lookup(argv);
        if (spec != null && spec.name().indexOf('|') < 0) {
            lastCommandName = argv[0].clone();
            lastCommand = spec;
        }
        return spec;
    }

    // ---- killing ---------------------------------------------------------------------------

    /** SCRIPT KILL ({@code eval}) and FUNCTION KILL: Redis's scriptKill. */
    void kill(Client c, boolean eval) {
        ScriptRun run = current;
        if (run == null) throw new CommandError("NOTBUSY No scripts in execution right now.");
        if (run.wrote) {
            throw new CommandError("UNKILLABLE Sorry the script already executed write commands against the "
                    + "dataset. You can either wait the script termination or kill the server in a hard way using "
                    + "the SHUTDOWN NOSAVE command.");
        }
        if (eval && !run.evalMode) throw new CommandError(SLOW_FUNCTION);
        if (!eval && run.evalMode) throw new CommandError(SLOW_EVAL);
        run.killed = true;
        c.reply().ok();
    }

    /**
     * The running script's hook, every {@value LuaRuntime#HOOK_INSTRUCTIONS} Lua
     * instructions: past busy-reply-threshold the server turns busy and, from then on,
     * serves the other clients at each call (Redis's scriptInterrupt). Returns why the
     * script must stop now (SCRIPT KILL, FUNCTION KILL, shutdown, a FUNCTION LOAD past its
     * time), or null.
     */
    String interrupted() {
        ScriptRun run = current;
        // Stopping: no more events (the connections are closing), just end the script.
        if (shuttingDown) return KILLED;
        if (run == null) return functions.loadInterrupted();
        if (busyError == null) {
            long threshold = server.config().busyReplyThreshold.value();
            if (threshold > 0 && run.elapsedMillis() >= threshold) {
                busyError = run.evalMode ? SLOW_EVAL : SLOW_FUNCTION;
                server.log().warning("Slow script detected: still in execution after " + run.elapsedMillis()
                        + " milliseconds. You can try killing the script using the "
                        + (run.evalMode ? "SCRIPT KILL" : "FUNCTION KILL") + " command.");
            }
        }
        if (busyError != null) server.listeners().processEventsWhileBusy(run.caller);
        if (run.killed) {
            server.log().warning("Lua script killed by user with SCRIPT KILL.");
            return KILLED;
        }
        return null;
    }

    private static final String KILLED = "Script killed by user with SCRIPT KILL...";

    /** The server is stopping: a running script is stopped at its next hook. */
    public void shutdown() {
        shuttingDown = true;
        // Scripts end with the server: their client and reply buffer go (a running script
        // finishes unwinding first; it no longer writes replies once the caller is closed).
        if (current == null) {
            if (scriptClient != null) server.clients().kill(scriptClient);
            resultBuffer.release();
            flushScripts();
            functions.flush();
        }
    }

    // ---- INFO memory --------------------------------------------------------------------

    /** Bytes used by the Lua state of EVAL (used_memory_lua, used_memory_vm_eval). */
    public long evalLuaMemory() {
        return evalLua == null ? 0 : evalLua.memory();
    }

    /** Bytes used by the function engine's Lua state (used_memory_vm_functions). */
    public long functionsLuaMemory() {
        return functions.lua == null ? 0 : functions.lua.memory();
    }

    public int cachedScriptCount() {
        return evalScripts.size();
    }

    /** The EVAL cache's overhead (used_memory_scripts_eval): bodies and SHAs, as Redis counts them. */
    public long cachedScriptsMemory() {
        return evalCacheBytes;
    }

    private static long cacheBytes(EvalScript s) {
        return s.body.length + 48 + 64;
    }

    /**
     * used_memory_scripts: the EVAL cache and the libraries. Redis allocates them with its
     * own allocator, so they count in used_memory (and in its overhead), while the Lua
     * states (used_memory_lua, used_memory_vm_*) are allocated by Lua apart from it and
     * do not: a script's garbage neither shows in used_memory nor triggers eviction.
     */
    public long scriptsMemory() {
        return evalCacheBytes + functionsMemory();
    }

    public int functionCount() {
        return functions.functionCount();
    }

    public int libraryCount() {
        return functions.libraries().size();
    }

    /** The libraries' overhead (used_memory_functions): their code and names. */
    public long functionsMemory() {
        return functions.memory();
    }

    /** Every library's code in load order, as RDB files and the AOF base save them. */
    public java.util.List<byte[]> libraryCodes() {
        java.util.List<byte[]> codes = new java.util.ArrayList<>();
        for (FunctionLibraries.Library lib : functions.libraries().values()) codes.add(lib.code);
        return codes;
    }

    /** Removes every function library (DEBUG RELOAD before loading the file again). */
    public void flushFunctions() {
        functions.flush();
    }

    /**
     * Loads a library read from an RDB file or AOF (Redis's rdbFunctionLoad with replace):
     * throws the load error as a CommandError when the code does not load.
     */
    public void loadLibrary(byte[] code) {
        functions.load(code, true);
    }
}
