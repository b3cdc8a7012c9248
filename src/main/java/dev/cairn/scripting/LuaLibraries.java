package dev.cairn.scripting;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.lua51.Lua51Natives;

/**
 * The Java halves of the libraries Redis compiles into its Lua: bit (LuaBitOp 1.0.2),
 * struct (Roberto Ierusalimschy's struct 0.2), cjson (lua-cjson 2.1.0) and cmsgpack
 * (lua-cmsgpack 0.4.0), written from their documented and observed behaviour.
 *
 * <p>Every function here is called by a small Lua function in world.lua that checks the
 * argument types and raises the errors: a function reports a failure by returning
 * {@code false, message} and success as {@code true, results...}. Tables are read with
 * raw access only, so no metamethod (and no Lua error) can run inside Java.
 */
final class LuaLibraries {
    private final LuaRuntime rt;
    private final Lua51Natives C;

    private LuaLibraries(LuaRuntime rt) {
        this.rt = rt;
        this.C = rt.C;
    }

    /** Adds the library functions to the table on top of the stack. */
    static void register(LuaRuntime rt) {
        LuaLibraries libs = new LuaLibraries(rt);
        rt.callback("bit_op", libs.guard(libs::bitOp));
        rt.callback("struct_pack", libs.guard(libs::structPack));
        rt.callback("struct_unpack", libs.guard(libs::structUnpack));
        rt.callback("struct_size", libs.guard(libs::structSize));
        rt.callback("cjson_encode", libs.guard(libs::cjsonEncode));
        rt.callback("cjson_decode", libs.guard(libs::cjsonDecode));
        rt.callback("cmsgpack_pack", libs.guard(libs::cmsgpackPack));
        rt.callback("cmsgpack_unpack", libs.guard(libs::cmsgpackUnpack));
        rt.callback("null", l -> {
            rt.C.lua_pushlightuserdata(l.getPointer(), 0);
            return 1;
        });
    }

    /** A failure reported to the Lua side as {@code false, message}. */
    private static class Failure extends RuntimeException {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * An error the Lua VM itself raises inside a C function (such as "table index is NaN"):
     * its message carries no position.
     */
    private static final class VmFailure extends Failure {
        VmFailure(String message) {
            super(message);
        }
    }

    private interface Body {
        int run(long l);
    }

    /** Runs a body that pushes its results after {@code true}; a Failure becomes {@code false, message}. */
    private JFunction guard(Body body) {
        return l -> {
            long p = l.getPointer();
            int base = C.lua_gettop(p);
            try {
                C.lua_pushboolean(p, 1);
                int n = body.run(p);
                return n + 1;
            } catch (Failure f) {
                C.lua_settop(p, base);
                C.lua_pushboolean(p, 0);
                C.lua_pushstring(p, f.getMessage());
                if (!(f instanceof VmFailure)) return 2;
                C.lua_pushboolean(p, 1);
                return 3;
            }
        };
    }

    private String typeName(long l, int index) {
        return switch (C.lua_type(l, index)) {
            case -1 -> "no value";
            case 0 -> "nil";
            case 1 -> "boolean";
            case 2 -> "userdata";
            case 3 -> "number";
            case 4 -> "string";
            case 5 -> "table";
            case 6 -> "function";
            case 7 -> "userdata";
            case 8 -> "thread";
            default -> "?";
        };
    }

    // ---- bit ------------------------------------------------------------------------

    /** LuaBitOp's argument conversion: the low 32 bits of n + 2^52 + 2^51 (rounds to nearest). */
    static int tobit(double n) {
        return (int) Double.doubleToRawLongBits(n + 6755399441055744.0);
    }

    /** bit_op(name, numbers...): the glue has checked that the arguments are numbers. */
    private int bitOp(long l) {
        String op = rt.toLatin1(l, 1);
        int argc = C.lua_gettop(l) - 1; // the pushed true is on top
        int b = tobit(C.lua_tonumber(l, 2));
        switch (op) {
            case "tobit" -> { }
            case "bnot" -> b = ~b;
            case "band", "bor", "bxor" -> {
                for (int i = 3; i <= argc; i++) {
                    int v = tobit(C.lua_tonumber(l, i));
                    b = op.equals("band") ? b & v : op.equals("bor") ? b | v : b ^ v;
                }
            }
            case "lshift", "rshift", "arshift", "rol", "ror" -> {
                int n = tobit(C.lua_tonumber(l, 3)) & 31;
                b = switch (op) {
                    case "lshift" -> b << n;
                    case "rshift" -> b >>> n;
                    case "arshift" -> b >> n;
                    case "rol" -> Integer.rotateLeft(b, n);
                    default -> Integer.rotateRight(b, n);
                };
            }
            case "bswap" -> b = Integer.reverseBytes(b);
            case "tohex" -> {
                int n = argc >= 3 ? tobit(C.lua_tonumber(l, 3)) : 8;
                String digits = "0123456789abcdef";
                if (n < 0) {
                    n = -n;
                    digits = "0123456789ABCDEF";
                }
                if (n > 8) n = 8;
                char[] buf = new char[Math.max(n, 0)];
                for (int i = n; --i >= 0; ) {
                    buf[i] = digits.charAt(b & 15);
                    b >>>= 4;
                }
                C.lua_pushstring(l, new String(buf));
                return 1;
            }
            default -> throw new Failure("unknown bit operation");
        }
        C.lua_pushnumber(l, b);
        return 1;
    }

