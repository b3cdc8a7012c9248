package dev.cairn.scripting;

import dev.cairn.protocol.NumberFormat;
import dev.cairn.server.Server;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.lua51.Lua51;
import party.iroiro.luajava.lua51.Lua51Natives;

/**
 * One Lua 5.1 state with the world Redis gives scripts ({@code scripting/world.lua}), and
 * the stack operations the scripting code needs: binary-safe strings in both directions,
 * compiling, calling with the error handler, references to values.
 *
 * <p>The bindings reach the C API through JNI. Two rules keep that safe:
 * <ul>
 *   <li>Only operations that cannot raise a Lua error are used from Java (raw table
 *       access, pushes, type tests): a Lua error is a longjmp, and one crossing Java
 *       frames would corrupt the JVM. Lua code runs only through {@code lua_pcall}.</li>
 *   <li>Java functions called by Lua never throw; they report failures as values and
 *       the Lua glue raises them ({@link #callback}).</li>
 * </ul>
 *
 * <p>The state is used by one thread at a time: whichever thread runs scripts at that
 * moment (see {@link ScriptThread}); handing the state over is a happens-before edge.
 */
final class LuaRuntime implements AutoCloseable {
    static final int REGISTRY = -10000;
    static final int GLOBALS = -10002;
    static final int TNIL = 0;
    static final int TBOOLEAN = 1;
    static final int TNUMBER = 3;
    static final int TSTRING = 4;
    static final int TTABLE = 5;
    private static final int GC_STEP = 5;
    /** Lua calls a count hook every this many instructions (Redis's value). */
    static final int HOOK_INSTRUCTIONS = 100_000;

    private final Lua51 lua;
    final Lua51Natives C;
    final long L;
    /** Reusable direct buffer for chunks handed to luaL_loadbuffer. */
    private ByteBuffer chunk = ByteBuffer.allocateDirect(4096).order(ByteOrder.LITTLE_ENDIAN);
    private final int handlerRef;
    private final int realGlobalsRef;
    private final int armRef;
    private final int errorTableRef;
    /** The function engine's switch between library loading and calls (nil for EVAL). */
    private final int setLoadingRef;
    /** Set when the interrupt hook stopped a script: the hook must be armed again. */
    boolean hookFired;

    /** The Java side of the world's functions, supplied by the owner of the state. */
    interface Host {
        /** Fills the table on top of the stack with the Java functions world.lua expects. */
        void register(LuaRuntime rt);
    }

    /**
     * A state for EVAL scripts, or ({@code functions}) for the function engine, whose
     * library code runs in its own environment (see world.lua).
     */
    LuaRuntime(Host host, boolean functions) {
        lua = new Lua51();
        C = (Lua51Natives) lua.getLuaNatives();
        L = lua.getPointer();
        C.luaL_openlibs(L);
        byte[] world = resource("/scripting/world.lua");
        if (load(world, 0, world.length, "=cairn") != 0) throw new IllegalStateException(C.lua_tostring(L, -1));
        C.lua_createtable(L, 0, 32);
        setString(-1, "version", Server.REDIS_VERSION);
        setString(-1, "mode", functions ? "function" : "eval");
        C.lua_pushnumber(L, versionNumber(Server.REDIS_VERSION));
        C.lua_setfield(L, -2, "version_num");
        host.register(this);
        if (C.lua_pcall(L, 1, 1, 0) != 0) throw new IllegalStateException(C.lua_tostring(L, -1));
        // Entry points returned by world.lua.
        C.lua_getfield(L, -1, "real_globals");
        realGlobalsRef = C.luaL_ref(L, REGISTRY);
        C.lua_getfield(L, -1, "arm");
        armRef = C.luaL_ref(L, REGISTRY);
        C.lua_getfield(L, -1, "error_table");
        errorTableRef = C.luaL_ref(L, REGISTRY);
        C.lua_getfield(L, -1, "handler");
        handlerRef = C.luaL_ref(L, REGISTRY);
        C.lua_getfield(L, -1, "set_loading");
        setLoadingRef = C.luaL_ref(L, REGISTRY);
        // Scripts compiled from now on see the protected globals.
        C.lua_getfield(L, -1, "globals");
        C.lua_replace(L, GLOBALS);
        C.lua_settop(L, 0);
    }

