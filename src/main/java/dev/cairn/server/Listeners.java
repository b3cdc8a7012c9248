package dev.cairn.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.IntegerUnixChannelOption;
import java.io.File;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The listening sockets (TCP on each {@code bind} address, and the {@code unixsocket})
 * and the single event loop that serves them and every connection. Native epoll on
 * Linux x86-64, NIO elsewhere.
 *
 * <p>Bind addresses follow Redis 7.0: {@code *} is every IPv4 address, {@code ::*} every
 * IPv6 address, and a leading {@code -} marks an address that may be missing on this
 * host (skipped with a warning instead of failing startup). IPv6 sockets are IPv6-only,
 * as in Redis, so that {@code * -::*} can bind both families on one port.
 */
public final class Listeners {
    /** setsockopt(IPPROTO_IPV6, IPV6_V6ONLY) on Linux. */
    private static final ChannelOption<Integer> IPV6_V6ONLY = new IntegerUnixChannelOption("IPV6_V6ONLY", 41, 26);

    private final Server server;
    private final boolean epoll = Epoll.isAvailable();
    private EventLoopGroup group;
    private final List<Channel> bound = new ArrayList<>();

    Listeners(Server server) {
        this.server = server;
    }

    /** The command thread's event loop. */
    public EventLoop commandLoop() {
        return group.next();
    }

    /** The TCP port bound, or 0 when listening only on the unix socket. */
    public int boundPort() {
        for (Channel ch : bound) {
            if (ch.localAddress() instanceof InetSocketAddress inet) return inet.getPort();
        }
        return 0;
    }

    public boolean nativeTransport() {
        return epoll;
    }

    void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        var config = server.config();
        int port = config.port.intValue();
        if (port == 0 && config.unixsocket.value().isEmpty()) {
            throw new IOException("Configured to not listen anywhere, exiting.");
        }
        if (port != 0) {
            for (String spec : config.bind.value()) bindTcp(spec, port);
            if (bound.isEmpty()) throw new IOException("Failed listening on port " + port + " (tcp), aborting.");
        }
        if (!config.unixsocket.value().isEmpty()) bindUnix(config.unixsocket.value(), config.unixsocketperm.value());
    }

    private ServerBootstrap bootstrap(ChannelFactory<? extends ServerChannel> factory, boolean tcp) {
        var config = server.config();
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channelFactory(factory)
                .option(ChannelOption.SO_BACKLOG, config.tcpBacklog.intValue())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        configureConnection(ch);
                        ch.pipeline().addLast(new ConnectionHandler(server));
                    }
                });
        if (tcp) b.option(ChannelOption.SO_REUSEADDR, true);
        return b;
    }

    private void configureConnection(Channel ch) {
        if (!(ch.localAddress() instanceof InetSocketAddress)) return;
        ch.config().setOption(ChannelOption.TCP_NODELAY, true);
        int keepalive = server.config().tcpKeepalive.intValue();
        if (keepalive > 0) {
            ch.config().setOption(ChannelOption.SO_KEEPALIVE, true);
            if (epoll) {
                // Redis's anetKeepAlive: probe after `interval` idle seconds, then every
                // interval/3 seconds, and give up after 3 unanswered probes. The kernel
                // refuses an interval over 32767 s; Redis then keeps the connection with
                // the options set so far, and so do we.
                try {
                    ch.config().setOption(EpollChannelOption.TCP_KEEPIDLE, keepalive);
                    ch.config().setOption(EpollChannelOption.TCP_KEEPINTVL, Math.max(1, keepalive / 3));
                    ch.config().setOption(EpollChannelOption.TCP_KEEPCNT, 3);
                } catch (ChannelException ignored) {
                    // as Redis: the connection is accepted all the same
                }
            }
        }
    }

    private void bindTcp(String spec, int port) throws Exception {
        boolean optional = spec.startsWith("-");
        String host = optional ? spec.substring(1) : spec;
        InetAddress address;
        try {
            address = switch (host) {
                case "*" -> InetAddress.getByName("0.0.0.0");
                case "::*" -> InetAddress.getByName("::");
                default -> InetAddress.getByName(host);
            };
        } catch (UnknownHostException e) {
            if (optional) return;
            throw new IOException("Could not create server TCP listening socket " + host + ":" + port
                    + ": Name or service not known");
        }
        // Netty's default epoll socket is dual-stack IPv6, which would make 0.0.0.0 and ::
        // collide: open each socket in its own family, IPv6 ones IPv6-only.
        boolean v6 = address instanceof Inet6Address;
        SocketProtocolFamily family = v6 ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        ServerBootstrap b = bootstrap(epoll ? () -> new EpollServerSocketChannel(family) : NioServerSocketChannel::new, true);
        if (epoll && v6) b.option(IPV6_V6ONLY, 1);
        try {
            Channel ch = b.bind(new InetSocketAddress(address, port)).sync().channel();
            bound.add(ch);
        } catch (Exception e) {
            String reason = e.getMessage();
            boolean missingAddress = reason != null
                    && (reason.contains("Cannot assign requested address") || reason.contains("Address family not supported"));
            if (optional && (missingAddress || !(e instanceof BindException))) {
                server.log().warning("Could not create server TCP listening socket " + host + ":" + port + ": "
                        + reason + " (skipped: optional address)");
                return;
            }
            throw new IOException("Could not create server TCP listening socket " + host + ":" + port + ": " + reason, e);
        }
    }

    private void bindUnix(String path, int perm) throws Exception {
        if (!epoll) {
            server.log().warning("Unix socket " + path + " needs the native transport; not listening on it.");
            return;
        }
        new File(path).delete();
        Channel ch = bootstrap(EpollServerDomainSocketChannel::new, false).bind(new DomainSocketAddress(path)).sync().channel();
        bound.add(ch);
        if (perm != 0) Files.setPosixFilePermissions(Path.of(path), permissions(perm));
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = java.util.EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < 9; bit++) if ((mode & (1 << bit)) != 0) set.add(order[bit]);
        return set;
    }

    /** Closes the listening sockets and every connection, and stops the event loop. */
    void stop() {
        for (Channel ch : bound) ch.close();
        String unix = server.config().unixsocket.value();
        if (!unix.isEmpty()) new File(unix).delete();
        if (group != null) group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Waits until the event loop has terminated after {@link #stop}. */
    void awaitTermination() throws InterruptedException {
        if (group != null) group.terminationFuture().await();
    }
}
