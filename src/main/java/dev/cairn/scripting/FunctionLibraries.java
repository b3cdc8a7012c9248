package dev.cairn.scripting;

import dev.cairn.command.CommandError;
import dev.cairn.persistence.RdbFormatException;
import dev.cairn.persistence.RdbReader;
import dev.cairn.persistence.RdbWriter;
import dev.cairn.protocol.RequestParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The function libraries (Redis's functions.c and function_lua.c): their code, the
 * functions they registered, and the Lua state of the function engine, separate from
 * EVAL's. Libraries keep their load order, which is the order FUNCTION LIST and FUNCTION
 * DUMP use (Redis's order is that of a hash table).
 */
final class FunctionLibraries {
    /** The only engine, named as Redis names it. */
    static final String ENGINE = "LUA";
    /** How long library code may run while loading (Redis's LOAD_TIMEOUT_MS). */
    private static final long LOAD_TIMEOUT_MILLIS = 500;
    static final String BAD_NAME = "Library names can only contain letters, numbers, or underscores(_) and must be "
            + "at least one character long";

    private final Scripting scripting;
    /** The engine's state; null until first used (package access for INFO). */
    LuaRuntime lua;
    private RedisApi api;
    private final Map<String, Library> libraries = new LinkedHashMap<>();
    /** Every function by lower-case name (Redis looks functions up ignoring case). */
    private final Map<String, Function> functions = new LinkedHashMap<>();
    /** The libraries' overhead (used_memory_functions), summed again whenever they change. */
    private long memory;
    /** The library being loaded, which register_function adds to; null otherwise. */
    private Library loading;
    private long loadStartNanos;

    record Function(String name, String description, int flags, int ref, Library library) {}

    static final class Library {
        final String name;
        final byte[] code;
        final Map<String, Function> functions = new LinkedHashMap<>();

        Library(String name, byte[] code) {
            this.name = name;
            this.code = code;
        }
    }

    FunctionLibraries(Scripting scripting) {
        this.scripting = scripting;
    }

    LuaRuntime lua() {
        if (lua == null) {
            api = new RedisApi(scripting, this);
            lua = new LuaRuntime(api, true);
        }
        return lua;
    }

    RedisApi api() {
        lua();
        return api;
    }

    Map<String, Library> libraries() {
        return libraries;
    }

    /** Bytes of the libraries as used_memory counts them: code, names, functions. O(1). */
    long memory() {
        return memory;
    }

    /** Sums {@link #memory} again after the libraries changed (rare: FUNCTION LOAD, DELETE...). */
    private void recount() {
        long n = 0;
        for (Library lib : libraries.values()) n += lib.code.length + lib.name.length() + 64 + 48L * lib.functions.size();
        memory = n;
    }

    int functionCount() {
        return functions.size();
    }

    Function function(String name) {
        return functions.get(name.toLowerCase(Locale.ROOT));
    }

    /** FUNCTION FLUSH: no libraries, and a new engine state. */
    void flush() {
        libraries.clear();
        functions.clear();
        memory = 0;
        if (lua != null) {
            lua.close();
            lua = null;
            api = null;
        }
    }

    /** FUNCTION DELETE. */
    void delete(String name) {
        Library lib = libraries.remove(name);
        if (lib == null) throw new CommandError("ERR Library not found");
        for (Function f : lib.functions.values()) {
            functions.remove(f.name.toLowerCase(Locale.ROOT));
            lua.unref(f.ref);
        }
        recount();
    }

    // ---- loading --------------------------------------------------------------------------

    /** A library's first line: {@code #!<engine> name=<name>}. */
    record Metadata(String engine, String name, int codeStart) {}

    /** Redis's functionExtractLibMetaData; throws the reply error. */
    static Metadata metadata(byte[] code) {
        if (code.length < 2 || code[0] != '#' || code[1] != '!') throw new CommandError("ERR Missing library metadata");
        int end = -1;
        for (int i = 0; i < code.length && code[i] != 0; i++) {
            if (code[i] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) throw new CommandError("ERR Invalid library metadata");
        List<byte[]> parts = RequestParser.splitArgs(Arrays.copyOf(code, end));
        if (parts == null || parts.isEmpty()) throw new CommandError("ERR Invalid library metadata");
        String engine = latin1(parts.get(0)).substring(Math.min(2, parts.get(0).length));
        String name = null;
        for (int i = 1; i < parts.size(); i++) {
            String part = latin1(parts.get(i));
            if (part.length() >= 5 && part.substring(0, 5).equalsIgnoreCase("name=")) {
                if (name != null) {
                    throw new CommandError("ERR Invalid metadata value, name argument was given multiple times");
                }
                name = part.substring(5);
                continue;
            }
            throw new CommandError("ERR Invalid metadata value given: " + ReplyConversion.cString(part));
        }
        if (name == null) throw new CommandError("ERR Library name was not given");
        return new Metadata(engine, name, end);
    }

    static boolean validName(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
        }
        return true;
    }

    /**
     * Redis's functionsCreateWithLibraryCtx: compiles and runs the library code, which
     * registers its functions, and links the library. Returns its name; throws the reply
     * error (leaving the libraries as they were).
     */
    String load(byte[] code, boolean replace) {
        Metadata md = metadata(code);
        if (!validName(md.name)) throw new CommandError("ERR " + BAD_NAME);
        if (!md.engine.equalsIgnoreCase(ENGINE)) throw new CommandError("ERR Engine '" + md.engine + "' not found");
        Library old = libraries.get(md.name);
        if (old != null && !replace) throw new CommandError("ERR Library '" + md.name + "' already exists");
        Library lib = new Library(md.name, code);
        String error = create(lib, code, md.codeStart);
        if (error == null && lib.functions.isEmpty()) error = "No functions registered";
        if (error == null) {
            for (Function f : lib.functions.values()) {
                Function existing = functions.get(f.name.toLowerCase(Locale.ROOT));
                if (existing != null && existing.library != old) {
                    error = "Function " + f.name + " already exists";
                    break;
                }
            }
        }
        if (error != null) {
            for (Function f : lib.functions.values()) lua.unref(f.ref);
            throw new CommandError("ERR " + error);
        }
        if (old != null) {
            libraries.remove(old.name);
            for (Function f : old.functions.values()) {
                functions.remove(f.name.toLowerCase(Locale.ROOT));
                lua.unref(f.ref);
            }
        }
        link(lib);
        return lib.name;
    }

    private void link(Library lib) {
        libraries.put(lib.name, lib);
        for (Function f : lib.functions.values()) functions.putIfAbsent(f.name.toLowerCase(Locale.ROOT), f);
        recount();
    }

    /** Redis's luaEngineCreate: compile, then run with the loading API. Returns the error, or null. */
    private String create(Library lib, byte[] code, int start) {
        LuaRuntime rt = lua();
        rt.armHook();
        long L = rt.L;
        if (start < code.length && code[start] == 27) {
            return "Error compiling function: user_function:1: unexpected symbol near 'char(27)'";
        }
        if (rt.compile(code, start, code.length - start, "@user_function") != 0) {
            String message = rt.toLatin1(L, -1);
            rt.C.lua_settop(L, 0);
            return "Error compiling function: " + message;
        }
        rt.setLoading(true);
        loading = lib;
        loadStartNanos = System.nanoTime();
        try {
            if (rt.C.lua_pcall(L, 0, 0, 0) != 0) {
                ReplyConversion.ErrorInfo e = api.conversion().errorInfo(L);
                return "Error registering functions: " + e.message();
            }
            return null;
        } finally {
            loading = null;
            rt.setLoading(false);
            rt.C.lua_settop(L, 0);
        }
    }

    /** The hook during FUNCTION LOAD: library code must not run for long. */
    String loadInterrupted() {
        if (loading == null) return null;
        return (System.nanoTime() - loadStartNanos) / 1_000_000 > LOAD_TIMEOUT_MILLIS ? "FUNCTION LOAD timeout" : null;
    }

    /**
     * redis.register_function from library code (the glue has read its arguments): adds
     * the function to the library being loaded. The callback is on top of the stack of
     * {@code l}. Returns the error text, or null.
     */
    String register(long l, String name, String description, List<String> flagNames) {
        LuaRuntime rt = lua;
        int flags = 0;
        for (String f : flagNames) {
            int bit = ScriptFlags.bit(f.toLowerCase(Locale.ROOT));
            if (bit == 0) return "unknown flag given";
            flags |= bit;
        }
        if (!validName(name)) return BAD_NAME;
        if (loading.functions.containsKey(name)) return "Function already exists in the library";
        int ref = rt.C.luaL_ref(l, LuaRuntime.REGISTRY);
        loading.functions.put(name, new Function(name, description, flags, ref, loading));
        return null;
    }

    // ---- FUNCTION DUMP and RESTORE ----------------------------------------------------------

    /**
     * The libraries as FUNCTION DUMP serializes them (Redis's rdbSaveFunctions, then the
     * RDB version and a CRC64): for each library the RDB_OPCODE_FUNCTION2 type byte and its
     * code as an RDB string.
     */
    byte[] dump() {
        RdbWriter out = new RdbWriter(true);
        for (Library lib : libraries.values()) out.function(lib.code);
        return out.finishPayload();
    }

    /** FUNCTION RESTORE with its policy ("flush", "append" or "replace"); throws the reply error. */
    void restore(byte[] payload, String policy) {
        List<byte[]> codes;
        try {
            codes = RdbReader.readFunctionPayload(payload);
        } catch (RdbFormatException e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        // Load into a fresh engine first: nothing changes unless every library loads.
        Map<String, Library> oldLibraries = new LinkedHashMap<>(libraries);
        Map<String, Function> oldFunctions = new LinkedHashMap<>(functions);
        LuaRuntime oldLua = lua;
        RedisApi oldApi = api;
        libraries.clear();
        functions.clear();
        lua = null;
        api = null;
        List<Library> loaded = new ArrayList<>();
        try {
            for (byte[] code : codes) {
                loaded.add(libraries.get(load(code, false)));
            }
        } catch (CommandError e) {
            if (lua != null) lua.close();
            restoreState(oldLibraries, oldFunctions, oldLua, oldApi);
            throw e;
        }
        LuaRuntime newLua = lua;
        RedisApi newApi = api;
        if (policy.equals("flush")) {
            if (oldLua != null) oldLua.close();
            return;
        }
        // Append or replace: the new engine state must hold the old libraries too, so the
        // old ones are loaded again into it, first (Redis keeps its functions in one state).
        libraries.clear();
        functions.clear();
        try {
            for (Library lib : oldLibraries.values()) {
                boolean replaced = loaded.stream().anyMatch(n -> n.name.equals(lib.name));
                if (replaced && policy.equals("replace")) continue;
                if (replaced) throw new CommandError("ERR Library " + lib.name + " already exists");
                load(lib.code, false);
            }
            for (Library lib : loaded) {
                for (Function f : lib.functions.values()) {
                    if (functions.containsKey(f.name.toLowerCase(Locale.ROOT))) {
                        throw new CommandError("ERR Function " + f.name + " already exists");
                    }
                }
                libraries.put(lib.name, lib);
                for (Function f : lib.functions.values()) functions.put(f.name.toLowerCase(Locale.ROOT), f);
            }
        } catch (CommandError e) {
            newLua.close();
            restoreState(oldLibraries, oldFunctions, oldLua, oldApi);
            throw e;
        }
        if (oldLua != null) oldLua.close();
        lua = newLua;
        api = newApi;
        recount();
    }

    private void restoreState(Map<String, Library> libs, Map<String, Function> fns, LuaRuntime rt, RedisApi a) {
        libraries.clear();
        libraries.putAll(libs);
        functions.clear();
        functions.putAll(fns);
        lua = rt;
        api = a;
        recount();
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
