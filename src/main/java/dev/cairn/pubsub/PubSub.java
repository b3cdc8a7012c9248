package dev.cairn.pubsub;

import dev.cairn.keyspace.Glob;
import dev.cairn.protocol.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The server-wide registry (Redis's server.pubsub_channels, pubsub_patterns and
 * pubsubshard_channels): for each channel, pattern or shard channel, its subscribers in
 * the order they subscribed, which is the order PUBLISH delivers in. A name is dropped
 * as soon as its last subscriber leaves, so unsubscribed channels cost nothing.
 *
 * <p>Every (un)subscription answers with its confirmation push, as Redis's
 * pubsubSubscribeChannel and friends do; {@link #forget} is the silent variant for RESET
 * and disconnection. Publishing only writes to the subscribers' output: nothing here
 * closes a connection, so the maps never change while a message is being delivered.
 */
public final class PubSub {
    @SuppressWarnings("unchecked")
    private final Map<Name, Set<Subscriptions>>[] registry = new Map[] {
            new HashMap<>(), new LinkedHashMap<>(), new HashMap<>()};

    private Map<Name, Set<Subscriptions>> of(Kind kind) {
        return registry[kind.ordinal()];
    }

    // ---- subscribing -------------------------------------------------------------------

    /** SUBSCRIBE of one channel; subscribing twice only confirms again. */
    public void subscribe(Subscriptions s, byte[] channel) {
        subscribe(s, Kind.CHANNEL, channel);
    }

    /** PSUBSCRIBE of one pattern. */
    public void psubscribe(Subscriptions s, byte[] pattern) {
        subscribe(s, Kind.PATTERN, pattern);
    }

    /** SSUBSCRIBE of one shard channel. */
    public void ssubscribe(Subscriptions s, byte[] channel) {
        subscribe(s, Kind.SHARD, channel);
    }

    private void subscribe(Subscriptions s, Kind kind, byte[] bytes) {
        Name name = new Name(bytes);
        if (s.add(kind, name)) of(kind).computeIfAbsent(name, n -> new LinkedHashSet<>()).add(s);
        confirm(s, kind.subscribed, kind, bytes);
    }

    /** UNSUBSCRIBE of one channel, confirmed whether or not it was subscribed. */
    public void unsubscribe(Subscriptions s, byte[] channel) {
        unsubscribe(s, Kind.CHANNEL, new Name(channel), true);
    }

    public void punsubscribe(Subscriptions s, byte[] pattern) {
        unsubscribe(s, Kind.PATTERN, new Name(pattern), true);
    }

    public void sunsubscribe(Subscriptions s, byte[] channel) {
        unsubscribe(s, Kind.SHARD, new Name(channel), true);
    }

    /** UNSUBSCRIBE without arguments: each channel confirmed, or one null confirmation if none. */
    public void unsubscribeAll(Subscriptions s) {
        unsubscribeAll(s, Kind.CHANNEL, true);
    }

    public void punsubscribeAll(Subscriptions s) {
        unsubscribeAll(s, Kind.PATTERN, true);
    }

    public void sunsubscribeAll(Subscriptions s) {
        unsubscribeAll(s, Kind.SHARD, true);
    }

    /** Drops every subscription without a word (RESET, a closed connection). */
    public void forget(Subscriptions s) {
        if (!s.active()) return;
        for (Kind kind : Kind.values()) unsubscribeAll(s, kind, false);
    }

    private void unsubscribeAll(Subscriptions s, Kind kind, boolean notify) {
        Name[] names = s.list(kind);
        for (Name name : names) unsubscribe(s, kind, name, notify);
        if (notify && names.length == 0) confirm(s, kind.unsubscribed, kind, null);
    }

    private void unsubscribe(Subscriptions s, Kind kind, Name name, boolean notify) {
        if (s.remove(kind, name)) {
            Map<Name, Set<Subscriptions>> map = of(kind);
            Set<Subscriptions> subscribers = map.get(name);
            subscribers.remove(s);
            if (subscribers.isEmpty()) map.remove(name);
        }
        if (notify) confirm(s, kind.unsubscribed, kind, name.bytes);
    }

    /** A (un)subscription confirmation: the word, the name (null when there was none), the count. */
    private static void confirm(Subscriptions s, byte[] word, Kind kind, byte[] name) {
        Reply r = s.owner().beginPush();
        r.push(3);
        r.bulk(word);
        if (name == null) r.nullBulk();
        else r.bulk(name);
        r.integer(s.count(kind));
        s.owner().endPush();
    }

    // ---- publishing --------------------------------------------------------------------

    /**
     * PUBLISH: delivers to the channel's subscribers, then to the subscribers of every
     * matching pattern; returns how many messages were sent (a client subscribed both
     * ways counts twice).
     */
    public long publish(byte[] channel, byte[] message) {
        long receivers = deliver(Kind.CHANNEL, channel, message);
        Map<Name, Set<Subscriptions>> patterns = of(Kind.PATTERN);
        if (patterns.isEmpty()) return receivers;
        for (var e : patterns.entrySet()) {
            byte[] pattern = e.getKey().bytes;
            if (!Glob.matches(pattern, channel)) continue;
            byte[] elements = encodeBulks(Kind.PATTERN.message, pattern, channel, message);
            for (Subscriptions s : e.getValue()) {
                Reply r = s.owner().beginPush();
                r.push(4);
                r.raw(elements);
                s.owner().endPush();
                receivers++;
            }
        }
        return receivers;
    }

    /** SPUBLISH: delivers to the shard channel's subscribers; patterns never see it. */
    public long publishShard(byte[] channel, byte[] message) {
        return deliver(Kind.SHARD, channel, message);
    }

    private long deliver(Kind kind, byte[] channel, byte[] message) {
        Map<Name, Set<Subscriptions>> map = of(kind);
        if (map.isEmpty()) return 0;
        Set<Subscriptions> subscribers = map.get(new Name(channel));
        if (subscribers == null) return 0;
        // The three elements are the same bytes for every subscriber (only the push
        // header differs between RESP2 and RESP3): encoded once, copied into each output.
        byte[] elements = encodeBulks(kind.message, channel, message);
        for (Subscriptions s : subscribers) {
            Reply r = s.owner().beginPush();
            r.push(3);
            r.raw(elements);
            s.owner().endPush();
        }
        return subscribers.size();
    }

    /** The RESP bulk strings of {@code parts}, one after the other. */
    private static byte[] encodeBulks(byte[]... parts) {
        int size = 0;
        byte[][] headers = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            headers[i] = ("$" + parts[i].length + "\r\n").getBytes(StandardCharsets.US_ASCII);
            size += headers[i].length + parts[i].length + 2;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (int i = 0; i < parts.length; i++) {
            System.arraycopy(headers[i], 0, out, at, headers[i].length);
            at += headers[i].length;
            System.arraycopy(parts[i], 0, out, at, parts[i].length);
            at += parts[i].length;
            out[at++] = '\r';
            out[at++] = '\n';
        }
        return out;
    }

    /**
     * Publishes a keyspace notification (Redis's notifyKeyspaceEvent once its class is
     * enabled): {@code event} on {@code __keyspace@<db>__:<key>} and the key on
     * {@code __keyevent@<db>__:<event>}, each if asked for.
     */
    public void keyspaceEvent(int db, byte[] key, String event, boolean keyspaceChannel, boolean keyeventChannel) {
        // Nobody can receive it: spare building the channel names.
        if (of(Kind.CHANNEL).isEmpty() && of(Kind.PATTERN).isEmpty()) return;
        byte[] eventBytes = event.getBytes(StandardCharsets.US_ASCII);
        if (keyspaceChannel) publish(eventChannel("__keyspace@", db, key), eventBytes);
        if (keyeventChannel) publish(eventChannel("__keyevent@", db, eventBytes), key);
    }

    private static byte[] eventChannel(String prefix, int db, byte[] suffix) {
        byte[] head = (prefix + db + "__:").getBytes(StandardCharsets.US_ASCII);
        byte[] channel = Arrays.copyOf(head, head.length + suffix.length);
        System.arraycopy(suffix, 0, channel, head.length, suffix.length);
        return channel;
    }

    // ---- introspection (PUBSUB, INFO) ----------------------------------------------------

    /** PUBSUB CHANNELS: the channels with subscribers, those matching {@code pattern} if not null. */
    public List<byte[]> channels(byte[] pattern) {
        return names(Kind.CHANNEL, pattern);
    }

    /** PUBSUB SHARDCHANNELS. */
    public List<byte[]> shardChannels(byte[] pattern) {
        return names(Kind.SHARD, pattern);
    }

    private List<byte[]> names(Kind kind, byte[] pattern) {
        List<byte[]> out = new ArrayList<>();
        for (Name n : of(kind).keySet()) {
            if (pattern == null || Glob.matches(pattern, n.bytes)) out.add(n.bytes);
        }
        return out;
    }

    /** PUBSUB NUMSUB of one channel: its subscribers, not counting pattern subscribers. */
    public int subscribers(byte[] channel) {
        return count(Kind.CHANNEL, channel);
    }

    /** PUBSUB SHARDNUMSUB of one shard channel. */
    public int shardSubscribers(byte[] channel) {
        return count(Kind.SHARD, channel);
    }

    private int count(Kind kind, byte[] channel) {
        Set<Subscriptions> subscribers = of(kind).get(new Name(channel));
        return subscribers == null ? 0 : subscribers.size();
    }

    /** PUBSUB NUMPAT and INFO pubsub_patterns: distinct patterns with subscribers. */
    public int patternCount() {
        return of(Kind.PATTERN).size();
    }

    /** INFO pubsub_channels. */
    public int channelCount() {
        return of(Kind.CHANNEL).size();
    }

    /** INFO pubsubshard_channels. */
    public int shardChannelCount() {
        return of(Kind.SHARD).size();
    }
}
