package dev.cairn.server;

import dev.cairn.config.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * {@code cairn-server [/path/to/redis.conf] [--directive value ...]}, with redis-server's
 * command line: the file (or {@code -} for stdin) is read first, then the options are
 * applied as if appended to it. {@code -v}/{@code --version} and {@code -h}/{@code --help}
 * behave as in redis-server.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        List<String> argv = Arrays.asList(args);
        if (!argv.isEmpty()) {
            switch (argv.getFirst()) {
                case "-v", "--version" -> {
                    System.out.println("Redis server v=" + Server.REDIS_VERSION + " sha=00000000:0 malloc=jvm bits=64 build=cairn-"
                            + Server.CAIRN_VERSION);
                    return;
                }
                case "-h", "--help" -> {
                    usage();
                    return;
                }
                default -> { }
            }
        }
        Config config = new Config();
        String fileText = "";
        String stdinText = null;
        String configPath = null;
        int optionsFrom = 0;
        if (!argv.isEmpty() && !argv.getFirst().startsWith("--")) {
            configPath = argv.getFirst();
            optionsFrom = 1;
            try {
                // Configuration is handled one char per byte (see Config.load).
                if (configPath.equals("-")) {
                    stdinText = new String(System.in.readAllBytes(), StandardCharsets.ISO_8859_1);
                    fileText = stdinText;
                } else {
                    fileText = Config.readConfigFile(Path.of(configPath));
                }
            } catch (IOException | Config.ConfigFileError e) {
                System.err.print(e instanceof Config.ConfigFileError f ? f.report(Server.REDIS_VERSION) : e + "\n");
                System.exit(1);
            }
            if (!configPath.equals("-")) config.configFile(Path.of(configPath).toAbsolutePath().toString());
        }
        List<String> options = new ArrayList<>(argv.subList(optionsFrom, argv.size()));
        String text = fileText + "\n" + Config.optionsToText(options);
        try {
            config.load(text);
        } catch (Config.ConfigFileError e) {
            System.err.print(e.report(Server.REDIS_VERSION));
            System.exit(1);
        }
        if (config.daemonize.value() && !Daemon.isDaemonChild()) {
            Daemon.detach(args, stdinText);
            return;
        }
        run(config, args.length == 0);
    }

    /** Redis's main after loading the configuration: start, announce, serve, shut down. */
    private static void run(Config config, boolean noArguments) throws Exception {
        Server server = new Server(config);
        Log log = server.log();
        long pid = ProcessHandle.current().pid();
        log.role('C');
        log.warning("oO0OoO0OoO0Oo Cairn is starting oO0OoO0OoO0Oo");
        log.warning("Cairn version=" + Server.CAIRN_VERSION + ", Redis version=" + Server.REDIS_VERSION
                + ", bits=64, pid=" + pid + ", just started");
        // As redis-server: any argument, even options alone, counts as a configuration.
        if (noArguments) {
            log.warning("Warning: no config file specified, using the default config. In order to specify a config "
                    + "file use cairn-server /path/to/redis.conf");
        } else {
            log.warning("Configuration loaded");
        }
        log.role('M');
        try {
            server.start();
        } catch (Exception e) {
            log.warning(e instanceof IOException ? e.getMessage() : "Could not start: " + e);
            System.exit(1);
        }
        handleShutdownSignals(server);
        Daemon.writePidFile(config, log);
        log.notice("Running mode=standalone, port=" + config.port.intValue() + ".");
        server.listeners().warnIfBacklogCapped();
        log.warning("Server initialized");
        if (server.listeners().listeningTcp()) log.notice("Ready to accept connections");
        if (server.listeners().listeningUnix()) {
            log.notice("The server is now ready to accept connections at " + config.unixsocket.value());
        }
        server.listeners().awaitTermination();
        System.exit(server.exitCode());
    }

    /**
     * SIGTERM and SIGINT shut the server down cleanly (exit status 0). As in Redis, a
     * second SIGINT while that shutdown is pending exits at once with status 1.
     */
    private static void handleShutdownSignals(Server server) {
        AtomicBoolean requested = new AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), s -> {
                boolean again = requested.getAndSet(true);
                if (again && name.equals("INT")) {
                    server.log().fromSignalHandler("You insist... exiting now.");
                    Runtime.getRuntime().halt(1);
                }
                server.log().fromSignalHandler("Received SIG" + name + " scheduling shutdown...");
                if (!again) server.listeners().commandLoop().execute(server::shutdownNow);
            });
        }
    }

    private static void usage() {
        System.err.println("""
                Usage: ./cairn-server [/path/to/redis.conf] [options] [-]
                       ./cairn-server - (read config from stdin)
                       ./cairn-server -v or --version
                       ./cairn-server -h or --help

                Examples:
                       ./cairn-server (run the server with default conf)
                       ./cairn-server /etc/redis/6379.conf
                       ./cairn-server --port 7777
                       ./cairn-server /etc/myredis.conf --loglevel verbose -""");
    }
}
