package dev.cairn.server;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connected clients: admission (maxclients, protected mode), the id counter, the
 * list CLIENT LIST walks, and the set of clients with output to flush before the event
 * loop sleeps (Redis's clients_pending_write). Command thread only.
 */
public final class Clients {
    static final String MAX_CLIENTS = "ERR max number of clients reached";
    static final String PROTECTED_MODE = "DENIED Redis is running in protected mode because protected mode is "
            + "enabled and no password is set for the default user. In this mode connections are only accepted "
            + "from the loopback interface. If you want to connect from external computers to Redis you may "
            + "adopt one of the following solutions: 1) Just disable protected mode sending the command "
            + "'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same "
            + "host the server is running, however MAKE SURE Redis is not publicly accessible from internet if "
            + "you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just "
            + "disable the protected mode by editing the Redis configuration file, and setting the protected "
            + "mode option to 'no', and then restarting the server. 3) If you started the server manually just "
            + "for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication "
            + "password for the default user. NOTE: You only need to do one of the above things in order for "
            + "the server to start accepting connections from the outside.";

    private final Server server;
    private final ClientEviction eviction;
    private final Map<Long, Client> byId = new LinkedHashMap<>();
    private final List<Client> pendingFlush = new ArrayList<>();
    private long nextId = 1;
    private int flushRound = 1;
    private boolean flushScheduled;
    private final Runnable flushScheduledTask = () -> {
        flushScheduled = false;
        flushPending();
    };

    Clients(Server server) {
        this.server = server;
        this.eviction = new ClientEviction(server);
    }

    /** maxmemory-clients: the running total of the clients' memory and the eviction. */
    ClientEviction eviction() {
        return eviction;
    }

    /**
     * Admits a new connection, or returns the error text it must be sent before closing.
     * On success the client is registered and returned through {@code admitted}.
     */
    Object admit(Channel channel) {
        if (byId.size() >= server.config().maxclients.value()) {
            server.stats().rejectedConnections++;
            return MAX_CLIENTS;
        }
        SocketAddress remote = channel.remoteAddress();
        if (server.config().protectedMode.value() && !server.authRequired() && !isLocal(remote)) {
            server.stats().rejectedConnections++;
            return PROTECTED_MODE;
        }
        // Redis counts a connection as received only once it is admitted.
        server.stats().connectionsReceived++;
        Client c = new Client(nextId++, server, channel, describe(remote, channel), describe(channel.localAddress(), channel));
        byId.put(c.id(), c);
        return c;
    }

    void remove(Client c) {
        byId.remove(c.id());
        eviction.forget(c);
        c.monitor(false);
        server.pubsub().forget(c.subscriptions());
        server.tracking().disable(c);
        if (c.blocked()) server.clientPause().forget(c);
        server.blockedClients().forget(c);
        c.transaction().discard();
        c.release();
    }

    /** Closes a connection and forgets it at once, as Redis's freeClient (CLIENT KILL). */
    public void kill(Client c) {
        c.close();
        remove(c);
    }

    public Collection<Client> all() {
        return byId.values();
    }

    public Client byId(long id) {
        return byId.get(id);
    }

    public int count() {
        return byId.size();
    }

    /** Queues a client whose reply was produced outside its own read (see flushPending). */
    void flushLater(Client c) {
        if (c.flushPendingMark() == flushRound) return;
        c.flushPendingMark(flushRound);
        pendingFlush.add(c);
    }

    /**
     * At the end of a connection's read: flushes the clients queued by {@link #flushLater}
     * once every connection ready in this turn of the event loop has been read (tasks run
     * after the I/O of the turn), as Redis writes to clients just before it waits again. A
     * subscriber then gets the messages of many publishers in one write instead of one
     * write per publisher.
     */
    void flushPendingAfterReads() {
        if (pendingFlush.isEmpty() || flushScheduled) return;
        EventLoop loop = server.listeners().commandLoop();
        if (loop.isShuttingDown()) {
            flushPending();
            return;
        }
        flushScheduled = true;
        loop.execute(flushScheduledTask);
    }

    /** Flushes every client queued by {@link #flushLater}. */
    void flushPending() {
        // The keys changed in this turn under the prefixes of BCAST clients, as Redis's beforeSleep.
        server.tracking().broadcast();
        if (pendingFlush.isEmpty()) return;
        // The AOF first: the replies below acknowledge writes it must hold (appendfsync always).
        server.beforeReplies();
        flushRound++;
        for (Client c : pendingFlush) {
            if (!OutputBufferLimit.enforce(server, c, false)) c.flush();
        }
        // As Redis before it sleeps: the clients' memory after this turn's reads and writes.
        if (eviction.enabled()) {
            for (Client c : pendingFlush) eviction.measure(c);
            eviction.evictIfNeeded();
        }
        pendingFlush.clear();
    }

    /** Redis's test: the unix socket, or a peer whose address reads exactly 127.0.0.1 or ::1. */
    private static boolean isLocal(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet)) return true; // unix socket
        InetAddress ip = inet.getAddress();
        if (ip instanceof Inet4Address) return ip.getHostAddress().equals("127.0.0.1");
        return ip instanceof Inet6Address && ip.isLoopbackAddress();
    }

    private String describe(SocketAddress address, Channel channel) {
        if (address instanceof InetSocketAddress inet) {
            if (inet.getAddress() == null) return inet.getHostString() + ":" + inet.getPort();
            String ip = ClientInfo.ipText(inet.getAddress());
            // Redis writes IPv6 addresses in brackets here: addr=[::1]:6379.
            return (inet.getAddress() instanceof Inet6Address ? "[" + ip + "]" : ip) + ":" + inet.getPort();
        }
        // Redis names both ends of a unix socket connection by the socket's path.
        return server.config().unixsocket.value() + ":0";
    }
}
