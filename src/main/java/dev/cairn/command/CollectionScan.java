package dev.cairn.command;

import dev.cairn.keyspace.Glob;
import dev.cairn.protocol.Reply;
import dev.cairn.server.Client;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * HSCAN, SSCAN and ZSCAN once the key is found: the options after the cursor
 * ({@code MATCH pattern}, {@code COUNT count}), the walk and the reply, as Redis's
 * scanGenericCommand does them for a collection.
 *
 * <p>A compact encoding (listpack, intset) is returned whole with cursor 0 whatever
 * COUNT says; a table is walked bucket by bucket with {@link Step} until COUNT elements
 * are gathered or ten times COUNT buckets were visited.
 */
final class CollectionScan {
    /** One step of a table's scan: emits a bucket's elements, returns the next cursor. */
    interface Step {
        long scan(long cursor, Consumer<byte[]> emit);
    }

    private CollectionScan() {}

    /**
     * The options after a SCAN-family cursor: {@code COUNT} (at least 1), {@code MATCH}
     * (null when absent or {@code *}, which matches everything) and, for SCAN only, {@code TYPE}.
     */
    record Options(long count, byte[] pattern, byte[] type) {
        static Options parse(Client c, int from, boolean typeAllowed) {
            long count = 10;
            byte[] pattern = null;
            byte[] type = null;
            for (int i = from; i < c.argc(); i += 2) {
                boolean hasValue = c.argc() - i >= 2;
                if (c.argIs(i, "count") && hasValue) {
                    count = c.argLong(i + 1);
                    if (count < 1) throw new CommandError(CommandError.SYNTAX);
                } else if (c.argIs(i, "match") && hasValue) {
                    byte[] p = c.arg(i + 1);
                    pattern = p.length == 1 && p[0] == '*' ? null : p;
                } else if (typeAllowed && c.argIs(i, "type") && hasValue) {
                    type = c.arg(i + 1);
                } else {
                    throw new CommandError(CommandError.SYNTAX);
                }
            }
            return new Options(count, pattern, type);
        }
    }

    /**
     * Parses the options from argument 3, scans and replies. With {@code pairs} the
     * elements come as (member, value) pairs and MATCH filters on the member.
     */
    static void run(Client c, long cursor, boolean pairs, Step step, boolean compact) {
        Options options = Options.parse(c, 3, false);
        long count = options.count();
        byte[] pattern = options.pattern();
        List<byte[]> found = new ArrayList<>();
        if (compact) {
            step.scan(0, found::add);
            cursor = 0;
        } else {
            int per = pairs ? 2 : 1;
            long maxIterations = count * 10;
            do {
                cursor = step.scan(cursor, found::add);
            } while (cursor != 0 && maxIterations-- != 0 && found.size() / per < count);
        }
        Reply r = c.reply();
        r.array(2);
        r.bulk(cursor);
        int header = r.deferredArray();
        long n = 0;
        int per = pairs ? 2 : 1;
        for (int i = 0; i < found.size(); i += per) {
            if (pattern != null && !Glob.matches(pattern, found.get(i))) continue;
            for (int j = 0; j < per; j++) r.bulk(found.get(i + j));
            n += per;
        }
        r.setDeferredLength(header, '*', n);
    }
}
