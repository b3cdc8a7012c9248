package dev.cairn.command;

import dev.cairn.keyspace.Entry;
import dev.cairn.keyspace.KeyEvent;
import dev.cairn.protocol.Numbers;
import dev.cairn.protocol.Reply;
import dev.cairn.server.Client;
import dev.cairn.types.MemberTable;
import dev.cairn.types.RankTree;
import dev.cairn.types.ValueType;
import dev.cairn.types.SetValue;
import dev.cairn.types.ZSetValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD (Redis's
 * zunionInterDiffGenericCommand). Inputs may be sorted sets or plain sets, whose members
 * count with score 1. The scores combine in Redis's order (inputs from the smallest,
 * each input's elements from the highest score), which decides the floating-point sums.
 */
final class ZSetAlgebra {
    private ZSetAlgebra() {}

    enum Operation { UNION, INTER, DIFF }

    enum Aggregate { SUM, MIN, MAX }

    static void register(Map<String, CommandHandler> h) {
        h.put("zunion", c -> run(c, null, 1, Operation.UNION, false));
        h.put("zinter", c -> run(c, null, 1, Operation.INTER, false));
        h.put("zdiff", c -> run(c, null, 1, Operation.DIFF, false));
        h.put("zintercard", c -> run(c, null, 1, Operation.INTER, true));
        h.put("zunionstore", c -> run(c, c.arg(1), 2, Operation.UNION, false));
        h.put("zinterstore", c -> run(c, c.arg(1), 2, Operation.INTER, false));
        h.put("zdiffstore", c -> run(c, c.arg(1), 2, Operation.DIFF, false));
    }

    /** One input: its size, its elements (highest score first) and lookups. */
    private interface Source {
        long size();

        /** The member's score here, or null. */
        Double find(byte[] member);

        void forEach(ZSetValue.ElementSink sink);
    }

    private record ZSetSource(ZSetValue z) implements Source {
        @Override
        public long size() {
            return z.size();
        }

        @Override
        public Double find(byte[] member) {
            return z.score(member);
        }

        @Override
        public void forEach(ZSetValue.ElementSink sink) {
            z.forEachDescending(sink);
        }
    }

    /** A missing key: an empty input. */
    private static final Source EMPTY = new Source() {
        @Override
        public long size() {
            return 0;
        }

        @Override
        public Double find(byte[] member) {
            return null;
        }

        @Override
        public void forEach(ZSetValue.ElementSink sink) {}
    };

    /** An input and its weight. */
    private record Input(Source source, double weight) {}

    /** The input at a key: a sorted set, a plain set, or nothing; WRONGTYPE for the rest. */
    private static Source sourceOf(Object value) {
        if (value instanceof ZSetValue z) return new ZSetSource(z);
        if (value instanceof SetValue set) return new SetSource(set);
        throw new CommandError(ValueType.WRONGTYPE);
    }

    /** A plain set as an input: each member with score 1. */
    private record SetSource(SetValue set) implements Source {
        @Override
        public long size() {
            return set.size();
        }

        @Override
        public Double find(byte[] member) {
            return set.contains(member) ? 1.0 : null;
        }

        @Override
        public void forEach(ZSetValue.ElementSink sink) {
            set.forEach(member -> sink.accept(member, 0, member.length, 1.0));
        }
    }

    /** The elements of a result, sortable into Redis's order. */
    private record Element(byte[] member, double score) {}

    private static final Comparator<Element> ORDER =
            (a, b) -> RankTree.compare(a.score, a.member, b.score, b.member);

