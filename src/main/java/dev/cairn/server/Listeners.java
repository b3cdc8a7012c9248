package dev.cairn.server;

import dev.cairn.config.Config;
import dev.cairn.config.ConfigException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.channel.IoHandlerFactory;
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
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The listening sockets (TCP on each {@code bind} address of {@code port}, and the
 * {@code unixsocket}) and the event loops: one command loop that serves every connection
 * and runs every command, and one accept loop that owns only the listening sockets.
 * Keeping the listening sockets on their own loop lets the command thread bind
 * synchronously, as Redis does, both at startup and for CONFIG SET port/bind.
 * Native epoll on Linux x86-64, NIO elsewhere.
 *
 * <p>Binding follows Redis 7.0's listenToPort: {@code *} is every IPv4 address, {@code ::*}
 * every IPv6 address, a name with a colon is resolved as IPv6 and any other as IPv4. An
 * address that cannot be bound is logged; startup (or CONFIG SET) then fails, except for
 * an address missing from this host when marked optional with a leading {@code -}, and
 * for an address family the host does not support. IPv6 sockets are IPv6-only, as in
 * Redis, so that {@code * -::*} binds both families on one port.
 */
public final class Listeners {
    /** setsockopt(IPPROTO_IPV6, IPV6_V6ONLY) on Linux. */
    private static final ChannelOption<Integer> IPV6_V6ONLY = new IntegerUnixChannelOption("IPV6_V6ONLY", 41, 26);
    /** Linux errno values listenToPort tells apart. */
    private static final int ENOPROTOOPT = 92;
    private static final int EPROTONOSUPPORT = 93;
    private static final int ESOCKTNOSUPPORT = 94;
    private static final int EPFNOSUPPORT = 96;
    private static final int EAFNOSUPPORT = 97;
    private static final int EADDRNOTAVAIL = 99;
    /** Netty's native error text: {@code bind(..) failed with error(-98): Address already in use}. */
    private static final Pattern NATIVE_ERROR = Pattern.compile("(\\w+)\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: (.*)");

    /** Stack size of the command thread, in bytes. */
    private static final long COMMAND_THREAD_STACK = 64L * 1024 * 1024;

    private final Server server;
    private final boolean epoll = Epoll.isAvailable();

    /** True when the native epoll transport is in use (INFO multiplexing_api). */
    public boolean nativeTransport() {
        return epoll;
    }
    private EventLoopGroup commandGroup;
    private EventLoopGroup acceptGroup;
    private List<Channel> tcp = List.of();
    private Channel unix;

    Listeners(Server server) {
        this.server = server;
        Config config = server.config();
        // CONFIG SET port/bind: Redis closes the TCP listeners and listens again with the
        // new values; when that fails CONFIG SET restores the old values, which runs these
        // reactions once more to listen where the server listened before.
        config.port.onChange(s -> {
            if (!relistenTcp()) throw new ConfigException("Unable to listen on this port. Check server logs.");
        });
        config.bind.onChange(s -> {
            if (!relistenTcp()) {
                server.log().warning("Failed to bind");
                throw new ConfigException("Failed to bind to specified addresses.");
            }
        });
    }

    /** The command thread's event loop. */
    public EventLoop commandLoop() {
        return commandGroup.next();
    }

    /** The command thread's loop, which can also run its pending tasks on demand. */
    private static final class CommandLoop extends SingleThreadIoEventLoop {
        CommandLoop(IoEventLoopGroup parent, Executor executor, IoHandlerFactory factory) {
            super(parent, executor, factory);
        }

        void runPendingTasks() {
            runAllTasks();
        }
    }

    /**
     * Redis's processEventsWhileBlocked, for a script running past busy-reply-threshold on
     * the command thread (called from its hook): serves the other clients so that they
     * get BUSY and can send SCRIPT KILL or SHUTDOWN NOSAVE. The event loop itself cannot
     * be re-entered (its epoll event array is in use and readiness is edge-triggered), so
     * this runs the loop's pending tasks (new connections, closes, the cron, which skips
     * its work while busy) and reads every connection's socket directly, without waiting,
     * handing what arrived to the connection's handler as a normal read would. The
     * script's caller is not read (Redis's protectClient): its next requests wait. With
     * the NIO transport (not Linux) only the tasks run.
     */
    public void processEventsWhileBusy(Client caller) {
        if (commandGroup.next() instanceof CommandLoop loop) loop.runPendingTasks();
        if (!epoll) return;
        for (Client c : server.clients().all().toArray(new Client[0])) {
            if (c == caller || c.closed() || !(c.channel() instanceof UnixChannel ch) || !c.channel().isActive()) {
                continue;
            }
            readNow(c.channel(), ch);
        }
    }

