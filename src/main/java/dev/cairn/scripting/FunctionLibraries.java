package dev.cairn.scripting;

/** The function libraries (FUNCTION LOAD) and their Lua state. */
final class FunctionLibraries {
    private final Scripting scripting;
    private LuaRuntime lua;

    FunctionLibraries(Scripting scripting) {
        this.scripting = scripting;
    }

    LuaRuntime lua() {
        return lua;
    }
}
