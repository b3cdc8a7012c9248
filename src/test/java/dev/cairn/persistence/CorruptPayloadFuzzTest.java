package dev.cairn.persistence;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cairn.types.HashValue;
import dev.cairn.types.ListValue;
import dev.cairn.types.SetValue;
import dev.cairn.types.ZSetValue;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Corrupt payloads and files never crash or hang the reader: random byte changes (with
 * the checksum recomputed, so the body itself is what is wrong) and truncations give
 * either a value that writes back cleanly or an {@link RdbFormatException}.
 */
class CorruptPayloadFuzzTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<Object> values() {
        List<Object> values = new ArrayList<>();
        values.add(b("12345"));
        values.add(b("a string long enough to be compressed, compressed, compressed"));
        ListValue list = new ListValue();
        for (int i = 0; i < 40; i++) list.addLast(b(i % 3 == 0 ? "e" + i : Integer.toString(i * 977 - 5000)));
        list.addLast(b("y".repeat(9000)));
        values.add(list);
        HashValue small = new HashValue();
        for (int i = 0; i < 10; i++) small.set(b("f" + i), b(Integer.toString(i * 1000)), 512, 64);
        values.add(small);
        HashValue big = new HashValue();
        for (int i = 0; i < 20; i++) big.set(b("f" + i), b("v" + i), 4, 64);
        values.add(big);
        SetValue ints = SetValue.emptyIntset();
        for (int i = 0; i < 20; i++) ints.add(b(Integer.toString(i * 70001 - 30000)), 512);
        values.add(ints);
        SetValue strings = SetValue.emptyTable(4);
        for (int i = 0; i < 20; i++) strings.add(b("m" + i), 512);
        values.add(strings);
        byte[][] members = new byte[20][];
        double[] scores = new double[20];
        for (int i = 0; i < 20; i++) {
            members[i] = b("z" + (char) ('a' + i));
            scores[i] = i * 1.5 - 3;
        }
        values.add(ZSetValue.fromSorted(members, scores, 20, new ZSetValue.Limits(128, 64)));
        values.add(ZSetValue.fromSorted(members, scores, 20, new ZSetValue.Limits(4, 64)));
        return values;
    }

    @Test
    void mutatedPayloadsFailCleanly() {
        Random rnd = new Random(42);
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            for (Object value : values()) {
                byte[] good = RdbWriter.dumpPayload(value);
                RdbReader.readDumpPayload(good, true);
                for (int round = 0; round < 3000; round++) {
                    byte[] body = Arrays.copyOf(good, good.length - 10);
                    int changes = 1 + rnd.nextInt(3);
                    for (int k = 0; k < changes; k++) {
                        int at = rnd.nextInt(body.length);
                        body[at] = rnd.nextBoolean() ? (byte) rnd.nextInt(256) : (byte) (body[at] ^ (1 << rnd.nextInt(8)));
                    }
                    if (rnd.nextInt(5) == 0) body = Arrays.copyOf(body, rnd.nextInt(body.length + 1));
                    byte[] payload = withFooter(body);
                    for (boolean sanitize : new boolean[] {false, true}) {
                        try {
                            Object loaded = RdbReader.readDumpPayload(payload, sanitize);
                            RdbWriter.dumpPayload(loaded);
                        } catch (RdbFormatException expected) {
                            // refused: fine
                        } catch (RuntimeException | Error e) {
                            fail("payload " + Arrays.toString(payload) + " threw " + e, e);
                        }
                    }
                }
            }
        });
    }

    @Test
    void truncatedAndMutatedFilesFailCleanly() {
        RdbWriter w = new RdbWriter(true);
        w.header();
        w.aux("redis-ver", "7.0.15");
        w.selectDb(0);
        int i = 0;
        for (Object value : values()) w.entry(b("key" + i++), value, i % 2 == 0 ? 1_000_000_000_000L + i : -1, -1, -1);
        w.eof();
        w.checksumTrailer(true);
        byte[] file = w.toByteArray();
        Random rnd = new Random(7);
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            for (int round = 0; round < 3000; round++) {
                byte[] copy = file.clone();
                if (round % 2 == 0) {
                    copy = Arrays.copyOf(copy, rnd.nextInt(copy.length));
                } else {
                    copy[rnd.nextInt(copy.length)] = (byte) rnd.nextInt(256);
                }
                try {
                    new RdbReader(new ByteArrayInputStream(copy), rnd.nextBoolean()).verifyChecksum(false)
                            .read(new RdbReader.Visitor() {
                                public void aux(String name, byte[] value) {}

                                public void selectDb(int db) {}

                                public void resizeDb(long size, long expires) {}

                                public void function(byte[] code) {}

                                public void entry(byte[] key, Object value, long e, long idle, int freq) {
                                    RdbWriter.dumpPayload(value);
                                }
                            });
                } catch (RdbFormatException | java.io.IOException expected) {
                    // refused: fine
                } catch (RuntimeException | Error e) {
                    fail("round " + round + " threw " + e, e);
                }
            }
        });
    }

    private static byte[] withFooter(byte[] body) {
        byte[] p = Arrays.copyOf(body, body.length + 10);
        p[body.length] = 10;
        long crc = Crc64.update(0, p, 0, body.length + 2);
        for (int k = 0; k < 8; k++) p[body.length + 2 + k] = (byte) (crc >>> (8 * k));
        return p;
    }
}
