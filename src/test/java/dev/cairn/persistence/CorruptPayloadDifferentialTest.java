package dev.cairn.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Payloads of every type and encoding (old ones too, streams included) with random byte changes (and a recomputed checksum, so the
 * body is what is wrong), RESTOREd with sanitize-dump-payload yes into Cairn and a real
 * redis-server 7.0: the same reply, and when both accept, the same value.
 */
class CorruptPayloadDifferentialTest {
    private static final int ROUNDS = Integer.getInteger("cairn.diff.commands", 300);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void sanitizedRestoreOfCorruptPayloads() {
        Random rnd = new Random(Long.getLong("cairn.diff.seed", 11L));
        try (RealRedis real = RealRedis.start("--enable-debug-command", "yes", "--sanitize-dump-payload", "yes");
                TestServer cairn = TestServer.start("--enable-debug-command", "yes", "--sanitize-dump-payload", "yes");
                Jedis redis = new Jedis("127.0.0.1", real.port());
                Jedis ours = new Jedis("127.0.0.1", cairn.port())) {
            redis.set("s", "a string long enough to be compressed, compressed, compressed");
            redis.set("i", "123456");
            redis.rpush("l", "a", "12", "-5000", "x".repeat(70), "b");
            redis.hset("h", java.util.Map.of("f", "v", "n", "17", "long", "y".repeat(70 - 20)));
            redis.sadd("is", "1", "70000", "-3");
            redis.sadd("hs", "a", "b", "c");
            redis.zadd("z", java.util.Map.of("a", 1.0, "b", 2.5, "c", -7.0));
            for (int i = 0; i < 200; i++) redis.zadd("bz", i, "m" + i);
            // Streams: nodes, a deleted entry, a group with pending entries and consumers.
            for (int i = 1; i < 30; i++) {
                redis.sendCommand(() -> b("XADD"), b("st"), b(i + "-" + (i % 3)), b("f"), b("v" + i), b("n"), b(String.valueOf(i * 7)));
            }
            redis.sendCommand(() -> b("XDEL"), b("st"), b("5-2"));
            redis.sendCommand(() -> b("XGROUP"), b("CREATE"), b("st"), b("g"), b("0"));
            redis.sendCommand(() -> b("XREADGROUP"), b("GROUP"), b("g"), b("c"), b("COUNT"), b("4"), b("STREAMS"), b("st"), b(">"));
            redis.sendCommand(() -> b("XGROUP"), b("CREATECONSUMER"), b("st"), b("g"), b("idle"));
            List<byte[]> payloads = new ArrayList<>();
            for (String k : new String[] {"s", "i", "l", "h", "is", "hs", "z", "bz", "st"}) payloads.add(redis.dump(k));
            // And the encodings of RDB 6 to 9.
            payloads.addAll(OldEncodingsTest.goodPayloads());
            List<String> mismatches = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                byte[] good = payloads.get(round % payloads.size());
                byte[] body = Arrays.copyOf(good, good.length - 10);
                int at = 0;
                for (int c = 1 + rnd.nextInt(3); c > 0; c--) {
                    at = rnd.nextInt(body.length);
                    body[at] = rnd.nextBoolean() ? (byte) rnd.nextInt(256) : (byte) (body[at] ^ (1 << rnd.nextInt(8)));
                }
                if (round % 5 == 0) body = Arrays.copyOf(body, rnd.nextInt(body.length + 1));
                byte[] payload = withFooter(body);
                String theirs = restore(redis, payload);
                String mine = restore(ours, payload);
                if (!theirs.equals(mine)) {
                    mismatches.add("round " + round + " byte " + at + ": redis " + theirs + ", cairn " + mine + " "
                            + java.util.HexFormat.of().formatHex(payload));
                } else if (theirs.equals("OK")) {
                    assertEquals(digest(redis), digest(ours), "round " + round);
                }
                redis.del("t");
                ours.del("t");
            }
            assertEquals(List.of(), mismatches);
        }
    }

    private static String restore(Jedis j, byte[] payload) {
        try {
            return j.restore(b("t"), 0, payload);
        } catch (JedisDataException e) {
            return e.getMessage();
        }
    }

    private static String digest(Jedis j) {
        Object r = j.sendCommand(() -> b("DEBUG"), b("DIGEST-VALUE"), b("t"));
        return new String((byte[]) ((List<?>) r).get(0), StandardCharsets.US_ASCII);
    }

    private static byte[] withFooter(byte[] body) {
        byte[] p = Arrays.copyOf(body, body.length + 10);
        p[body.length] = 10;
        long crc = Crc64.update(0, p, 0, body.length + 2);
        for (int k = 0; k < 8; k++) p[body.length + 2 + k] = (byte) (crc >>> (8 * k));
        return p;
    }
}
