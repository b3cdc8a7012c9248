package dev.cairn.scripting;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Rewrites the tail calls of a compiled Lua 5.1 chunk into plain calls.
 *
 * <p>Why: Redis's library functions (redis.call, cjson.encode, ...) are C functions, and
 * Lua never tail-calls a C function, so in {@code return redis.call(...)} the script's
 * frame stays on the stack and errors name the script's line. Here those functions are
 * small Lua functions around Java, and {@code return f(...)} would replace the script's
 * frame, leaving "(tail call)" where Redis reports {@code @user_script:1}. Every
 * {@code TAILCALL A B 0} of a script is therefore turned into {@code CALL A B 0}: the
 * compiler always follows it with {@code RETURN A 0}, which returns the same values, so
 * only the frame is kept.
 *
 * <p>The chunk is the output of lua_dump on this platform (lundump.c's format: little
 * endian, 4-byte int, 8-byte size_t, 4-byte instructions, 8-byte numbers).
 */
final class TailCalls {
    private static final int HEADER = 12;
    private static final int OP_CALL = 28;
    private static final int OP_TAILCALL = 29;

    private TailCalls() {}

    /** Patches the chunk in place. */
    static void rewrite(ByteBuffer chunk) {
        ByteBuffer b = chunk.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.position(HEADER);
        function(b);
    }

    private static void function(ByteBuffer b) {
        skipString(b);             // source
        b.position(b.position() + 4 + 4 + 4); // line defined, last line, nups/params/vararg/maxstack
        int code = b.getInt();
        for (int i = 0; i < code; i++) {
            int at = b.position();
            int insn = b.getInt();
            if ((insn & 0x3f) == OP_TAILCALL) b.putInt(at, (insn & ~0x3f) | OP_CALL);
        }
        int constants = b.getInt();
        for (int i = 0; i < constants; i++) {
            switch (b.get()) {
                case 1 -> b.get();                              // boolean
                case 3 -> b.position(b.position() + 8);         // number
                case 4 -> skipString(b);                        // string
                default -> { }                                  // nil
            }
        }
        int protos = b.getInt();
        for (int i = 0; i < protos; i++) function(b);
        int lines = b.getInt();
        b.position(b.position() + 4 * lines);
        int locals = b.getInt();
        for (int i = 0; i < locals; i++) {
            skipString(b);
            b.position(b.position() + 8);
        }
        int upvalues = b.getInt();
        for (int i = 0; i < upvalues; i++) skipString(b);
    }

    private static void skipString(ByteBuffer b) {
        long size = b.getLong();
        b.position(b.position() + (int) size);
    }
}
