package dev.cairn.tracking;

import dev.cairn.command.CommandSpec;
import dev.cairn.protocol.Reply;
import dev.cairn.server.Client;
import dev.cairn.server.Server;
import dev.cairn.types.MemberTable;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The server's client-side caching state (Redis's tracking.c): the tracking table of
 * keys read by tracking clients, the prefix table of broadcasting clients, and the
 * delivery of invalidation messages.
 *
 * <p>Default mode: the keys of every read-only command a tracking client runs are
 * remembered with its id; the first change to such a key sends the client an
 * invalidation and forgets the key. Ids stay in the table after a client turns tracking
 * off or goes away (they are skipped when the key changes), as in Redis, which counts them
 * in tracking_total_items. BCAST mode: every changed key that starts with a prefix is
 * collected, and once per event-loop turn ({@link #broadcast}) each subscriber of the
 * prefix gets the collected keys in one message.
 *
 * <p>Delivery: a RESP3 client gets the push {@code invalidate}; with REDIRECT the target
 * gets it, as a push when it speaks RESP3, or as a message on {@code __redis__:invalidate}
 * when it is a RESP2 client in pub/sub mode. An invalidation due to the running command of
 * the client itself is held until that command has replied ({@link #afterCommand}).
 * Command thread only.
 */
public final class Tracking {
    private static final byte[] INVALIDATE = "invalidate".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REDIRECT_BROKEN = "tracking-redir-broken".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHANNEL = "__redis__:invalidate".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESP2_NULL = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESP3_NULL = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_PREFIX = new byte[0];
    /** How many keys one call of {@link #limitKeys} may evict, per call that stayed over the limit. */
    private static final int EVICTION_EFFORT = 100;

    /** The keys modified in this event-loop turn under one prefix, and the clients that asked for it. */
    private static final class Broadcast {
        /** Key to the client that changed it last (null for expiry): NOLOOP leaves that client out. */
        final Map<byte[], Client> keys = new TreeMap<>(Arrays::compareUnsigned);
        final Set<Client> clients = new LinkedHashSet<>();
    }

    private final Server server;
    /** Key to the ids of the clients that may cache it, in the order Redis's radix tree keeps them. */
    private MemberTable<long[]> table = new MemberTable<>();
    private long totalItems;
    private final Map<byte[], Broadcast> prefixTable = new TreeMap<>(Arrays::compareUnsigned);
    private int clientCount;
    /** The client whose request is being processed (Redis's current_client), or null. */
    private Client current;
    /** True while the current client's command runs (Redis's CLIENT_EXECUTING_COMMAND). */
    private boolean executing;
    /** Invalidations for the current client, sent after its reply; null stands for "all keys". */
    private final List<byte[]> pending = new ArrayList<>();
    /** Calls of {@link #limitKeys} in a row that could not get under the limit. */
    private int overLimitRounds;

    public Tracking(Server server) {
        this.server = server;
    }

    // ---- CLIENT TRACKING ---------------------------------------------------------------

    /**
     * CLIENT TRACKING ON, its options already checked: the mode flags are set anew, the
     * redirection replaced (0 for none), and in BCAST mode the prefixes added to those the
     * client has (the empty prefix, every key, when none is given).
     */
    public void enable(Client c, long redirect, boolean bcast, boolean optIn, boolean optOut, boolean noLoop,
            List<byte[]> prefixes) {
        ClientTracking t = c.tracking();
        if (!t.on) clientCount++;
        t.on = true;
        t.brokenRedirect = false;
        t.redirect = redirect;
        t.bcast = bcast;
        if (bcast) {
            if (prefixes.isEmpty()) subscribePrefix(c, EMPTY_PREFIX);
            for (byte[] p : prefixes) subscribePrefix(c, p);
        }
        t.optIn = optIn;
        t.optOut = optOut;
        t.noLoop = noLoop;
    }

    private void subscribePrefix(Client c, byte[] prefix) {
        Broadcast b = prefixTable.computeIfAbsent(prefix, p -> new Broadcast());
        if (b.clients.add(c)) {
            ClientTracking t = c.tracking();
            if (t.prefixes == null) t.prefixes = ClientTracking.newPrefixSet();
            t.prefixes.add(prefix);
        }
    }

    /**
     * CLIENT TRACKING OFF, RESET and disconnection: the client leaves its prefixes; its
     * ids in the tracking table are left to be skipped later.
     */
    public void disable(Client c) {
        ClientTracking t = c.tracking();
        if (t.bcast && t.prefixes != null) {
            for (byte[] p : t.prefixes) {
                Broadcast b = prefixTable.get(p);
                b.clients.remove(c);
                if (b.clients.isEmpty()) prefixTable.remove(p);
            }
            t.prefixes = null;
        }
        if (t.on) {
            clientCount--;
            t.on = t.brokenRedirect = t.bcast = t.optIn = t.optOut = t.caching = t.noLoop = false;
        }
    }

    // ---- the request being processed -------------------------------------------------------

    /** A client's request starts being processed; returns the client whose request it interrupts. */
    public Client beginRequest(Client c) {
        Client previous = current;
        current = c;
        return previous;
    }

    /** Back to the request {@link #beginRequest} interrupted (usually none). */
    public void endRequest(Client previous) {
        current = previous;
    }

    /** The client whose request is being processed, or null (cron, loading). */
    public Client current() {
        return current;
    }

    /** Marks the current client's command as running, or done. */
    public void executing(boolean on) {
        executing = on;
    }

    /** After the current client's command replied: the invalidations it caused itself. */
    public void afterCommand() {
        if (pending.isEmpty()) return;
        Client c = current;
        for (byte[] key : pending) {
            if (c != null && !c.closed()) send(c, key == null ? nullFor(c) : keyArray(key));
        }
        pending.clear();
    }

    // ---- reads -----------------------------------------------------------------------

    /**
     * After a read-only command: remembers its keys for {@code caller}, the client that
     * sent it (for a command a script runs, the client running the script, whose own
     * command's keys are taken, as Redis 7.0 does). OPTIN clients only after CLIENT
     * CACHING YES, OPTOUT clients unless CLIENT CACHING NO.
     */
    public void rememberKeys(Client caller) {
        ClientTracking t = caller.tracking();
        if (!t.on || t.bcast) return;
        if ((t.optIn && !t.caching) || (t.optOut && t.caching)) return;
        CommandSpec spec = caller.command();
        if (spec == null) return;
        List<Integer> positions = spec.keys().positions(caller.argv());
        if (positions == null) return;
        for (int at : positions) remember(caller.arg(at), caller.id());
    }

    private void remember(byte[] key, long id) {
        MemberTable.Node<long[]> node = table.find(key);
        if (node == null) {
            table.insert(key.clone(), new long[] {id});
            totalItems++;
            return;
        }
        long[] ids = node.value();
        // Redis keeps the ids in a radix tree of their 8 bytes in memory (little-endian):
        // invalidations go out in that order.
        long order = Long.reverseBytes(id);
        int at = 0;
        while (at < ids.length && Long.compareUnsigned(Long.reverseBytes(ids[at]), order) < 0) at++;
        if (at < ids.length && ids[at] == id) return;
        long[] grown = new long[ids.length + 1];
        System.arraycopy(ids, 0, grown, 0, at);
        grown[at] = id;
        System.arraycopy(ids, at, grown, at + 1, ids.length - at);
        node.value(grown);
        totalItems++;
    }

    // ---- changes -------------------------------------------------------------------------

    /**
     * A key changed (Redis's trackingInvalidateKey from signalModifiedKey): collected for
     * the broadcasting clients of its prefixes, and sent to the clients that read it.
     * {@code modifier} is the client whose command changed it, null for expiry.
     */
    public void keyModified(byte[] key, Client modifier) {
        if (!prefixTable.isEmpty()) collectForBroadcast(key, modifier);
        if (table.size() > 0) invalidate(key);
    }

    private void invalidate(byte[] key) {
        MemberTable.Node<long[]> node = table.remove(key);
        if (node == null) return;
        long[] ids = node.value();
        totalItems -= ids.length;
        byte[] message = null;
        for (long id : ids) {
            Client target = server.clients().byId(id);
            if (target == null) continue;
            ClientTracking t = target.tracking();
            // A client that went over to BCAST gets no invalidation for what it read before.
            if (!t.on || t.bcast) continue;
            if (t.noLoop && target == current) continue;
            if (target == current && executing) {
                pending.add(key);
                continue;
            }
            if (message == null) message = keyArray(key);
            send(target, message);
        }
    }

    private void collectForBroadcast(byte[] key, Client modifier) {
        byte[] copy = null;
        for (var e : prefixTable.entrySet()) {
            byte[] p = e.getKey();
            if (p.length > key.length || !Arrays.equals(p, 0, p.length, key, 0, p.length)) continue;
            if (copy == null) copy = key.clone();
            e.getValue().keys.put(copy, modifier);
        }
    }

    /**
     * FLUSHDB and FLUSHALL (Redis's trackingInvalidateKeysOnFlush): every tracking client
     * is told that all its keys are invalid (a null), and the table is emptied. Keys are
     * not per database in the table, so flushing one database invalidates everything.
     */
    public void flushed() {
        if (clientCount > 0) {
            for (Client c : server.clients().all()) {
                if (!c.tracking().on) continue;
                if (c == current) pending.add(null);
                else send(c, nullFor(c));
            }
        }
        table = new MemberTable<>();
        totalItems = 0;
    }

    /**
     * Before the event loop sleeps (Redis's trackingBroadcastInvalidationMessages): each
     * prefix's collected keys go to its clients in one message, without the keys a NOLOOP
     * client changed itself.
     */
    public void broadcast() {
        if (clientCount == 0) return;
        for (Broadcast b : prefixTable.values()) {
            if (b.keys.isEmpty()) continue;
            byte[] all = null;
            for (Client c : b.clients) {
                if (c.tracking().noLoop) {
                    byte[] own = keysArray(b.keys, c);
                    if (own != null) send(c, own);
                } else {
                    if (all == null) all = keysArray(b.keys, null);
                    send(c, all);
                }
            }
            b.keys.clear();
        }
    }

    /**
     * tracking-table-max-keys (Redis's trackingLimitUsedSlots, before each command and in
     * the cron): while the table holds more keys, random keys are invalidated as if they
     * had changed; the effort grows with each call that could not get under the limit.
     */
    public void limitKeys() {
        if (clientCount == 0) return;
        long max = server.config().trackingTableMaxKeys.value();
        if (max == 0) return;
        if (table.size() <= max) {
            overLimitRounds = 0;
            return;
        }
        int effort = EVICTION_EFFORT * (overLimitRounds + 1);
        while (effort-- > 0) {
            MemberTable.Node<long[]> victim = table.random();
            if (victim == null) break;
            invalidate(victim.member());
            if (table.size() <= max) {
                overLimitRounds = 0;
                return;
            }
        }
        overLimitRounds++;
    }

    // ---- delivery --------------------------------------------------------------------------

    /**
     * Sends one invalidation on behalf of tracking client {@code c}: {@code value} is the
     * RESP of the array of keys, or of a null for "all keys".
     */
    private void send(Client c, byte[] value) {
        ClientTracking t = c.tracking();
        Client target = c;
        boolean redirected = false;
        if (t.redirect != 0) {
            target = server.clients().byId(t.redirect);
            if (target == null) {
                t.brokenRedirect = true;
                // Only a RESP3 client can be told on its own connection.
                if (c.reply().resp3()) {
                    Reply r = c.beginPush();
                    r.push(2);
                    r.bulk(REDIRECT_BROKEN);
                    r.integer(t.redirect);
                    c.endPush();
                }
                return;
            }
            redirected = true;
        }
        if (target.reply().resp3()) {
            Reply r = target.beginPush();
            r.push(2);
            r.bulk(INVALIDATE);
            r.raw(value);
            target.endPush();
        } else if (redirected && target.subscriptions().active()) {
            // RESP2 has no pushes: a redirection target in pub/sub mode gets a message.
            Reply r = target.beginPush();
            r.push(3);
            r.bulk(MESSAGE);
            r.bulk(CHANNEL);
            r.raw(value);
            target.endPush();
        }
        // Otherwise a RESP2 connection cannot be told anything in the middle of its replies.
    }

    /** The null of "all keys", in the protocol of the tracking client (not of its target, as Redis). */
    private static byte[] nullFor(Client c) {
        return c.reply().resp3() ? RESP3_NULL : RESP2_NULL;
    }

    private static byte[] keyArray(byte[] key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(key.length + 16);
        out.writeBytes("*1\r\n".getBytes(StandardCharsets.US_ASCII));
        bulk(out, key);
        return out.toByteArray();
    }

    /** The collected keys as a RESP array, without those {@code except} changed last; null if none is left. */
    private static byte[] keysArray(Map<byte[], Client> keys, Client except) {
        int count = 0;
        for (Client modifier : keys.values()) {
            if (except == null || modifier != except) count++;
        }
        if (count == 0) return null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("*" + count + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (var e : keys.entrySet()) {
            if (except == null || e.getValue() != except) bulk(out, e.getKey());
        }
        return out.toByteArray();
    }

    private static void bulk(ByteArrayOutputStream out, byte[] value) {
        out.writeBytes(("$" + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(value);
        out.write('\r');
        out.write('\n');
    }

    // ---- INFO ------------------------------------------------------------------------------

    /** INFO tracking_clients. */
    public int clientCount() {
        return clientCount;
    }

    /** INFO tracking_total_keys. */
    public long totalKeys() {
        return table.size();
    }

    /** INFO tracking_total_items: ids in the table, counting those of clients gone or no longer tracking. */
    public long totalItems() {
        return totalItems;
    }

    /** INFO tracking_total_prefixes. */
    public int totalPrefixes() {
        return prefixTable.size();
    }
}
