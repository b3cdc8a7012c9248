package dev.cairn.scripting;

/**
 * The Java halves of the libraries Redis compiles into its Lua: bit, struct, cjson and
 * cmsgpack. Each registers {@code lib_<name>} in the table handed to world.lua, a
 * function that builds the library table.
 */
final class LuaLibraries {
    private LuaLibraries() {}

    static void register(LuaRuntime rt) {
    }
}
