package dev.cairn.command;

import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.KeyEvent;
import dev.cairn.protocol.Reply;
import dev.cairn.server.Client;
import dev.cairn.server.Propagation;
import dev.cairn.server.Server;
import dev.cairn.types.StreamValue;
import dev.cairn.types.StreamValue.Consumer;
import dev.cairn.types.StreamValue.Group;
import dev.cairn.types.StreamValue.Id;
import dev.cairn.types.StreamValue.Nack;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Consumer groups (Redis's t_stream.c): XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM and
 * XINFO, and the delivery side of XREADGROUP. Changes to pending entries propagate as
 * Redis does: each delivery or claim as an {@code XCLAIM ... FORCE JUSTID LASTID}, so
 * the AOF and replicas get the same PEL whatever the delivery times.
 */
final class StreamGroupCommands {
    private StreamGroupCommands() {}

    private static final byte[] ZERO = Propagation.word("0");
    private static final byte[] TIME = Propagation.word("TIME");
    private static final byte[] RETRYCOUNT = Propagation.word("RETRYCOUNT");
    private static final byte[] FORCE = Propagation.word("FORCE");
    private static final byte[] JUSTID = Propagation.word("JUSTID");
    private static final byte[] LASTID = Propagation.word("LASTID");
    private static final byte[] CREATECONSUMER = Propagation.word("CREATECONSUMER");

    static void register(Map<String, CommandHandler> h) {
        h.put("xgroup|create", StreamGroupCommands::create);
        h.put("xgroup|setid", StreamGroupCommands::setId);
        h.put("xgroup|destroy", StreamGroupCommands::destroy);
        h.put("xgroup|createconsumer", StreamGroupCommands::createConsumerCommand);
        h.put("xgroup|delconsumer", StreamGroupCommands::delConsumer);
        h.put("xgroup|help", c -> SubcommandHelp.reply(c, "XGROUP",
                "CREATE <key> <groupname> <id|$> [option]",
                "    Create a new consumer group. Options are:",
                "    * MKSTREAM",
                "      Create the empty stream if it does not exist.",
                "    * ENTRIESREAD entries_read",
                "      Set the group's entries_read counter (internal use).",
                "CREATECONSUMER <key> <groupname> <consumer>",
                "    Create a new consumer in the specified group.",
                "DELCONSUMER <key> <groupname> <consumer>",
                "    Remove the specified consumer.",
                "DESTROY <key> <groupname>",
                "    Remove the specified group.",
                "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
                "    Set the current group ID and entries_read counter."));
        h.put("xack", StreamGroupCommands::xack);
        h.put("xpending", StreamGroupCommands::xpending);
        h.put("xclaim", StreamGroupCommands::xclaim);
        h.put("xautoclaim", StreamGroupCommands::xautoclaim);
        h.put("xinfo|stream", StreamGroupCommands::infoStream);
        h.put("xinfo|groups", StreamGroupCommands::infoGroups);
        h.put("xinfo|consumers", StreamGroupCommands::infoConsumers);
        h.put("xinfo|help", c -> SubcommandHelp.reply(c, "XINFO",
                "CONSUMERS <key> <groupname>",
                "    Show consumers of <groupname>.",
                "GROUPS <key>",
                "    Show the stream consumer groups.",
                "STREAM <key> [FULL [COUNT <count>]",
                "    Show information about the stream."));
    }

    static String text(byte[] b) {
        return CommandError.printed(new String(b, StandardCharsets.ISO_8859_1));
    }

    private static CommandError noGroup(byte[] key, byte[] group) {
        return new CommandError("NOGROUP No such key '" + text(key) + "' or consumer group '" + text(group) + "'");
    }

    // ---- shared with XREADGROUP -------------------------------------------------------------

    /** Redis's streamCreateConsumer: the event and a change. */
    static Consumer createConsumer(Client c, Group g, byte[] name, byte[] key) {
        Consumer consumer = g.addConsumer(name, StreamCommands.now(c));
        if (consumer == null) return null;
        c.server().notifyKeyspaceEvent(c.db(), key, KeyEvent.STREAM, "xgroup-createconsumer");
        c.server().addDirty(1);
        return consumer;
    }

    /**
     * Redis's streamReplyWithRange for a group: delivers the entries from start on to the
     * consumer (new NACKs, or NACKs of another consumer taken over), moves the group's last
     * ID and counter, and propagates each delivery as an XCLAIM.
     */
    static void deliver(Client c, byte[] key, StreamValue s, Group g, Consumer consumer, Id start, long count, boolean noAck) {
        Reply r = c.reply();
        int handle = r.deferredArray();
        long now = StreamCommands.now(c);
        List<Id> delivered = new ArrayList<>();
        s.range(start, Id.MAX, false, (node, i) -> {
            StreamIds.replyEntry(r, node, i);
            delivered.add(node.id(i));
            return count <= 0 || delivered.size() < count;
        });
        r.setDeferredLength(handle, '*', delivered.size());
        boolean propagateLastId = false;
        for (Id id : delivered) {
            if (id.compareTo(g.lastId) > 0) {
                if (g.entriesRead != -1 && !s.rangeHasTombstones(id, null)) g.entriesRead++;
                else if (s.entriesAdded != 0) g.entriesRead = s.estimateEntriesRead(id);
                g.lastId = id;
                if (noAck) propagateLastId = true;
            }
            if (noAck) continue;
            Nack nack = g.pel.get(id);
            if (nack == null) {
                nack = new Nack(consumer, now, 1);
                g.pel.put(id, nack);
            } else {
                nack.consumer.pel.remove(id);
                nack.consumer = consumer;
                nack.deliveryTime = now;
                nack.deliveryCount = 1;
            }
            consumer.pel.put(id, nack);
            propagateClaim(c, key, g, id, nack);
        }
        if (propagateLastId) propagateGroupId(c, key, g);
        c.server().propagation().prevent();
    }

    /**
     * XREADGROUP with an ID: the consumer's own pending entries from the ID on, each again
     * delivered now; an entry deleted since is replied as its ID and a null.
     */
    static void replyFromConsumerPel(Client c, StreamValue s, Id start, long count, Consumer consumer) {
        Reply r = c.reply();
        int handle = r.deferredArray();
        long n = 0;
        long now = StreamCommands.now(c);
        for (Map.Entry<Id, Nack> e : consumer.pel.tailMap(start, true).entrySet()) {
            if (count > 0 && n >= count) break;
            Id id = e.getKey();
            byte[][] fv = s.get(id);
            if (fv == null) {
                r.array(2);
                StreamIds.reply(r, id);
                r.nullArray();
            } else {
                replyEntry(r, id, fv);
                e.getValue().deliveryTime = now;
                e.getValue().deliveryCount++;
            }
            n++;
        }
        r.setDeferredLength(handle, '*', n);
        c.server().propagation().prevent();
    }

    static void replyEntry(Reply r, Id id, byte[][] fv) {
        r.array(2);
        StreamIds.reply(r, id);
        r.arrayOfBulks(fv);
    }

    /** Redis's streamPropagateXCLAIM. */
    private static void propagateClaim(Client c, byte[] key, Group g, Id id, Nack nack) {
        Propagation p = c.server().propagation();
        if (!p.active()) return;
        p.also(c.dbIndex(), StreamCommands.XCLAIM, key, g.name, nack.consumer.name, ZERO, StreamIds.bytes(id),
                TIME, Propagation.number(nack.deliveryTime), RETRYCOUNT, Propagation.number(nack.deliveryCount),
                FORCE, JUSTID, LASTID, StreamIds.bytes(g.lastId));
    }

    /** Redis's streamPropagateConsumerCreation. */
    static void propagateConsumerCreation(Client c, byte[] key, Group g, Consumer consumer) {
        Propagation p = c.server().propagation();
        if (!p.active()) return;
        p.also(c.dbIndex(), StreamCommands.XGROUP, CREATECONSUMER, key, g.name, consumer.name);
    }

    /** Redis's streamPropagateGroupID. */
    private static void propagateGroupId(Client c, byte[] key, Group g) {
        Propagation p = c.server().propagation();
        if (!p.active()) return;
        p.also(c.dbIndex(), StreamCommands.XGROUP, StreamCommands.SETID, key, g.name, StreamIds.bytes(g.lastId),
                StreamCommands.ENTRIESREAD, Propagation.number(g.entriesRead));
    }

    // ---- XGROUP ----------------------------------------------------------------------------------

    /**
     * A group changed: Redis counts a change and raises the event, without signalling the
     * key as modified (WATCH does not see group changes).
     */
    private static void groupChanged(Client c, byte[] key, String event) {
        c.server().addDirty(1);
        c.db().remeasure(key);
        c.server().notifyKeyspaceEvent(c.db(), key, KeyEvent.STREAM, event);
    }

    private static final String KEY_REQUIRED = "ERR The XGROUP subcommand requires the key to exist. Note that for "
            + "CREATE you may want to use the MKSTREAM option to create an empty stream automatically.";

    private static long entriesReadArg(Client c, int i) {
        long v = c.argLong(i);
        if (v < 0 && v != -1) throw new CommandError("ERR value for ENTRIESREAD must be positive or -1");
        return v;
    }

    /** The stream of an XGROUP subcommand, which must exist; and the group unless null is allowed. */
    private static StreamValue groupStream(Client c) {
        StreamValue s = StreamCommands.writeStream(c, c.arg(2));
        if (s == null) throw new CommandError(KEY_REQUIRED);
        return s;
    }

    private static Group requiredGroup(Client c, StreamValue s) {
        Group g = s.group(c.arg(3));
        if (g == null) {
            throw new CommandError("NOGROUP No such consumer group '" + text(c.arg(3)) + "' for key name '" + text(c.arg(2)) + "'");
        }
        return g;
    }

    static void create(Client c) {
        boolean mkStream = false;
        long entriesRead = -1;
        for (int i = 5; i < c.argc(); ) {
            if (c.argIs(i, "mkstream")) {
                mkStream = true;
                i++;
            } else if (c.argIs(i, "entriesread") && i + 1 < c.argc()) {
                entriesRead = entriesReadArg(c, i + 1);
                i += 2;
            } else {
                throw SubcommandHelp.wrongUsage(c);
            }
        }
        byte[] key = c.arg(2);
        StreamValue s = StreamCommands.writeStream(c, key);
        if (s == null && !mkStream) throw new CommandError(KEY_REQUIRED);
        if (c.argc() > 8) throw SubcommandHelp.wrongUsage(c);
        Id id;
        if (c.arg(4).length == 1 && c.arg(4)[0] == '$') id = s == null ? Id.MIN : s.lastId;
        else id = StreamIds.strict(c.arg(4), 0);
        Database db = c.db();
        if (s == null) {
            s = new StreamValue();
            db.add(key, s);
            c.server().signalModifiedKey(db, key);
        }
        if (s.addGroup(c.arg(3), id, entriesRead) == null) {
            throw new CommandError("BUSYGROUP Consumer Group name already exists");
        }
        c.reply().ok();
        groupChanged(c, key, "xgroup-create");
    }

    static void setId(Client c) {
        long entriesRead = -1;
        for (int i = 5; i < c.argc(); i += 2) {
            if (!c.argIs(i, "entriesread") || i + 1 >= c.argc()) throw SubcommandHelp.wrongUsage(c);
            entriesRead = entriesReadArg(c, i + 1);
        }
        StreamValue s = groupStream(c);
        Group g = requiredGroup(c, s);
        if (c.argc() != 5 && c.argc() != 7) throw SubcommandHelp.wrongUsage(c);
        Id id;
        if (c.arg(4).length == 1 && c.arg(4)[0] == '$') id = s.lastId;
        else id = StreamIds.lenient(c.arg(4), 0);
        g.lastId = id;
        g.entriesRead = entriesRead;
        c.reply().ok();
        groupChanged(c, c.arg(2), "xgroup-setid");
    }

    static void destroy(Client c) {
        StreamValue s = groupStream(c);
        byte[] key = c.arg(2);
        if (!s.removeGroup(c.arg(3))) {
            c.reply().integer(0);
            return;
        }
        c.reply().integer(1);
        groupChanged(c, key, "xgroup-destroy");
        // Readers blocked on the group get NOGROUP.
        c.server().blockedClients().signalReady(c.db(), key);
    }

    static void createConsumerCommand(Client c) {
        StreamValue s = groupStream(c);
        Group g = requiredGroup(c, s);
        Consumer created = createConsumer(c, g, c.arg(4), c.arg(2));
        c.reply().integer(created == null ? 0 : 1);
    }

    static void delConsumer(Client c) {
        StreamValue s = groupStream(c);
        Group g = requiredGroup(c, s);
        Consumer consumer = g.consumer(c.arg(4));
        if (consumer == null) {
            c.reply().integer(0);
            return;
        }
        c.reply().integer(g.removeConsumer(consumer));
        groupChanged(c, c.arg(2), "xgroup-delconsumer");
    }

    // ---- XACK, XPENDING ---------------------------------------------------------------------------

    static void xack(Client c) {
        StreamValue s = StreamCommands.readStream(c, c.arg(1));
        Group g = s == null ? null : s.group(c.arg(2));
        if (g == null) {
            c.reply().integer(0);
            return;
        }
        Id[] ids = new Id[c.argc() - 3];
        for (int j = 3; j < c.argc(); j++) ids[j - 3] = StreamIds.strict(c.arg(j), 0);
        StreamCommands.beforeChange(c, c.arg(1));
        long acked = 0;
        for (Id id : ids) {
            Nack nack = g.pel.remove(id);
            if (nack != null) {
                nack.consumer.pel.remove(id);
                acked++;
            }
        }
        if (acked > 0) {
            c.server().addDirty(acked);
            c.db().remeasure(c.arg(1));
        }
        c.reply().integer(acked);
    }

    static void xpending(Client c) {
        boolean summary = c.argc() == 3;
        if (c.argc() != 3 && (c.argc() < 6 || c.argc() > 9)) throw new CommandError(CommandError.SYNTAX);
        Id start = null;
        Id end = null;
        long count = 0;
        long minIdle = 0;
        byte[] consumerName = null;
        if (c.argc() >= 6) {
            int startIndex = 3;
            if (c.argIs(3, "idle")) {
                minIdle = c.argLong(4);
                if (c.argc() < 8) throw new CommandError(CommandError.SYNTAX);
                startIndex += 2;
            }
            count = c.argLong(startIndex + 2);
            if (count < 0) count = 0;
            start = StreamIds.intervalStart(c.arg(startIndex));
            end = StreamIds.intervalEnd(c.arg(startIndex + 1));
            if (startIndex + 3 < c.argc()) consumerName = c.arg(startIndex + 3);
        }
        StreamValue s = StreamCommands.readStream(c, c.arg(1));
        Group g = s == null ? null : s.group(c.arg(2));
        if (g == null) throw noGroup(c.arg(1), c.arg(2));
        Reply r = c.reply();
        if (summary) {
            r.array(4);
            r.integer(g.pel.size());
            if (g.pel.isEmpty()) {
                r.nullBulk();
                r.nullBulk();
                r.nullArray();
                return;
            }
            StreamIds.reply(r, g.pel.firstKey());
            StreamIds.reply(r, g.pel.lastKey());
            int handle = r.deferredArray();
            int n = 0;
            for (Consumer consumer : g.consumers) {
                if (consumer.pel.isEmpty()) continue;
                r.array(2);
                r.bulk(consumer.name);
                r.bulk(consumer.pel.size());
                n++;
            }
            r.setDeferredLength(handle, '*', n);
            return;
        }
        NavigableMap<Id, Nack> pel = g.pel;
        if (consumerName != null) {
            Consumer consumer = g.consumer(consumerName);
            if (consumer == null) {
                r.emptyArray();
                return;
            }
            pel = consumer.pel;
        }
        long now = StreamCommands.now(c);
        int handle = r.deferredArray();
        int n = 0;
        if (start.compareTo(end) <= 0) {
            for (Map.Entry<Id, Nack> e : pel.subMap(start, true, end, true).entrySet()) {
                if (count == 0) break;
                Nack nack = e.getValue();
                if (minIdle != 0 && now - nack.deliveryTime < minIdle) continue;
                n++;
                count--;
                r.array(4);
                StreamIds.reply(r, e.getKey());
                r.bulk(nack.consumer.name);
                r.integer(Math.max(0, now - nack.deliveryTime));
                r.integer(nack.deliveryCount);
            }
        }
        r.setDeferredLength(handle, '*', n);
    }

    // ---- XCLAIM, XAUTOCLAIM --------------------------------------------------------------------

    static void xclaim(Client c) {
        byte[] key = c.arg(1);
        StreamValue s = StreamCommands.readStream(c, key);
        Group g = s == null ? null : s.group(c.arg(2));
        if (g == null) throw noGroup(key, c.arg(2));
        long minIdle = longArg(c, 4, "ERR Invalid min-idle-time argument for XCLAIM");
        if (minIdle < 0) minIdle = 0;
        int j = 5;
        while (j < c.argc() && StreamIds.tryStrict(c.arg(j)) != null) j++;
        int lastIdArg = j - 1;
        long now = StreamCommands.now(c);
        long retryCount = -1;
        long deliveryTime = -1;
        boolean force = false;
        boolean justId = false;
        Id lastId = Id.MIN;
        for (; j < c.argc(); j++) {
            int more = c.argc() - 1 - j;
            if (c.argIs(j, "force")) {
                force = true;
            } else if (c.argIs(j, "justid")) {
                justId = true;
            } else if (c.argIs(j, "idle") && more >= 1) {
                j++;
                deliveryTime = now - longArg(c, j, "ERR Invalid IDLE option argument for XCLAIM");
            } else if (c.argIs(j, "time") && more >= 1) {
                j++;
                deliveryTime = longArg(c, j, "ERR Invalid TIME option argument for XCLAIM");
            } else if (c.argIs(j, "retrycount") && more >= 1) {
                j++;
                retryCount = longArg(c, j, "ERR Invalid RETRYCOUNT option argument for XCLAIM");
            } else if (c.argIs(j, "lastid") && more >= 1) {
                j++;
                lastId = StreamIds.strict(c.arg(j), 0);
            } else {
                throw new CommandError("ERR Unrecognized XCLAIM option '" + text(c.arg(j)) + "'");
            }
        }
        StreamCommands.beforeChange(c, key);
        boolean propagateLastId = false;
        if (lastId.compareTo(g.lastId) > 0) {
            g.lastId = lastId;
            propagateLastId = true;
        }
        if (deliveryTime != -1) {
            if (deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
        } else {
            deliveryTime = now;
        }
        Server server = c.server();
        Reply r = c.reply();
        int handle = r.deferredArray();
        int n = 0;
        Consumer consumer = null;
        byte[] consumerName = c.arg(3);
        for (int k = 5; k <= lastIdArg; k++) {
            Id id = StreamIds.strict(c.arg(k), 0);
            Nack nack = g.pel.get(id);
            byte[][] fv = s.get(id);
            if (fv == null) {
                if (nack != null) {
                    propagateClaim(c, key, g, id, nack);
                    propagateLastId = false;
                    server.addDirty(1);
                    g.pel.remove(id);
                    nack.consumer.pel.remove(id);
                }
                continue;
            }
            if (force && nack == null) {
                nack = new Nack(null, now, 1);
                g.pel.put(id, nack);
            }
            if (nack == null) continue;
            if (nack.consumer != null && minIdle != 0 && now - nack.deliveryTime < minIdle) continue;
            if (consumer == null) {
                consumer = g.consumer(consumerName);
                if (consumer == null) consumer = createConsumer(c, g, consumerName, key);
                consumer.seenTime = now;
            }
            if (nack.consumer != consumer && nack.consumer != null) nack.consumer.pel.remove(id);
            nack.deliveryTime = deliveryTime;
            if (retryCount >= 0) nack.deliveryCount = retryCount;
            else if (!justId) nack.deliveryCount++;
            if (nack.consumer != consumer) {
                consumer.pel.put(id, nack);
                nack.consumer = consumer;
            }
            if (justId) StreamIds.reply(r, id);
            else replyEntry(r, id, fv);
            n++;
            propagateClaim(c, key, g, id, nack);
            propagateLastId = false;
            server.addDirty(1);
        }
        if (propagateLastId) {
            propagateGroupId(c, key, g);
            server.addDirty(1);
        }
        r.setDeferredLength(handle, '*', n);
        server.propagation().prevent();
        c.db().remeasure(key);
    }

    private static long longArg(Client c, int i, String error) {
        Long v = dev.cairn.protocol.Numbers.parseStrictLong(c.arg(i));
        if (v == null) throw new CommandError(error);
        return v;
    }

    static void xautoclaim(Client c) {
        byte[] key = c.arg(1);
        long minIdle = longArg(c, 4, "ERR Invalid min-idle-time argument for XAUTOCLAIM");
        if (minIdle < 0) minIdle = 0;
        Id start = StreamIds.intervalStart(c.arg(5));
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < c.argc(); j++) {
            int more = c.argc() - 1 - j;
            if (c.argIs(j, "count") && more >= 1) {
                Long v = dev.cairn.protocol.Numbers.parseStrictLong(c.arg(j + 1));
                long max = Long.MAX_VALUE / 16;
                if (v == null || v < 1 || v > max) throw new CommandError("ERR COUNT must be > 0");
                count = v;
                j++;
            } else if (c.argIs(j, "justid")) {
                justId = true;
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        StreamValue s = StreamCommands.readStream(c, key);
        Group g = s == null ? null : s.group(c.arg(2));
        if (g == null) throw noGroup(key, c.arg(2));
        StreamCommands.beforeChange(c, key);
        long attempts = count * 10;
        Server server = c.server();
        long now = StreamCommands.now(c);
        byte[] consumerName = c.arg(3);
        // Created at the first claim, as XCLAIM does.
        Consumer consumer = null;
        Reply r = c.reply();
        r.array(3);
        // The reply's first element is the cursor, known only at the end: collect first.
        List<Object[]> claimed = new ArrayList<>();
        List<Id> deleted = new ArrayList<>();
        Id cursor = start;
        Id next = null;
        while (true) {
            Map.Entry<Id, Nack> e = g.pel.ceilingEntry(cursor);
            if (e == null) {
                next = null;
                break;
            }
            if (attempts == 0 || count == 0) {
                next = e.getKey();
                break;
            }
            attempts--;
            Id id = e.getKey();
            Nack nack = e.getValue();
            cursor = id.next();
            byte[][] fv = s.get(id);
            if (fv == null) {
                propagateClaim(c, key, g, id, nack);
                server.addDirty(1);
                g.pel.remove(id);
                nack.consumer.pel.remove(id);
                deleted.add(id);
                count--;
                if (cursor == null) break;
                continue;
            }
            if (minIdle != 0 && now - nack.deliveryTime < minIdle) {
                if (cursor == null) break;
                continue;
            }
            if (consumer == null) {
                consumer = g.consumer(consumerName);
                if (consumer == null) consumer = createConsumer(c, g, consumerName, key);
                consumer.seenTime = now;
            }
            if (nack.consumer != consumer && nack.consumer != null) nack.consumer.pel.remove(id);
            nack.deliveryTime = now;
            if (!justId) nack.deliveryCount++;
            if (nack.consumer != consumer) {
                consumer.pel.put(id, nack);
                nack.consumer = consumer;
            }
            claimed.add(new Object[] {id, fv});
            count--;
            propagateClaim(c, key, g, id, nack);
            server.addDirty(1);
            if (cursor == null) break;
        }
        StreamIds.reply(r, next == null ? Id.MIN : next);
        r.array(claimed.size());
        for (Object[] e : claimed) {
            if (justId) StreamIds.reply(r, (Id) e[0]);
            else replyEntry(r, (Id) e[0], (byte[][]) e[1]);
        }
        r.array(deleted.size());
        for (Id id : deleted) StreamIds.reply(r, id);
        server.propagation().prevent();
        c.db().remeasure(key);
    }

    // ---- XINFO ----------------------------------------------------------------------------------

    private static StreamValue infoStreamValue(Client c) {
        StreamValue s = StreamCommands.readStream(c, c.arg(2));
        if (s == null) throw new CommandError(CommandError.NO_SUCH_KEY);
        return s;
    }

    static void infoConsumers(Client c) {
        StreamValue s = infoStreamValue(c);
        Group g = s.group(c.arg(3));
        if (g == null) {
            throw new CommandError("NOGROUP No such consumer group '" + text(c.arg(3)) + "' for key name '" + text(c.arg(2)) + "'");
        }
        Reply r = c.reply();
        long now = StreamCommands.now(c);
        r.array(g.consumers.size());
        for (Consumer consumer : g.consumers) {
            r.map(3);
            r.bulk("name");
            r.bulk(consumer.name);
            r.bulk("pending");
            r.integer(consumer.pel.size());
            r.bulk("idle");
            r.integer(Math.max(0, now - consumer.seenTime));
        }
    }

    static void infoGroups(Client c) {
        StreamValue s = infoStreamValue(c);
        Reply r = c.reply();
        r.array(s.groups().size());
        for (Group g : s.groups()) {
            r.map(6);
            r.bulk("name");
            r.bulk(g.name);
            r.bulk("consumers");
            r.integer(g.consumers.size());
            r.bulk("pending");
            r.integer(g.pel.size());
            r.bulk("last-delivered-id");
            StreamIds.reply(r, g.lastId);
            r.bulk("entries-read");
            if (g.entriesRead != -1) r.integer(g.entriesRead);
            else r.nullBulk();
            r.bulk("lag");
            replyLag(r, s, g);
        }
    }

    private static void replyLag(Reply r, StreamValue s, Group g) {
        Long lag = s.lag(g);
        if (lag == null) r.nullBulk();
        else r.integer(lag);
    }

    static void infoStream(Client c) {
        StreamValue s = infoStreamValue(c);
        boolean full = false;
        long count = 10;
        int argc = c.argc() - 3;
        if (argc > 0) {
            if (!c.argIs(3, "full")) throw SubcommandHelp.wrongUsage(c);
            if (argc == 3) {
                if (!c.argIs(4, "count")) throw SubcommandHelp.wrongUsage(c);
                count = c.argLong(5);
                if (count < 0) count = 10;
            } else if (argc != 1) {
                throw SubcommandHelp.wrongUsage(c);
            }
            full = true;
        }
        Reply r = c.reply();
        r.map(full ? 9 : 10);
        r.bulk("length");
        r.integer(s.length());
        r.bulk("radix-tree-keys");
        r.integer(s.nodeCount());
        r.bulk("radix-tree-nodes");
        r.integer(radixTreeNodes(s));
        r.bulk("last-generated-id");
        StreamIds.reply(r, s.lastId);
        r.bulk("max-deleted-entry-id");
        StreamIds.reply(r, s.maxDeletedId);
        r.bulk("entries-added");
        r.integer(s.entriesAdded);
        r.bulk("recorded-first-entry-id");
        StreamIds.reply(r, s.firstId);
        if (!full) {
            r.bulk("groups");
            r.integer(s.groups().size());
            r.bulk("first-entry");
            replyEdge(r, s, false);
            r.bulk("last-entry");
            replyEdge(r, s, true);
            return;
        }
        r.bulk("entries");
        StreamCommands.replyRange(r, s, Id.MIN, Id.MAX, count, false);
        r.bulk("groups");
        r.array(s.groups().size());
        for (Group g : s.groups()) {
            r.map(7);
            r.bulk("name");
            r.bulk(g.name);
            r.bulk("last-delivered-id");
            StreamIds.reply(r, g.lastId);
            r.bulk("entries-read");
            if (g.entriesRead != -1) r.integer(g.entriesRead);
            else r.nullBulk();
            r.bulk("lag");
            replyLag(r, s, g);
            r.bulk("pel-count");
            r.integer(g.pel.size());
            r.bulk("pending");
            long limit = count == 0 ? Long.MAX_VALUE : count;
            int pending = (int) Math.min(limit, g.pel.size());
            r.array(pending);
            int n = 0;
            for (Map.Entry<Id, Nack> e : g.pel.entrySet()) {
                if (n++ == pending) break;
                r.array(4);
                StreamIds.reply(r, e.getKey());
                r.bulk(e.getValue().consumer.name);
                r.integer(e.getValue().deliveryTime);
                r.integer(e.getValue().deliveryCount);
            }
            r.bulk("consumers");
            r.array(g.consumers.size());
            for (Consumer consumer : g.consumers) {
                r.map(4);
                r.bulk("name");
                r.bulk(consumer.name);
                r.bulk("seen-time");
                r.integer(consumer.seenTime);
                r.bulk("pel-count");
                r.integer(consumer.pel.size());
                r.bulk("pending");
                int own = (int) Math.min(limit, consumer.pel.size());
                r.array(own);
                int k = 0;
                for (Map.Entry<Id, Nack> e : consumer.pel.entrySet()) {
                    if (k++ == own) break;
                    r.array(3);
                    StreamIds.reply(r, e.getKey());
                    r.integer(e.getValue().deliveryTime);
                    r.integer(e.getValue().deliveryCount);
                }
            }
        }
    }

    private static void replyEdge(Reply r, StreamValue s, boolean last) {
        Id id = s.edge(!last);
        if (id == null) {
            r.nullBulk();
            return;
        }
        replyEntry(r, id, s.get(id));
    }

    static long radixTreeNodes(StreamValue s) {
        return StreamValue.radixTreeNodes(s.nodeIds());
    }
}
