package dev.cairn.persistence;

import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Keyspace;
import dev.cairn.server.Server;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads an RDB stream into the keyspace, as Redis's rdbLoad does at startup and for DEBUG
 * RELOAD: keys are added without keyspace events, keys whose TTL has already passed are
 * skipped (and counted), function libraries are loaded, and the aux fields Redis logs are
 * logged. A duplicate key is an error, as in Redis.
 *
 * <p>Runs before the server serves anybody, or on the command thread.
 */
public final class RdbLoader implements RdbReader.Visitor {
    /** What a load did: the counts INFO's rdb_last_load_keys_* report. */
    public record Result(long keysLoaded, long keysExpired, int version) {}

    private final Server server;
    private final Keyspace keyspace;
    private final long now = System.currentTimeMillis();
    /** Keys of the file replace existing ones (DEBUG RELOAD MERGE) instead of being an error. */
    private final boolean replace;
    private Database db;
    private long loaded;
    private long expired;

    private RdbLoader(Server server, boolean replace) {
        this.server = server;
        this.replace = replace;
        this.keyspace = server.keyspace();
        this.db = keyspace.db(0);
    }

    /** Loads the file at {@code path}; {@code replace}: its keys replace existing ones. */
    public static Result load(Server server, Path path, boolean replace) throws IOException, RdbFormatException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            return load(server, in, replace);
        }
    }

    /** Loads an RDB stream (a file, or an AOF's RDB preamble) into the keyspace. */
    public static Result load(Server server, InputStream in, boolean replace) throws IOException, RdbFormatException {
        RdbLoader loader = new RdbLoader(server, replace);
        boolean sanitize = server.config().sanitizeDumpPayload.value().equals("yes");
        try {
            int version = new RdbReader(in, sanitize, RdbReader.Limits.of(server.config())).read(loader);
            return new Result(loader.loaded, loader.expired, version);
        } catch (Refused e) {
            throw new RdbFormatException(e.getMessage());
        }
    }

    /** The data is well formed but cannot be loaded here; carried out of the reader's callbacks. */
    private static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public void aux(String name, byte[] value) {
        String text = new String(value, StandardCharsets.UTF_8);
        switch (name) {
            case "redis-ver" -> server.log().notice("Loading RDB produced by version " + text);
            case "ctime" -> {
                long age = now / 1000 - parseLong(text);
                server.log().notice("RDB age " + Math.max(0, age) + " seconds");
            }
            case "used-mem" -> server.log().notice(String.format("RDB memory usage when created %.2f Mb",
                    parseLong(text) / 1024.0 / 1024.0));
            default -> { }
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void selectDb(int index) {
        if (index < 0 || index >= keyspace.count()) {
            throw new Refused("FATAL: Data file was created with a Redis server configured to handle "
                    + "more than " + keyspace.count() + " databases. Exiting");
        }
        db = keyspace.db(index);
    }

    @Override
    public void resizeDb(long size, long expires) {
        // A hint only: Cairn's tables grow incrementally.
    }

    @Override
    public void function(byte[] libraryCode) {
        try {
            server.scripting().loadLibrary(libraryCode);
        } catch (RuntimeException e) {
            throw new Refused("Failed loading library: " + e.getMessage());
        }
    }

    @Override
    public void entry(byte[] key, Object value, long expireAtMillis, long lruIdleSeconds, int lfuFreq)
            {
        // A master drops keys that expired while the server was down (Redis does the same).
        if (expireAtMillis >= 0 && expireAtMillis < now) {
            expired++;
            return;
        }
        int word = keyspace.clock().loadedWord(lruIdleSeconds, lfuFreq);
        if (replace) db.remove(key);
        if (db.load(key, value, expireAtMillis, word) == null) {
            throw new Refused("RDB has duplicated key '" + new String(key, StandardCharsets.UTF_8)
                    + "' in DB " + db.id());
        }
        loaded++;
    }
}
