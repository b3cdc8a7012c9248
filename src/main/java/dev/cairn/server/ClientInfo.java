package dev.cairn.server;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The one-line description of a connection that CLIENT LIST and CLIENT INFO print,
 * field for field as Redis 7.0 prints it (catClientInfoString); it is also how the log
 * names a client (protocol errors, buffer limits, closed connections). Buffer figures are
 * Cairn's own: the query buffer is the bytes received and not yet parsed, the reply
 * buffer the one replies are built in, and the output list what Netty still has to
 * write to the socket.
 */
public final class ClientInfo {
    private ClientInfo() {}

    public static String line(Client c) {
        long now = System.currentTimeMillis();
        long qbuf = c.queryBufferLength();
        int qbufFree = c.queryBufferFree();
        long argvMem = c.argvBytes();
        int rbs = c.replyBufferSize();
        long omem = c.socketPendingBytes();
        return new StringBuilder(256)
                .append("id=").append(c.id())
                .append(" addr=").append(c.addr())
                .append(" laddr=").append(c.laddr())
                .append(" fd=").append(c.fd())
                .append(" name=").append(c.name())
                .append(" age=").append((now - c.createdMillis()) / 1000)
                .append(" idle=").append((now - c.lastInteractionMillis()) / 1000)
                .append(" flags=").append(flags(c))
                .append(" db=").append(c.dbIndex())
                .append(" sub=").append(c.subscriptions().channelCount())
                .append(" psub=").append(c.subscriptions().patternCount())
                .append(" ssub=").append(c.subscriptions().shardChannelCount())
                .append(" multi=")
                .append(c.transaction().inMulti() ? c.transaction().queued().size() : -1)
                .append(" qbuf=").append(qbuf)
                .append(" qbuf-free=").append(qbufFree)
                .append(" argv-mem=").append(argvMem)
                .append(" multi-mem=").append(c.transaction().memory())
                .append(" rbs=").append(rbs)
                .append(" rbp=").append(c.replyBufferPeak())
                .append(" obl=").append(c.pendingReplyBytes())
                .append(" oll=").append(c.socketPendingWrites())
                .append(" omem=").append(omem)
                .append(" tot-mem=").append(memory(c))
                .append(" events=").append(omem > 0 ? "rw" : "r")
                .append(" cmd=").append(c.commandNameForList())
                .append(" user=default redir=").append(c.tracking().redirectForDisplay())
                .append(" resp=").append(c.reply().protocol())
                .toString();
    }

    /**
     * The memory a connection holds in buffers and queued MULTI commands (tot-mem, and
     * INFO mem_clients_normal).
     */
    public static long memory(Client c) {
        return c.queryBufferLength() + c.queryBufferFree() + c.argvBytes() + c.transaction().memory()
                + c.replyBufferSize() + c.socketPendingBytes();
    }

    /** Redis's flag letters, in Redis's order; N when none applies. */
    static String flags(Client c) {
        StringBuilder f = new StringBuilder(4);
        if (c.monitor()) f.append('O');
        if (c.subscriptions().active()) f.append('P');
        if (c.transaction().inMulti()) f.append('x');
        if (c.blocked()) f.append('b');
        if (c.tracking().on()) f.append('t');
        if (c.tracking().brokenRedirect()) f.append('R');
        if (c.tracking().bcast()) f.append('B');
        if (c.transaction().touched()) f.append('d');
        if (c.closingAfterReply()) f.append('c');
        if (c.unixSocket()) f.append('U');
        if (c.noEvict()) f.append('e');
        return f.isEmpty() ? "N" : f.toString();
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
}
