package dev.cairn.scripting;

import dev.cairn.command.CommandSpec;
import dev.cairn.server.Log;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Java half of the {@code redis} table and of math.random (the Lua half is in
 * world.lua): what needs the server. Each function returns its failures as values for the
 * Lua glue to raise (see {@link LuaRuntime#callback}).
 */
final class RedisApi implements LuaRuntime.Host {
    private final Scripting scripting;
    /** The function engine's libraries, for redis.register_function; null in EVAL's state. */
    private final FunctionLibraries functions;
    private LuaRuntime rt;
    private ReplyConversion conversion;

    RedisApi(Scripting scripting, FunctionLibraries functions) {
        this.scripting = scripting;
        this.functions = functions;
    }

    void attach(LuaRuntime runtime) {
        this.rt = runtime;
        this.conversion = new ReplyConversion(runtime);
    }

    ReplyConversion conversion() {
        return conversion;
    }

    @Override
    public void register(LuaRuntime r) {
        attach(r);
        var C = r.C;
        r.nativeCallback("call", l -> command(l, true));
        r.nativeCallback("pcall", l -> command(l, false));
        r.callback("sha1hex", l -> {
            long p = l.getPointer();
            byte[] s = rt.toBytes(p, 1);
            C.lua_pushstring(p, sha1hex(s == null ? new byte[0] : s));
            return 1;
        });
        r.callback("log", l -> {
            long p = l.getPointer();
            int level = LuaRuntime.toInt(C.lua_tonumber(p, 1));
            Log log = scripting.server().log();
            Log.Level lv = Log.Level.values()[level];
            if (!log.enabled(lv)) return 0;
            StringBuilder sb = new StringBuilder();
            int argc = C.lua_gettop(p);
            for (int j = 2; j <= argc; j++) {
                String s = rt.toLatin1(p, j);
                if (s == null) continue;
                if (j != 2) sb.append(' ');
                sb.append(s);
            }
            log.log(lv, sb.toString());
            return 0;
        });
        r.callback("setresp", l -> {
            scripting.scriptClient().reply().protocol(LuaRuntime.toInt(C.lua_tonumber(l.getPointer(), 1)));
            return 0;
        });
        r.callback("set_repl", l -> {
            ScriptRun run = scripting.currentRun();
            if (run != null) run.replication = LuaRuntime.toInt(C.lua_tonumber(l.getPointer(), 1));
            return 0;
        });
        r.callback("acl_check_cmd", l -> {
            long p = l.getPointer();
            byte[][] argv = arguments(p);
            if (argv == null) return 2;
            CommandSpec spec = scripting.server().commands().lookup(argv);
            if (spec == null) {
                C.lua_pushnil(p);
                rt.pushErrorTable(p, "Invalid command passed to redis.acl_check_cmd()");
                return 2;
            }
            // No ACL users yet: the default user may run everything.
            C.lua_pushboolean(p, 1);
            return 1;
        });
        r.callback("random", l -> {
            C.lua_pushnumber(l.getPointer(), scripting.random().nextUnit());
            return 1;
        });
        r.callback("randomseed", l -> {
            scripting.random().seed((int) C.lua_tonumber(l.getPointer(), 1));
            return 0;
        });
        r.callback("toint", l -> {
            C.lua_pushnumber(l.getPointer(), LuaRuntime.toInt(C.lua_tonumber(l.getPointer(), 1)));
            return 1;
        });
        r.callback("interrupt", l -> {
            String why = scripting.interrupted();
            if (why == null) {
                C.lua_pushnil(l.getPointer());
            } else {
                rt.hookFired = true;
                C.lua_pushstring(l.getPointer(), why);
            }
            return 1;
        });
        if (functions != null) {
            // register_function(name, description, callback, flags...): the glue checked the types.
            r.callback("register_function", l -> {
                long p = l.getPointer();
                String name = rt.toLatin1(p, 1);
                String description = C.lua_type(p, 2) == LuaRuntime.TSTRING ? rt.toLatin1(p, 2) : null;
                java.util.List<String> flags = new java.util.ArrayList<>();
                for (int i = 4; i <= C.lua_gettop(p); i++) flags.add(ReplyConversion.cString(rt.toLatin1(p, i)));
                C.lua_pushvalue(p, 3);
                String error = functions.register(p, ReplyConversion.cString(name), description, flags);
                if (error == null) return 0;
                C.lua_pushstring(p, error);
                return 1;
            });
        }
        LuaLibraries.register(r);
    }

    /**
     * redis.call (raise) and redis.pcall: runs a command and pushes its reply converted to
     * Lua. redis.call also returns whether the reply is an error to raise.
     */
    private int command(long l, boolean raise) {
        var C = rt.C;
        byte[][] argv = arguments(l);
        if (argv == null) {
            if (!raise) C.lua_pop(l, 1);
            return raise ? 2 : 1;
        }
        Object result = scripting.execute(argv);
        if (result instanceof String refusal) {
            // Counted here, like an error the command itself replied; not again by the script.
            scripting.server().stats().error(refusal.startsWith("-") ? refusal.substring(1) : "ERR " + refusal);
            rt.pushErrorTable(l, refusal);
            C.lua_pushboolean(l, 1);
            C.lua_setfield(l, -2, "ignore_error_stats_update");
            if (!raise) return 1;
            C.lua_pushboolean(l, 1);
            return 2;
        }
        ByteBuf reply = (ByteBuf) result;
        boolean error = reply.isReadable() && reply.getByte(reply.readerIndex()) == '-';
        try {
            conversion.pushReply(l, reply);
        } finally {
            reply.clear();
        }
        if (!raise) return 1;
        rt.pushBoolean(l, error);
        return 2;
    }

    /**
     * The arguments of a redis.call as Redis reads them: strings as they are, numbers as
     * {@code %.17g}. On a bad argument pushes the error table plus a true (raise) and
     * returns null.
     */
    private byte[][] arguments(long l) {
        var C = rt.C;
        int argc = rt.gettop(l);
        if (argc == 0) {
            rt.pushErrorTable(l, "Please specify at least one argument for this redis lib call");
            C.lua_pushboolean(l, 1);
            return null;
        }
        byte[][] argv = new byte[argc][];
        for (int j = 0; j < argc; j++) {
            int type = rt.type(l, j + 1);
            if (type == LuaRuntime.TNUMBER) {
                argv[j] = LuaRuntime.numberArgument(C.lua_tonumber(l, j + 1));
            } else if (type == LuaRuntime.TSTRING) {
                argv[j] = rt.toBytes(l, j + 1);
            } else {
                C.lua_settop(l, 0);
                rt.pushErrorTable(l, "Lua redis lib command arguments must be strings or integers");
                C.lua_pushboolean(l, 1);
                return null;
            }
        }
        rt.settop(l, 0);
        return argv;
    }

    static String sha1hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha1hex(String text) {
        return sha1hex(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