    static void run(Client c, byte[] destination, int numkeysIndex, Operation op, boolean cardinalityOnly) {
        long setnum = c.argLong(numkeysIndex);
        if (setnum < 1) {
            throw new CommandError("ERR at least 1 input key is needed for '" + c.command().name() + "' command");
        }
        if (setnum > c.argc() - (numkeysIndex + 1)) throw new CommandError(CommandError.SYNTAX);
        int n = (int) setnum;
        Source[] sources = new Source[n];
        double[] weights = new double[n];
        int j = numkeysIndex + 1;
        for (int i = 0; i < n; i++, j++) {
            Entry e = c.db().lookupRead(c.arg(j));
            sources[i] = e == null ? EMPTY : sourceOf(e.value());
            weights[i] = 1;
        }
        Aggregate aggregate = Aggregate.SUM;
        boolean withScores = false;
        long limit = 0;
        while (j < c.argc()) {
            int remaining = c.argc() - j;
            boolean weighted = op != Operation.DIFF && !cardinalityOnly;
            if (weighted && remaining >= n + 1 && c.argIs(j, "weights")) {
                j++;
                for (int i = 0; i < n; i++, j++) weights[i] = ZSetCommands.score(c, j, "ERR weight value is not a float");
            } else if (weighted && remaining >= 2 && c.argIs(j, "aggregate")) {
                j++;
                if (c.argIs(j, "sum")) aggregate = Aggregate.SUM;
                else if (c.argIs(j, "min")) aggregate = Aggregate.MIN;
                else if (c.argIs(j, "max")) aggregate = Aggregate.MAX;
                else throw new CommandError(CommandError.SYNTAX);
                j++;
            } else if (destination == null && !cardinalityOnly && c.argIs(j, "withscores")) {
                j++;
                withScores = true;
            } else if (cardinalityOnly && remaining >= 2 && c.argIs(j, "limit")) {
                Long l = Numbers.parseStrictLong(c.arg(j + 1));
                if (l == null || l < 0) throw new CommandError("ERR LIMIT can't be negative");
                limit = l;
                j += 2;
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        List<Input> inputs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) inputs.add(new Input(sources[i], weights[i]));
        // Smallest first, keeping the given order among equals (a stable sort, as glibc's qsort).
        if (op != Operation.DIFF) inputs.sort(Comparator.comparingLong(in -> in.source().size()));

        if (cardinalityOnly) {
            c.reply().integer(intersectionSize(inputs, limit));
            return;
        }
        List<Element> result = switch (op) {
            case INTER -> intersection(inputs, aggregate);
            case UNION -> union(inputs, aggregate);
            case DIFF -> difference(inputs);
        };
        result.sort(ORDER);
        if (destination != null) {
            store(c, destination, op, result);
            return;
        }
        Reply r = c.reply();
        r.array(withScores && !r.resp3() ? result.size() * 2L : result.size());
        ZSetValue.ElementSink out = ZSetCommands.elementReply(r, withScores);
        for (Element e : result) out.accept(e.member, 0, e.member.length, e.score);
    }

    private static void store(Client c, byte[] destination, Operation op, List<Element> result) {
        if (result.isEmpty()) {
            c.reply().integer(0);
            ZSetCommands.deleteDestination(c, c.db(), destination);
            return;
        }
        int n = result.size();
        byte[][] members = new byte[n][];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            members[i] = result.get(i).member;
            scores[i] = result.get(i).score;
        }
        ZSetValue value = ZSetValue.fromSorted(members, scores, n, ZSetCommands.limits(c));
        c.db().set(destination, value, false);
        c.reply().integer(n);
        String event = switch (op) {
            case UNION -> "zunionstore";
            case INTER -> "zinterstore";
            case DIFF -> "zdiffstore";
        };
        c.server().keyModified(c.db(), destination, KeyEvent.ZSET, event);
    }

    /** Redis's zunionInterAggregate: a sum that comes out NaN (inf + -inf) is 0. */
    private static double aggregate(double target, double value, Aggregate how) {
        return switch (how) {
            case SUM -> {
                double sum = target + value;
                yield Double.isNaN(sum) ? 0 : sum;
            }
            case MIN -> value < target ? value : target;
            case MAX -> value > target ? value : target;
        };
    }

    /** The weighted score an input gives its element, NaN (inf times 0) counting as 0. */
    private static double weighted(double score, double weight) {
        double v = weight * score;
        return Double.isNaN(v) ? 0 : v;
    }

    private static List<Element> intersection(List<Input> inputs, Aggregate how) {
        List<Element> out = new ArrayList<>();
        walkIntersection(inputs, how, (member, score) -> {
            out.add(new Element(member, score));
            return true;
        });
        return out;
    }

    private static long intersectionSize(List<Input> inputs, long limit) {
        long[] count = {0};
        walkIntersection(inputs, Aggregate.SUM, (member, score) -> ++count[0] != limit);
        return count[0];
    }

    /** Receives an element of the intersection; returns false to stop. */
    private interface Found {
        boolean accept(byte[] member, double score);
    }

    /** The elements of the smallest input that every other input holds. */
    private static void walkIntersection(List<Input> inputs, Aggregate how, Found found) {
        Input first = inputs.getFirst();
        if (first.source().size() == 0) return;
        boolean[] stopped = {false};
        first.source().forEach((buf, off, len, s) -> {
            if (stopped[0]) return;
            byte[] member = ZSetCommands.memberBytes(buf, off, len);
            double score = weighted(s, first.weight());
            for (int k = 1; k < inputs.size(); k++) {
                Input in = inputs.get(k);
                double value;
                if (in.source().equals(first.source())) {
                    value = s * in.weight();
                } else {
                    Double there = in.source().find(member);
                    if (there == null) return;
                    value = there * in.weight();
                }
                score = aggregate(score, value, how);
            }
            if (!found.accept(member, score)) stopped[0] = true;
        });
    }

    private static List<Element> union(List<Input> inputs, Aggregate how) {
        MemberTable<double[]> accumulator = new MemberTable<>();
        List<byte[]> order = new ArrayList<>();
        for (Input in : inputs) {
            in.source().forEach((buf, off, len, s) -> {
                byte[] member = ZSetCommands.memberBytes(buf, off, len);
                double score = weighted(s, in.weight());
                double[] existing = accumulator.get(member);
                if (existing == null) {
                    accumulator.insert(member, new double[] {score});
                    order.add(member);
                } else {
                    existing[0] = aggregate(existing[0], score, how);
                }
            });
        }
        List<Element> out = new ArrayList<>(order.size());
        for (byte[] member : order) out.add(new Element(member, accumulator.get(member)[0]));
        return out;
    }

    /** The first input's elements that no other input holds (with the first's scores). */
    private static List<Element> difference(List<Input> inputs) {
        List<Element> out = new ArrayList<>();
        Source first = inputs.getFirst().source();
        first.forEach((buf, off, len, s) -> {
            byte[] member = ZSetCommands.memberBytes(buf, off, len);
            for (int k = 1; k < inputs.size(); k++) {
                Source other = inputs.get(k).source();
                if (other.equals(first) || other.find(member) != null) return;
            }
            out.add(new Element(member, s));
        });
        return out;
    }
}