    // ---- struct -----------------------------------------------------------------------

    private static final int MAXINTSIZE = 32;
    private static final int MAXALIGN = 8;

    /** Parsing state of a struct format: position, endianness (little is native) and alignment. */
    private static final class Format {
        final byte[] f;
        int at;
        boolean little = true;
        int align = 1;

        Format(byte[] f) {
            this.f = f;
        }

        boolean more() {
            return at < f.length && f[at] != 0;
        }

        int next() {
            return f[at++] & 0xff;
        }

        /** A decimal count after an option, or the default. */
        int number(int dflt) {
            if (!more() || !Character.isDigit(f[at])) return dflt;
            int a = 0;
            do {
                int d = f[at] - '0';
                if (a > Integer.MAX_VALUE / 10 || a * 10 > Integer.MAX_VALUE - d) {
                    throw new Failure("integral size overflow");
                }
                a = a * 10 + d;
                at++;
            } while (more() && Character.isDigit(f[at]));
            return a;
        }

        int size(int opt) {
            return switch (opt) {
                case 'B', 'b' -> 1;
                case 'H', 'h' -> 2;
                case 'L', 'l', 'T', 'd' -> 8;
                case 'f' -> 4;
                case 'x' -> 1;
                case 'c' -> number(1);
                case 'i', 'I' -> {
                    int sz = number(4);
                    if (sz > MAXINTSIZE) {
                        throw new Failure("integral size " + sz + " is larger than limit of " + MAXINTSIZE);
                    }
                    yield sz;
                }
                default -> 0;
            };
        }

        int toAlign(long len, int opt, int size) {
            if (size == 0 || opt == 'c') return 0;
            if (size > align) size = align;
            return (int) ((size - (len & (size - 1))) & (size - 1));
        }

        /** The options that only change the state; anything else is not an option. */
        void control(int opt, String fname) {
            switch (opt) {
                case ' ' -> { }
                case '>' -> little = false;
                case '<' -> little = true;
                case '!' -> {
                    int a = number(MAXALIGN);
                    if (a <= 0 || (a & (a - 1)) != 0) throw new Failure("alignment " + a + " is not a power of 2");
                    align = a;
                }
                default -> throw new Failure("bad argument #1 to '" + fname + "' (invalid format option '"
                        + (char) opt + "')");
            }
        }
    }

    private byte[] structFormat(long l) {
        byte[] fmt = rt.toBytes(l, 1);
        return fmt == null ? new byte[0] : fmt;
    }

