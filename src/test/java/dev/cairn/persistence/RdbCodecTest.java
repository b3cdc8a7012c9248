package dev.cairn.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.types.HashValue;
import dev.cairn.types.ListValue;
import dev.cairn.types.Strings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The codec on its own: streams read in small pieces, big strings, checksums, versions. */
class RdbCodecTest {
    /** A stream handing out a few bytes per read, as a socket may. */
    private static InputStream trickle(byte[] data) {
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 7));
            }
        };
    }

    private static final class Collect implements RdbReader.Visitor {
        final List<byte[]> keys = new ArrayList<>();
        final List<Object> values = new ArrayList<>();

        public void aux(String name, byte[] value) {}

        public void selectDb(int db) {}

        public void resizeDb(long size, long expires) {}

        public void function(byte[] code) {}

        public void entry(byte[] key, Object value, long expireAt, long idle, int freq) {
            keys.add(key);
            values.add(value);
        }
    }

    private static byte[] file(boolean checksum, Object... values) throws IOException {
        RdbWriter w = new RdbWriter(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.header();
        w.selectDb(0);
        for (int i = 0; i < values.length; i++) {
            w.entry(("k" + i).getBytes(StandardCharsets.UTF_8), values[i], -1, -1, -1);
            w.drainTo(out); // drained piece by piece: the checksum still covers everything
        }
        w.eof();
        w.checksumTrailer(checksum);
        w.drainTo(out);
        return out.toByteArray();
    }

    @Test
    void bigValuesThroughASlowStream() throws Exception {
        Random rnd = new Random(3);
        byte[] big = new byte[3 << 20];
        rnd.nextBytes(big);
        byte[] compressible = "abcdefgh".repeat(300_000).getBytes(StandardCharsets.US_ASCII);
        ListValue list = new ListValue();
        for (int i = 0; i < 20_000; i++) list.addLast(("e" + i).getBytes(StandardCharsets.US_ASCII));
        byte[] data = file(true, big, compressible, list);
        Collect c = new Collect();
        assertEquals(10, new RdbReader(trickle(data), true).read(c));
        assertArrayEquals(big, (byte[]) c.values.get(0));
        assertArrayEquals(compressible, (byte[]) c.values.get(1));
        ListValue back = (ListValue) c.values.get(2);
        assertEquals(20_000, back.length());
        assertArrayEquals("e19999".getBytes(StandardCharsets.US_ASCII), back.get(19_999));
    }

    @Test
    void checksumsAndVersions() throws Exception {
        HashValue h = new HashValue();
        h.set("f".getBytes(), "v".getBytes(), 512, 64);
        byte[] data = file(true, h, Strings.integer(5));
        // A changed byte in the body: the checksum catches it, unless checking is off.
        byte[] bad = data.clone();
        bad[data.length - 12] ^= 0x01;
        RdbFormatException e = assertThrows(RdbFormatException.class,
                () -> new RdbReader(new ByteArrayInputStream(bad), false).read(new Collect()));
        assertEquals("RDB CRC error", e.getMessage());
        new RdbReader(new ByteArrayInputStream(bad), false).verifyChecksum(false).read(new Collect());
        // Saved without a checksum (rdbchecksum no): zeros, not checked.
        new RdbReader(new ByteArrayInputStream(file(false, h)), false).read(new Collect());
        // Before version 5 there is no checksum at all.
        byte[] old = file(false, h);
        old[7] = '0';
        old[8] = '4';
        byte[] v4 = java.util.Arrays.copyOf(old, old.length - 8);
        assertEquals(4, new RdbReader(new ByteArrayInputStream(v4), false).read(new Collect()));
        old[8] = '1';
        old[7] = '1';
        assertEquals("Can't handle RDB format version 11",
                assertThrows(RdbFormatException.class, () -> new RdbReader(new ByteArrayInputStream(old), false)
                        .read(new Collect())).getMessage());
        byte[] notRdb = "HELLO0010".getBytes(StandardCharsets.US_ASCII);
        assertEquals("Wrong signature trying to load DB from file",
                assertThrows(RdbFormatException.class, () -> new RdbReader(new ByteArrayInputStream(notRdb), false)
                        .read(new Collect())).getMessage());
    }

    @Test
    void emptyCollectionsAreSkippedInFilesAndRefusedInPayloads() throws Exception {
        // An empty set (type 2, no members) between two strings.
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.writeBytes("REDIS0009".getBytes(StandardCharsets.US_ASCII));
        f.writeBytes(new byte[] {(byte) 254, 0, 0, 1, 'a', 1, 'x', 2, 1, 'e', 0, 0, 1, 'b', 1, 'y', (byte) 255});
        f.writeBytes(new byte[8]);
        Collect c = new Collect();
        RdbReader r = new RdbReader(new ByteArrayInputStream(f.toByteArray()), true);
        r.read(c);
        assertEquals(2, c.keys.size());
        assertEquals(1, r.emptyKeysSkipped());
        byte[] payload = RdbWriter.dumpPayload(Strings.integer(1));
        RdbReader.readDumpPayload(payload, true);
        byte[] emptySet = {2, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        long crc = Crc64.update(0, emptySet, 0, 4);
        for (int i = 0; i < 8; i++) emptySet[4 + i] = (byte) (crc >>> (8 * i));
        assertThrows(RdbFormatException.class, () -> RdbReader.readDumpPayload(emptySet, false));
    }
}