    /** One non-blocking read of the socket, fed to the pipeline; end of stream closes. */
    private static void readNow(Channel ch, UnixChannel unix) {
        ByteBuf buf = ch.alloc().directBuffer(16 * 1024);
        int n;
        try {
            n = unix.fd().readAddress(buf.memoryAddress(), 0, buf.capacity());
        } catch (IOException e) {
            buf.release();
            ch.close();
            return;
        }
        if (n <= 0) {
            buf.release();
            if (n < 0) ch.close();
            return;
        }
        buf.writerIndex(n);
        ch.pipeline().fireChannelRead(buf);
        ch.pipeline().fireChannelReadComplete();
    }

    /** True when listening on TCP (Redis logs "Ready to accept connections" only then). */
    public boolean listeningTcp() {
        return !tcp.isEmpty();
    }

    /** True when listening on the unix socket. */
    public boolean listeningUnix() {
        return unix != null;
    }

    /**
     * Opens the listeners as Redis's initServer: TCP first, then the unix socket.
     *
     * @throws IOException with the line Redis logs before exiting with status 1
     */
    void start() throws IOException {
        // A deep stack for the command thread: converting a script's reply follows the
        // nesting of its tables up to Lua's own limit (8,000 levels), as Redis does.
        ThreadFactory commandThreads = new DefaultThreadFactory("cairn-command") {
            @Override
            protected Thread newThread(Runnable r, String name) {
                return new FastThreadLocalThread(threadGroup, r, name, COMMAND_THREAD_STACK);
            }
        };
        commandGroup = new MultiThreadIoEventLoopGroup(1, commandThreads, ioHandler()) {
            @Override
            protected IoEventLoop newChild(Executor executor, IoHandlerFactory factory, Object... args) {
                return new CommandLoop(this, executor, factory);
            }
        };
        acceptGroup = new MultiThreadIoEventLoopGroup(1, ioHandler());
        try {
            Config config = server.config();
            int port = config.port.intValue();
            if (port != 0) {
                List<Channel> opened = listenTcp(port, config.bind.value());
                if (opened == null) throw new IOException("Failed listening on port " + port + " (TCP), aborting.");
                tcp = opened;
            }
            String path = config.unixsocket.value();
            if (!path.isEmpty()) unix = listenUnix(path, config.unixsocketperm.value());
            if (tcp.isEmpty() && unix == null) throw new IOException("Configured to not listen anywhere, exiting.");
        } catch (IOException | RuntimeException e) {
            stop();
            throw e;
        }
    }

