package dev.cairn.scripting;

import dev.cairn.protocol.Reply;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The two conversions between Redis replies and Lua values, as Redis documents them.
 *
 * <p>Reply to Lua (what redis.call returns): integer to number, bulk string to string,
 * null bulk and null array to false, status to {@code {ok=...}}, error to
 * {@code {err=...}}, array to table; with RESP3 (redis.setresp(3)) also map to
 * {@code {map={...}}}, set to {@code {set={k=true}}}, null to nil, boolean to boolean,
 * double to {@code {double=n}}, big number to {@code {big_number=s}}, verbatim string to
 * {@code {verbatim_string={format=f, string=s}}}; attributes are skipped.
 *
 * <p>Lua to reply (what a script returns): number to integer (truncated as C truncates),
 * string to bulk string, true to 1 and false to null (RESP2 scripts) or to booleans
 * (RESP3 scripts), table to array up to the first nil, unless it has an {@code err},
 * {@code ok}, {@code double}, {@code big_number}, {@code verbatim_string}, {@code map}
 * or {@code set} field; anything else to null.
 */
final class ReplyConversion {
    private final LuaRuntime rt;

    ReplyConversion(LuaRuntime rt) {
        this.rt = rt;
    }

    // ---- reply to Lua -------------------------------------------------------------------

    /** Pushes the reply held in {@code buf} (readable bytes, one complete reply). */
    void pushReply(long l, ByteBuf buf) {
        int end = parse(l, buf, buf.readerIndex(), true);
        buf.readerIndex(end);
    }

    /** Parses the reply at {@code at}; pushes it when {@code push}; returns the index after it. */
    private int parse(long l, ByteBuf buf, int at, boolean push) {
        var C = rt.C;
        byte type = buf.getByte(at);
        int lineEnd = buf.indexOf(at + 1, buf.writerIndex(), (byte) '\r');
        int next = lineEnd + 2;
        if (push && !(C.lua_checkstack(l, 4) != 0)) throw new IllegalStateException("lua stack limit reached");
        switch (type) {
            case ':' -> {
                if (push) C.lua_pushnumber(l, (double) parseLong(buf, at + 1, lineEnd));
                return next;
            }
            case '$' -> {
                long len = parseLong(buf, at + 1, lineEnd);
                if (len < 0) {
                    if (push) C.lua_pushboolean(l, 0);
                    return next;
                }
                if (push) rt.pushBytes(l, buf, next, (int) len);
                return next + (int) len + 2;
            }
            case '+' -> {
                if (push) {
                    C.lua_createtable(l, 0, 1);
                    rt.pushBytes(l, buf, at + 1, lineEnd - at - 1);
                    C.lua_setfield(l, -2, "ok");
                }
                return next;
            }
            case '-' -> {
                if (push) {
                    byte[] text = new byte[lineEnd - at];
                    buf.getBytes(at, text);
                    rt.pushErrorTable(l, new String(text, StandardCharsets.ISO_8859_1));
                    C.lua_pushboolean(l, 1);
                    C.lua_setfield(l, -2, "ignore_error_stats_update");
                }
                return next;
            }
            case '*' -> {
                long n = parseLong(buf, at + 1, lineEnd);
                if (n < 0) {
                    if (push) C.lua_pushboolean(l, 0);
                    return next;
                }
                if (push) C.lua_createtable(l, (int) Math.min(n, 1 << 20), 0);
                for (int j = 0; j < n; j++) {
                    next = parse(l, buf, next, push);
                    if (push) rawSetIndexOrPop(l, j + 1);
                }
                return next;
            }
            case '%' -> {
                long n = parseLong(buf, at + 1, lineEnd);
                if (push) {
                    C.lua_createtable(l, 0, 1);
                    C.lua_createtable(l, 0, (int) Math.min(n, 1 << 20));
                }
                for (int j = 0; j < n; j++) {
                    next = parse(l, buf, next, push);
                    next = parse(l, buf, next, push);
                    if (push) rawSetOrPop(l);
                }
                if (push) C.lua_setfield(l, -2, "map");
                return next;
            }
            case '~' -> {
                long n = parseLong(buf, at + 1, lineEnd);
                if (push) {
                    C.lua_createtable(l, 0, 1);
                    C.lua_createtable(l, 0, (int) Math.min(n, 1 << 20));
                }
                for (int j = 0; j < n; j++) {
                    next = parse(l, buf, next, push);
                    if (push) {
                        C.lua_pushboolean(l, 1);
                        rawSetOrPop(l);
                    }
                }
                if (push) C.lua_setfield(l, -2, "set");
                return next;
            }
            case '_' -> {
                if (push) C.lua_pushnil(l);
                return next;
            }
            case '#' -> {
                if (push) C.lua_pushboolean(l, buf.getByte(at + 1) == 't' ? 1 : 0);
                return next;
            }
            case ',' -> {
                if (push) {
                    byte[] text = new byte[lineEnd - at - 1];
                    buf.getBytes(at + 1, text);
                    C.lua_createtable(l, 0, 1);
                    C.lua_pushnumber(l, parseDouble(new String(text, StandardCharsets.ISO_8859_1)));
                    C.lua_setfield(l, -2, "double");
                }
                return next;
            }
            case '(' -> {
                if (push) {
                    C.lua_createtable(l, 0, 1);
                    rt.pushBytes(l, buf, at + 1, lineEnd - at - 1);
                    C.lua_setfield(l, -2, "big_number");
                }
                return next;
            }
            case '=' -> {
                int len = (int) parseLong(buf, at + 1, lineEnd);
                if (push) {
                    C.lua_createtable(l, 0, 1);
                    C.lua_createtable(l, 0, 2);
                    rt.pushBytes(l, buf, next + 4, len - 4);
                    C.lua_setfield(l, -2, "string");
                    rt.pushBytes(l, buf, next, 3);
                    C.lua_setfield(l, -2, "format");
                    C.lua_setfield(l, -2, "verbatim_string");
                }
                return next + len + 2;
            }
            case '|' -> {
                long n = parseLong(buf, at + 1, lineEnd);
                for (int j = 0; j < 2 * n; j++) next = parse(l, buf, next, false);
                return parse(l, buf, next, push);
            }
            default -> throw new IllegalStateException("unexpected reply type " + (char) type);
        }
    }

