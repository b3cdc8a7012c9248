package dev.cairn.command;

import java.util.LinkedHashMap;
import java.util.ArrayList;
import dev.cairn.server.LatencyHistogram;
import dev.cairn.server.CommandStats;
import dev.cairn.config.Config;
import dev.cairn.protocol.Reply;
import dev.cairn.server.Client;
import dev.cairn.server.LatencyMonitor;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * LATENCY LATEST, HISTORY, RESET, GRAPH, DOCTOR and HELP over the server's
 * {@link LatencyMonitor}. The graph and the doctor's report are plain text, laid out as
 * Redis lays them out.
 */
final class LatencyCommand {
    private LatencyCommand() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("latency|latest", LatencyCommand::latest);
        h.put("latency|history", LatencyCommand::history);
        h.put("latency|reset", LatencyCommand::reset);
        h.put("latency|graph", LatencyCommand::graph);
        h.put("latency|doctor", c -> c.reply().verbatim(doctor(c)));
        h.put("latency|help", LatencyCommand::help);
        h.put("latency|histogram", LatencyCommand::histogram);
    }

    static void latest(Client c) {
        Map<String, LatencyMonitor.Series> events = c.server().latency().events();
        Reply r = c.reply();
        r.array(events.size());
        for (var e : events.entrySet()) {
            LatencyMonitor.Sample last = e.getValue().latest();
            r.array(4);
            r.bulk(e.getKey());
            r.integer(last.time());
            r.integer(last.millis());
            r.integer(e.getValue().allTimeMax());
        }
    }

    static void history(Client c) {
        LatencyMonitor.Series series = c.server().latency().series(c.argString(2));
        List<LatencyMonitor.Sample> samples = series == null ? List.of() : series.samples();
        Reply r = c.reply();
        r.array(samples.size());
        for (LatencyMonitor.Sample s : samples) {
            r.array(2);
            r.integer(s.time());
            r.integer(s.millis());
        }
    }

    static void reset(Client c) {
        LatencyMonitor monitor = c.server().latency();
        if (c.argc() == 2) {
            c.reply().integer(monitor.reset(null));
            return;
        }
        int resets = 0;
        for (int i = 2; i < c.argc(); i++) resets += monitor.reset(c.argString(i));
        c.reply().integer(resets);
    }

    /** The event's samples as an 80-column sparkline, labelled with their age. */
    static void graph(Client c) {
        String event = c.argString(2);
        LatencyMonitor.Series series = c.server().latency().series(event);
        if (series == null) throw new CommandError("ERR No samples available for event '" + event + "'");
        List<LatencyMonitor.Sample> samples = series.samples();
        long now = System.currentTimeMillis() / 1000;
        long min = 0;
        long max = 0;
        Sparkline chart = new Sparkline();
        for (int i = 0; i < samples.size(); i++) {
            LatencyMonitor.Sample s = samples.get(i);
            if (i == 0) {
                min = max = s.millis();
            } else {
                max = Math.max(max, s.millis());
                min = Math.min(min, s.millis());
            }
            chart.add(s.millis(), age(now - s.time()));
        }
        StringBuilder out = new StringBuilder();
        out.append(event).append(" - high ").append(max).append(" ms, low ").append(min)
                .append(" ms (all time high ").append(series.allTimeMax()).append(" ms)\n");
        out.append("-".repeat(Sparkline.COLUMNS)).append('\n');
        chart.render(out);
        c.reply().verbatim(out.toString());
    }

    /** How long ago, in the largest whole unit: 5s, 3m, 2h, 1d. */
    private static String age(long seconds) {
        if (seconds < 60) return seconds + "s";
        if (seconds < 3600) return seconds / 60 + "m";
        if (seconds < 86400) return seconds / 3600 + "h";
        return seconds / 86400 + "d";
    }

    /**
     * The LATENCY DOCTOR report: per event statistics, then the advice that applies to
     * the events seen (Redis's createLatencyReport, for the events Cairn records).
     */
    static String doctor(Client c) {
        Config config = c.server().config();
        Map<String, LatencyMonitor.Series> events = c.server().latency().events();
        long threshold = config.latencyMonitorThreshold.value();
        if (events.isEmpty() && threshold == 0) {
            return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may "
                    + "use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we "
                    + "weren't in a deep space mission I'd suggest to take a look at "
                    + "https://redis.io/topics/latency-monitor.\n";
        }
        StringBuilder report = new StringBuilder();
        boolean slowlogEnable = false;
        boolean slowlogTuning = false;
        boolean slowlogInspect = false;
        boolean scheduler = false;
        boolean hz = false;
        boolean largeObjects = false;
        boolean massEviction = false;
        int advices = 0;
        int number = 0;
        long now = System.currentTimeMillis() / 1000;
        for (var e : events.entrySet()) {
            String event = e.getKey();
            number++;
            if (number == 1) {
                report.append("Dave, I have observed latency spikes in this Redis instance. "
                        + "You don't mind talking about it, do you Dave?\n\n");
            }
            List<LatencyMonitor.Sample> samples = e.getValue().samples();
            long sum = 0;
            long oldest = 0;
            for (LatencyMonitor.Sample s : samples) {
                sum += s.millis();
                if (oldest == 0 || s.time() < oldest) oldest = s.time();
            }
            long avg = samples.isEmpty() ? 0 : sum / samples.size();
            long deviation = 0;
            for (LatencyMonitor.Sample s : samples) deviation += Math.abs(avg - s.millis());
            long mad = samples.isEmpty() ? 0 : deviation / samples.size();
            long period = samples.isEmpty() ? 0 : Math.max(now - oldest, 1);
            report.append(number).append(". ").append(event).append(": ").append(samples.size())
                    .append(" latency spikes (average ").append(avg).append("ms, mean deviation ").append(mad)
                    .append("ms, period ")
                    .append(new BigDecimal((double) period / samples.size()).setScale(2, RoundingMode.HALF_EVEN)
                            .toPlainString())
                    .append(" sec). Worst all time event ").append(e.getValue().allTimeMax()).append("ms.");
            switch (event.toLowerCase(Locale.ROOT)) {
                case "command" -> {
                    long slower = config.slowlogLogSlowerThan.value();
                    if (slower < 0) {
                        slowlogEnable = true;
                        advices++;
                    } else if (slower / 1000 > threshold) {
                        slowlogTuning = true;
                        advices++;
                    }
                    slowlogInspect = true;
                    largeObjects = true;
                    advices += 2;
                }
                case "fast-command" -> {
                    scheduler = true;
                    advices++;
                }
                case "expire-cycle" -> {
                    hz = true;
                    largeObjects = true;
                    advices += 2;
                }
                case "eviction-del" -> {
                    largeObjects = true;
                    advices++;
                }
                case "eviction-cycle" -> {
                    massEviction = true;
                    advices++;
                }
                default -> { }
            }
            report.append('\n');
        }
        if (number == 0 && advices == 0) {
            report.append("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the "
                    + "slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think "
                    + "things over.\n");
            return report.toString();
        }
        if (advices == 0) {
            report.append("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use "
                    + "the Redis community to get some help, providing this report in your help request.\n");
            return report.toString();
        }
        report.append("\nI have a few advices for you:\n\n");
        if (slowlogEnable) {
            report.append("- There are latency issues with potentially slow commands you are using. Try to enable "
                    + "the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ")
                    .append(threshold * 1000)
                    .append("'. If the Slow log is disabled Redis is not able to log slow commands execution for "
                            + "you.\n");
        }
        if (slowlogTuning) {
            report.append("- Your current Slow Log configuration only logs events that are slower than your "
                    + "configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ")
                    .append(threshold * 1000).append("'.\n");
        }
        if (slowlogInspect) {
            report.append("- Check your Slow Log to understand what are the commands you are running which are too "
                    + "slow to execute. Please check https://redis.io/commands/slowlog for more information.\n");
        }
        if (scheduler) {
            report.append("- The system is slow to execute Redis code paths not containing system calls. This "
                    + "usually means the system does not provide Redis CPU time to run for long periods. You should "
                    + "try to:\n"
                    + "  1) Lower the system load.\n"
                    + "  2) Use a computer / VM just for Redis if you are running other software in the same "
                    + "system.\n"
                    + "  3) Check if you have a \"noisy neighbour\" problem.\n"
                    + "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your "
                    + "system.\n"
                    + "  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you "
                    + "are using Jemalloc. However this may create fragmentation problems.\n");
        }
        if (hz && config.hz.value() < 100) {
            report.append("- In order to make the Redis keys expiring process more incremental, try to set the 'hz' "
                    + "configuration parameter to 100 using 'CONFIG SET hz 100'.\n");
        }
        if (largeObjects) {
            report.append("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a "
                    + "blocking operation. If you have very large objects that are often deleted, expired, or "
                    + "evicted, try to fragment those objects into multiple smaller objects.\n");
        }
        if (massEviction) {
            report.append("- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large "
                    + "objects via sets or sorted sets intersections, STORE option of SORT, Redis Cluster large "
                    + "keys migrations (RESTORE command), may create sudden memory pressure forcing the server to "
                    + "block trying to evict keys. \n");
        }
        return report.toString();
    }

    static void help(Client c) {
        SubcommandHelp.reply(c, "LATENCY",
                "DOCTOR",
                "    Return a human readable latency analysis report.",
                "GRAPH <event>",
                "    Return an ASCII latency graph for the <event> class.",
                "HISTORY <event>",
                "    Return time-latency samples for the <event> class.",
                "LATEST",
                "    Return the latest latency samples for all events.",
                "RESET [<event> ...]",
                "    Reset latency data of one or more <event> classes.",
                "    (default: reset all data for all event classes)",
                "HISTOGRAM [COMMAND ...]",
                "    Return a cumulative distribution of latencies in the format of a histogram for the specified "
                        + "command names.",
                "    If no commands are specified then all histograms are replied.");
    }

    /**
     * LATENCY HISTOGRAM [command ...]: each named command (every command when none is
     * named) with its subcommands, for those that have recorded calls: the call count
     * and the cumulative latency distribution. Unknown names are skipped, as in Redis.
     */
    static void histogram(Client c) {
        CommandTable table = c.server().commands();
        List<CommandSpec> chosen = new ArrayList<>();
        if (c.argc() == 2) {
            chosen.addAll(table.all());
        } else {
            for (int i = 2; i < c.argc(); i++) {
                CommandSpec spec = table.get(c.argString(i));
                if (spec != null && !chosen.contains(spec)) chosen.add(spec);
            }
        }
        Map<String, LatencyHistogram> histograms = new LinkedHashMap<>();
        for (CommandSpec spec : chosen) {
            addHistogram(c, spec, histograms);
            for (CommandSpec sub : spec.subcommands().values()) addHistogram(c, sub, histograms);
        }
        Reply r = c.reply();
        r.map(histograms.size());
        for (var e : histograms.entrySet()) {
            r.bulk(e.getKey());
            r.map(2);
            r.bulk("calls");
            r.integer(e.getValue().count());
            r.bulk("histogram_usec");
            List<long[]> points = e.getValue().cumulativeByPowersOfTwo();
            r.map(points.size());
            for (long[] p : points) {
                r.integer(p[0]);
                r.integer(p[1]);
            }
        }
    }

    private static void addHistogram(Client c, CommandSpec spec, Map<String, LatencyHistogram> into) {
        CommandStats stats = c.server().stats().commandStats().get(spec.name());
        if (stats != null && stats.latency() != null && stats.latency().count() > 0) into.put(spec.name(), stats.latency());
    }
}
