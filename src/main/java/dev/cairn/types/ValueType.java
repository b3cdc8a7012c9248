package dev.cairn.types;

/** The type of a value as TYPE reports it, and the WRONGTYPE check every command uses. */
public enum ValueType {
    STRING("string"),
    LIST("list"),
    SET("set"),
    ZSET("zset"),
    HASH("hash"),
    STREAM("stream"),
    /** A scalable Bloom filter ({@link BloomFilter}): RedisBloom's module type name. */
    BLOOM("MBbloom--"),
    /** A Cuckoo filter ({@link CuckooFilter}): RedisBloom's module type name. */
    CUCKOO("MBbloomCF");

    public static final String WRONGTYPE =
            "WRONGTYPE Operation against a key holding the wrong kind of value";

    private final String name;

    ValueType(String name) {
        this.name = name;
    }

    /** The name TYPE replies with. */
    public String typeName() {
        return name;
    }

    /** The type of a stored value. */
    public static ValueType of(Object value) {
        if (value instanceof byte[] || value instanceof RawString) return STRING;
        if (value instanceof CollectionValue c) return c.type();
        throw new IllegalArgumentException("not a value: " + value.getClass());
    }
}
