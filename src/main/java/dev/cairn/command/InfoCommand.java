package dev.cairn.command;

import dev.cairn.config.Setting;
import dev.cairn.keyspace.Database;
import dev.cairn.server.Client;
import dev.cairn.server.ClientInfo;
import dev.cairn.server.CommandStats;
import dev.cairn.server.LatencyHistogram;
import dev.cairn.server.ProcessMemory;
import dev.cairn.persistence.RdbPersistence;
import dev.cairn.server.Server;
import dev.cairn.server.ServerStats;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * INFO [section ...]: the server's state as Redis 7.0 reports it, section by section,
 * with every field Redis prints in the same order. Figures describe Cairn: memory comes
 * from the JVM, and subsystems Cairn does not have (replicas, persistence in progress,
 * scripting, pub/sub, defragmentation...) report the values of a Redis that never used
 * them. Fields Redis prints only in a particular state (a replica's master_host, AOF
 * details when AOF is on, loading progress) are absent because the state cannot occur.
 *
 * <p>Section names are case-insensitive; {@code default} is the usual set, {@code all}
 * adds commandstats and latencystats, {@code everything} is all (no modules to add to
 * it). An unknown section yields nothing. The reply is a verbatim string in RESP3.
 */
final class InfoCommand {
    /** One INFO section: its name and header, and what writes its fields. */
    private record Section(String name, String title, BiConsumer<Server, Lines> writer) {}

    /** In Redis's output order. */
    private static final List<Section> SECTIONS = List.of(
            new Section("server", "Server", InfoCommand::server),
            new Section("clients", "Clients", InfoCommand::clients),
            new Section("memory", "Memory", InfoCommand::memory),
            new Section("persistence", "Persistence", InfoCommand::persistence),
            new Section("stats", "Stats", InfoCommand::stats),
            new Section("replication", "Replication", InfoCommand::replication),
            new Section("cpu", "CPU", InfoCommand::cpu),
            new Section("modules", "Modules", (s, out) -> { }),
            new Section("commandstats", "Commandstats", InfoCommand::commandStats),
            new Section("errorstats", "Errorstats", InfoCommand::errorStats),
            new Section("latencystats", "Latencystats", InfoCommand::latencyStats),
            new Section("cluster", "Cluster", InfoCommand::cluster),
            new Section("keyspace", "Keyspace", InfoCommand::keyspace));

    /** What INFO without arguments (or "default") shows; "module_list" names the modules section. */
    private static final Set<String> DEFAULT = Set.of(
            "server", "clients", "memory", "persistence", "stats", "replication", "cpu", "module_list",
            "errorstats", "cluster", "keyspace");

    /** Characters that would break the "name:value" line format, replaced by '_' in names. */
    private static final String UNSAFE_NAME_CHARS = "#:\n\r";

