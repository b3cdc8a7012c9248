/**
 * Lua scripting: EVAL, EVALSHA and their _RO forms, SCRIPT, FUNCTION and FCALL, with the
 * Lua world Redis 7.0 gives scripts.
 *
 * <h2>Engine</h2>
 * The interpreter is the reference Lua 5.1 (the language Redis embeds), reached through
 * the luajava JNI bindings ({@code party.iroiro.luajava:lua51} and its native libraries,
 * from Maven Central). Being the same VM, it gives Redis's semantics for free: number
 * printing ({@code %.14g}), string functions, error messages with variable names, table
 * length, coroutines. What Redis adds to its Lua is rebuilt on top:
 * <ul>
 *   <li>{@code resources/scripting/world.lua} builds the sandbox: the globals Redis
 *       leaves, the read-only tables (Redis patches its VM; here each library table is an
 *       empty proxy reading through to the real table, and the raw functions are wrapped
 *       to see through proxies), the nonexistent-global error, Redis's pcall, the error
 *       handler that adds {@code script: ..., on @user_script:N.};</li>
 *   <li>{@link RedisApi} and {@link LuaLibraries} are the Java halves of the redis table,
 *       math.random (Redis's lrand48, {@link Lrand48}), bit, struct, cjson and cmsgpack;
 *       Java cannot raise Lua errors through the bindings, so each library function is a
 *       small Lua function in world.lua that raises what Java reports;</li>
 *   <li>{@link TailCalls} rewrites the tail calls of compiled scripts into plain calls,
 *       so that {@code return redis.call(...)} keeps the script's frame as it does when
 *       redis.call is a C function, and errors name the script's line;</li>
 *   <li>strings cross as bytes: lua_pushlstring and lua_tolstring are called through
 *       the foreign function interface, on the library the bindings loaded
 *       ({@link LuaRuntime#pushBytes}, {@link LuaRuntime#toBytes}).</li>
 * </ul>
 * EVAL scripts and function libraries have separate Lua states, as in Redis. SCRIPT FLUSH
 * and FUNCTION FLUSH start fresh states. Known difference: Redis's VM hashes every byte of
 * long strings, the stock VM samples them, so {@code pairs} over keys longer than 31 bytes
 * can iterate in another order.
 *
 * <h2>Threading and BUSY</h2>
 * Scripts run on the command thread like every command: atomically, with redis.call going
 * straight to the dispatcher on the script client ({@link Scripting#execute}; Redis's
 * scriptCall checks, then {@code Dispatcher.runFromScript}). A count hook runs every
 * 100,000 Lua instructions ({@link Scripting#interrupted}). Once a script has run for
 * busy-reply-threshold, the hook turns the server busy and, at each call, serves the other
 * clients the way Redis's processEventsWhileBlocked does
 * ({@code Listeners.processEventsWhileBusy}): pending event-loop tasks run (new
 * connections, closes) and every other connection's socket is read directly and handed
 * to its handler, whose dispatcher answers BUSY except to SCRIPT KILL, FUNCTION KILL,
 * SHUTDOWN NOSAVE and the other allow_busy commands. SCRIPT KILL marks the run; the hook
 * then raises the kill error at every line until the script ends. The caller's own
 * connection is not read meanwhile, so its pipelined requests wait for the script. A
 * script that wrote cannot be killed; SHUTDOWN NOSAVE stops the server and, with it, the
 * script at its next hook. The cron does nothing while the server is busy. See
 * ARCHITECTURE.md (Scripting) for why this design and not a script thread.
 *
 * <h2>Effects</h2>
 * Scripts replicate by effects (Redis 7.0): every command a script runs that changes the
 * dataset is propagated (server.Propagation) to redis.set_repl's targets, with the script
 * client's database; the EVAL or FCALL itself is not.
 */
package dev.cairn.scripting;
