package dev.cairn.scripting;

import dev.cairn.command.CommandError;
import dev.cairn.persistence.Crc64;
import dev.cairn.persistence.Lzf;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload of FUNCTION DUMP and FUNCTION RESTORE, in Redis's RDB format so that it
 * moves between Cairn and redis-server 7.0 both ways: RDB records, then the RDB version
 * (2 bytes, little endian) and the CRC64 (Jones polynomial, little endian) of everything
 * before it. Strings are RDB strings: a length in RDB's length encoding and the bytes, or
 * LZF compressed when longer than 20 bytes and compression saves space, as Redis saves
 * them with rdbcompression on.
 */
final class RdbPayload {
    /** RDB_OPCODE_FUNCTION2: a library, as its code. */
    static final int OPCODE_FUNCTION2 = 245;
    /** RDB_OPCODE_FUNCTION_PRE_GA: the 7.0 release candidates' format. */
    static final int OPCODE_FUNCTION_PRE_GA = 246;
    /** RDB_VERSION of Redis 7.0. */
    static final int RDB_VERSION = 10;
    private static final int ENC_LZF = 3;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void type(int type) {
        out.write(type);
    }

    /** rdbSaveRawString. */
    void string(byte[] s) {
        if (s.length > 20) {
            int limit = s.length - 4;
            byte[] compressed = Lzf.buffer(limit);
            int n = limit > 0 ? Lzf.compress(s, limit, compressed) : 0;
            if (n > 0) {
                out.write(0xC0 | ENC_LZF);
                length(n);
                length(s.length);
                out.write(compressed, 0, n);
                return;
            }
        }
        length(s.length);
        out.writeBytes(s);
    }

    private void length(long len) {
        if (len < (1 << 6)) {
            out.write((int) len);
        } else if (len < (1 << 14)) {
            out.write((int) (0x40 | (len >> 8)));
            out.write((int) (len & 0xff));
        } else if (len <= 0xffffffffL) {
            out.write(0x80);
            for (int i = 3; i >= 0; i--) out.write((int) (len >>> (8 * i)));
        } else {
            out.write(0x81);
            for (int i = 7; i >= 0; i--) out.write((int) (len >>> (8 * i)));
        }
    }

    /** The payload: the records, the RDB version and the checksum. */
    byte[] finish() {
        out.write(RDB_VERSION & 0xff);
        out.write((RDB_VERSION >> 8) & 0xff);
        long crc = Crc64.of(out.toByteArray());
        for (int i = 0; i < 8; i++) out.write((int) (crc >>> (8 * i)));
        return out.toByteArray();
    }

    /**
     * The library codes of a FUNCTION RESTORE payload, checked as Redis checks it; throws
     * the reply error.
     */
    static byte[][] functionCodes(byte[] p) {
        if (!verify(p)) throw new CommandError("ERR DUMP payload version or checksum are wrong");
        Reader r = new Reader(p, p.length - 10);
        List<byte[]> codes = new ArrayList<>();
        while (r.at < r.end) {
            int type = r.at < r.end ? p[r.at++] & 0xff : -1;
            if (type == OPCODE_FUNCTION_PRE_GA) throw new CommandError("ERR Pre-GA function format not supported");
            if (type != OPCODE_FUNCTION2) throw new CommandError("ERR given type is not a function");
            byte[] code = r.string();
            if (code == null) throw new CommandError("ERR failed loading the given functions payload");
            codes.add(code);
        }
        return codes.toArray(new byte[0][]);
    }

    /** Redis's verifyDumpPayload: long enough, a known RDB version, the right CRC64. */
    static boolean verify(byte[] p) {
        if (p.length < 10) return false;
        int footer = p.length - 10;
        int version = (p[footer] & 0xff) | ((p[footer + 1] & 0xff) << 8);
        if (version > RDB_VERSION) return false;
        long crc = 0;
        for (int i = 7; i >= 0; i--) crc = (crc << 8) | (p[footer + 2 + i] & 0xff);
        return Crc64.of(java.util.Arrays.copyOf(p, footer + 2)) == crc;
    }

    private static final class Reader {
        final byte[] p;
        final int end;
        int at;

        Reader(byte[] p, int end) {
            this.p = p;
            this.end = end;
        }

        /** An RDB length, or -1 when the data ends; encoded values give -2 - encoding. */
        long length() {
            if (at >= end) return -1;
            int b = p[at++] & 0xff;
            int kind = b >> 6;
            if (kind == 0) return b & 0x3f;
            if (kind == 1) {
                if (at >= end) return -1;
                return ((b & 0x3f) << 8) | (p[at++] & 0xff);
            }
            if (kind == 3) return -2 - (b & 0x3f);
            int bytes = b == 0x80 ? 4 : b == 0x81 ? 8 : -1;
            if (bytes < 0 || at + bytes > end) return -1;
            long v = 0;
            for (int i = 0; i < bytes; i++) v = (v << 8) | (p[at++] & 0xff);
            return v;
        }

        /** An RDB string: plain, LZF or an integer encoding; null when malformed. */
        byte[] string() {
            long len = length();
            if (len == -1) return null;
            if (len <= -2) {
                int enc = (int) (-2 - len);
                if (enc == ENC_LZF) {
                    long clen = length();
                    long ulen = length();
                    if (clen < 0 || ulen < 0 || at + clen > end) return null;
                    byte[] s = Lzf.decompress(p, at, (int) clen, (int) ulen);
                    at += (int) clen;
                    return s;
                }
                int bytes = enc == 0 ? 1 : enc == 1 ? 2 : enc == 2 ? 4 : -1;
                if (bytes < 0 || at + bytes > end) return null;
                long v = 0;
                for (int i = bytes - 1; i >= 0; i--) v = (v << 8) | (p[at + i] & 0xff);
                at += bytes;
                long signed = (v << (64 - 8 * bytes)) >> (64 - 8 * bytes);
                return Long.toString(signed).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            }
            if (at + len > end) return null;
            byte[] s = java.util.Arrays.copyOfRange(p, at, at + (int) len);
            at += (int) len;
            return s;
        }
    }
}