    private InfoCommand() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("info", InfoCommand::info);
    }

    static void info(Client c) {
        Set<String> wanted = new HashSet<>();
        boolean all = false;
        if (c.argc() == 1) wanted.addAll(DEFAULT);
        for (int i = 1; i < c.argc(); i++) {
            String name = c.argString(i).toLowerCase(Locale.ROOT);
            switch (name) {
                case "default" -> wanted.addAll(DEFAULT);
                case "all", "everything" -> all = true;
                default -> wanted.add(name);
            }
        }
        c.reply().verbatim(render(c.server(), wanted, all));
    }

    static String render(Server server, Set<String> wanted, boolean all) {
        Lines out = new Lines();
        boolean first = true;
        for (Section s : SECTIONS) {
            boolean selected = all || wanted.contains(s.name())
                    || (s.name().equals("modules") && wanted.contains("module_list"));
            if (!selected) continue;
            if (!first) out.sb.append("\r\n");
            first = false;
            out.sb.append("# ").append(s.title()).append("\r\n");
            s.writer().accept(server, out);
        }
        return out.sb.toString();
    }

    // ---- sections ------------------------------------------------------------------

    private static void server(Server s, Lines out) {
        Instant now = Instant.now();
        long uptime = (now.toEpochMilli() - s.startMillis()) / 1000;
        String arch = System.getProperty("os.arch");
        if (arch.equals("amd64")) arch = "x86_64";
        out.field("redis_version", Server.REDIS_VERSION);
        out.field("redis_git_sha1", "00000000");
        out.field("redis_git_dirty", 0);
        out.field("redis_build_id", "cairn-" + Server.CAIRN_VERSION);
        out.field("redis_mode", "standalone");
        out.field("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + arch);
        out.field("arch_bits", 64);
        // System.nanoTime reads CLOCK_MONOTONIC through clock_gettime on POSIX systems.
        out.field("monotonic_clock", "POSIX clock_gettime");
        out.field("multiplexing_api", s.listeners().nativeTransport() ? "epoll" : "nio");
        out.field("atomicvar_api", "jvm");
        // Redis prints 0.0.0 when it was not built by GCC.
        out.field("gcc_version", "0.0.0");
        out.field("process_id", ProcessHandle.current().pid());
        out.field("process_supervised", "no");
        out.field("run_id", s.runId());
        out.field("tcp_port", s.config().port.value());
        out.field("server_time_usec", now.getEpochSecond() * 1_000_000 + now.getNano() / 1000);
        out.field("uptime_in_seconds", uptime);
        out.field("uptime_in_days", uptime / (3600 * 24));
        out.field("hz", s.config().hz.value());
        out.field("configured_hz", s.config().hz.value());
        out.field("lru_clock", s.keyspace().clock().lruNow());
        out.field("executable", ProcessHandle.current().info().command().orElse(""));
        out.field("config_file", s.config().configFile() == null ? "" : s.config().configFile());
        out.field("io_threads_active", 0);
    }

    private static void clients(Server s, Lines out) {
        long maxInput = 0;
        long maxOutput = 0;
        for (Client c : s.clients().all()) {
            maxInput = Math.max(maxInput, c.queryBufferLength());
            maxOutput = Math.max(maxOutput, c.pendingReplyBytes() + c.socketPendingBytes());
        }
        out.field("connected_clients", s.clients().count());
        out.field("cluster_connections", 0);
        out.field("maxclients", s.config().maxclients.value());
        out.field("client_recent_max_input_buffer", maxInput);
        out.field("client_recent_max_output_buffer", maxOutput);
        out.field("blocked_clients", s.clientPause().postponedCount() + s.blockedClients().count());
        out.field("tracking_clients", s.tracking().clientCount());
        out.field("clients_in_timeout_table", s.blockedClients().withTimeoutCount());
    }

    private static void memory(Server s, Lines out) {
        ServerStats stats = s.stats();
        // used_memory is the estimate maxmemory is enforced against (see Eviction); the
        // allocator_* fields are the JVM's own heap figures.
        long clientsMemory = s.eviction().refreshClientsMemory();
        long used = s.eviction().usedMemory();
        long heap = ProcessMemory.usedMemory();
        long rss = ProcessMemory.residentSetSize();
        long active = ProcessMemory.committedHeap();
        long system = ProcessMemory.totalSystemMemory();
        stats.peakMemory = Math.max(stats.peakMemory, used);
        long peak = stats.peakMemory;
        long startup = s.eviction().startupMemory();
        // As Redis: the scripts' caches are overhead; the Lua states are in no figure but their own.
        long overhead = startup + clientsMemory + s.scripting().scriptsMemory();
        long dataset = Math.max(0, used - overhead);
        long netUsage = used > startup ? used - startup : 1;
        long maxmemory = s.config().maxmemory.value();
        out.field("used_memory", used);
        out.field("used_memory_human", human(used));
        out.field("used_memory_rss", rss);
        out.field("used_memory_rss_human", human(rss));
        out.field("used_memory_peak", peak);
        out.field("used_memory_peak_human", human(peak));
        out.field("used_memory_peak_perc", format("%.2f%%", (float) used * 100 / peak));
        out.field("used_memory_overhead", overhead);
        out.field("used_memory_startup", startup);
        out.field("used_memory_dataset", dataset);
        out.field("used_memory_dataset_perc", format("%.2f%%", (float) dataset * 100 / netUsage));
        out.field("allocator_allocated", heap);
        out.field("allocator_active", active);
        out.field("allocator_resident", rss);
        out.field("total_system_memory", system);
        out.field("total_system_memory_human", human(system));
        var scripting = s.scripting();
        long luaEval = scripting.evalLuaMemory();
        long luaFunctions = scripting.functionsLuaMemory();
        long scriptsEval = scripting.cachedScriptsMemory();
        long functionsMemory = scripting.functionsMemory();
        out.field("used_memory_lua", luaEval);
        out.field("used_memory_vm_eval", luaEval);
        out.field("used_memory_lua_human", human(luaEval));
        out.field("used_memory_scripts_eval", scriptsEval);
        out.field("number_of_cached_scripts", scripting.cachedScriptCount());
        out.field("number_of_functions", scripting.functionCount());
        out.field("number_of_libraries", scripting.libraryCount());
        out.field("used_memory_vm_functions", luaFunctions);
        out.field("used_memory_vm_total", luaEval + luaFunctions);
        out.field("used_memory_vm_total_human", human(luaEval + luaFunctions));
        out.field("used_memory_functions", functionsMemory);
        out.field("used_memory_scripts", scriptsEval + functionsMemory);
        out.field("used_memory_scripts_human", human(scriptsEval + functionsMemory));
        out.field("maxmemory", maxmemory);
        out.field("maxmemory_human", human(maxmemory));
        out.field("maxmemory_policy", s.config().maxmemoryPolicy.value());
        out.field("allocator_frag_ratio", ratio(active, heap));
        out.field("allocator_frag_bytes", active - heap);
        out.field("allocator_rss_ratio", ratio(rss, active));
        out.field("allocator_rss_bytes", rss - active);
        out.field("rss_overhead_ratio", ratio(rss, rss));
        out.field("rss_overhead_bytes", 0);
        out.field("mem_fragmentation_ratio", ratio(rss, used));
        out.field("mem_fragmentation_bytes", rss - used);
        out.field("mem_not_counted_for_evict", 0);
        out.field("mem_replication_backlog", 0);
        out.field("mem_total_replication_buffers", 0);
        out.field("mem_clients_slaves", 0);
        out.field("mem_clients_normal", clientsMemory);
        out.field("mem_cluster_links", 0);
        out.field("mem_aof_buffer", 0);
        out.field("mem_allocator", "jvm");
        out.field("active_defrag_running", 0);
        out.field("lazyfree_pending_objects", 0);
        out.field("lazyfreed_objects", 0);
    }

    /**
     * Redis's persistence fields. A BGSAVE here is a snapshot walk, not a fork: its
     * "copy-on-write" size is the bytes of changed keys and of the file not yet on disk.
     */
    private static void persistence(Server s, Lines out) {
        RdbPersistence rdb = s.rdb();
        long processed = rdb.currentKeysProcessed();
        long total = rdb.currentKeysTotal();
        out.field("loading", 0);
        out.field("async_loading", 0);
        out.field("current_cow_peak", rdb.currentPendingBytes());
        out.field("current_cow_size", rdb.currentPendingBytes());
        out.field("current_cow_size_age", 0);
        out.field("current_fork_perc", String.format("%.2f", total == 0 ? 0.0 : 100.0 * processed / total));
        out.field("current_save_keys_processed", processed);
        out.field("current_save_keys_total", total);
        out.field("rdb_changes_since_last_save", rdb.changesSinceLastSave());
        out.field("rdb_bgsave_in_progress", rdb.inProgress() ? 1 : 0);
        out.field("rdb_last_save_time", rdb.lastSaveSeconds());
        out.field("rdb_last_bgsave_status", rdb.lastBgsaveOk() ? "ok" : "err");
        out.field("rdb_last_bgsave_time_sec", rdb.lastBgsaveSeconds());
        out.field("rdb_current_bgsave_time_sec", rdb.currentBgsaveSeconds());
        out.field("rdb_saves", rdb.saves());
        out.field("rdb_last_cow_size", rdb.lastPendingPeak());
        out.field("rdb_last_load_keys_expired", rdb.lastLoad().keysExpired());
        out.field("rdb_last_load_keys_loaded", rdb.lastLoad().keysLoaded());
        s.aof().info(out::field);
    }

    private static void stats(Server s, Lines out) {
        ServerStats st = s.stats();
        out.field("total_connections_received", st.connectionsReceived);
        out.field("total_commands_processed", st.commandsProcessed);
        out.field("instantaneous_ops_per_sec", st.instantaneousOps());
        out.field("total_net_input_bytes", st.netInputBytes);
        out.field("total_net_output_bytes", st.netOutputBytes);
        out.field("total_net_repl_input_bytes", 0);
        out.field("total_net_repl_output_bytes", 0);
        out.field("instantaneous_input_kbps", format("%.2f", (float) st.instantaneousInputBytes() / 1024));
        out.field("instantaneous_output_kbps", format("%.2f", (float) st.instantaneousOutputBytes() / 1024));
        out.field("instantaneous_input_repl_kbps", "0.00");
        out.field("instantaneous_output_repl_kbps", "0.00");
        out.field("rejected_connections", st.rejectedConnections);
        out.field("sync_full", 0);
        out.field("sync_partial_ok", 0);
        out.field("sync_partial_err", 0);
        out.field("expired_keys", st.expiredKeys);
        out.field("expired_stale_perc", format("%.2f", (double) s.activeExpiry().stalePercent()));
        out.field("expired_time_cap_reached_count", 0);
        out.field("expire_cycle_cpu_milliseconds", 0);
        out.field("evicted_keys", st.evictedKeys);
        out.field("evicted_clients", st.evictedClients);
        out.field("total_eviction_exceeded_time", st.totalEvictionExceededMillis());
        out.field("current_eviction_exceeded_time", st.currentEvictionExceededMillis());
        out.field("keyspace_hits", st.keyspaceHits);
        out.field("keyspace_misses", st.keyspaceMisses);
        out.field("pubsub_channels", s.pubsub().channelCount());
        out.field("pubsub_patterns", s.pubsub().patternCount());
        out.field("pubsubshard_channels", s.pubsub().shardChannelCount());
        out.field("latest_fork_usec", 0);
        out.field("total_forks", 0);
        out.field("migrate_cached_sockets", 0);
        out.field("slave_expires_tracked_keys", 0);
        out.field("active_defrag_hits", 0);
        out.field("active_defrag_misses", 0);
        out.field("active_defrag_key_hits", 0);
        out.field("active_defrag_key_misses", 0);
        out.field("total_active_defrag_time", 0);
        out.field("current_active_defrag_time", 0);
        out.field("tracking_total_keys", s.tracking().totalKeys());
        out.field("tracking_total_items", s.tracking().totalItems());
        out.field("tracking_total_prefixes", s.tracking().totalPrefixes());
        out.field("unexpected_error_replies", st.unexpectedErrorReplies);
        out.field("total_error_replies", st.totalErrorReplies);
        out.field("dump_payload_sanitizations", 0);
        out.field("total_reads_processed", st.totalReadsProcessed);
        out.field("total_writes_processed", st.totalWritesProcessed);
        out.field("io_threaded_reads_processed", st.ioReadsProcessed);
        out.field("io_threaded_writes_processed", st.ioWritesProcessed);
        out.field("reply_buffer_shrinks", 0);
        out.field("reply_buffer_expands", 0);
    }

    /** A master without replicas and without a backlog. */
    private static void replication(Server s, Lines out) {
        out.field("role", "master");
        out.field("connected_slaves", 0);
        out.field("master_failover_state", "no-failover");
        out.field("master_replid", s.replicationId());
        out.field("master_replid2", "0".repeat(40));
        out.field("master_repl_offset", 0);
        out.field("second_repl_offset", -1);
        out.field("repl_backlog_active", 0);
        out.field("repl_backlog_size", setting(s, "repl-backlog-size", "1048576"));
        out.field("repl_backlog_first_byte_offset", 0);
        out.field("repl_backlog_histlen", 0);
    }

    private static void cpu(Server s, Lines out) {
        long[] ticks = processCpuTicks();
        long hz = 100; // USER_HZ: the unit of /proc/<pid>/stat times on Linux
        out.field("used_cpu_sys", seconds(ticks[1] * 1_000_000_000L / hz));
        out.field("used_cpu_user", seconds(ticks[0] * 1_000_000_000L / hz));
        out.field("used_cpu_sys_children", seconds(ticks[3] * 1_000_000_000L / hz));
        out.field("used_cpu_user_children", seconds(ticks[2] * 1_000_000_000L / hz));
        // INFO runs on the command thread, Cairn's main thread.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu = Math.max(0, threads.getCurrentThreadCpuTime());
        long user = Math.max(0, threads.getCurrentThreadUserTime());
        out.field("used_cpu_sys_main_thread", seconds(Math.max(0, cpu - user)));
        out.field("used_cpu_user_main_thread", seconds(user));
    }

    private static void commandStats(Server s, Lines out) {
        forEachCommand(s, (name, cs) -> {
            if (cs.calls() == 0 && cs.failedCalls() == 0 && cs.rejectedCalls() == 0) return;
            out.sb.append("cmdstat_").append(safeName(name)).append(":calls=").append(cs.calls())
                    .append(",usec=").append(cs.microseconds())
                    .append(",usec_per_call=").append(format("%.2f", cs.calls() == 0 ? 0f : (float) cs.microseconds() / cs.calls()))
                    .append(",rejected_calls=").append(cs.rejectedCalls())
                    .append(",failed_calls=").append(cs.failedCalls()).append("\r\n");
        });
    }

    private static void errorStats(Server s, Lines out) {
        for (var e : s.stats().errorStats().entrySet()) {
            out.sb.append("errorstat_").append(safeName(e.getKey())).append(":count=").append(e.getValue()).append("\r\n");
        }
    }

    private static void latencyStats(Server s, Lines out) {
        if (!s.latencyTracking()) return;
        List<Double> percentiles = percentiles(s);
        forEachCommand(s, (name, cs) -> {
            LatencyHistogram h = cs.latency();
            if (h == null) return;
            out.sb.append("latency_percentiles_usec_").append(safeName(name)).append(':');
            for (int i = 0; i < percentiles.size(); i++) {
                if (i > 0) out.sb.append(',');
                double p = percentiles.get(i);
                out.sb.append('p').append(percentileLabel(p)).append('=')
                        .append(format("%.3f", h.valueAtPercentile(p) / 1000.0));
            }
            out.sb.append("\r\n");
        });
    }

    private static void cluster(Server s, Lines out) {
        out.field("cluster_enabled", setting(s, "cluster-enabled", "no").equals("yes") ? 1 : 0);
    }

    private static void keyspace(Server s, Lines out) {
        for (int i = 0; i < s.keyspace().count(); i++) {
            Database db = s.keyspace().db(i);
            long keys = db.size();
            long expires = db.expiresCount();
            if (keys == 0 && expires == 0) continue;
            out.sb.append("db").append(i).append(":keys=").append(keys).append(",expires=").append(expires)
                    .append(",avg_ttl=").append(averageTtl(s, db)).append("\r\n");
        }
    }

    // ---- figures -------------------------------------------------------------------

    /** Keys sampled to estimate a database's average TTL. */
    private static final int TTL_SAMPLES = 32;

    /**
     * The average remaining TTL in milliseconds of keys with one, estimated from a
     * random sample like Redis's (which samples during active expiry); 0 if none.
     */
    private static long averageTtl(Server s, Database db) {
        long now = s.keyspace().clock().nowMillis();
        long sum = 0;
        int n = 0;
        for (int i = 0; i < TTL_SAMPLES && db.expiresCount() > 0; i++) {
            var e = db.randomExpiring();
            if (e == null) break;
            long ttl = e.expireAt() - now;
            if (ttl > 0) {
                sum += ttl;
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    /** Every command and subcommand with its counters, in command table order. */
    private static void forEachCommand(Server s, BiConsumer<String, CommandStats> action) {
        Map<String, CommandStats> stats = s.stats().commandStats();
        List<CommandSpec> specs = new ArrayList<>();
        for (CommandSpec spec : s.commands().all()) {
            specs.add(spec);
            specs.addAll(spec.subcommands().values());
        }
        for (CommandSpec spec : specs) {
            CommandStats cs = stats.get(spec.name());
            if (cs != null) action.accept(spec.name(), cs);
        }
    }

    private static List<Double> percentiles(Server s) {
        return s.config().latencyTrackingInfoPercentiles.value();
    }

    /** 50 -> "50", 99.9 -> "99.9": %f with trailing zeros (and a bare point) removed. */
    static String percentileLabel(double p) {
        String text = format("%f", p);
        if (text.indexOf('.') < 0) return text;
        text = text.replaceAll("0+$", "");
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    /**
     * A directive's value when the configuration has it, else Redis's default: for the
     * fields of features not built yet (maxmemory, replication backlog, cluster), whose
     * directives are still unknown to Config.
     */
    private static String setting(Server s, String name, String fallback) {
        Setting setting = s.config().find(name);
        return setting == null ? fallback : setting.get();
    }

    /** Redis's bytesToHuman: B below 1K, then K, M, G, T, P with two decimals. */
    static String human(long n) {
        String[] units = {"K", "M", "G", "T", "P"};
        if (n < 1024) return n + "B";
        double d = n;
        for (String unit : units) {
            d /= 1024;
            if (d < 1024) return format("%.2f", d) + unit;
        }
        return n + "B";
    }

    private static String ratio(long a, long b) {
        return format("%.2f", b == 0 ? 0f : (float) a / b);
    }

    /** Nanoseconds as seconds with six decimals, the %ld.%06ld of a timeval. */
    private static String seconds(long nanos) {
        long micros = nanos / 1000;
        return (micros / 1_000_000) + "." + String.format(Locale.ROOT, "%06d", micros % 1_000_000);
    }

    /** utime, stime, cutime, cstime of this process in clock ticks, or zeros off Linux. */
    private static long[] processCpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // Fields after the parenthesised command name, which may itself hold spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            // f[0] is field 3 (state); utime..cstime are fields 14..17.
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
        } catch (IOException | RuntimeException e) {
            return new long[4];
        }
    }

    private static String safeName(String name) {
        StringBuilder sb = new StringBuilder(name);
        for (int i = 0; i < sb.length(); i++) {
            if (UNSAFE_NAME_CHARS.indexOf(sb.charAt(i)) >= 0) sb.setCharAt(i, '_');
        }
        return sb.toString();
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    /** The text being built, with a "name:value" line writer. */
    private static final class Lines {
        final StringBuilder sb = new StringBuilder(4096);

        void field(String name, Object value) {
            sb.append(name).append(':').append(value).append("\r\n");
        }
    }
}
