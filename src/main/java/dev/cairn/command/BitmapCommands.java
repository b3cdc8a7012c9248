package dev.cairn.command;

import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Entry;
import dev.cairn.keyspace.KeyEvent;
import dev.cairn.protocol.Numbers;
import dev.cairn.server.Client;
import dev.cairn.types.RawString;
import dev.cairn.types.Strings;
import dev.cairn.types.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The bitmap commands (Redis's bitops.c) over string values. Bit 0 is the most
 * significant bit of the first byte, so {@code SETBIT k 1 1} on a new key gives "@".
 * Writes go through {@link StringCommands#writableString}, which leaves the raw
 * encoding as Redis does.
 */
final class BitmapCommands {
    private BitmapCommands() {}

    private static final String BIT_OFFSET_ERROR = "ERR bit offset is not an integer or out of range";
    private static final String BITFIELD_TYPE_ERROR =
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

    static void register(Map<String, CommandHandler> h) {
        h.put("setbit", BitmapCommands::setbit);
        h.put("getbit", BitmapCommands::getbit);
        h.put("bitcount", BitmapCommands::bitcount);
        h.put("bitpos", BitmapCommands::bitpos);
        h.put("bitop", BitmapCommands::bitop);
        h.put("bitfield", c -> bitfield(c, false));
        h.put("bitfield_ro", c -> bitfield(c, true));
    }

    /**
     * Redis's getBitOffsetFromArgument: a bit offset below proto-max-bulk-len * 8 (2^32 by
     * default). With {@code hashForm}, BITFIELD's {@code #n} means n fields of {@code bits}.
     */
    static long bitOffset(Client c, byte[] arg, boolean hashForm, int bits) {
        boolean hash = hashForm && arg.length > 1 && arg[0] == '#';
        Long parsed = Numbers.parseStrictLong(hash ? Arrays.copyOfRange(arg, 1, arg.length) : arg);
        if (parsed == null) throw new CommandError(BIT_OFFSET_ERROR);
        long offset = hash ? parsed * bits : parsed; // wraps on overflow, as in Redis
        if (offset < 0 || (offset >>> 3) >= StringCommands.maxStringLength(c)) {
            throw new CommandError(BIT_OFFSET_ERROR);
        }
        return offset;
    }

    /** The key's string made writable and at least {@code bytes} long; created if missing. */
    private record WritableBits(RawString value, boolean grown) {}

    /** Redis's lookupStringForBitCommand. */
    private static WritableBits writableBits(Client c, byte[] key, long bytes) {
        Database db = c.db();
        Entry e = db.lookupWrite(key);
        if (e == null) {
            RawString r = RawString.adopt(new byte[(int) bytes]);
            db.add(key, r);
            return new WritableBits(r, true);
        }
        CommandError.expectType(e.value(), ValueType.STRING);
        RawString r = StringCommands.writableString(db, e);
        int before = r.length();
        r.ensureLength((int) Math.max(bytes, before));
        return new WritableBits(r, r.length() != before);
    }

    // ---- single bits -------------------------------------------------------------------

    static void setbit(Client c) {
        long offset = bitOffset(c, c.arg(2), false, 0);
        Long on = Numbers.parseStrictLong(c.arg(3));
        if (on == null || (on & ~1L) != 0) throw new CommandError("ERR bit is not an integer or out of range");
        byte[] key = c.arg(1);
        WritableBits target = writableBits(c, key, (offset >>> 3) + 1);
        byte[] buf = target.value().buffer();
        int index = (int) (offset >>> 3);
        int mask = 1 << (7 - (int) (offset & 7));
        boolean was = (buf[index] & mask) != 0;
        if (target.grown() || was != (on == 1)) {
            buf[index] = (byte) (on == 1 ? buf[index] | mask : buf[index] & ~mask);
            c.server().keyModified(c.db(), key, KeyEvent.STRING, "setbit");
        }
        c.reply().integer(was ? 1 : 0);
    }

    static void getbit(Client c) {
        long offset = bitOffset(c, c.arg(2), false, 0);
        Object v = StringCommands.readString(c, c.arg(1));
        if (v == null) {
            c.reply().integer(0);
            return;
        }
        long index = offset >>> 3;
        boolean set = index < Strings.length(v)
                && (Strings.buffer(v)[(int) index] & (1 << (7 - (int) (offset & 7)))) != 0;
        c.reply().integer(set ? 1 : 0);
    }

    // ---- BITCOUNT and BITPOS -----------------------------------------------------------

    /** Whether argument i, BITCOUNT's and BITPOS's unit, says BIT (else BYTE). */
    private static boolean bitUnit(Client c, int i) {
        if (c.argIs(i, "bit")) return true;
        if (c.argIs(i, "byte")) return false;
        throw new CommandError(CommandError.SYNTAX);
    }

    /**
     * BITCOUNT. Like Redis 7.0 it looks the key up before reading the range, so a missing
     * key answers 0 whatever the other arguments are.
     */
    static void bitcount(Client c) {
        Object v = StringCommands.readString(c, c.arg(1));
        if (v == null) {
            c.reply().integer(0);
            return;
        }
        byte[] buf = Strings.buffer(v);
        long len = Strings.length(v);
        long first, last;
        if (c.argc() == 4 || c.argc() == 5) {
            long start = c.argLong(2);
            long end = c.argLong(3);
            // Redis 7.0 answers an inverted negative range before looking at the unit.
            if (start < 0 && end < 0 && start > end) {
                c.reply().integer(0);
                return;
            }
            boolean bits = c.argc() == 5 && bitUnit(c, 4);
            long total = bits ? len * 8 : len;
            if (start < 0) start = Math.max(total + start, 0);
            if (end < 0) end = Math.max(total + end, 0);
            if (end >= total) end = total - 1;
            if (start > end) {
                c.reply().integer(0);
                return;
            }
            first = bits ? start : start * 8;
            last = bits ? end : end * 8 + 7;
        } else if (c.argc() == 2) {
            first = 0;
            last = len * 8 - 1;
        } else {
            throw new CommandError(CommandError.SYNTAX);
        }
        c.reply().integer(first > last ? 0 : countBits(buf, first, last));
    }

    /** Set bits in the inclusive bit range. */
    private static long countBits(byte[] buf, long first, long last) {
        int firstByte = (int) (first >>> 3), lastByte = (int) (last >>> 3);
        long count = 0;
        for (int i = firstByte; i <= lastByte; i++) count += Integer.bitCount(buf[i] & 0xff);
        int before = (0xff << (8 - (int) (first & 7))) & 0xff;
        int after = (1 << (7 - (int) (last & 7))) - 1;
        return count - Integer.bitCount(buf[firstByte] & before) - Integer.bitCount(buf[lastByte] & after);
    }

    /**
     * BITPOS. A missing key is all clear bits. Looking for a clear bit without an explicit
     * end treats the string as followed by zeros, so "not found" answers the first bit
     * after the range; with an explicit end it answers -1.
     */
    static void bitpos(Client c) {
        long bit = c.argLong(2);
        if (bit != 0 && bit != 1) throw new CommandError("ERR The bit argument must be 1 or 0.");
        Object v = StringCommands.readString(c, c.arg(1));
        if (v == null) {
            c.reply().integer(bit == 1 ? -1 : 0);
            return;
        }
        byte[] buf = Strings.buffer(v);
        long len = Strings.length(v);
        long first, last;
        boolean endGiven = false;
        if (c.argc() >= 4 && c.argc() <= 6) {
            long start = c.argLong(3);
            boolean bits = c.argc() == 6 && bitUnit(c, 5);
            long total = bits ? len * 8 : len;
            long end = total - 1;
            if (c.argc() >= 5) {
                end = c.argLong(4);
                endGiven = true;
            }
            if (start < 0) start = Math.max(total + start, 0);
            if (end < 0) end = Math.max(total + end, 0);
            if (end >= total) end = total - 1;
            if (start > end) {
                c.reply().integer(-1);
                return;
            }
            first = bits ? start : start * 8;
            last = bits ? end : end * 8 + 7;
        } else if (c.argc() == 3) {
            first = 0;
            last = len * 8 - 1;
        } else {
            throw new CommandError(CommandError.SYNTAX);
        }
        if (first > last) {
            c.reply().integer(-1);
            return;
        }
        long pos = findBit(buf, first, last, (int) bit);
        if (pos < 0 && bit == 0 && !endGiven) pos = last + 1;
        c.reply().integer(pos);
    }

    /** The first bit equal to {@code target} in the inclusive range, or -1. */
    private static long findBit(byte[] buf, long first, long last, int target) {
        int skip = target == 1 ? 0 : 0xff;
        long pos = first;
        while (pos <= last) {
            int value = buf[(int) (pos >>> 3)] & 0xff;
            if ((pos & 7) == 0 && pos + 7 <= last && value == skip) {
                pos += 8;
                continue;
            }
            if (((value >> (7 - (int) (pos & 7))) & 1) == target) return pos;
            pos++;
        }
        return -1;
    }

    // ---- BITOP -------------------------------------------------------------------------

    private enum BitOp { AND, OR, XOR, NOT }

    /**
     * BITOP: missing sources count as empty strings (zeros up to the longest source).
     * The result is stored raw; an empty result deletes the destination.
     */
    static void bitop(Client c) {
        BitOp op;
        if (c.argIs(1, "and")) op = BitOp.AND;
        else if (c.argIs(1, "or")) op = BitOp.OR;
        else if (c.argIs(1, "xor")) op = BitOp.XOR;
        else if (c.argIs(1, "not")) op = BitOp.NOT;
        else throw new CommandError(CommandError.SYNTAX);
        if (op == BitOp.NOT && c.argc() != 4) {
            throw new CommandError("ERR BITOP NOT must be called with a single source key.");
        }
        int n = c.argc() - 3;
        byte[][] sources = new byte[n][];
        int[] lengths = new int[n];
        int maxLength = 0;
        for (int k = 0; k < n; k++) {
            Object v = StringCommands.readString(c, c.arg(k + 3));
            sources[k] = v == null ? new byte[0] : Strings.buffer(v);
            lengths[k] = v == null ? 0 : Strings.length(v);
            maxLength = Math.max(maxLength, lengths[k]);
        }
        Database db = c.db();
        byte[] dest = c.arg(2);
        if (maxLength == 0) {
            // Redis's dbDelete: an expired destination still present goes too, raising "del".
            if (db.remove(dest) != null) c.server().keyModified(db, dest, KeyEvent.GENERIC, "del");
            c.reply().integer(0);
            return;
        }
        byte[] result = new byte[maxLength];
        for (int i = 0; i < maxLength; i++) {
            int out = i < lengths[0] ? sources[0][i] : 0;
            if (op == BitOp.NOT) out = ~out;
            for (int k = 1; k < n; k++) {
                int b = i < lengths[k] ? sources[k][i] : 0;
                out = switch (op) {
                    case AND -> out & b;
                    case OR -> out | b;
                    case XOR -> out ^ b;
                    case NOT -> out;
                };
            }
            result[i] = (byte) out;
        }
        db.set(dest, RawString.adopt(result), false);
        c.server().keyModified(db, dest, KeyEvent.STRING, "set");
        c.reply().integer(maxLength);
    }

    // ---- BITFIELD ----------------------------------------------------------------------

    private enum Overflow { WRAP, SAT, FAIL }

    private enum FieldOpcode { GET, SET, INCRBY }

    /** One parsed BITFIELD operation; {@code value} is SET's value or INCRBY's increment. */
    private record FieldOp(FieldOpcode opcode, boolean signed, int bits, long offset, long value, Overflow overflow) {}

    /**
     * BITFIELD and BITFIELD_RO. All operations are parsed (and every argument error
     * reported) before anything runs; OVERFLOW applies to the operations after it.
     */
    static void bitfield(Client c, boolean readOnlyCommand) {
        List<FieldOp> ops = new ArrayList<>();
        Overflow overflow = Overflow.WRAP;
        boolean writes = false;
        long highestBit = 0;
        for (int j = 2; j < c.argc(); j++) {
            int remaining = c.argc() - j - 1;
            FieldOpcode opcode;
            if (c.argIs(j, "get") && remaining >= 2) opcode = FieldOpcode.GET;
            else if (c.argIs(j, "set") && remaining >= 3) opcode = FieldOpcode.SET;
            else if (c.argIs(j, "incrby") && remaining >= 3) opcode = FieldOpcode.INCRBY;
            else if (c.argIs(j, "overflow") && remaining >= 1) {
                j++;
                if (c.argIs(j, "wrap")) overflow = Overflow.WRAP;
                else if (c.argIs(j, "sat")) overflow = Overflow.SAT;
                else if (c.argIs(j, "fail")) overflow = Overflow.FAIL;
                else throw new CommandError("ERR Invalid OVERFLOW type specified");
                continue;
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
            byte[] type = c.arg(j + 1);
            boolean signed = type.length > 0 && type[0] == 'i';
            if (!signed && (type.length == 0 || type[0] != 'u')) throw new CommandError(BITFIELD_TYPE_ERROR);
            Long bits = Numbers.parseStrictLong(Arrays.copyOfRange(type, 1, type.length));
            if (bits == null || bits < 1 || bits > (signed ? 64 : 63)) throw new CommandError(BITFIELD_TYPE_ERROR);
            long offset = bitOffset(c, c.arg(j + 2), true, bits.intValue());
            long value = 0;
            if (opcode != FieldOpcode.GET) {
                writes = true;
                highestBit = Math.max(highestBit, offset + bits - 1);
                value = c.argLong(j + 3);
            }
            ops.add(new FieldOp(opcode, signed, bits.intValue(), offset, value, overflow));
            j += opcode == FieldOpcode.GET ? 2 : 3;
        }

        byte[] key = c.arg(1);
        byte[] buf;
        int length;
        boolean grown = false;
        if (!writes) {
            Object v = StringCommands.readString(c, key);
            buf = v == null ? new byte[0] : Strings.buffer(v);
            length = v == null ? 0 : Strings.length(v);
        } else {
            if (readOnlyCommand) throw new CommandError("ERR BITFIELD_RO only supports the GET subcommand");
            WritableBits target = writableBits(c, key, (highestBit >>> 3) + 1);
            buf = target.value().buffer();
            length = target.value().length();
            grown = target.grown();
        }

        c.reply().array(ops.size());
        int changes = 0;
        for (FieldOp op : ops) {
            long old = readField(buf, length, op.offset(), op.bits(), op.signed());
            if (op.opcode() == FieldOpcode.GET) {
                c.reply().integer(old);
                continue;
            }
            long wanted = op.opcode() == FieldOpcode.INCRBY ? old + op.value() : op.value();
            int direction = op.signed()
                    ? signedOverflow(old, op)
                    : unsignedOverflow(old, op, wanted);
            long stored = wanted;
            if (direction != 0) {
                if (op.overflow() == Overflow.FAIL) {
                    c.reply().nullBulk();
                    continue;
                }
                stored = op.overflow() == Overflow.WRAP
                        ? truncate(wanted, op.bits(), op.signed())
                        : limit(op.bits(), op.signed(), direction > 0);
            }
            writeField(buf, op.offset(), op.bits(), stored);
            // As Redis 7.0: a write that leaves the field as it was changes nothing,
            // unless the string was created or grown for this command.
            if (grown || stored != old) changes++;
            c.reply().integer(op.opcode() == FieldOpcode.INCRBY ? stored : old);
        }
        if (changes > 0) {
            // Redis raises one event for the whole command but counts every change.
            c.server().keyModified(c.db(), key, KeyEvent.STRING, "setbit");
            c.server().addDirty(changes - 1);
        }
    }

    /**
     * Whether a signed field overflows: 1 above its range, -1 below, 0 when it fits. This
     * is Redis's test, with its wrapping arithmetic: a SET of a value so far below the
     * range that {@code max - value} wraps past 64 bits counts as above it, so that SAT
     * stores the maximum (SET i8 with -9223372036854775807 leaves 127).
     */
    private static int signedOverflow(long old, FieldOp op) {
        long max = limit(op.bits(), true, true);
        long min = -max - 1;
        boolean set = op.opcode() == FieldOpcode.SET;
        long value = set ? op.value() : old;
        long incr = set ? 0 : op.value();
        long maxIncr = max - value;
        long minIncr = min - value;
        boolean narrow = op.bits() != 64;
        if (value > max || (narrow && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr)) return 1;
        if (value < min || (narrow && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr)) return -1;
        return 0;
    }

    /** The same for an unsigned field; SET's value counts as unsigned, so negatives are above. */
    private static int unsignedOverflow(long old, FieldOp op, long wanted) {
        long max = limit(op.bits(), false, true);
        if (op.opcode() == FieldOpcode.SET) return (wanted < 0 || wanted > max) ? 1 : 0;
        if (op.value() > 0 && wanted < old) return 1; // the 64-bit sum itself wrapped
        if (wanted > max) return 1;
        if (wanted < 0) return -1;
        return 0;
    }

    /** A field type's largest ({@code high}) or smallest value. */
    private static long limit(int bits, boolean signed, boolean high) {
        if (!signed) return high ? (1L << bits) - 1 : 0;
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        return high ? max : -max - 1;
    }

    /** The low {@code bits} of v, sign-extended for a signed field (overflow WRAP). */
    private static long truncate(long v, int bits, boolean signed) {
        if (bits == 64) return v;
        long low = v & ((1L << bits) - 1);
        if (signed && (low & (1L << (bits - 1))) != 0) low |= -1L << bits;
        return low;
    }

    /** Reads a field; bytes past {@code length} read as zero. */
    private static long readField(byte[] buf, int length, long offset, int bits, boolean signed) {
        long v = 0;
        for (int i = 0; i < bits; i++) {
            long pos = offset + i;
            long index = pos >>> 3;
            int bit = index < length ? (buf[(int) index] >> (7 - (int) (pos & 7))) & 1 : 0;
            v = (v << 1) | bit;
        }
        return signed ? truncate(v, bits, true) : v;
    }

    private static void writeField(byte[] buf, long offset, int bits, long value) {
        for (int i = 0; i < bits; i++) {
            long pos = offset + i;
            int index = (int) (pos >>> 3);
            int mask = 1 << (7 - (int) (pos & 7));
            if (((value >>> (bits - 1 - i)) & 1) != 0) buf[index] |= (byte) mask;
            else buf[index] &= (byte) ~mask;
        }
    }
}
