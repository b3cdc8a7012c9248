package dev.cairn.types;

import dev.cairn.protocol.NumberFormat;
import dev.cairn.protocol.Numbers;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * A sorted set, in one of Redis 7.0's two encodings, switching where Redis does:
 *
 * <ul>
 *   <li>"listpack": member, score, member, score... in one {@link Listpack}, in order,
 *       each score stored as Redis stores it (an integer when the double is one within
 *       ±2^62, else its {@code d2string} text), while the set has at most
 *       {@code zset-max-listpack-entries} members of at most {@code zset-max-listpack-value}
 *       bytes;
 *   <li>"skiplist": a {@link MemberTable} from member to score, for lookups, and a
 *       {@link RankTree} holding the order, for ranges and ranks.
 * </ul>
 *
 * Adding converts a listpack to a skiplist before the element that would exceed a limit
 * (Redis's zsetAdd). Nothing converts back, except the store commands building their
 * result (see {@link #fromSorted}), as Redis's zsetConvertToListpackIfNeeded.
 *
 * <p>Elements reach callers through {@link ElementSink}, which receives the member as a
 * slice of an array (a listpack's own array, not copied), so replies write straight from
 * the stored bytes. Slices stay valid after later changes: a listpack never writes into
 * an existing array. Scores are never NaN.
 */
public final class ZSetValue implements CollectionValue {
    /** ZADD's input flags. */
    public static final int NX = 1, XX = 2, GT = 4, LT = 8, INCR = 16;
    /** What {@link #add} did. */
    public static final int ADDED = 1, UPDATED = 2, NOP = 4, NAN = 8;

    /** The encoding thresholds (zset-max-listpack-entries and -value). */
    public record Limits(long maxEntries, long maxValue) {}

    /**
     * Receives one element: the member's bytes as a slice, and its score. A slice that is
     * a whole array is the stored member itself (never changed), which may be kept.
     */
    @FunctionalInterface
    public interface ElementSink {
        void accept(byte[] buf, int offset, int length, double score);
    }

    /** The "listpack" encoding, or null in the "skiplist" encoding. */
    private Listpack listpack;
    private MemberTable<Double> table;
    private RankTree tree;

    private ZSetValue(Listpack listpack, MemberTable<Double> table, RankTree tree) {
        this.listpack = listpack;
        this.table = table;
        this.tree = tree;
    }

    /**
     * An empty set for ZADD to fill, in the encoding Redis creates: a skiplist when no
     * listpack may exist or the first member is already too long for one.
     */
    public static ZSetValue create(Limits limits, int firstMemberLength) {
        if (limits.maxEntries() == 0 || firstMemberLength > limits.maxValue()) {
            return new ZSetValue(null, new MemberTable<>(), new RankTree());
        }
        return new ZSetValue(new Listpack(), null, null);
    }

    /**
     * A set built from elements already in order (the store commands): a listpack when
     * the count and the longest member fit the limits, as zsetConvertToListpackIfNeeded.
     */
    public static ZSetValue fromSorted(byte[][] members, double[] scores, int n, Limits limits) {
        int longest = 0;
        for (int i = 0; i < n; i++) longest = Math.max(longest, members[i].length);
        if (n <= limits.maxEntries() && longest <= limits.maxValue()) {
            Listpack lp = new Listpack();
            byte[][] entries = new byte[2 * n][];
            for (int i = 0; i < n; i++) {
                entries[2 * i] = members[i];
                entries[2 * i + 1] = storedScore(scores[i]);
            }
            lp.append(entries);
            return new ZSetValue(lp, null, null);
        }
        MemberTable<Double> t = new MemberTable<>(n);
        for (int i = 0; i < n; i++) t.insert(members[i], scores[i]);
        return new ZSetValue(null, t, RankTree.build(scores, members, n));
    }

    @Override
    public ValueType type() {
        return ValueType.ZSET;
    }

    @Override
    public String encoding() {
        return listpack != null ? "listpack" : "skiplist";
    }

    public boolean isListpack() {
        return listpack != null;
    }

    @Override
    public long size() {
        return listpack != null ? listpack.count() / 2 : tree.length();
    }

    @Override
    public ZSetValue copy() {
        if (listpack != null) return new ZSetValue(listpack.copy(), null, null);
        int n = tree.length();
        byte[][] members = new byte[n][];
        double[] scores = new double[n];
        int[] at = {0};
        tree.forEach((m, s) -> {
            members[at[0]] = m;
            scores[at[0]++] = s;
        });
        MemberTable<Double> t = new MemberTable<>(n);
        for (int i = 0; i < n; i++) t.insert(members[i], scores[i]);
        return new ZSetValue(null, t, RankTree.build(scores, members, n));
    }

    // ---- scores as a listpack stores them ----------------------------------------------

    /**
     * The bytes of a score in a listpack: Redis stores a double that is an integer within
     * ±2^62 as that integer (so -0 becomes 0), anything else as its d2string text.
     */
    static byte[] storedScore(double score) {
        if (score >= -4.611686018427387904E18 && score <= 4.611686018427387904E18) {
            long l = (long) score;
            if (l == score) return Numbers.bytes(l);
        }
        return NumberFormat.d2string(score).getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads a stored score back (Redis's zzlGetScore). */
    static double readScore(byte[] buf, int offset, int length) {
        boolean negative = buf[offset] == '-';
        int i = negative ? offset + 1 : offset;
        int end = offset + length;
        if (end - i >= 1 && end - i <= 18) {
            long v = 0;
            boolean digits = true;
            for (int k = i; k < end && digits; k++) {
                int d = buf[k] - '0';
                if (d < 0 || d > 9) digits = false;
                else v = v * 10 + d;
            }
            if (digits) return negative ? -v : v;
        }
        String text = new String(buf, offset, length, StandardCharsets.ISO_8859_1);
        if (text.equals("inf")) return Double.POSITIVE_INFINITY;
        if (text.equals("-inf")) return Double.NEGATIVE_INFINITY;
        return Double.parseDouble(text);
    }

    private double scoreAt(int scoreOffset) {
        return readScore(listpack.array(), listpack.start(scoreOffset), listpack.length(scoreOffset));
    }

    /** Offsets of every member entry of the listpack, in order (for walking backwards). */
    private int[] memberOffsets() {
        int[] offsets = new int[listpack.count() / 2];
        int off = listpack.first();
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = off;
            off = listpack.next(listpack.next(off));
        }
        return offsets;
    }

    private void emitListpack(int memberOffset, ElementSink sink) {
        sink.accept(listpack.array(), listpack.start(memberOffset), listpack.length(memberOffset),
                scoreAt(listpack.next(memberOffset)));
    }

    private static void emit(byte[] member, double score, ElementSink sink) {
        sink.accept(member, 0, member.length, score);
    }

    // ---- single members ----------------------------------------------------------------

    /** The member's score, or null when it is not in the set. */
    public Double score(byte[] member) {
        if (listpack == null) return table.get(member);
        int off = listpack.find(member, listpack.first(), 2);
        return off < 0 ? null : scoreAt(listpack.next(off));
    }

    /** The member's 0-based rank from the lowest score (or the highest), -1 when absent. */
    public long rank(byte[] member, boolean reverse) {
        long size = size();
        long rank;
        if (listpack == null) {
            Double score = table.get(member);
            if (score == null) return -1;
            rank = tree.rank(score, member);
        } else {
            rank = -1;
            int i = 0;
            for (int off = listpack.first(); off < listpack.end(); off = listpack.next(listpack.next(off)), i++) {
                if (listpack.equalsAt(off, member)) {
                    rank = i;
                    break;
                }
            }
            if (rank < 0) return -1;
        }
        return reverse ? size - 1 - rank : rank;
    }

    /**
     * Redis's zsetAdd: adds the member or changes its score under ZADD's flags (NX, XX,
     * GT, LT, INCR) and returns what happened (ADDED, UPDATED, NOP, or NAN when an
     * increment made the score NaN). Unless NOP or NAN, {@code newScore[0]} receives the
     * member's score (the computed one: a listpack stores -0 as 0, ZINCRBY replies -0).
     * Converts to a skiplist first when a new member would break the listpack limits.
     */
    public int add(byte[] member, double score, int flags, Limits limits, double[] newScore) {
        boolean nx = (flags & NX) != 0;
        boolean xx = (flags & XX) != 0;
        boolean gt = (flags & GT) != 0;
        boolean lt = (flags & LT) != 0;
        boolean incr = (flags & INCR) != 0;
        if (listpack != null) {
            int off = listpack.find(member, listpack.first(), 2);
            if (off >= 0) {
                if (nx) return NOP;
                double current = scoreAt(listpack.next(off));
                if (incr) {
                    score += current;
                    if (Double.isNaN(score)) return NAN;
                }
                if ((lt && score >= current) || (gt && score <= current)) return NOP;
                newScore[0] = score;
                if (score != current) {
                    listpack.delete(off, 2);
                    listpackInsert(member, score);
                    return UPDATED;
                }
                return 0;
            }
            if (xx) return NOP;
            if (size() + 1 > limits.maxEntries() || member.length > limits.maxValue()) {
                convertToSkiplist();
            } else {
                listpackInsert(member, score);
                newScore[0] = score;
                return ADDED;
            }
        }
        MemberTable.Node<Double> node = table.find(member);
        if (node != null) {
            if (nx) return NOP;
            double current = node.value();
            if (incr) {
                score += current;
                if (Double.isNaN(score)) return NAN;
            }
            if ((lt && score >= current) || (gt && score <= current)) return NOP;
            newScore[0] = score;
            if (score != current) {
                tree.remove(current, node.member());
                tree.insert(score, node.member());
                node.value(score);
                return UPDATED;
            }
            return 0;
        }
        if (xx) return NOP;
        tree.insert(score, member);
        table.insert(member, score);
        newScore[0] = score;
        return ADDED;
    }

    /** Inserts a new member before the first element that sorts after it (zzlInsert). */
    private void listpackInsert(byte[] member, double score) {
        int off = listpack.first();
        while (off < listpack.end()) {
            int scoreOff = listpack.next(off);
            double s = scoreAt(scoreOff);
            if (s > score || (s == score && listpack.compareAt(off, member) > 0)) break;
            off = listpack.next(scoreOff);
        }
        listpack.insert(off, member, storedScore(score));
    }

    /** Leaves the listpack encoding for good (Redis's zsetConvert, which SORT does too). */
    public void convertToSkiplist() {
        if (listpack == null) return;
        int n = listpack.count() / 2;
        byte[][] members = new byte[n][];
        double[] scores = new double[n];
        MemberTable<Double> t = new MemberTable<>(n);
        int off = listpack.first();
        for (int i = 0; i < n; i++) {
            members[i] = listpack.get(off);
            off = listpack.next(off);
            scores[i] = scoreAt(off);
            off = listpack.next(off);
            t.insert(members[i], scores[i]);
        }
        tree = RankTree.build(scores, members, n);
        table = t;
        listpack = null;
    }

    /** Removes the member; false when it was not in the set. */
    public boolean remove(byte[] member) {
        if (listpack != null) {
            int off = listpack.find(member, listpack.first(), 2);
            if (off < 0) return false;
            listpack.delete(off, 2);
            return true;
        }
        MemberTable.Node<Double> node = table.remove(member);
        if (node == null) return false;
        tree.remove(node.value(), node.member());
        return true;
    }

    // ---- ranges ------------------------------------------------------------------------

    /**
     * Emits the elements of ranks start..end (0-based, inclusive, both within the set),
     * counting from the highest score when {@code reverse}.
     */
    public void rangeByRank(long start, long end, boolean reverse, ElementSink sink) {
        long n = end - start + 1;
        if (listpack != null) {
            if (reverse) {
                int[] offsets = memberOffsets();
                for (int i = offsets.length - 1 - (int) start; n-- > 0; i--) emitListpack(offsets[i], sink);
            } else {
                int off = listpack.offsetOf(2 * (int) start);
                for (; n-- > 0; off = listpack.next(listpack.next(off))) emitListpack(off, sink);
            }
            return;
        }
        RankTree.Position p = tree.at(reverse ? size() - 1 - start : start);
        for (; n-- > 0; step(p, reverse)) emit(p.member(), p.score(), sink);
    }

    private static void step(RankTree.Position p, boolean reverse) {
        if (reverse) p.prev();
        else p.next();
    }

    /**
     * Emits the elements with scores in the range, from the lowest (or, reversed, the
     * highest), skipping {@code offset} of them and emitting at most {@code limit}
     * (negative: no limit). Returns how many were emitted.
     */
    public long rangeByScore(ScoreRange range, boolean reverse, long offset, long limit, ElementSink sink) {
        if (listpack != null) {
            int[] offsets = memberOffsets();
            int first = reverse ? lastInScoreRange(offsets, range) : firstInScoreRange(offsets, range);
            return walkListpack(offsets, first, reverse, offset, limit, sink, off -> {
                double s = scoreAt(listpack.next(off));
                return reverse ? range.aboveMin(s) : range.belowMax(s);
            });
        }
        return walkTree(reverse ? lastInRange(range) : firstInRange(range), reverse, offset, limit, sink,
                p -> reverse ? range.aboveMin(p.score()) : range.belowMax(p.score()));
    }

    /** Index (in member offsets) of the first element in the range, or -1 (zzlFirstInRange). */
    private int firstInScoreRange(int[] offsets, ScoreRange range) {
        for (int i = 0; i < offsets.length; i++) {
            double s = scoreAt(listpack.next(offsets[i]));
            if (range.aboveMin(s)) return range.belowMax(s) ? i : -1;
        }
        return -1;
    }

    /** The index after the last element in range, counting from {@code first}, which is in it. */
    private int endOfScoreRange(int[] offsets, int first, ScoreRange range) {
        int end = first;
        while (end < offsets.length && range.belowMax(scoreAt(listpack.next(offsets[end])))) end++;
        return end;
    }

    private int lastInScoreRange(int[] offsets, ScoreRange range) {
        for (int i = offsets.length - 1; i >= 0; i--) {
            double s = scoreAt(listpack.next(offsets[i]));
            if (range.belowMax(s)) return range.aboveMin(s) ? i : -1;
        }
        return -1;
    }

    private RankTree.Position firstInRange(ScoreRange range) {
        RankTree.Position p = tree.firstNotBelow((s, m) -> !range.aboveMin(s));
        if (p.valid() && !range.belowMax(p.score())) return RankTree.Position.none();
        return p;
    }

    private RankTree.Position lastInRange(ScoreRange range) {
        RankTree.Position p = tree.lastWithin((s, m) -> range.belowMax(s));
        if (p.valid() && !range.aboveMin(p.score())) return RankTree.Position.none();
        return p;
    }

    /** Like {@link #rangeByScore} for a member range (meaningful when all scores are equal). */
    public long rangeByLex(LexRange range, boolean reverse, long offset, long limit, ElementSink sink) {
        if (listpack != null) {
            int[] offsets = memberOffsets();
            int first = reverse ? lastInLexRange(offsets, range) : firstInLexRange(offsets, range);
            return walkListpack(offsets, first, reverse, offset, limit, sink,
                    off -> reverse ? aboveMinAt(range, off) : belowMaxAt(range, off));
        }
        return walkTree(reverse ? lastInLex(range) : firstInLex(range), reverse, offset, limit, sink,
                p -> reverse ? range.aboveMin(p.member()) : range.belowMax(p.member()));
    }

    /**
     * The walk of a range over listpack members: from index {@code first} (-1: the range
     * is empty), skipping {@code offset}, emitting at most {@code limit} (negative: all)
     * while {@code inRange} holds for the member at a listpack offset. Returns the count.
     */
    private long walkListpack(int[] offsets, int first, boolean reverse, long offset, long limit, ElementSink sink,
            IntPredicate inRange) {
        if (first < 0) return 0;
        long emitted = 0;
        int dir = reverse ? -1 : 1;
        int i = first + (int) Math.min(offset, offsets.length) * dir;
        for (; i >= 0 && i < offsets.length && limit-- != 0; i += dir) {
            if (!inRange.test(offsets[i])) break;
            emitListpack(offsets[i], sink);
            emitted++;
        }
        return emitted;
    }

    /** The same walk over the rank tree, from position {@code p}. */
    private long walkTree(RankTree.Position p, boolean reverse, long offset, long limit, ElementSink sink,
            Predicate<RankTree.Position> inRange) {
        long emitted = 0;
        for (long k = 0; k < offset && p.valid(); k++) step(p, reverse);
        for (; p.valid() && limit-- != 0; step(p, reverse)) {
            if (!inRange.test(p)) break;
            emit(p.member(), p.score(), sink);
            emitted++;
        }
        return emitted;
    }

    private boolean aboveMinAt(LexRange range, int off) {
        return range.aboveMin(listpack.array(), listpack.start(off), listpack.length(off));
    }

    private boolean belowMaxAt(LexRange range, int off) {
        return range.belowMax(listpack.array(), listpack.start(off), listpack.length(off));
    }

    /**
     * zzlIsInLexRange: an empty range, a last member below the start or a first member
     * past the end means nothing is in range, before any search.
     */
    private boolean lexRangeReachable(int[] offsets, LexRange range) {
        if (range.isEmpty() || offsets.length == 0) return false;
        return aboveMinAt(range, offsets[offsets.length - 1]) && belowMaxAt(range, offsets[0]);
    }

    private int firstInLexRange(int[] offsets, LexRange range) {
        if (!lexRangeReachable(offsets, range)) return -1;
        for (int i = 0; i < offsets.length; i++) {
            if (aboveMinAt(range, offsets[i])) return belowMaxAt(range, offsets[i]) ? i : -1;
        }
        return -1;
    }

    private int lastInLexRange(int[] offsets, LexRange range) {
        if (!lexRangeReachable(offsets, range)) return -1;
        for (int i = offsets.length - 1; i >= 0; i--) {
            if (belowMaxAt(range, offsets[i])) return aboveMinAt(range, offsets[i]) ? i : -1;
        }
        return -1;
    }

    private boolean treeLexReachable(LexRange range) {
        if (range.isEmpty() || tree.length() == 0) return false;
        return range.aboveMin(tree.last().member()) && range.belowMax(tree.first().member());
    }

    private RankTree.Position firstInLex(LexRange range) {
        if (!treeLexReachable(range)) return RankTree.Position.none();
        RankTree.Position p = tree.firstNotBelow((s, m) -> !range.aboveMin(m));
        if (p.valid() && !range.belowMax(p.member())) return RankTree.Position.none();
        return p;
    }

    private RankTree.Position lastInLex(LexRange range) {
        if (!treeLexReachable(range)) return RankTree.Position.none();
        RankTree.Position p = tree.lastWithin((s, m) -> range.belowMax(m));
        if (p.valid() && !range.aboveMin(p.member())) return RankTree.Position.none();
        return p;
    }

    /** The number of elements with scores in the range (ZCOUNT). */
    public long count(ScoreRange range) {
        if (listpack != null) {
            int[] offsets = memberOffsets();
            int i = firstInScoreRange(offsets, range);
            return i < 0 ? 0 : endOfScoreRange(offsets, i, range) - i;
        }
        RankTree.Position first = firstInRange(range);
        if (!first.valid()) return 0;
        RankTree.Position last = lastInRange(range);
        return tree.rank(last.score(), last.member()) - tree.rank(first.score(), first.member()) + 1;
    }

    /** The number of members in the range (ZLEXCOUNT). */
    public long count(LexRange range) {
        if (listpack != null) {
            int[] offsets = memberOffsets();
            int i = firstInLexRange(offsets, range);
            if (i < 0) return 0;
            long n = 0;
            for (; i < offsets.length && belowMaxAt(range, offsets[i]); i++) n++;
            return n;
        }
        RankTree.Position first = firstInLex(range);
        if (!first.valid()) return 0;
        long firstRank = tree.rank(first.score(), first.member());
        long count = tree.length() - firstRank;
        RankTree.Position last = lastInLex(range);
        if (last.valid()) count -= tree.length() - 1 - tree.rank(last.score(), last.member());
        return count;
    }

    // ---- removing ranges ---------------------------------------------------------------

    /** Removes the elements of ranks start..end (0-based, inclusive, within the set). */
    public long removeRangeByRank(long start, long end) {
        long n = end - start + 1;
        if (listpack != null) {
            listpack.delete(listpack.offsetOf(2 * (int) start), 2 * (int) n);
            return n;
        }
        byte[][] members = new byte[(int) n][];
        double[] scores = new double[(int) n];
        RankTree.Position p = tree.at(start);
        for (int i = 0; i < n; i++, p.next()) {
            members[i] = p.member();
            scores[i] = p.score();
        }
        removeFromSkiplist(members, scores, (int) n);
        return n;
    }

    /** Removes the elements with scores in the range; returns how many. */
    public long removeRange(ScoreRange range) {
        if (listpack != null) {
            int[] offsets = memberOffsets();
            int i = firstInScoreRange(offsets, range);
            if (i < 0) return 0;
            int j = endOfScoreRange(offsets, i, range);
            listpack.delete(offsets[i], 2 * (j - i));
            return j - i;
        }
        return removeFrom(firstInRange(range), (s, m) -> range.belowMax(s));
    }

    /** Removes the members in the range; returns how many. */
    public long removeRange(LexRange range) {
        if (listpack != null) {
            int[] offsets = memberOffsets();
            int i = firstInLexRange(offsets, range);
            if (i < 0) return 0;
            int j = i;
            while (j < offsets.length && belowMaxAt(range, offsets[j])) j++;
            listpack.delete(offsets[i], 2 * (j - i));
            return j - i;
        }
        return removeFrom(firstInLex(range), (s, m) -> range.belowMax(m));
    }

    /** Removes the elements from p on while {@code within} holds. */
    private long removeFrom(RankTree.Position p, RankTree.Bound within) {
        int n = 0;
        byte[][] members = new byte[16][];
        double[] scores = new double[16];
        for (; p.valid() && within.test(p.score(), p.member()); p.next()) {
            if (n == members.length) {
                members = Arrays.copyOf(members, n * 2);
                scores = Arrays.copyOf(scores, n * 2);
            }
            members[n] = p.member();
            scores[n++] = p.score();
        }
        removeFromSkiplist(members, scores, n);
        return n;
    }

    private void removeFromSkiplist(byte[][] members, double[] scores, int n) {
        for (int i = 0; i < n; i++) {
            table.remove(members[i]);
            tree.remove(scores[i], members[i]);
        }
    }

    /** Emits and removes the element with the lowest (or highest) score; the set must not be empty. */
    public void pop(boolean highest, ElementSink sink) {
        if (listpack != null) {
            int off = highest ? memberOffsets()[(int) size() - 1] : listpack.first();
            emitListpack(off, sink);
            listpack.delete(off, 2);
            return;
        }
        RankTree.Position p = highest ? tree.last() : tree.first();
        byte[] member = p.member();
        double score = p.score();
        emit(member, score, sink);
        table.remove(member);
        tree.remove(score, member);
    }

    // ---- walking, sampling, scanning ---------------------------------------------------

    /** Emits every element from the lowest score to the highest. */
    public void forEach(ElementSink sink) {
        if (listpack != null) {
            for (int off = listpack.first(); off < listpack.end(); off = listpack.next(listpack.next(off))) {
                emitListpack(off, sink);
            }
            return;
        }
        tree.forEach((m, s) -> emit(m, s, sink));
    }

    /** Emits every element from the highest score to the lowest (Redis's zuiNext order). */
    public void forEachDescending(ElementSink sink) {
        if (listpack != null) {
            int[] offsets = memberOffsets();
            for (int i = offsets.length - 1; i >= 0; i--) emitListpack(offsets[i], sink);
            return;
        }
        for (RankTree.Position p = tree.last(); p.valid(); p.prev()) emit(p.member(), p.score(), sink);
    }

    /** Emits one element picked at random. */
    public void random(ElementSink sink) {
        if (listpack != null) {
            int i = ThreadLocalRandom.current().nextInt((int) size());
            emitListpack(listpack.offsetOf(2 * i), sink);
            return;
        }
        MemberTable.Node<Double> node = table.random();
        emit(node.member(), node.value(), sink);
    }

    /**
     * One ZSCAN step over a skiplist's member table: emits member and score text pairs
     * (scores as {@code %.17g}, as Redis's scan callback prints a skiplist's scores).
     */
    public long scan(long cursor, Consumer<byte[]> emit) {
        return table.scan(cursor, (m, s) -> {
            emit.accept(m);
            emit.accept(NumberFormat.humanDouble(s).getBytes(StandardCharsets.US_ASCII));
        });
    }

    /**
     * A listpack's entries as ZSCAN returns them: each member and its score as stored
     * (so 1e17 shows as 100000000000000000 and -0 as 0).
     */
    public void listpackEntries(Consumer<byte[]> emit) {
        for (int off = listpack.first(); off < listpack.end(); off = listpack.next(off)) emit.accept(listpack.get(off));
    }

    /** Buckets of the member table (MEMORY USAGE); only for the skiplist encoding. */
    public int tableBuckets() {
        return table.buckets();
    }
}