    /** t[index] = value (value on top, table below it); a nil value is just dropped. */
    private void rawSetIndexOrPop(long l, int index) {
        var C = rt.C;
        if (C.lua_type(l, -1) == LuaRuntime.TNIL) {
            C.lua_pop(l, 1);
        } else {
            C.lua_rawseti(l, -2, index);
        }
    }

    /** t[key] = value (table, key, value on top); a nil key drops both. */
    private void rawSetOrPop(long l) {
        var C = rt.C;
        if (C.lua_type(l, -2) == LuaRuntime.TNIL) {
            C.lua_pop(l, 2);
        } else {
            C.lua_rawset(l, -3);
        }
    }

    private static long parseLong(ByteBuf buf, int from, int to) {
        boolean negative = buf.getByte(from) == '-';
        long v = 0;
        for (int i = negative ? from + 1 : from; i < to; i++) v = v * 10 + (buf.getByte(i) - '0');
        return negative ? -v : v;
    }

    private static double parseDouble(String s) {
        return switch (s) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan", "-nan" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    // ---- Lua to reply -------------------------------------------------------------------

    /**
     * Writes the value on top of the stack of {@code l} as a reply and pops it (Redis's
     * luaReplyToRedisReply). {@code scriptResp} is the protocol the script chose with
     * redis.setresp; booleans depend on it.
     */
    void writeValue(long l, Reply out, int scriptResp) {
        var C = rt.C;
        if (C.lua_checkstack(l, 4) == 0) {
            out.error("ERR reached lua stack limit");
            C.lua_pop(l, 1);
            return;
        }
        switch (C.lua_type(l, -1)) {
            case LuaRuntime.TSTRING -> out.bulk(rt.toBytes(l, -1));
            case LuaRuntime.TBOOLEAN -> {
                boolean b = C.lua_toboolean(l, -1) != 0;
                if (scriptResp == 2) {
                    if (b) out.integer(1);
                    else out.nullBulk();
                } else {
                    out.bool(b);
                }
            }
            case LuaRuntime.TNUMBER -> out.integer(LuaRuntime.toLongLong(C.lua_tonumber(l, -1)));
            case LuaRuntime.TTABLE -> {
                writeTable(l, out, scriptResp);
                return; // writeTable pops
            }
            default -> out.nullBulk();
        }
        C.lua_pop(l, 1);
    }

    private void writeTable(long l, Reply out, int scriptResp) {
        var C = rt.C;
        if (fieldType(l, "err") == LuaRuntime.TSTRING) {
            C.lua_pop(l, 1);
            ErrorInfo e = errorInfo(l);
            out.error(e.message());
            C.lua_pop(l, 1);
            return;
        }
        C.lua_pop(l, 1);
        if (fieldType(l, "ok") == LuaRuntime.TSTRING) {
            String ok = cString(rt.toLatin1(l, -1)).replace('\r', ' ').replace('\n', ' ');
            out.status(ok);
            C.lua_pop(l, 2);
            return;
        }
        C.lua_pop(l, 1);
        if (fieldType(l, "double") == LuaRuntime.TNUMBER) {
            out.doubleValue(C.lua_tonumber(l, -1));
            C.lua_pop(l, 2);
            return;
        }
        C.lua_pop(l, 1);
        if (fieldType(l, "big_number") == LuaRuntime.TSTRING) {
            byte[] digits = rt.toBytes(l, -1);
            for (int i = 0; i < digits.length; i++) if (digits[i] == '\r' || digits[i] == '\n') digits[i] = ' ';
            out.bigNumber(digits);
            C.lua_pop(l, 2);
            return;
        }
        C.lua_pop(l, 1);
        if (fieldType(l, "verbatim_string") == LuaRuntime.TTABLE) {
            if (fieldType(l, "format") == LuaRuntime.TSTRING) {
                String format = cString(rt.toLatin1(l, -1));
                if (fieldTypeAt(l, -2, "string") == LuaRuntime.TSTRING) {
                    out.verbatim(rt.toBytes(l, -1), format.length() >= 3 ? format.substring(0, 3) : format);
                    C.lua_pop(l, 4);
                    return;
                }
                C.lua_pop(l, 1);
            }
            C.lua_pop(l, 1);
        }
        C.lua_pop(l, 1);
        if (fieldType(l, "map") == LuaRuntime.TTABLE) {
            int handle = out.deferredArray();
            long pairs = 0;
            C.lua_pushnil(l);
            while (C.lua_next(l, -2) != 0) {
                C.lua_pushvalue(l, -2);
                writeValue(l, out, scriptResp); // the key
                writeValue(l, out, scriptResp); // the value
                pairs++;
            }
            out.setDeferredLength(handle, '%', pairs);
            C.lua_pop(l, 2);
            return;
        }
        C.lua_pop(l, 1);
        if (fieldType(l, "set") == LuaRuntime.TTABLE) {
            int handle = out.deferredArray();
            long n = 0;
            C.lua_pushnil(l);
            while (C.lua_next(l, -2) != 0) {
                C.lua_pop(l, 1);
                C.lua_pushvalue(l, -1);
                writeValue(l, out, scriptResp);
                n++;
            }
            out.setDeferredLength(handle, '~', n);
            C.lua_pop(l, 2);
            return;
        }
        C.lua_pop(l, 1);
        int handle = out.deferredArray();
        long n = 0;
        for (int j = 1; ; j++) {
            C.lua_rawgeti(l, -1, j);
            if (C.lua_type(l, -1) == LuaRuntime.TNIL) {
                C.lua_pop(l, 1);
                break;
            }
            writeValue(l, out, scriptResp);
            n++;
        }
        out.setDeferredLength(handle, '*', n);
        C.lua_pop(l, 1);
    }

    /** Pushes t[name] (raw) of the table on top and returns its type. */
    private int fieldType(long l, String name) {
        return fieldTypeAt(l, -1, name);
    }

    private int fieldTypeAt(long l, int table, String name) {
        rt.C.lua_pushstring(l, name);
        rt.C.lua_rawget(l, table - 1);
        return rt.C.lua_type(l, -1);
    }

    /** Redis's errorInfo: what an error table (on top of the stack) says. */
    record ErrorInfo(String message, String source, String line, boolean alreadyCounted) {}

    /** Reads the error table on top of the stack (luaExtractErrorInformation); leaves it there. */
    ErrorInfo errorInfo(long l) {
        var C = rt.C;
        if (C.lua_type(l, -1) != LuaRuntime.TTABLE) {
            String text = C.lua_isstring(l, -1) != 0 ? rt.toLatin1(l, -1) : null;
            return new ErrorInfo(text == null ? null : "ERR " + text, null, null, false);
        }
        String message = stringField(l, "err");
        String source = stringField(l, "source");
        String line = stringField(l, "line");
        boolean counted = false;
        if (fieldType(l, "ignore_error_stats_update") == LuaRuntime.TBOOLEAN) counted = C.lua_toboolean(l, -1) != 0;
        C.lua_pop(l, 1);
        return new ErrorInfo(message, source, line, counted);
    }

    private String stringField(long l, String name) {
        String value = null;
        int t = fieldType(l, name);
        if (t == LuaRuntime.TSTRING || t == LuaRuntime.TNUMBER) value = cString(rt.toLatin1(l, -1));
        rt.C.lua_pop(l, 1);
        return value;
    }

    /** Text as C code sees it: up to the first NUL. */
    static String cString(String s) {
        int nul = s.indexOf('\0');
        return nul < 0 ? s : s.substring(0, nul);
    }
}
