package dev.cairn.persistence;

import dev.cairn.types.BloomFilter;
import dev.cairn.types.ChunkedDump;
import dev.cairn.types.CuckooFilter;

/**
 * The values Redis keeps in modules and Cairn has built in (the Bloom and Cuckoo filters
 * of RedisBloom), as RDB module values: type MODULE_2, the 64-bit module type id (the
 * 9-character type name in Redis's 6-bit charset, then a 10-bit encoding version), the
 * value as module opcodes, then the module EOF opcode. Cairn writes each filter as one
 * STRING opcode holding the filter's own serialized form, so only Cairn reads them back;
 * a redis-server without the module refuses such a file, as it would RedisBloom's.
 */
final class ModuleTypes {
    /** Redis's module opcodes (RDB_MODULE_OPCODE_*). */
    static final int OPCODE_EOF = 0;
    static final int OPCODE_SINT = 1;
    static final int OPCODE_UINT = 2;
    static final int OPCODE_FLOAT = 3;
    static final int OPCODE_DOUBLE = 4;
    static final int OPCODE_STRING = 5;

    /** The encoding version of Cairn's filter payloads. */
    static final int ENCODING_VERSION = 1;
    private static final String CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    static final String BLOOM = "MBbloom--";
    static final String CUCKOO = "MBbloomCF";

    private ModuleTypes() {}

    /** Whether Cairn writes this value as a module value. */
    static boolean isModuleValue(Object value) {
        return value instanceof BloomFilter || value instanceof CuckooFilter;
    }

    static String typeName(Object value) {
        return value instanceof BloomFilter ? BLOOM : CUCKOO;
    }

    static byte[] serialize(Object value) {
        return ((ChunkedDump) value).serialize();
    }

    /** Redis's moduleTypeEncodeId: 9 six-bit characters, then the 10-bit encoding version. */
    static long encodeId(String name, int encodingVersion) {
        long id = 0;
        for (int i = 0; i < 9; i++) id = (id << 6) | CHARSET.indexOf(name.charAt(i));
        return (id << 10) | encodingVersion;
    }

    /** The type name in a module type id. */
    static String decodeName(long id) {
        char[] name = new char[9];
        long bits = id >>> 10;
        for (int i = 8; i >= 0; i--) {
            name[i] = CHARSET.charAt((int) (bits & 63));
            bits >>>= 6;
        }
        return new String(name);
    }

    /** The filter from its payload; bad bytes are a format error, never a crash. */
    static Object deserialize(long id, byte[] payload) throws RdbFormatException {
        String name = decodeName(id);
        int version = (int) (id & 1023);
        try {
            if (name.equals(BLOOM) && version == ENCODING_VERSION) return BloomFilter.deserialize(payload);
            if (name.equals(CUCKOO) && version == ENCODING_VERSION) return CuckooFilter.deserialize(payload);
        } catch (IllegalArgumentException e) {
            throw new RdbFormatException("Bad data format");
        }
        throw new RdbFormatException("The RDB file contains module data I can't load: no matching module type '"
                + name + "'");
    }
}
