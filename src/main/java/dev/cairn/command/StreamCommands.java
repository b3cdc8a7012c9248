package dev.cairn.command;

import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Entry;
import dev.cairn.keyspace.KeyEvent;
import dev.cairn.protocol.Numbers;
import dev.cairn.protocol.Reply;
import dev.cairn.server.BlockedClients.TimeoutReply;
import dev.cairn.server.Client;
import dev.cairn.server.Propagation;
import dev.cairn.server.Server;
import dev.cairn.types.StreamValue;
import dev.cairn.types.StreamValue.Group;
import dev.cairn.types.StreamValue.Id;
import dev.cairn.types.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The stream commands without consumer groups, and XREAD/XREADGROUP (Redis's t_stream.c).
 * Argument parsing happens in Redis's order, which decides which error a bad request
 * gets. Streams may be empty and still exist (XDEL, XTRIM and XGROUP CREATE MKSTREAM
 * leave or make empty streams), unlike other collections.
 *
 * <p>Propagation follows Redis: XADD with a generated ID propagates the ID, and an
 * approximate trim propagates as the exact trim it turned out to be.
 */
final class StreamCommands {
    private StreamCommands() {}

    static final byte[] XCLAIM = Propagation.word("XCLAIM");
    static final byte[] XGROUP = Propagation.word("XGROUP");
    static final byte[] SETID = Propagation.word("SETID");
    static final byte[] ENTRIESREAD = Propagation.word("ENTRIESREAD");

    static void register(Map<String, CommandHandler> h) {
        h.put("xadd", StreamCommands::xadd);
        h.put("xlen", StreamCommands::xlen);
        h.put("xrange", c -> xrange(c, false));
        h.put("xrevrange", c -> xrange(c, true));
        h.put("xdel", StreamCommands::xdel);
        h.put("xtrim", StreamCommands::xtrim);
        h.put("xsetid", StreamCommands::xsetid);
        h.put("xread", c -> xread(c, false));
        h.put("xreadgroup", c -> xread(c, true));
    }

    // ---- lookups ------------------------------------------------------------------------

    static StreamValue asStream(Entry e) {
        if (e == null) return null;
        if (e.value() instanceof StreamValue s) return s;
        throw new CommandError(ValueType.WRONGTYPE);
    }

    static StreamValue readStream(Client c, byte[] key) {
        return asStream(c.db().lookupRead(key));
    }

    static StreamValue writeStream(Client c, byte[] key) {
        return asStream(c.db().lookupWrite(key));
    }

    /**
     * Before changing a stream found with a read lookup (XACK, XCLAIM, XREADGROUP look
     * their key up for reading, as in Redis): the write lookup's hooks run, so that a
     * point-in-time snapshot keeps the value as it was.
     */
    static void beforeChange(Client c, byte[] key) {
        c.db().lookupWrite(key);
    }

    static long now(Client c) {
        return c.server().keyspace().clock().nowMillis();
    }

    // ---- trimming arguments (streamParseAddOrTrimArgsOrReply) ----------------------------

    /** Parsed XADD / XTRIM options. */
    static final class TrimArgs {
        boolean maxLenGiven;
        boolean minIdGiven;
        long maxLen = -1;
        Id minId;
        boolean approx;
        long limit;
        boolean limitGiven;
        boolean noMkStream;
        int thresholdIndex;
        /** XADD's ID argument index, -1 for XTRIM. */
        int idIndex = -1;
        Id id;
        boolean seqGiven = true;
        boolean idGiven;

        boolean trims() {
            return maxLenGiven || minIdGiven;
        }
    }

    /**
     * After MAXLEN or MINID at {@code i}: an optional {@code ~} (approximate, recorded in
     * {@code a}) or {@code =} before the threshold, whose index is returned.
     */
    private static int thresholdAt(Client c, int i, int more, TrimArgs a) {
        byte[] next = c.arg(i + 1);
        a.approx = more >= 2 && next.length == 1 && next[0] == '~';
        boolean marked = more >= 2 && next.length == 1 && (next[0] == '~' || next[0] == '=');
        return marked ? i + 2 : i + 1;
    }

    static TrimArgs parseTrimArgs(Client c, boolean xadd) {
        TrimArgs a = new TrimArgs();
        int i = 2;
        for (; i < c.argc(); i++) {
            int more = c.argc() - 1 - i;
            byte[] opt = c.arg(i);
            if (xadd && opt.length == 1 && opt[0] == '*') break;
            if (c.argIs(i, "maxlen") && more >= 1) {
                if (a.minIdGiven) throw new CommandError("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                i = thresholdAt(c, i, more, a);
                a.maxLen = c.argLong(i);
                if (a.maxLen < 0) throw new CommandError("ERR The MAXLEN argument must be >= 0.");
                a.maxLenGiven = true;
                a.thresholdIndex = i;
            } else if (c.argIs(i, "minid") && more >= 1) {
                if (a.maxLenGiven) throw new CommandError("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                i = thresholdAt(c, i, more, a);
                a.minId = StreamIds.strict(c.arg(i), 0);
                a.minIdGiven = true;
                a.thresholdIndex = i;
            } else if (c.argIs(i, "limit") && more >= 1) {
                a.limit = c.argLong(i + 1);
                if (a.limit < 0) throw new CommandError("ERR The LIMIT argument must be >= 0.");
                i++;
                a.limitGiven = true;
            } else if (xadd && c.argIs(i, "nomkstream")) {
                a.noMkStream = true;
            } else if (xadd) {
                StreamIds.Parsed p = StreamIds.parse(c.arg(i), 0, true, true);
                a.id = p.id();
                a.seqGiven = p.sequenceGiven();
                a.idGiven = true;
                break;
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        if (a.limitGiven && !a.trims()) {
            throw new CommandError("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        }
        if (!xadd && !a.trims()) throw new CommandError(CommandError.SYNTAX);
        if (a.limitGiven) {
            if (!a.approx) throw new CommandError("ERR syntax error, LIMIT cannot be used without the special ~ option");
        } else if (a.approx) {
            long perNode = c.server().config().streamNodeMaxEntries.value();
            a.limit = 100 * perNode;
            if (a.limit <= 0 || a.limit > 1_000_000) a.limit = 10_000;
        } else {
            a.limit = 0;
        }
        // Loading the AOF must trim exactly what was trimmed (the arguments were rewritten).
        if (c.server().dispatcher().loadingFile()) a.limit = 0;
        if (xadd) a.idIndex = i;
        return a;
    }

    static long trim(StreamValue s, TrimArgs a) {
        return s.trim(a.maxLenGiven ? a.maxLen : -1, a.minIdGiven ? a.minId : null, a.approx, a.limit);
    }

    /**
     * After an approximate trim, the propagated command gets {@code =} and the threshold
     * that reproduces what happened: the length now, or the first ID now.
     */
    static byte[][] exactTrimArgv(Client c, StreamValue s, TrimArgs a) {
        byte[][] argv = c.argv().clone();
        argv[a.thresholdIndex - 1] = Propagation.word("=");
        if (a.maxLenGiven) {
            argv[a.thresholdIndex] = Propagation.number(s.length());
        } else {
            Id first = s.edge(true);
            argv[a.thresholdIndex] = StreamIds.bytes(first == null ? Id.MAX : first);
        }
        return argv;
    }

    // ---- XADD ----------------------------------------------------------------------------

    static void xadd(Client c) {
        TrimArgs a = parseTrimArgs(c, true);
        int fieldPos = a.idIndex + 1;
        int fields = c.argc() - fieldPos;
        if (fields < 2 || fields % 2 == 1) {
            throw new CommandError("ERR wrong number of arguments for 'xadd' command");
        }
        if (a.idGiven && a.seqGiven && a.id.isZero()) {
            throw new CommandError("ERR The ID specified in XADD must be greater than 0-0");
        }
        byte[] key = c.arg(1);
        Database db = c.db();
        StreamValue s = writeStream(c, key);
        boolean created = false;
        if (s == null) {
            if (a.noMkStream) {
                c.reply().nullBulk();
                return;
            }
            s = new StreamValue();
            created = true;
        }
        if (s.lastId.ms() == -1L && s.lastId.seq() == -1L) {
            throw new CommandError("ERR The stream has exhausted the last possible ID, unable to add more items");
        }
        Id id = newId(c, s, a);
        byte[][] fv = Arrays.copyOfRange(c.argv(), fieldPos, c.argc());
        Server server = c.server();
        s.append(id, fv, server.config().streamNodeMaxBytes.value(), server.config().streamNodeMaxEntries.value());
        if (created) db.add(key, s);
        StreamIds.reply(c.reply(), id);
        server.keyModified(db, key, KeyEvent.STREAM, "xadd");
        byte[][] propagated = null;
        if (a.trims()) {
            if (trim(s, a) > 0) server.notifyKeyspaceEvent(db, key, KeyEvent.STREAM, "xtrim");
            if (a.approx) propagated = exactTrimArgv(c, s, a);
        }
        if (!a.idGiven || !a.seqGiven) {
            if (propagated == null) propagated = c.argv().clone();
            propagated[a.idIndex] = StreamIds.bytes(id);
        }
        if (propagated != null) server.propagation().rewrite(propagated);
        server.blockedClients().signalReady(db, key);
    }

    /** Redis's ID choice in streamAppendItem; the ID error when it is not above the last. */
    private static Id newId(Client c, StreamValue s, TrimArgs a) {
        Id last = s.lastId;
        Id id;
        if (a.idGiven) {
            if (a.seqGiven) {
                id = a.id;
            } else if (last.ms() == a.id.ms()) {
                // Redis reports this overflow with the text of its ERANGE case.
                if (last.seq() == -1L) throw new CommandError("ERR Elements are too large to be stored");
                id = new Id(last.ms(), last.seq() + 1);
            } else {
                id = a.id;
            }
        } else {
            long ms = now(c);
            id = Long.compareUnsigned(ms, last.ms()) > 0 ? new Id(ms, 0) : last.next();
        }
        if (id.compareTo(last) <= 0) throw idTooSmall();
        return id;
    }

    private static CommandError idTooSmall() {
        return new CommandError("ERR The ID specified in XADD is equal or smaller than the target stream top item");
    }

    // ---- XLEN, XRANGE, XREVRANGE ---------------------------------------------------------

    static void xlen(Client c) {
        StreamValue s = readStream(c, c.arg(1));
        c.reply().integer(s == null ? 0 : s.length());
    }

    static void xrange(Client c, boolean rev) {
        byte[] startArg = rev ? c.arg(3) : c.arg(2);
        byte[] endArg = rev ? c.arg(2) : c.arg(3);
        Id start = StreamIds.intervalStart(startArg);
        Id end = StreamIds.intervalEnd(endArg);
        long count = -1;
        for (int j = 4; j < c.argc(); j++) {
            if (c.argIs(j, "count") && c.argc() - j - 1 >= 1) {
                count = c.argLong(j + 1);
                if (count < 0) count = 0;
                j++;
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        StreamValue s = readStream(c, c.arg(1));
        if (s == null) {
            c.reply().emptyArray();
            return;
        }
        if (count == 0) {
            // COUNT 0 (or less) is answered with a null.
            c.reply().nullArray();
            return;
        }
        replyRange(c.reply(), s, start, end, count, rev);
    }

    /** Entries from start to end, at most count (-1 or 0: all). */
    static void replyRange(Reply r, StreamValue s, Id start, Id end, long count, boolean rev) {
        int handle = r.deferredArray();
        long[] n = {0};
        s.range(start, end, rev, (node, i) -> {
            StreamIds.replyEntry(r, node, i);
            n[0]++;
            return count <= 0 || n[0] < count;
        });
        r.setDeferredLength(handle, '*', n[0]);
    }

    // ---- XDEL, XTRIM, XSETID --------------------------------------------------------------

    static void xdel(Client c) {
        byte[] key = c.arg(1);
        StreamValue s = writeStream(c, key);
        if (s == null) {
            c.reply().integer(0);
            return;
        }
        Id[] ids = new Id[c.argc() - 2];
        for (int j = 2; j < c.argc(); j++) ids[j - 2] = StreamIds.strict(c.arg(j), 0);
        long deleted = 0;
        boolean firstEntry = false;
        for (Id id : ids) {
            if (s.delete(id)) {
                if (id.compareTo(s.firstId) == 0) firstEntry = true;
                if (id.compareTo(s.maxDeletedId) > 0) s.maxDeletedId = id;
                deleted++;
            }
        }
        if (deleted > 0) {
            if (s.length() == 0) s.firstId = Id.MIN;
            else if (firstEntry) s.updateFirstId();
            c.server().keyModified(c.db(), key, KeyEvent.STREAM, "xdel");
            c.server().addDirty(deleted - 1);
        }
        c.reply().integer(deleted);
    }

    static void xtrim(Client c) {
        byte[] key = c.arg(1);
        TrimArgs a = parseTrimArgs(c, false);
        StreamValue s = writeStream(c, key);
        if (s == null) {
            c.reply().integer(0);
            return;
        }
        long deleted = trim(s, a);
        if (deleted > 0) {
            c.server().keyModified(c.db(), key, KeyEvent.STREAM, "xtrim");
            c.server().addDirty(deleted - 1);
            if (a.approx) c.server().propagation().rewrite(exactTrimArgv(c, s, a));
        }
        c.reply().integer(deleted);
    }

    static void xsetid(Client c) {
        Id id = StreamIds.strict(c.arg(2), 0);
        long entriesAdded = -1;
        Id maxDeleted = Id.MIN;
        for (int i = 3; i < c.argc(); ) {
            int more = c.argc() - 1 - i;
            if (c.argIs(i, "entriesadded") && more >= 1) {
                entriesAdded = c.argLong(i + 1);
                if (entriesAdded < 0) throw new CommandError("ERR entries_added must be positive");
                i += 2;
            } else if (c.argIs(i, "maxdeletedid") && more >= 1) {
                maxDeleted = StreamIds.strict(c.arg(i + 1), 0);
                if (id.compareTo(maxDeleted) < 0) {
                    throw new CommandError("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
                i += 2;
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        byte[] key = c.arg(1);
        StreamValue s = writeStream(c, key);
        if (s == null) throw new CommandError(CommandError.NO_SUCH_KEY);
        if (s.length() > 0) {
            Id top = s.edge(false);
            if (id.compareTo(top) < 0) {
                throw new CommandError("ERR The ID specified in XSETID is smaller than the target stream top item");
            }
            if (entriesAdded != -1 && s.length() > entriesAdded) {
                throw new CommandError("ERR The entries_added specified in XSETID is smaller than the target stream length");
            }
        }
        s.lastId = id;
        if (entriesAdded != -1) s.entriesAdded = entriesAdded;
        if (!maxDeleted.isZero()) s.maxDeletedId = maxDeleted;
        c.reply().ok();
        c.server().keyModified(c.db(), key, KeyEvent.STREAM, "xsetid");
    }

    // ---- XREAD and XREADGROUP --------------------------------------------------------------

    /** Entries a blocked reader gets at most when it gave no COUNT (XREAD_BLOCKED_DEFAULT_COUNT). */
    private static final long BLOCKED_DEFAULT_COUNT = 1000;

    static void xread(Client c, boolean group) {
        String name = group ? "XREADGROUP" : "XREAD";
        long timeout = -1;
        long count = 0;
        int streamsArg = 0;
        int streams = 0;
        boolean noAck = false;
        byte[] groupName = null;
        byte[] consumerName = null;
        int countIndex = -1;
        for (int i = 1; i < c.argc(); i++) {
            int more = c.argc() - i - 1;
            if (c.argIs(i, "block") && more >= 1) {
                if (c.isFake()) {
                    throw new CommandError("ERR " + c.argString(0) + " command is not allowed with BLOCK option from scripts");
                }
                i++;
                Long t = Numbers.parseStrictLong(c.arg(i));
                if (t == null) throw new CommandError("ERR timeout is not an integer or out of range");
                if (t < 0) throw new CommandError("ERR timeout is negative");
                timeout = t;
            } else if (c.argIs(i, "count") && more >= 1) {
                i++;
                count = c.argLong(i);
                if (count < 0) count = 0;
                countIndex = i;
            } else if (c.argIs(i, "streams") && more >= 1) {
                streamsArg = i + 1;
                streams = c.argc() - streamsArg;
                if (streams % 2 != 0) {
                    throw new CommandError("ERR Unbalanced " + name + " list of streams: for each stream key an ID or '"
                            + (group ? '>' : '$') + "' must be specified.");
                }
                streams /= 2;
                break;
            } else if (c.argIs(i, "group") && more >= 2) {
                if (!group) throw new CommandError("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                groupName = c.arg(i + 1);
                consumerName = c.arg(i + 2);
                i += 2;
            } else if (c.argIs(i, "noack")) {
                if (!group) throw new CommandError("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                noAck = true;
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        if (streamsArg == 0) throw new CommandError(CommandError.SYNTAX);
        if (group && groupName == null) throw new CommandError("ERR Missing GROUP option for XREADGROUP");
        if (timeout > 0 && timeout > Long.MAX_VALUE - now(c)) throw new CommandError("ERR timeout is out of range");

        Id[] ids = new Id[streams];
        Group[] groups = group ? new Group[streams] : null;
        boolean dollarResolved = false;
        // Woken by one key, the command looks at that stream only (its arguments were checked when it blocked).
        byte[] servingKey = c.servingKey();
        for (int k = 0; k < streams; k++) {
            byte[] key = c.arg(streamsArg + k);
            if (servingKey != null && !Arrays.equals(servingKey, key)) continue;
            byte[] idArg = c.arg(streamsArg + streams + k);
            StreamValue s = asStream(c.db().lookupRead(key));
            if (group) {
                Group g = s == null ? null : s.group(groupName);
                if (g == null) {
                    // A reader woken after its group was destroyed gets Redis's own words for it.
                    if (c.blockedOnKeys()) {
                        throw new CommandError("NOGROUP the consumer group this client was blocked on no longer exists");
                    }
                    throw new CommandError("NOGROUP No such key '" + StreamGroupCommands.text(key) + "' or consumer group '"
                            + StreamGroupCommands.text(groupName) + "' in XREADGROUP with GROUP option");
                }
                groups[k] = g;
            }
            if (idArg.length == 1 && idArg[0] == '$') {
                if (group) {
                    throw new CommandError("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history "
                            + "of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would "
                            + "just return an empty result set.");
                }
                ids[k] = s == null ? Id.MIN : s.lastId;
                dollarResolved = true;
            } else if (idArg.length == 1 && idArg[0] == '>') {
                if (!group) {
                    throw new CommandError("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.");
                }
                ids[k] = null;
            } else {
                ids[k] = StreamIds.strict(idArg, 0);
                // Redis marks ">" with the greatest ID: given explicitly, it means ">" too.
                if (group && ids[k].equals(Id.MAX)) ids[k] = null;
            }
        }

        Reply r = c.reply();
        int served = 0;
        int handle = -1;
        for (int k = 0; k < streams; k++) {
            byte[] key = c.arg(streamsArg + k);
            if (servingKey != null && !Arrays.equals(servingKey, key)) continue;
            StreamValue s = asStream(c.db().lookupRead(key, false, false));
            if (s == null) continue;
            Id after = ids[k];
            boolean serve = false;
            boolean history = false;
            StreamValue.Consumer consumer = null;
            if (group) {
                Group g = groups[k];
                if (after != null) {
                    serve = true;
                    history = true;
                } else if (s.length() > 0) {
                    Id max = s.edge(false);
                    if (max.compareTo(g.lastId) > 0) {
                        serve = true;
                        after = g.lastId;
                    }
                }
            } else if (s.length() > 0) {
                Id max = s.edge(false);
                serve = max.compareTo(after) > 0;
            }
            if (!serve) continue;
            if (group) {
                beforeChange(c, key);
                // Redis creates the consumer only when it serves it.
                consumer = groups[k].consumer(consumerName);
                if (consumer == null) {
                    consumer = StreamGroupCommands.createConsumer(c, groups[k], consumerName, key);
                    // Without NOACK the deliveries' XCLAIMs create it where they are replayed.
                    if (noAck) StreamGroupCommands.propagateConsumerCreation(c, key, groups[k], consumer);
                }
                consumer.seenTime = now(c);
            }
            served++;
            if (served == 1) handle = r.deferredArray();
            if (!r.resp3()) r.array(2);
            r.bulk(key);
            if (history) {
                StreamGroupCommands.replyFromConsumerPel(c, s, after.next(), count, consumer);
            } else {
                Id start = after.next();
                if (group) StreamGroupCommands.deliver(c, key, s, groups[k], consumer, start, count, noAck);
                else replyRange(r, s, start, Id.MAX, count, false);
            }
            if (group) c.server().addDirty(1);
        }
        if (served > 0) {
            r.setDeferredLength(handle, r.resp3() ? '%' : '*', served);
            return;
        }
        if (timeout != -1) {
            if (c.blockingDenied()) {
                r.nullArray();
                return;
            }
            List<byte[]> keys = new ArrayList<>(Arrays.asList(c.argv()).subList(streamsArg, streamsArg + streams));
            long deadline = timeout == 0 ? 0 : now(c) + timeout;
            c.blockOnKeys(keys, ValueType.STREAM, deadline, TimeoutReply.NULL_ARRAY,
                    retryArgv(c, streamsArg, streams, ids, dollarResolved, countIndex, count));
            return;
        }
        r.nullArray();
    }

    /**
     * The arguments the command runs again with when woken: {@code $} becomes the ID it
     * stood for when the client blocked, and without COUNT a woken reader gets at most
     * Redis's default for blocked readers.
     */
    private static byte[][] retryArgv(Client c, int streamsArg, int streams, Id[] ids, boolean dollar, int countIndex, long count) {
        List<byte[]> argv = new ArrayList<>(Arrays.asList(c.argv()));
        if (dollar) {
            for (int k = 0; k < streams; k++) {
                byte[] idArg = argv.get(streamsArg + streams + k);
                if (idArg.length == 1 && idArg[0] == '$') argv.set(streamsArg + streams + k, StreamIds.bytes(ids[k]));
            }
        }
        if (count == 0) {
            if (countIndex >= 0) argv.set(countIndex, Propagation.number(BLOCKED_DEFAULT_COUNT));
            else {
                argv.add(1, Propagation.word("COUNT"));
                argv.add(2, Propagation.number(BLOCKED_DEFAULT_COUNT));
            }
        }
        return argv.toArray(byte[][]::new);
    }
}
