package dev.cairn.server;

import dev.cairn.protocol.Repr;

import dev.cairn.command.CommandFlag;
import dev.cairn.command.CommandSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The clients in MONITOR mode and the feed they receive: after each executed command,
 * one status line per command, e.g.
 * {@code +1700000000.123456 [0 127.0.0.1:50000] "set" "k" "v"}, with the time of
 * execution, the database the client has selected afterwards, its address and the
 * arguments quoted as Redis's sdscatrepr quotes them. Administrative commands (and
 * those flagged skip_monitor) are not shown; arguments a command redacted (AUTH
 * passwords) appear as "(redacted)". Command thread only.
 */
public final class Monitors {
    private final Server server;
    private final List<Client> monitors = new ArrayList<>();

    Monitors(Server server) {
        this.server = server;
    }

    void add(Client c) {
        monitors.add(c);
    }

    void remove(Client c) {
        monitors.remove(c);
    }

    public int count() {
        return monitors.size();
    }

    /** Sends the command just executed by {@code c} to every monitor. */
    void feed(Client c, CommandSpec spec) {
        if (spec.has(CommandFlag.ADMIN) || spec.has(CommandFlag.SKIP_MONITOR)) return;
        feedNow(c);
    }

    /**
     * Feeds a command that is shown before it runs: EVAL and FCALL appear ahead of the
     * commands their script calls (they are flagged skip_monitor for the normal feed).
     */
    public void feedNow(Client c) {
        if (monitors.isEmpty()) return;
        byte[] line = line(c);
        for (Client m : monitors) {
            if (m.replyMode() == Client.ReplyMode.OFF) continue;
            m.reply().raw(line);
            m.flushSoon();
        }
    }

    private byte[] line(Client c) {
        Instant now = Instant.now();
        StringBuilder sb = new StringBuilder(64).append('+').append(now.getEpochSecond()).append('.');
        String micros = Integer.toString(now.getNano() / 1000);
        sb.append("0".repeat(6 - micros.length())).append(micros);
        sb.append(" [").append(c.dbIndex()).append(' ');
        if (c.isFake()) {
            // The only commands run by internal clients through the dispatcher are scripts'.
            sb.append("lua");
        } else if (c.unixSocket()) {
            sb.append("unix:").append(server.config().unixsocket.value());
        } else {
            sb.append(c.addr());
        }
        sb.append(']');
        for (byte[] arg : c.argvForLog()) {
            sb.append(' ');
            Repr.append(sb, arg);
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
