package dev.cairn.testing;

import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Keyspace;

/** A keyspace listener that ignores everything: for tests of a bare {@link Keyspace}. */
public final class QuietListener implements Keyspace.Listener {
    public static final QuietListener INSTANCE = new QuietListener();

    private QuietListener() {}

    @Override
    public void expired(Database db, byte[] key) {}

    @Override
    public void added(Database db, byte[] key, Object value) {}

    @Override
    public void hit() {}

    @Override
    public void miss(Database db, byte[] key, boolean notify) {}
}
