package dev.cairn.command;

import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Entry;
import dev.cairn.keyspace.Keyspace;
import dev.cairn.types.HashValue;
import dev.cairn.types.ListValue;
import dev.cairn.types.SetValue;
import dev.cairn.protocol.NumberFormat;
import dev.cairn.types.Strings;
import dev.cairn.types.ValueType;
import dev.cairn.types.ZSetValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * DEBUG DIGEST and DIGEST-VALUE: a SHA1-based fingerprint of the data that is the same
 * as Redis's for the same data, so two servers (or a server before and after a reload)
 * can be compared. Unordered collections (the keys of a database) combine by XOR,
 * ordered data is chained by hashing the running digest ("mixing").
 */
final class DatasetDigest {
    private static final byte[] EXPIRE_MARK = "!!expire!!".getBytes(StandardCharsets.US_ASCII);

    private final MessageDigest sha1;

    DatasetDigest() {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The digest of every database, 20 zero bytes when all are empty. */
    byte[] ofDataset(Keyspace keyspace) {
        byte[] result = new byte[20];
        for (int i = 0; i < keyspace.count(); i++) {
            Database db = keyspace.db(i);
            if (db.size() == 0) continue;
            // The database number is mixed in, so the same data in another database differs.
            mix(result, new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
            db.forEach(e -> {
                byte[] digest = new byte[20];
                mix(digest, e.key());
                addValue(digest, e);
                xor(result, sha1(digest));
            });
        }
        return result;
    }

    /** The digest of one key's value (DIGEST-VALUE); 20 zero bytes for a missing key. */
    byte[] ofValue(Entry e) {
        byte[] digest = new byte[20];
        if (e != null) addValue(digest, e);
        return digest;
    }

    /** Redis's xorObjectDigest: the type, the value, and a mark if the key has a TTL. */
    private void addValue(byte[] digest, Entry e) {
        ValueType type = ValueType.of(e.value());
        mix(digest, new byte[] {0, 0, 0, (byte) redisTypeCode(type)});
        switch (type) {
            case STRING -> mix(digest, Strings.bytes(e.value()));
            // A list's elements are mixed in order, head to tail.
            case LIST -> ((ListValue) e.value()).forEach(element -> mix(digest, element));
            case HASH -> addHash(digest, (HashValue) e.value());
            // Members in no particular order: each member's hash is XORed in.
            case SET -> ((SetValue) e.value()).forEach(member -> xor(digest, sha1(member)));
            case ZSET -> addSortedSet(digest, (ZSetValue) e.value());
            case STREAM -> addStream(digest, (dev.cairn.types.StreamValue) e.value());
            // Module values (Redis mixes what the module's digest callback gives): the serialized filter.
            case BLOOM, CUCKOO -> mix(digest, ((dev.cairn.types.ChunkedDump) e.value()).serialize());
            default -> throw new CommandError("ERR DEBUG DIGEST is not supported for type " + type.typeName() + " yet");
        }
        if (e.expireAt() >= 0) xor(digest, sha1(EXPIRE_MARK));
    }

    /**
     * A hash is unordered: each field and value pair is mixed into a digest of its own,
     * and the SHA1s of the pairs' digests are combined by XOR, so any encoding and order agree.
     */
    private void addHash(byte[] digest, HashValue h) {
        h.forEach((field, value) -> {
            byte[] pair = new byte[20];
            mix(pair, field);
            mix(pair, value);
            xor(digest, sha1(pair));
        });
    }

    /**
     * A sorted set is unordered here: each element's digest (its member mixed with its
     * score printed as {@code %.17g}) is hashed and XORed in (Redis's xorDigest of the
     * element digest), whatever the encoding.
     */
    private void addSortedSet(byte[] digest, ZSetValue z) {
        z.forEach((buf, off, len, score) -> {
            byte[] element = new byte[20];
            mix(element, Arrays.copyOfRange(buf, off, off + len));
            mix(element, NumberFormat.humanDouble(score).getBytes(StandardCharsets.US_ASCII));
            xor(digest, sha1(element));
        });
    }

    /**
     * A stream: each entry's ID printed as {@code ms.seq} (Redis's "%U.%U"), then its fields
     * and values, mixed in order; groups are not part of the digest, as in Redis.
     */
    private void addStream(byte[] digest, dev.cairn.types.StreamValue s) {
        s.range(dev.cairn.types.StreamValue.Id.MIN, dev.cairn.types.StreamValue.Id.MAX, false, (node, i) -> {
            String id = Long.toUnsignedString(node.ms(i)) + "." + Long.toUnsignedString(node.seq(i));
            mix(digest, id.getBytes(StandardCharsets.US_ASCII));
            for (int j = 0; j < node.elements(i); j++) mix(digest, node.element(i, j));
            return true;
        });
    }

    /** The numbering of Redis's OBJ_* type constants. */
    private static int redisTypeCode(ValueType type) {
        return switch (type) {
            case STRING -> 0;
            case LIST -> 1;
            case SET -> 2;
            case ZSET -> 3;
            case HASH -> 4;
            case STREAM -> 6;
            case BLOOM, CUCKOO -> 5;
        };
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** digest = SHA1(digest XOR SHA1(data)): order-sensitive accumulation. */
    private void mix(byte[] digest, byte[] data) {
        xor(digest, sha1(data));
        byte[] chained = sha1(digest);
        System.arraycopy(chained, 0, digest, 0, 20);
    }

    private static void xor(byte[] digest, byte[] hash) {
        for (int i = 0; i < 20; i++) digest[i] ^= hash[i];
    }

    private byte[] sha1(byte[] data) {
        return sha1.digest(data);
    }
}
