package dev.cairn.config;

import dev.cairn.keyspace.KeyEvent;
import java.util.List;

/**
 * The notify-keyspace-events directive: which classes of keyspace event are published
 * (one flag letter per {@link KeyEvent}, A for most of them at once) and on which
 * channels (K for {@code __keyspace@<db>__:<key>}, E for {@code __keyevent@<db>__:<event>}).
 * Nothing is published unless K or E is set as well as the event's class.
 */
public record NotifyKeyspaceEvents(int bits) {
    private static final int KEYSPACE = 1 << 20;
    private static final int KEYEVENT = 1 << 21;
    /**
     * What A stands for: every class but key misses and new keys, which would flood
     * the channels (Redis's NOTIFY_ALL).
     */
    private static final int ALL = bit(KeyEvent.GENERIC) | bit(KeyEvent.STRING) | bit(KeyEvent.LIST)
            | bit(KeyEvent.SET) | bit(KeyEvent.HASH) | bit(KeyEvent.ZSET) | bit(KeyEvent.EXPIRED)
            | bit(KeyEvent.EVICTED) | bit(KeyEvent.STREAM) | bit(KeyEvent.MODULE);
    /** The classes printed one by one when A does not cover them, in Redis's order. */
    private static final List<KeyEvent> PRINTED_IN_A = List.of(KeyEvent.GENERIC, KeyEvent.STRING, KeyEvent.LIST,
            KeyEvent.SET, KeyEvent.HASH, KeyEvent.ZSET, KeyEvent.EXPIRED, KeyEvent.EVICTED, KeyEvent.STREAM,
            KeyEvent.MODULE, KeyEvent.NEW);

    static final NotifyKeyspaceEvents NONE = new NotifyKeyspaceEvents(0);

    private static int bit(KeyEvent type) {
        return 1 << type.ordinal();
    }

    /** Whether events of this class are published (on the channels K and E select). */
    public boolean raises(KeyEvent type) {
        return (bits & bit(type)) != 0;
    }

    public boolean keyspaceChannel() {
        return (bits & KEYSPACE) != 0;
    }

    public boolean keyeventChannel() {
        return (bits & KEYEVENT) != 0;
    }

    /** The flag letters, each setting its class; any other character fails the whole value. */
    static NotifyKeyspaceEvents parse(List<String> args, NotifyKeyspaceEvents current) throws ConfigException {
        if (args.size() != 1) throw new ConfigException("wrong number of arguments");
        int bits = 0;
        for (char ch : args.getFirst().toCharArray()) {
            bits |= switch (ch) {
                case 'A' -> ALL;
                case 'K' -> KEYSPACE;
                case 'E' -> KEYEVENT;
                default -> {
                    KeyEvent type = classOf(ch);
                    if (type == null) throw new ConfigException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
                    yield bit(type);
                }
            };
        }
        return new NotifyKeyspaceEvents(bits);
    }

    private static KeyEvent classOf(char flag) {
        for (KeyEvent type : KeyEvent.values()) {
            if (type.flag() == flag) return type;
        }
        return null;
    }

    /**
     * CONFIG GET's form: A when all of A is set (a set n is then not shown, as in Redis),
     * else the class letters; then K, E and m.
     */
    String print() {
        StringBuilder sb = new StringBuilder();
        if ((bits & ALL) == ALL) {
            sb.append('A');
        } else {
            for (KeyEvent type : PRINTED_IN_A) {
                if (raises(type)) sb.append(type.flag());
            }
        }
        if (keyspaceChannel()) sb.append('K');
        if (keyeventChannel()) sb.append('E');
        if (raises(KeyEvent.KEY_MISS)) sb.append('m');
        return sb.toString();
    }

    /** CONFIG REWRITE writes the letters quoted, and only when some are set. */
    static List<Setting.RewriteLine> rewrite(Setting.Custom<NotifyKeyspaceEvents> setting, NotifyKeyspaceEvents value,
            NotifyKeyspaceEvents initial) {
        return List.of(new Setting.RewriteLine(setting.name() + " \"" + value.print() + "\"", value.bits != 0));
    }
}
