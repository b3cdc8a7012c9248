package dev.cairn.persistence;

/** The numbers of Redis's RDB format: value types, opcodes, string encodings. */
final class RdbFormat {
    private RdbFormat() {}

    // Value types (the byte before a key).
    static final int STRING = 0;
    static final int LIST = 1;
    static final int SET = 2;
    static final int ZSET = 3;
    static final int HASH = 4;
    static final int ZSET_2 = 5;
    static final int MODULE_PRE_GA = 6;
    static final int MODULE_2 = 7;
    static final int HASH_ZIPMAP = 9;
    static final int LIST_ZIPLIST = 10;
    static final int SET_INTSET = 11;
    static final int ZSET_ZIPLIST = 12;
    static final int HASH_ZIPLIST = 13;
    static final int LIST_QUICKLIST = 14;
    static final int STREAM_LISTPACKS = 15;
    static final int HASH_LISTPACK = 16;
    static final int ZSET_LISTPACK = 17;
    static final int LIST_QUICKLIST_2 = 18;
    static final int STREAM_LISTPACKS_2 = 19;

    // Opcodes.
    static final int OPCODE_FUNCTION2 = 245;
    static final int OPCODE_FUNCTION_PRE_GA = 246;
    static final int OPCODE_MODULE_AUX = 247;
    static final int OPCODE_IDLE = 248;
    static final int OPCODE_FREQ = 249;
    static final int OPCODE_AUX = 250;
    static final int OPCODE_RESIZEDB = 251;
    static final int OPCODE_EXPIRETIME_MS = 252;
    static final int OPCODE_EXPIRETIME = 253;
    static final int OPCODE_SELECTDB = 254;
    static final int OPCODE_EOF = 255;

    // Special string encodings (a length byte 11xxxxxx).
    static final int ENC_INT8 = 0;
    static final int ENC_INT16 = 1;
    static final int ENC_INT32 = 2;
    static final int ENC_LZF = 3;

    // Quicklist 2 node containers.
    static final int NODE_PLAIN = 1;
    static final int NODE_PACKED = 2;

    /** Whether a type byte names a value (rdbIsObjectType). */
    static boolean isValueType(int type) {
        return (type >= STRING && type <= 7) || (type >= 9 && type <= STREAM_LISTPACKS_2);
    }
}