    private static byte[] resource(String path) {
        try (InputStream in = LuaRuntime.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing " + path);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 7.0.15 is 0x07000f, as Redis's REDIS_VERSION_NUM. */
    static int versionNumber(String version) {
        String[] p = version.split("\\.");
        return (Integer.parseInt(p[0]) << 16) | (Integer.parseInt(p[1]) << 8) | Integer.parseInt(p[2]);
    }

    // ---- registering Java functions --------------------------------------------------------

    /**
     * Sets {@code name} in the table on top of the stack to a Java function. The function
     * must not throw: an exception escaping into the bindings' C code would leave a
     * pending JVM exception behind a Lua call. A throwable becomes an error table
     * followed by true, the shape redis.call's glue raises.
     */
    void callback(String name, JFunction f) {
        JFunction safe = l -> {
            try {
                return f.__call(l);
            } catch (Throwable e) {
                // Reported as an error table to raise, which is what most glue expects.
                long p = l.getPointer();
                C.lua_settop(p, 0);
                pushErrorTable(p, "ERR internal error in " + name + ": " + e);
                C.lua_pushboolean(p, 1);
                return 2;
            }
        };
        lua.push(safe);
        C.lua_setfield(L, -2, name);
    }

    void setString(int table, String key, String value) {
        C.lua_pushstring(L, value);
        C.lua_setfield(L, table - 1, key);
    }

    /**
     * Sets {@code name} in the table on top of the stack to a C function that calls
     * {@code f} with the calling state through a foreign upcall: for redis.call, which
     * every script makes, it skips the bindings' JNI call into Java and their lookups of
     * the state and function objects. Errors are handled as in {@link #callback}.
     */
    void nativeCallback(String name, java.util.function.LongToIntFunction f) {
        java.util.function.LongToIntFunction safe = p -> {
            try {
                return f.applyAsInt(p);
            } catch (Throwable e) {
                C.lua_settop(p, 0);
                pushErrorTable(p, "ERR internal error in " + name + ": " + e);
                C.lua_pushboolean(p, 1);
                return 2;
            }
        };
        MethodHandle target;
        try {
            target = java.lang.invoke.MethodHandles.lookup()
                    .findVirtual(java.util.function.LongToIntFunction.class, "applyAsInt",
                            java.lang.invoke.MethodType.methodType(int.class, long.class))
                    .bindTo(safe);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        MemorySegment stub = Linker.nativeLinker().upcallStub(target,
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG), upcalls);
        try {
            LuaStack.PUSHCCLOSURE.invokeExact(L, stub, 0);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        C.lua_setfield(L, -2, name);
    }

    /** The upcall stubs of {@link #nativeCallback}: they live as long as this runtime. */
    private final java.lang.foreign.Arena upcalls = java.lang.foreign.Arena.ofShared();

    // ---- strings ------------------------------------------------------------------------

    /**
     * lua_pushlstring and lua_tolstring, called through the foreign function interface:
     * the bindings have no byte-exact string push, and their byte reads wrap each string
     * in a new direct buffer (a JNI upcall). Both symbols are in the native library the
     * bindings loaded (found once a state exists, through this class loader's libraries).
     * Critical calls: short, no upcalls into Java, and they may read Java arrays in place.
     */
    private static final class LuaStrings {
        static final MethodHandle PUSH;
        static final MethodHandle READ;

        static {
            SymbolLookup lib = SymbolLookup.loaderLookup();
            Linker linker = Linker.nativeLinker();
            Linker.Option critical = Linker.Option.critical(true);
            PUSH = linker.downcallHandle(lib.find("lua_pushlstring").orElseThrow(),
                    FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
                    critical);
            READ = linker.downcallHandle(lib.find("lua_tolstring").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                            ValueLayout.ADDRESS),
                    critical);
        }
    }

    /**
     * The stack and table calls every script run and redis.call makes, as critical foreign
     * calls too: none allocates Lua memory (so no collection, no finalizer calling back),
     * and each is far shorter than the bindings' JNI transition. lua_rawseti only fills
     * arrays created at their size.
     */
    private static final class LuaStack {
        static final MethodHandle RAWGETI;
        static final MethodHandle RAWSETI;
        static final MethodHandle GETTOP;
        static final MethodHandle SETTOP;
        static final MethodHandle TYPE;
        static final MethodHandle PUSHBOOLEAN;
        static final MethodHandle RAWSET;
        /** Not critical: they allocate (a collection step may run finalizers) or call back into Java. */
        static final MethodHandle CREATETABLE;
        static final MethodHandle PCALL;
        /** Not critical: it allocates the closure. */
        static final MethodHandle PUSHCCLOSURE;

        static {
            SymbolLookup lib = SymbolLookup.loaderLookup();
            Linker linker = Linker.nativeLinker();
            Linker.Option critical = Linker.Option.critical(false);
            var L = ValueLayout.JAVA_LONG;
            var I = ValueLayout.JAVA_INT;
            RAWGETI = linker.downcallHandle(lib.find("lua_rawgeti").orElseThrow(), FunctionDescriptor.ofVoid(L, I, I),
                    critical);
            RAWSETI = linker.downcallHandle(lib.find("lua_rawseti").orElseThrow(), FunctionDescriptor.ofVoid(L, I, I),
                    critical);
            GETTOP = linker.downcallHandle(lib.find("lua_gettop").orElseThrow(), FunctionDescriptor.of(I, L), critical);
            SETTOP = linker.downcallHandle(lib.find("lua_settop").orElseThrow(), FunctionDescriptor.ofVoid(L, I),
                    critical);
            TYPE = linker.downcallHandle(lib.find("lua_type").orElseThrow(), FunctionDescriptor.of(I, L, I), critical);
            PUSHBOOLEAN = linker.downcallHandle(lib.find("lua_pushboolean").orElseThrow(),
                    FunctionDescriptor.ofVoid(L, I), critical);
            RAWSET = linker.downcallHandle(lib.find("lua_rawset").orElseThrow(), FunctionDescriptor.ofVoid(L, I),
                    critical);
            CREATETABLE = linker.downcallHandle(lib.find("lua_createtable").orElseThrow(),
                    FunctionDescriptor.ofVoid(L, I, I));
            PCALL = linker.downcallHandle(lib.find("lua_pcall").orElseThrow(), FunctionDescriptor.of(I, L, I, I, I));
            PUSHCCLOSURE = linker.downcallHandle(lib.find("lua_pushcclosure").orElseThrow(),
                    FunctionDescriptor.ofVoid(L, ValueLayout.ADDRESS, I));
        }
    }

    void rawgeti(long l, int index, int n) {
        try {
            LuaStack.RAWGETI.invokeExact(l, index, n);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    void rawseti(long l, int index, int n) {
        try {
            LuaStack.RAWSETI.invokeExact(l, index, n);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    int gettop(long l) {
        try {
            return (int) LuaStack.GETTOP.invokeExact(l);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    void settop(long l, int index) {
        try {
            LuaStack.SETTOP.invokeExact(l, index);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    void rawset(long l, int index) {
        try {
            LuaStack.RAWSET.invokeExact(l, index);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    void createTable(long l, int arrayItems, int fields) {
        try {
            LuaStack.CREATETABLE.invokeExact(l, arrayItems, fields);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    int pcall(long l, int args, int results, int handler) {
        try {
            return (int) LuaStack.PCALL.invokeExact(l, args, results, handler);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    void pushBoolean(long l, boolean b) {
        try {
            LuaStack.PUSHBOOLEAN.invokeExact(l, b ? 1 : 0);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    int type(long l, int index) {
        try {
            return (int) LuaStack.TYPE.invokeExact(l, index);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** lua_tolstring's length out-parameter, read in place (one state, one thread at a time). */
    private final long[] readLength = new long[1];

    /** Pushes bytes as a Lua string (lua_pushlstring: exact for any bytes). */
    void pushBytes(long l, byte[] b, int off, int len) {
        try {
            LuaStrings.PUSH.invokeExact(l, MemorySegment.ofArray(b).asSlice(off, len), (long) len);
        } catch (Throwable e) {
            throw new IllegalStateException("could not push a string", e);
        }
    }

    void pushBytes(long l, byte[] b) {
        pushBytes(l, b, 0, b.length);
    }

    void pushBytes(long l, ByteBuf buf, int off, int len) {
        // Lua copies the bytes: they go straight from the reply buffer, without a copy of ours.
        if (buf.hasMemoryAddress()) {
            try {
                LuaStrings.PUSH.invokeExact(l, MemorySegment.ofAddress(buf.memoryAddress() + off), (long) len);
            } catch (Throwable e) {
                throw new IllegalStateException("could not push a string", e);
            }
            return;
        }
        if (buf.hasArray()) {
            pushBytes(l, buf.array(), buf.arrayOffset() + off, len);
            return;
        }
        byte[] b = new byte[len];
        buf.getBytes(off, b);
        pushBytes(l, b, 0, len);
    }

    private void ensureChunk(int size) {
        if (chunk.capacity() < size) {
            chunk = ByteBuffer.allocateDirect(Integer.highestOneBit(size) * 2).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /**
     * The bytes of the string (or number, as Lua prints it; lua_tolstring converts it in
     * place, as Redis's reads do) at {@code index}; null for other types.
     */
    byte[] toBytes(long l, int index) {
        MemorySegment p;
        try {
            p = (MemorySegment) LuaStrings.READ.invokeExact(l, index, MemorySegment.ofArray(readLength));
        } catch (Throwable e) {
            throw new IllegalStateException("could not read a string", e);
        }
        if (p.address() == 0) return null;
        byte[] out = new byte[(int) readLength[0]];
        MemorySegment.copy(p.reinterpret(out.length), ValueLayout.JAVA_BYTE, 0, out, 0, out.length);
        return out;
    }

    /** Lua's string at {@code index} as text, one char per byte. */
    String toLatin1(long l, int index) {
        byte[] b = toBytes(l, index);
        return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
    }

    /** The argument form Redis gives a Lua number passed to a command: {@code %.17g}. */
    static byte[] numberArgument(double d) {
        return NumberFormat.humanDouble(d).getBytes(StandardCharsets.US_ASCII);
    }

    /** C's {@code (long long)} conversion on x86-64: NaN and out-of-range values give LLONG_MIN. */
    static long toLongLong(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) return Long.MIN_VALUE;
        return (long) d;
    }

    /** C's {@code (int)} of Lua's lua_tointeger, as luaL_checkint does. */
    static int toInt(double d) {
        return (int) toLongLong(d);
    }

    // ---- chunks, references, calls -------------------------------------------------------

    /** luaL_loadbuffer of bytes: pushes the function, or the error message; returns the status. */
    int load(byte[] code, int off, int len, String chunkName) {
        ensureChunk(len);
        chunk.clear();
        chunk.put(code, off, len);
        return C.luaJ_loadbuffer(L, chunk, len, chunkName);
    }

    /**
     * Compiles script code: pushes the function (with its tail calls made plain calls, see
     * {@link TailCalls}), or the error message; returns luaL_loadbuffer's status.
     */
    int compile(byte[] code, int off, int len, String chunkName) {
        int status = load(code, off, len, chunkName);
        if (status != 0) return status;
        ByteBuffer dumped = (ByteBuffer) C.luaJ_dumptobuffer(L);
        if (dumped == null) return 0;
        TailCalls.rewrite(dumped);
        C.lua_pop(L, 1);
        return C.luaJ_loadbuffer(L, dumped, dumped.limit(), chunkName);
    }

    /** Pops the value on top and keeps it in the registry; returns its reference. */
    int ref() {
        return C.luaL_ref(L, REGISTRY);
    }

    void unref(int ref) {
        C.luaL_unref(L, REGISTRY, ref);
    }

    void push(int ref) {
        rawgeti(L, REGISTRY, ref);
    }

    void pushHandler() {
        rawgeti(L, REGISTRY, handlerRef);
    }

    void pushRealGlobals() {
        rawgeti(L, REGISTRY, realGlobalsRef);
    }

    /** Pushes the error table Redis builds for an error text (luaPushErrorBuff). */
    void pushErrorTable(long l, String text) {
        C.lua_rawgeti(l, REGISTRY, errorTableRef);
        C.lua_pushstring(l, text);
        if (C.lua_pcall(l, 1, 1, 0) != 0) throw new IllegalStateException(C.lua_tostring(l, -1));
    }

    /** Re-arms the count hook if a kill left a line hook behind. */
    void armHook() {
        if (!hookFired) return;
        hookFired = false;
        C.lua_rawgeti(L, REGISTRY, armRef);
        C.lua_pcall(L, 0, 0, 0);
        C.lua_settop(L, 0);
    }

    /**
     * Pushes the Lua string of a name the runtime pushes on every call ({@code KEYS},
     * {@code ARGV}): kept in the registry, it is one array read instead of a Java string
     * converted and hashed by Lua each time.
     */
    void pushName(int ref) {
        rawgeti(L, REGISTRY, ref);
    }

    /** Keeps the Lua string of {@code name} in the registry; returns its reference for {@link #pushName}. */
    int nameRef(String name) {
        C.lua_pushstring(L, name);
        return C.luaL_ref(L, REGISTRY);
    }

    /** Function engine: library code sees the loading API ({@code true}) or the full world. */
    void setLoading(boolean on) {
        C.lua_rawgeti(L, REGISTRY, setLoadingRef);
        C.lua_pushboolean(L, on ? 1 : 0);
        C.lua_pcall(L, 1, 0, 0);
    }

    /** Pushes a new array of byte strings. */
    void pushArray(long l, byte[][] items, int from, int count) {
        createTable(l, count, 0);
        for (int i = 0; i < count; i++) {
            pushBytes(l, items[from + i]);
            rawseti(l, -2, i + 1);
        }
    }

    /**
     * An incremental collection step every 50 scripts, as Redis takes one. Redis steps 50
     * KB of work on its ~30 KB heap; ours is ~100 KB (the glue of world.lua), where a step
     * that size is a whole mark-and-sweep cycle every 50 scripts (a fifth of EVALSHA's
     * time). 10 KB keeps ahead of what small scripts leave behind; Lua's own collector,
     * paced by allocation, still bounds the heap whatever the scripts allocate.
     */
    private int callsSinceGc;

    void collectSometimes() {
        if (++callsSinceGc >= 50) {
            callsSinceGc = 0;
            C.lua_gc(L, GC_STEP, 10);
        }
    }

    /** Bytes of memory the Lua state uses (INFO used_memory_lua). */
    long memory() {
        return C.lua_gc(L, 3, 0) * 1024L + C.lua_gc(L, 4, 0);
    }

    @Override
    public void close() {
        lua.close();
        upcalls.close();
    }
}
