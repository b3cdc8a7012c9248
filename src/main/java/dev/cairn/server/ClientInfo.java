package dev.cairn.server;

import io.netty.channel.Channel;
import io.netty.channel.unix.UnixChannel;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A client described as one line of {@code CLIENT LIST} (Redis's catClientInfoString),
 * which is also how Redis names a client in its log: protocol errors, query and output
 * buffer limits, connections closed by the peer.
 *
 * <p>The memory fields are estimates: the JVM does not account memory per client, so
 * they are computed from the bytes buffered (query buffer, pending arguments, pending
 * output) the way Redis lays them out (a 16 KB reply buffer, then 16 KB reply blocks).
 */
public final class ClientInfo {
    /** Redis's PROTO_REPLY_CHUNK_BYTES: the reply buffer and the reply blocks after it. */
    private static final int REPLY_CHUNK = 16 * 1024;
    /** Roughly what Redis's client structure takes besides its buffers. */
    private static final int CLIENT_OVERHEAD = 1024;

    private ClientInfo() {}

    /** The CLIENT LIST line of {@code c}, without a line terminator. */
    public static String line(Client c) {
        Channel ch = c.channel();
        ConnectionHandler handler = ch == null ? null : ch.pipeline().get(ConnectionHandler.class);
        long qbuf = handler == null ? 0 : handler.queryBufferBytes();
        long qbufFree = handler == null ? 0 : handler.queryBufferCapacity() - qbuf;
        long argvMem = handler == null ? 0 : handler.pendingArgumentBytes();
        long pending = c.pendingReplyBytes() + c.socketPendingBytes();
        long obl = Math.min(pending, REPLY_CHUNK);
        long omem = pending - obl;
        long oll = (omem + REPLY_CHUNK - 1) / REPLY_CHUNK;
        long totMem = qbuf + qbufFree + argvMem + REPLY_CHUNK + omem + CLIENT_OVERHEAD;
        long now = System.currentTimeMillis();
        return "id=" + c.id()
                + " addr=" + c.addr()
                + " laddr=" + c.laddr()
                + " fd=" + fd(ch)
                + " name=" + c.name()
                + " age=" + (now - c.createdMillis()) / 1000
                + " idle=" + (now - c.lastInteractionMillis()) / 1000
                + " flags=" + flags(c)
                + " db=" + c.dbIndex()
                + " sub=0 psub=0 ssub=0 multi=-1"
                + " qbuf=" + qbuf
                + " qbuf-free=" + qbufFree
                + " argv-mem=" + argvMem
                + " multi-mem=0"
                + " rbs=" + REPLY_CHUNK
                + " rbp=" + REPLY_CHUNK
                + " obl=" + obl
                + " oll=" + oll
                + " omem=" + omem
                + " tot-mem=" + totMem
                + " events=" + (c.socketPendingBytes() > 0 ? "rw" : "r")
                + " cmd=" + c.commandNameForList()
                + " user=default"
                + " redir=-1"
                + " resp=" + c.reply().protocol();
    }

    /** An IP address as inet_ntop writes it (IPv6 compressed: {@code ::1}, {@code fd00::2}). */
    public static String ipText(InetAddress ip) {
        if (!(ip instanceof Inet6Address)) return ip.getHostAddress();
        byte[] b = ip.getAddress();
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) words[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        // The longest run of two or more zero words becomes "::" (the first one on a tie).
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (words[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && words[j] == 0) j++;
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(words[i]));
        }
        return sb.toString();
    }

    private static int fd(Channel ch) {
        return ch instanceof UnixChannel unix ? unix.fd().intValue() : -1;
    }

    /** Redis's flag letters in its order; N when none applies. */
    private static String flags(Client c) {
        StringBuilder sb = new StringBuilder();
        if (c.monitor()) sb.append('O');
        if (c.closingAfterReply()) sb.append('c');
        if (c.channel() != null && !(c.channel().remoteAddress() instanceof InetSocketAddress)) sb.append('U');
        if (c.noEvict()) sb.append('e');
        return sb.isEmpty() ? "N" : sb.toString();
    }
}
