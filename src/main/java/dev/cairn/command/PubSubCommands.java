package dev.cairn.command;

import dev.cairn.protocol.Reply;
import dev.cairn.pubsub.PubSub;
import dev.cairn.pubsub.Subscriptions;
import dev.cairn.server.Client;
import java.util.List;
import java.util.Map;

/**
 * SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE, their UNSUBSCRIBEs, PUBLISH, SPUBLISH and PUBSUB.
 * The registry and the push formats are {@link PubSub}'s; these handlers only walk the
 * arguments. (Un)subscribing answers with one push per name instead of a reply, so a
 * subscribed client reads the same stream for confirmations and messages.
 */
final class PubSubCommands {
    private PubSubCommands() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("subscribe", PubSubCommands::subscribe);
        h.put("psubscribe", PubSubCommands::psubscribe);
        h.put("ssubscribe", PubSubCommands::ssubscribe);
        h.put("unsubscribe", PubSubCommands::unsubscribe);
        h.put("punsubscribe", PubSubCommands::punsubscribe);
        h.put("sunsubscribe", PubSubCommands::sunsubscribe);
        h.put("publish", c -> {
            c.reply().integer(c.server().pubsub().publish(c.arg(1), c.arg(2)));
            // Replicas publish it to their own subscribers; the AOF has no use for it.
            c.server().propagation().force(dev.cairn.server.Propagation.REPLICAS);
        });
        h.put("spublish", c -> {
            c.reply().integer(c.server().pubsub().publishShard(c.arg(1), c.arg(2)));
            c.server().propagation().force(dev.cairn.server.Propagation.REPLICAS);
        });
        h.put("pubsub|channels", c -> channels(c, false));
        h.put("pubsub|shardchannels", c -> channels(c, true));
        h.put("pubsub|numsub", c -> numsub(c, false));
        h.put("pubsub|shardnumsub", c -> numsub(c, true));
        h.put("pubsub|numpat", c -> c.reply().integer(c.server().pubsub().patternCount()));
        h.put("pubsub|help", PubSubCommands::help);
    }

    static void subscribe(Client c) {
        PubSub pubsub = c.server().pubsub();
        for (int i = 1; i < c.argc(); i++) pubsub.subscribe(c.subscriptions(), c.arg(i));
    }

    static void psubscribe(Client c) {
        PubSub pubsub = c.server().pubsub();
        for (int i = 1; i < c.argc(); i++) pubsub.psubscribe(c.subscriptions(), c.arg(i));
    }

    /**
     * Unlike SUBSCRIBE, which Redis keeps allowed in MULTI for old clients' sake, a shard
     * subscription is refused where every command must answer once (inside EXEC).
     */
    static void ssubscribe(Client c) {
        if (c.blockingDenied()) throw new CommandError("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
        PubSub pubsub = c.server().pubsub();
        for (int i = 1; i < c.argc(); i++) pubsub.ssubscribe(c.subscriptions(), c.arg(i));
    }

    static void unsubscribe(Client c) {
        PubSub pubsub = c.server().pubsub();
        Subscriptions s = c.subscriptions();
        if (c.argc() == 1) pubsub.unsubscribeAll(s);
        for (int i = 1; i < c.argc(); i++) pubsub.unsubscribe(s, c.arg(i));
    }

    static void punsubscribe(Client c) {
        PubSub pubsub = c.server().pubsub();
        Subscriptions s = c.subscriptions();
        if (c.argc() == 1) pubsub.punsubscribeAll(s);
        for (int i = 1; i < c.argc(); i++) pubsub.punsubscribe(s, c.arg(i));
    }

    static void sunsubscribe(Client c) {
        PubSub pubsub = c.server().pubsub();
        Subscriptions s = c.subscriptions();
        if (c.argc() == 1) pubsub.sunsubscribeAll(s);
        for (int i = 1; i < c.argc(); i++) pubsub.sunsubscribe(s, c.arg(i));
    }

    /** PUBSUB CHANNELS / SHARDCHANNELS [pattern]: without a pattern every channel, "" included. */
    static void channels(Client c, boolean shard) {
        if (c.argc() > 3) throw SubcommandHelp.wrongUsage(c);
        byte[] pattern = c.argc() == 3 ? c.arg(2) : null;
        PubSub pubsub = c.server().pubsub();
        List<byte[]> names = shard ? pubsub.shardChannels(pattern) : pubsub.channels(pattern);
        Reply r = c.reply();
        r.array(names.size());
        for (byte[] name : names) r.bulk(name);
    }

    /** PUBSUB NUMSUB / SHARDNUMSUB: a flat array of channel, count pairs (an array in RESP3 too). */
    static void numsub(Client c, boolean shard) {
        PubSub pubsub = c.server().pubsub();
        Reply r = c.reply();
        r.array((c.argc() - 2) * 2L);
        for (int i = 2; i < c.argc(); i++) {
            r.bulk(c.arg(i));
            r.integer(shard ? pubsub.shardSubscribers(c.arg(i)) : pubsub.subscribers(c.arg(i)));
        }
    }

    static void help(Client c) {
        SubcommandHelp.reply(c, "PUBSUB",
                "CHANNELS [<pattern>]",
                "    Return the currently active channels matching a <pattern> (default: '*').",
                "NUMPAT",
                "    Return number of subscriptions to patterns.",
                "NUMSUB [<channel> ...]",
                "    Return the number of subscribers for the specified channels, excluding",
                "    pattern subscriptions(default: no channels).",
                "SHARDCHANNELS [<pattern>]",
                "    Return the currently active shard level channels matching a <pattern> (default: '*').",
                "SHARDNUMSUB [<shardchannel> ...]",
                "    Return the number of subscribers for the specified shard level channel(s)");
    }
}