    private int structPack(long l) {
        int top = C.lua_gettop(l) - 1; // without the pushed true
        Format h = new Format(structFormat(l));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int arg = 2;
        long total = 0;
        while (h.more()) {
            int opt = h.next();
            int size = h.size(opt);
            int pad = h.toAlign(total, opt, size);
            total += pad;
            for (int i = 0; i < pad; i++) out.write(0);
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    double n = checkNumber(l, arg++, top, "pack");
                    long value = n < 0 ? LuaRuntime.toLongLong(n) : unsignedLong(n);
                    byte[] buf = new byte[size];
                    for (int i = 0; i < size; i++) {
                        buf[h.little ? i : size - 1 - i] = (byte) value;
                        value >>>= 8;
                        if (i >= 7) value = 0;
                    }
                    out.writeBytes(buf);
                }
                case 'x' -> out.write(0);
                case 'f' -> {
                    int bits = Float.floatToRawIntBits((float) checkNumber(l, arg++, top, "pack"));
                    for (int i = 0; i < 4; i++) out.write(bits >>> (h.little ? 8 * i : 8 * (3 - i)));
                }
                case 'd' -> {
                    long bits = Double.doubleToRawLongBits(checkNumber(l, arg++, top, "pack"));
                    for (int i = 0; i < 8; i++) out.write((int) (bits >>> (h.little ? 8 * i : 8 * (7 - i))));
                }
                case 'c', 's' -> {
                    byte[] s = checkString(l, arg++, top, "pack");
                    if (size == 0) size = s.length;
                    if (s.length < size) throw new Failure("bad argument #" + arg + " to 'pack' (string too short)");
                    out.write(s, 0, size);
                    if (opt == 's') {
                        out.write(0);
                        size++;
                    }
                }
                default -> h.control(opt, "pack");
            }
            total += size;
        }
        rt.pushBytes(l, out.toByteArray());
        return 1;
    }

    /** C's (unsigned long) of a non-negative double (x86-64: values past 2^64 give 0). */
    private static long unsignedLong(double n) {
        if (n < 0x1p63) return (long) n;
        if (n < 0x1p64) return (long) (n - 0x1p63) ^ Long.MIN_VALUE;
        return 0;
    }

    private int structUnpack(long l) {
        Format h = new Format(structFormat(l));
        byte[] data = rt.toBytes(l, 2);
        int ld = data.length;
        long pos = (long) C.lua_tonumber(l, 3) - 1;
        int n = 0;
        while (h.more()) {
            int opt = h.next();
            long size = h.size(opt);
            pos += h.toAlign(pos, opt, (int) size);
            if (!(size <= ld && pos <= ld - size)) throw new Failure("bad argument #2 to 'unpack' (data string too short)");
            if (C.lua_checkstack(l, 2) == 0) throw new Failure("too many results");
            int at = (int) pos;
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    C.lua_pushnumber(l, integer(data, at, (int) size, h.little, Character.isLowerCase(opt)));
                    n++;
                }
                case 'x' -> { }
                case 'f' -> {
                    int bits = 0;
                    for (int i = 0; i < 4; i++) bits |= (data[at + i] & 0xff) << (h.little ? 8 * i : 8 * (3 - i));
                    C.lua_pushnumber(l, Float.intBitsToFloat(bits));
                    n++;
                }
                case 'd' -> {
                    long bits = 0;
                    for (int i = 0; i < 8; i++) bits |= (data[at + i] & 0xffL) << (h.little ? 8 * i : 8 * (7 - i));
                    C.lua_pushnumber(l, Double.longBitsToDouble(bits));
                    n++;
                }
                case 'c' -> {
                    if (size == 0) {
                        if (n == 0 || C.lua_type(l, -1) != LuaRuntime.TNUMBER) {
                            throw new Failure("format 'c0' needs a previous size");
                        }
                        size = (long) C.lua_tonumber(l, -1);
                        C.lua_pop(l, 1);
                        n--;
                        if (!(size <= ld && pos <= ld - size)) {
                            throw new Failure("bad argument #2 to 'unpack' (data string too short)");
                        }
                    }
                    rt.pushBytes(l, data, at, (int) size);
                    n++;
                }
                case 's' -> {
                    int end = at;
                    while (end < ld && data[end] != 0) end++;
                    if (end == ld) throw new Failure("unfinished string in data");
                    size = end - at + 1;
                    rt.pushBytes(l, data, at, end - at);
                    n++;
                }
                default -> h.control(opt, "unpack");
            }
            pos += size;
        }
        C.lua_pushnumber(l, pos + 1);
        return n + 1;
    }

    private static double integer(byte[] data, int at, int size, boolean little, boolean signed) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            int b = data[little ? at + size - 1 - i : at + i] & 0xff;
            v = (v << 8) | b;
        }
        if (!signed) return v < 0 ? (double) (v >>> 1) * 2 + (v & 1) : (double) v;
        int shift = (size * 8 - 1) & 63;
        long mask = -1L << shift;
        if ((v & mask) != 0) v |= mask;
        return (double) v;
    }

    private int structSize(long l) {
        Format h = new Format(structFormat(l));
        long pos = 0;
        while (h.more()) {
            int opt = h.next();
            int size = h.size(opt);
            pos += h.toAlign(pos, opt, size);
            if (opt == 's') throw new Failure("bad argument #1 to 'size' (option 's' has no fixed size)");
            if (opt == 'c' && size == 0) throw new Failure("bad argument #1 to 'size' (option 'c0' has no fixed size)");
            if (!Character.isLetterOrDigit(opt)) h.control(opt, "size");
            pos += size;
        }
        C.lua_pushnumber(l, pos);
        return 1;
    }

    private double checkNumber(long l, int arg, int top, String fname) {
        int t = arg <= top ? C.lua_type(l, arg) : -1;
        if (t == LuaRuntime.TNUMBER) return C.lua_tonumber(l, arg);
        if (t == LuaRuntime.TSTRING) {
            Double d = LuaNumbers.parse(rt.toLatin1(l, arg));
            if (d != null) return d;
        }
        throw new Failure("bad argument #" + arg + " to '" + fname + "' (number expected, got "
                + (arg <= top ? typeName(l, arg) : "no value") + ")");
    }

    private byte[] checkString(long l, int arg, int top, String fname) {
        int t = arg <= top ? C.lua_type(l, arg) : -1;
        if (t == LuaRuntime.TSTRING) return rt.toBytes(l, arg);
        if (t == LuaRuntime.TNUMBER) return LuaNumbers.format(C.lua_tonumber(l, arg)).getBytes(StandardCharsets.US_ASCII);
        throw new Failure("bad argument #" + arg + " to '" + fname + "' (string expected, got "
                + (arg <= top ? typeName(l, arg) : "no value") + ")");
    }

    // ---- cjson ------------------------------------------------------------------------

    /** cjson_encode(value, sparse_convert, sparse_ratio, sparse_safe, max_depth, invalid_numbers, precision). */
    private int cjsonEncode(long l) {
        JsonEncoder e = new JsonEncoder();
        e.sparseConvert = C.lua_toboolean(l, 2) != 0;
        e.sparseRatio = (int) C.lua_tonumber(l, 3);
        e.sparseSafe = (int) C.lua_tonumber(l, 4);
        e.maxDepth = (int) C.lua_tonumber(l, 5);
        e.invalidNumbers = (int) C.lua_tonumber(l, 6);
        e.precision = (int) C.lua_tonumber(l, 7);
        C.lua_pushvalue(l, 1);
        e.value(l);
        C.lua_pop(l, 1);
        rt.pushBytes(l, e.out.toByteArray());
        return 1;
    }

    private final class JsonEncoder {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean sparseConvert;
        int sparseRatio;
        int sparseSafe;
        int maxDepth;
        int invalidNumbers;
        int precision;
        int depth;

        /** Appends the value on top of the stack (left there). */
        void value(long l) {
            switch (C.lua_type(l, -1)) {
                case LuaRuntime.TSTRING -> string(rt.toBytes(l, -1));
                case LuaRuntime.TNUMBER -> number(C.lua_tonumber(l, -1), -1, l);
                case LuaRuntime.TBOOLEAN -> ascii(C.lua_toboolean(l, -1) != 0 ? "true" : "false");
                case LuaRuntime.TTABLE -> {
                    depth++;
                    if (depth > maxDepth || C.lua_checkstack(l, 3) == 0) {
                        throw new Failure("Cannot serialise, excessive nesting (" + depth + ")");
                    }
                    int length = arrayLength(l);
                    if (length > 0) array(l, length);
                    else object(l);
                    depth--;
                }
                case LuaRuntime.TNIL -> ascii("null");
                case 2 -> {
                    if (C.lua_touserdata(l, -1) == 0) ascii("null");
                    else throw exception(l, -1, "type not supported");
                }
                default -> throw exception(l, -1, "type not supported");
            }
        }

        Failure exception(long l, int index, String reason) {
            return new Failure("Cannot serialise " + typeName(l, index) + ": " + reason);
        }

        /** The array length, or -1 (an object, or an allowed sparse array converted to one). */
        int arrayLength(long l) {
            double max = 0;
            int items = 0;
            C.lua_pushnil(l);
            while (C.lua_next(l, -2) != 0) {
                if (C.lua_type(l, -2) == LuaRuntime.TNUMBER) {
                    double k = C.lua_tonumber(l, -2);
                    if (Math.floor(k) == k && k >= 1) {
                        if (k > max) max = k;
                        items++;
                        C.lua_pop(l, 1);
                        continue;
                    }
                }
                C.lua_pop(l, 2);
                return -1;
            }
            if (sparseRatio > 0 && max > (double) items * sparseRatio && max > sparseSafe) {
                if (!sparseConvert) throw exception(l, -1, "excessively sparse array");
                return -1;
            }
            return (int) max;
        }

        void array(long l, int length) {
            out.write('[');
            for (int i = 1; i <= length; i++) {
                if (i > 1) out.write(',');
                C.lua_rawgeti(l, -1, i);
                value(l);
                C.lua_pop(l, 1);
            }
            out.write(']');
        }

        void object(long l) {
            out.write('{');
            boolean comma = false;
            C.lua_pushnil(l);
            while (C.lua_next(l, -2) != 0) {
                if (comma) out.write(',');
                else comma = true;
                int keyType = C.lua_type(l, -2);
                if (keyType == LuaRuntime.TNUMBER) {
                    out.write('"');
                    number(C.lua_tonumber(l, -2), -2, l);
                    ascii("\":");
                } else if (keyType == LuaRuntime.TSTRING) {
                    string(rt.toBytes(l, -2));
                    out.write(':');
                } else {
                    throw exception(l, -2, "table key must be a number or string");
                }
                value(l);
                C.lua_pop(l, 1);
            }
            out.write('}');
        }

        void number(double n, int index, long l) {
            if (Double.isInfinite(n) || Double.isNaN(n)) {
                if (invalidNumbers == 0) throw exception(l, index, "must not be NaN or Inf");
                if (invalidNumbers == 2) {
                    ascii("null");
                    return;
                }
            }
            ascii(LuaNumbers.formatG(n, precision));
        }

        void string(byte[] s) {
            out.write('"');
            for (byte b : s) {
                int c = b & 0xff;
                switch (c) {
                    case '"' -> ascii("\\\"");
                    case '\\' -> ascii("\\\\");
                    case '/' -> ascii("\\/");
                    case '\b' -> ascii("\\b");
                    case '\t' -> ascii("\\t");
                    case '\n' -> ascii("\\n");
                    case '\f' -> ascii("\\f");
                    case '\r' -> ascii("\\r");
                    default -> {
                        if (c < 0x20 || c == 0x7f) ascii(String.format("\\u%04x", c));
                        else out.write(c);
                    }
                }
            }
            out.write('"');
        }

        void ascii(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** cjson_decode(text, invalid_numbers, max_depth). */
    private int cjsonDecode(long l) {
        byte[] text = rt.toBytes(l, 1);
        JsonDecoder d = new JsonDecoder(l, text, C.lua_toboolean(l, 2) != 0, (int) C.lua_tonumber(l, 3));
        if (text.length >= 2 && (text[0] == 0 || text[1] == 0)) {
            throw new Failure("JSON parser does not support UTF-16 or UTF-32");
        }
        d.document();
        return 1;
    }

    private enum Token {
        T_OBJ_BEGIN, T_OBJ_END, T_ARR_BEGIN, T_ARR_END, T_STRING, T_NUMBER, T_BOOLEAN, T_NULL, T_COLON, T_COMMA,
        T_END, T_WHITESPACE, T_ERROR, T_UNKNOWN
    }

    private final class JsonDecoder {
        final long l;
        final byte[] data;
        final boolean invalidNumbers;
        final int maxDepth;
        int ptr;
        int depth;
        // The current token.
        Token type;
        int index;
        String error;
        byte[] string;
        double number;
        boolean bool;

        JsonDecoder(long l, byte[] data, boolean invalidNumbers, int maxDepth) {
            this.l = l;
            this.data = data;
            this.invalidNumbers = invalidNumbers;
            this.maxDepth = maxDepth;
        }

        /** The byte at i; the text ends at its length or its first NUL, as a C string. */
        int at(int i) {
            return i < data.length ? data[i] & 0xff : 0;
        }

        void document() {
            next();
            value();
            next();
            if (type != Token.T_END) parseError("the end");
        }

        Token kind(int ch) {
            return switch (ch) {
                case '{' -> Token.T_OBJ_BEGIN;
                case '}' -> Token.T_OBJ_END;
                case '[' -> Token.T_ARR_BEGIN;
                case ']' -> Token.T_ARR_END;
                case ',' -> Token.T_COMMA;
                case ':' -> Token.T_COLON;
                case 0 -> Token.T_END;
                case ' ', '\t', '\n', '\r' -> Token.T_WHITESPACE;
                case 'f', 'i', 'I', 'n', 'N', 't', '"', '+', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' ->
                        Token.T_UNKNOWN;
                default -> Token.T_ERROR;
            };
        }

        void tokenError(String what) {
            type = Token.T_ERROR;
            index = ptr;
            error = what;
        }

        boolean startsWith(String word) {
            for (int i = 0; i < word.length(); i++) if (at(ptr + i) != word.charAt(i)) return false;
            return true;
        }

        boolean startsWithIgnoreCase(int from, String word) {
            for (int i = 0; i < word.length(); i++) {
                if (Character.toLowerCase(at(from + i)) != word.charAt(i)) return false;
            }
            return true;
        }

        void next() {
            int ch;
            while (true) {
                ch = at(ptr);
                type = kind(ch);
                if (type != Token.T_WHITESPACE) break;
                ptr++;
            }
            index = ptr;
            if (type == Token.T_ERROR) {
                tokenError("invalid token");
                return;
            }
            if (type == Token.T_END) return;
            if (type != Token.T_UNKNOWN) {
                ptr++;
                return;
            }
            if (ch == '"') {
                stringToken();
            } else if (ch == '-' || (ch >= '0' && ch <= '9')) {
                if (!invalidNumbers && invalidNumber()) {
                    tokenError("invalid number");
                    return;
                }
                numberToken();
            } else if (startsWith("true")) {
                type = Token.T_BOOLEAN;
                bool = true;
                ptr += 4;
            } else if (startsWith("false")) {
                type = Token.T_BOOLEAN;
                bool = false;
                ptr += 5;
            } else if (startsWith("null")) {
                type = Token.T_NULL;
                ptr += 4;
            } else if (invalidNumbers && invalidNumber()) {
                numberToken();
            } else {
                tokenError("invalid token");
            }
        }

        boolean invalidNumber() {
            int p = ptr;
            if (at(p) == '+') return true;
            if (at(p) == '-') p++;
            if (at(p) == '0') {
                int ch2 = at(p + 1);
                return (ch2 | 0x20) == 'x' || (ch2 >= '0' && ch2 <= '9');
            } else if (at(p) <= '9') {
                return false;
            }
            return startsWithIgnoreCase(p, "inf") || startsWithIgnoreCase(p, "nan");
        }

        void numberToken() {
            type = Token.T_NUMBER;
            int end = LuaNumbers.strtod(data, ptr, v -> number = v);
            if (end == ptr) tokenError("invalid number");
            else ptr = end;
        }

        void stringToken() {
            ptr++;
            ByteArrayOutputStream tmp = new ByteArrayOutputStream();
            int ch;
            while ((ch = at(ptr)) != '"') {
                if (ch == 0) {
                    tokenError("unexpected end of string");
                    return;
                }
                if (ch == '\\') {
                    int esc = at(ptr + 1);
                    int translated = switch (esc) {
                        case '"' -> '"';
                        case '\\' -> '\\';
                        case '/' -> '/';
                        case 'b' -> '\b';
                        case 't' -> '\t';
                        case 'n' -> '\n';
                        case 'f' -> '\f';
                        case 'r' -> '\r';
                        case 'u' -> 'u';
                        default -> 0;
                    };
                    if (translated == 'u') {
                        if (unicodeEscape(tmp)) continue;
                        tokenError("invalid unicode escape code");
                        return;
                    }
                    if (translated == 0) {
                        tokenError("invalid escape code");
                        return;
                    }
                    ch = translated;
                    ptr++;
                }
                tmp.write(ch);
                ptr++;
            }
            ptr++;
            type = Token.T_STRING;
            string = tmp.toByteArray();
        }

        int hex4(int from) {
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(at(from + i), 16);
                if (d < 0) return -1;
                v = (v << 4) | d;
            }
            return v;
        }

        boolean unicodeEscape(ByteArrayOutputStream tmp) {
            int cp = hex4(ptr + 2);
            int escapeLength = 6;
            if (cp < 0) return false;
            if ((cp & 0xF800) == 0xD800) {
                if ((cp & 0x400) != 0) return false;
                if (at(ptr + 6) != '\\' || at(ptr + 7) != 'u') return false;
                int low = hex4(ptr + 8);
                if (low < 0 || (low & 0xFC00) != 0xDC00) return false;
                cp = (((cp & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000;
                escapeLength = 12;
            }
            if (cp <= 0x7F) {
                tmp.write(cp);
            } else if (cp <= 0x7FF) {
                tmp.write((cp >> 6) | 0xC0);
                tmp.write((cp & 0x3F) | 0x80);
            } else if (cp <= 0xFFFF) {
                tmp.write((cp >> 12) | 0xE0);
                tmp.write(((cp >> 6) & 0x3F) | 0x80);
                tmp.write((cp & 0x3F) | 0x80);
            } else {
                tmp.write((cp >> 18) | 0xF0);
                tmp.write(((cp >> 12) & 0x3F) | 0x80);
                tmp.write(((cp >> 6) & 0x3F) | 0x80);
                tmp.write((cp & 0x3F) | 0x80);
            }
            ptr += escapeLength;
            return true;
        }

        void parseError(String expected) {
            String found = type == Token.T_ERROR ? error : type.name();
            throw new Failure("Expected " + expected + " but found " + found + " at character " + (index + 1));
        }

        void descend(int slots) {
            depth++;
            if (depth > maxDepth || C.lua_checkstack(l, slots) == 0) {
                throw new Failure("Found too many nested data structures (" + depth + ") at character " + ptr);
            }
        }

        void value() {
            switch (type) {
                case T_STRING -> rt.pushBytes(l, string);
                case T_NUMBER -> C.lua_pushnumber(l, number);
                case T_BOOLEAN -> C.lua_pushboolean(l, bool ? 1 : 0);
                case T_OBJ_BEGIN -> object();
                case T_ARR_BEGIN -> array();
                case T_NULL -> C.lua_pushlightuserdata(l, 0);
                default -> parseError("value");
            }
        }

        void object() {
            descend(3);
            C.lua_createtable(l, 0, 0);
            next();
            if (type == Token.T_OBJ_END) {
                depth--;
                return;
            }
            while (true) {
                if (type != Token.T_STRING) parseError("object key string");
                rt.pushBytes(l, string);
                next();
                if (type != Token.T_COLON) parseError("colon");
                next();
                value();
                C.lua_rawset(l, -3);
                next();
                if (type == Token.T_OBJ_END) {
                    depth--;
                    return;
                }
                if (type != Token.T_COMMA) parseError("comma or object end");
                next();
            }
        }

        void array() {
            descend(2);
            C.lua_createtable(l, 0, 0);
            next();
            if (type == Token.T_ARR_END) {
                depth--;
                return;
            }
            for (int i = 1; ; i++) {
                value();
                C.lua_rawseti(l, -2, i);
                next();
                if (type == Token.T_ARR_END) {
                    depth--;
                    return;
                }
                if (type != Token.T_COMMA) parseError("comma or array end");
                next();
            }
        }
    }

    // ---- cmsgpack ---------------------------------------------------------------------

    private static final int MSGPACK_MAX_NESTING = 16;

    /** cmsgpack_pack(values...): each argument encoded, concatenated. */
    private int cmsgpackPack(long l) {
        int nargs = C.lua_gettop(l) - 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1; i <= nargs; i++) {
            C.lua_pushvalue(l, i);
            packValue(l, out, 0);
        }
        rt.pushBytes(l, out.toByteArray());
        return 1;
    }

    /** Encodes and pops the value on top. */
    private void packValue(long l, ByteArrayOutputStream out, int level) {
        int t = C.lua_type(l, -1);
        if (t == LuaRuntime.TTABLE && level == MSGPACK_MAX_NESTING) t = LuaRuntime.TNIL;
        switch (t) {
            case LuaRuntime.TSTRING -> {
                byte[] s = rt.toBytes(l, -1);
                int len = s.length;
                if (len < 32) {
                    out.write(0xa0 | len);
                } else if (len <= 0xff) {
                    out.write(0xd9);
                    out.write(len);
                } else if (len <= 0xffff) {
                    out.write(0xda);
                    be(out, len, 2);
                } else {
                    out.write(0xdb);
                    be(out, len, 4);
                }
                out.writeBytes(s);
            }
            case LuaRuntime.TBOOLEAN -> out.write(C.lua_toboolean(l, -1) != 0 ? 0xc3 : 0xc2);
            case LuaRuntime.TNUMBER -> {
                double n = C.lua_tonumber(l, -1);
                if (!Double.isInfinite(n) && !Double.isNaN(n) && (double) LuaRuntime.toLongLong(n) == n) {
                    packInteger(out, LuaRuntime.toLongLong(n));
                } else {
                    float f = (float) n;
                    if ((double) f == n) {
                        out.write(0xca);
                        be(out, Float.floatToRawIntBits(f) & 0xffffffffL, 4);
                    } else {
                        out.write(0xcb);
                        be(out, Double.doubleToRawLongBits(n), 8);
                    }
                }
            }
            case LuaRuntime.TTABLE -> {
                if (C.lua_checkstack(l, 4) == 0) throw new Failure("stack overflow in cmsgpack.pack");
                if (isArray(l)) {
                    long len = C.lua_objlen(l, -1);
                    header(out, len, 0x90, 0xdc, 0xdd);
                    for (int j = 1; j <= len; j++) {
                        C.lua_rawgeti(l, -1, j);
                        packValue(l, out, level + 1);
                    }
                } else {
                    long len = 0;
                    C.lua_pushnil(l);
                    while (C.lua_next(l, -2) != 0) {
                        C.lua_pop(l, 1);
                        len++;
                    }
                    header(out, len, 0x80, 0xde, 0xdf);
                    C.lua_pushnil(l);
                    while (C.lua_next(l, -2) != 0) {
                        C.lua_pushvalue(l, -2);
                        packValue(l, out, level + 1); // the key
                        packValue(l, out, level + 1); // the value
                    }
                }
            }
            default -> out.write(0xc0);
        }
        C.lua_pop(l, 1);
    }

    /** Keys exactly 1..n with no hole (lua-cmsgpack's table_is_an_array). */
    private boolean isArray(long l) {
        int top = C.lua_gettop(l);
        long count = 0;
        double max = 0;
        C.lua_pushnil(l);
        while (C.lua_next(l, -2) != 0) {
            C.lua_pop(l, 1);
            double n;
            if (C.lua_type(l, -1) != LuaRuntime.TNUMBER || (n = C.lua_tonumber(l, -1)) <= 0
                    || (double) (int) n != n) {
                C.lua_settop(l, top);
                return false;
            }
            max = Math.max(n, max);
            count++;
        }
        C.lua_settop(l, top);
        return max == count;
    }

    private static void header(ByteArrayOutputStream out, long n, int fix, int sixteen, int thirtyTwo) {
        if (n <= 15) {
            out.write(fix | (int) n);
        } else if (n <= 65535) {
            out.write(sixteen);
            be(out, n, 2);
        } else {
            out.write(thirtyTwo);
            be(out, n, 4);
        }
    }

    private static void packInteger(ByteArrayOutputStream out, long n) {
        if (n >= 0) {
            if (n <= 127) {
                out.write((int) n);
            } else if (n <= 0xff) {
                out.write(0xcc);
                out.write((int) n);
            } else if (n <= 0xffff) {
                out.write(0xcd);
                be(out, n, 2);
            } else if (n <= 0xffffffffL) {
                out.write(0xce);
                be(out, n, 4);
            } else {
                out.write(0xcf);
                be(out, n, 8);
            }
        } else if (n >= -32) {
            out.write((int) n & 0xff);
        } else if (n >= -128) {
            out.write(0xd0);
            out.write((int) n & 0xff);
        } else if (n >= -32768) {
            out.write(0xd1);
            be(out, n, 2);
        } else if (n >= -2147483648L) {
            out.write(0xd2);
            be(out, n, 4);
        } else {
            out.write(0xd3);
            be(out, n, 8);
        }
    }

    private static void be(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) out.write((int) (v >>> (8 * i)) & 0xff);
    }

    /** cmsgpack_unpack(data, limit, offset): lua-cmsgpack's mp_unpack_full. */
    private int cmsgpackUnpack(long l) {
        byte[] s = rt.toBytes(l, 1);
        int limit = (int) C.lua_tonumber(l, 2);
        int offset = (int) C.lua_tonumber(l, 3);
        boolean all = limit == 0 && offset == 0;
        if (offset < 0 || limit < 0) {
            throw new Failure("Invalid request to unpack with offset of " + offset + " and limit of " + s.length + ".");
        }
        if (offset > s.length) {
            throw new Failure("Start offset " + offset + " greater than input length " + s.length + ".");
        }
        if (all) limit = Integer.MAX_VALUE;
        int[] cursor = {offset};
        int count = 0;
        int first = C.lua_gettop(l) + 1;
        for (; cursor[0] < s.length && count < limit; count++) {
            if (C.lua_checkstack(l, 1) == 0) throw new Failure("too many results to unpack");
            unpackValue(l, s, cursor, 0);
        }
        if (!all) {
            int left = s.length - cursor[0];
            C.lua_pushnumber(l, left == 0 ? -1 : cursor[0]);
            C.lua_insert(l, first);
            count++;
        }
        return count;
    }

    private void need(byte[] s, int[] c, int n) {
        if (s.length - c[0] < n) throw new Failure("Missing bytes in input.");
    }

    private long readBe(byte[] s, int at, int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) v = (v << 8) | (s[at + i] & 0xff);
        return v;
    }

    private void unpackValue(long l, byte[] s, int[] c, int depth) {
        need(s, c, 1);
        if (C.lua_checkstack(l, 3) == 0) throw new Failure("too many nested data structures");
        int at = c[0];
        int b = s[at] & 0xff;
        switch (b) {
            case 0xcc -> number(l, s, c, 1, false);
            case 0xcd -> number(l, s, c, 2, false);
            case 0xce -> number(l, s, c, 4, false);
            case 0xcf -> number(l, s, c, 8, false);
            case 0xd0 -> number(l, s, c, 1, true);
            case 0xd1 -> number(l, s, c, 2, true);
            case 0xd2 -> number(l, s, c, 4, true);
            case 0xd3 -> number(l, s, c, 8, true);
            case 0xc0 -> {
                C.lua_pushnil(l);
                c[0]++;
            }
            case 0xc2, 0xc3 -> {
                C.lua_pushboolean(l, b == 0xc3 ? 1 : 0);
                c[0]++;
            }
            case 0xca -> {
                need(s, c, 5);
                C.lua_pushnumber(l, Float.intBitsToFloat((int) readBe(s, at + 1, 4)));
                c[0] += 5;
            }
            case 0xcb -> {
                need(s, c, 9);
                C.lua_pushnumber(l, Double.longBitsToDouble(readBe(s, at + 1, 8)));
                c[0] += 9;
            }
            case 0xd9 -> raw(l, s, c, 1);
            case 0xda -> raw(l, s, c, 2);
            case 0xdb -> raw(l, s, c, 4);
            case 0xdc -> aggregate(l, s, c, 2, false, depth);
            case 0xdd -> aggregate(l, s, c, 4, false, depth);
            case 0xde -> aggregate(l, s, c, 2, true, depth);
            case 0xdf -> aggregate(l, s, c, 4, true, depth);
            default -> {
                if (b <= 0x7f) {
                    C.lua_pushnumber(l, b);
                    c[0]++;
                } else if (b >= 0xe0) {
                    C.lua_pushnumber(l, (byte) b);
                    c[0]++;
                } else if ((b & 0xe0) == 0xa0) {
                    int len = b & 0x1f;
                    need(s, c, 1 + len);
                    rt.pushBytes(l, s, at + 1, len);
                    c[0] += 1 + len;
                } else if ((b & 0xf0) == 0x90) {
                    c[0]++;
                    elements(l, s, c, b & 0xf, false, depth);
                } else if ((b & 0xf0) == 0x80) {
                    c[0]++;
                    elements(l, s, c, b & 0xf, true, depth);
                } else {
                    throw new Failure("Bad data format in input.");
                }
            }
        }
    }

    private void number(long l, byte[] s, int[] c, int bytes, boolean signed) {
        need(s, c, 1 + bytes);
        long v = readBe(s, c[0] + 1, bytes);
        double d;
        if (signed) {
            int shift = 64 - 8 * bytes;
            d = (double) ((v << shift) >> shift);
        } else {
            d = v < 0 ? (double) (v >>> 1) * 2 + (v & 1) : (double) v;
        }
        C.lua_pushnumber(l, d);
        c[0] += 1 + bytes;
    }

    private void raw(long l, byte[] s, int[] c, int lengthBytes) {
        need(s, c, 1 + lengthBytes);
        long len = readBe(s, c[0] + 1, lengthBytes);
        need(s, c, (int) Math.min(Integer.MAX_VALUE, 1 + lengthBytes + len));
        rt.pushBytes(l, s, c[0] + 1 + lengthBytes, (int) len);
        c[0] += 1 + lengthBytes + (int) len;
    }

    private void aggregate(long l, byte[] s, int[] c, int lengthBytes, boolean map, int depth) {
        need(s, c, 1 + lengthBytes);
        long n = readBe(s, c[0] + 1, lengthBytes);
        c[0] += 1 + lengthBytes;
        elements(l, s, c, n, map, depth);
    }

    private void elements(long l, byte[] s, int[] c, long n, boolean map, int depth) {
        C.lua_createtable(l, 0, 0);
        for (long i = 1; i <= n; i++) {
            if (map) {
                unpackValue(l, s, c, depth + 1);
                unpackValue(l, s, c, depth + 1);
                // Lua refuses nil and NaN keys (lua_settable raises; here nothing may raise).
                if (C.lua_type(l, -2) == LuaRuntime.TNIL) throw new VmFailure("table index is nil");
                if (C.lua_type(l, -2) == LuaRuntime.TNUMBER && Double.isNaN(C.lua_tonumber(l, -2))) {
                    throw new VmFailure("table index is NaN");
                }
                C.lua_rawset(l, -3);
            } else {
                unpackValue(l, s, c, depth + 1);
                C.lua_rawseti(l, -2, (int) i);
            }
        }
    }
}