    private IoHandlerFactory ioHandler() {
        return epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    /** Closes the TCP listeners and listens again with the current port and bind. */
    private boolean relistenTcp() {
        if (acceptGroup == null) return true;
        closeAll(tcp);
        tcp = List.of();
        Config config = server.config();
        int port = config.port.intValue();
        if (port == 0) return true;
        List<Channel> opened = listenTcp(port, config.bind.value());
        if (opened == null) return false;
        tcp = opened;
        return true;
    }

    /** Binds every address, or none: returns null (after logging why) when one fails. */
    private List<Channel> listenTcp(int port, List<String> bind) {
        List<Channel> opened = new ArrayList<>();
        for (String spec : bind) {
            boolean optional = spec.startsWith("-");
            String host = optional ? spec.substring(1) : spec;
            try {
                opened.add(bindTcp(host, port));
            } catch (ListenFailure e) {
                server.log().warning("Warning: Could not create server TCP listening socket " + host + ":" + port + ": "
                        + e.getMessage());
                if (e.errno == EADDRNOTAVAIL && optional) continue;
                if (e.errno == ENOPROTOOPT || e.errno == EPROTONOSUPPORT || e.errno == ESOCKTNOSUPPORT
                        || e.errno == EPFNOSUPPORT || e.errno == EAFNOSUPPORT) {
                    continue;
                }
                closeAll(opened);
                return null;
            }
        }
        return opened;
    }

    /** Binds the first address the host resolves to in its family that can be bound. */
    private Channel bindTcp(String host, int port) throws ListenFailure {
        boolean v6 = host.indexOf(':') >= 0;
        List<InetAddress> candidates = new ArrayList<>();
        try {
            if (host.equals("*")) {
                candidates.add(InetAddress.getByName("0.0.0.0"));
            } else if (host.equals("::*")) {
                candidates.add(InetAddress.getByName("::"));
            } else {
                for (InetAddress a : InetAddress.getAllByName(host)) {
                    if (v6 ? a instanceof Inet6Address : a instanceof Inet4Address) candidates.add(a);
                }
            }
        } catch (UnknownHostException e) {
            throw new ListenFailure("Name or service not known", 0);
        }
        if (candidates.isEmpty()) throw new ListenFailure("Name or service not known", 0);
        ListenFailure last = null;
        for (InetAddress address : candidates) {
            // Netty's default epoll socket is dual-stack IPv6, which would make 0.0.0.0 and
            // :: collide: open each socket in its own family, IPv6 ones IPv6-only.
            SocketProtocolFamily family = v6 ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
            ServerBootstrap b = bootstrap(epoll ? () -> new EpollServerSocketChannel(family) : NioServerSocketChannel::new)
                    .option(ChannelOption.SO_REUSEADDR, true);
            if (epoll && v6) b.option(IPV6_V6ONLY, 1);
            try {
                return bind(b, new InetSocketAddress(address, port));
            } catch (ListenFailure e) {
                last = e;
            }
        }
        throw last;
    }

    private Channel listenUnix(String path, int perm) throws IOException {
        if (!epoll) throw new IOException("Failed opening Unix socket: the native transport is not available");
        new File(path).delete();
        try {
            Channel ch = bind(bootstrap(EpollServerDomainSocketChannel::new), new DomainSocketAddress(path));
            if (perm != 0) Files.setPosixFilePermissions(Path.of(path), permissions(perm));
            return ch;
        } catch (ListenFailure e) {
            throw new IOException("Failed opening Unix socket: " + e.getMessage());
        }
    }

    private ServerBootstrap bootstrap(ChannelFactory<? extends ServerChannel> factory) {
        return new ServerBootstrap()
                .group(acceptGroup, commandGroup)
                .channelFactory(factory)
                .option(ChannelOption.SO_BACKLOG, server.config().tcpBacklog.intValue())
                // A peer's shutdown of its side is reported to the connection handler, which
                // logs it as Redis does and closes.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        configureConnection(ch);
                        ch.pipeline().addLast(new ConnectionHandler(server));
                    }
                });
    }

    /** Binds synchronously; safe from the command thread since listeners live on the accept loop. */
    private static Channel bind(ServerBootstrap b, SocketAddress address) throws ListenFailure {
        ChannelFuture f = b.bind(address).awaitUninterruptibly();
        if (f.isSuccess()) return f.channel();
        throw ListenFailure.of(f.cause());
    }

    /** Per-connection socket options, read at accept time so CONFIG SET applies to new clients. */
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

    /**
     * Redis's checkTcpBacklogSettings: the kernel silently caps the listen backlog at
     * net.core.somaxconn, so say so when tcp-backlog asks for more.
     */
    void warnIfBacklogCapped() {
        int somaxconn;
        // Read line by line: Files.readString trusts the size procfs reports and may cut the value.
        try (BufferedReader in = Files.newBufferedReader(Path.of("/proc/sys/net/core/somaxconn"))) {
            somaxconn = Integer.parseInt(String.valueOf(in.readLine()).strip());
        } catch (IOException | NumberFormatException e) {
            return;
        }
        int backlog = server.config().tcpBacklog.intValue();
        if (somaxconn > 0 && somaxconn < backlog) {
            server.log().warning("WARNING: The TCP backlog setting of " + backlog + " cannot be enforced because "
                    + "/proc/sys/net/core/somaxconn is set to the lower value of " + somaxconn + ".");
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < 9; bit++) if ((mode & (1 << bit)) != 0) set.add(order[bit]);
        return set;
    }

    private static void closeAll(List<Channel> channels) {
        for (Channel ch : channels) ch.close().awaitUninterruptibly();
    }

    /**
     * Closes the listening sockets (removing the unix socket file), then every connection,
     * and stops both event loops.
     */
    void stop() {
        closeAll(tcp);
        tcp = List.of();
        if (unix != null) {
            unix.close().awaitUninterruptibly();
            unix = null;
            new File(server.config().unixsocket.value()).delete();
        }
        // Closed here, on the command loop, each connection's handler still runs and frees
        // its client; connections the loop closes while terminating would skip that.
        for (Client c : server.clients().all().toArray(new Client[0])) c.close();
        if (acceptGroup != null) acceptGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        if (commandGroup != null) commandGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }

    /** Waits until the event loops have terminated after {@link #stop}. */
    void awaitTermination() throws InterruptedException {
        if (commandGroup != null) commandGroup.terminationFuture().await();
        if (acceptGroup != null) acceptGroup.terminationFuture().await();
    }

    /** A socket that could not be opened: the message is Redis's neterr text, e.g. "bind: ...". */
    private static final class ListenFailure extends Exception {
        final int errno;

        ListenFailure(String message, int errno) {
            super(message, null, false, false);
            this.errno = errno;
        }

        static ListenFailure of(Throwable cause) {
            if (cause instanceof Errors.NativeIoException nio) {
                Matcher m = NATIVE_ERROR.matcher(String.valueOf(nio.getMessage()));
                String text = m.matches() ? m.group(1) + ": " + m.group(2) : String.valueOf(nio.getMessage());
                return new ListenFailure(text, -nio.expectedErr());
            }
            // The NIO transport only gives the system's text.
            String text = String.valueOf(cause.getMessage());
            int errno = text.contains("Cannot assign requested address") ? EADDRNOTAVAIL
                    : text.contains("Address family not supported") ? EAFNOSUPPORT : 0;
            return new ListenFailure("bind: " + text, errno);
        }
    }
}
