package dev.cairn.command;

import java.util.Locale;

/** Command flags, named and printed (COMMAND INFO) as in Redis 7.0. */
public enum CommandFlag {
    WRITE, READONLY, DENYOOM, MODULE, ADMIN, PUBSUB, NOSCRIPT, BLOCKING, LOADING, STALE,
    SKIP_MONITOR, SKIP_SLOWLOG, ASKING, FAST, NO_AUTH, MAY_REPLICATE, SENTINEL,
    ONLY_SENTINEL, NO_MANDATORY_KEYS, PROTECTED, NO_ASYNC_LOADING, NO_MULTI, MOVABLEKEYS,
    ALLOW_BUSY;

    /** The name COMMAND INFO prints. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CommandFlag parse(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
