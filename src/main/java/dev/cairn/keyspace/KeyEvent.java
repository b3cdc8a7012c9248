package dev.cairn.keyspace;

/**
 * Classes of keyspace notification, each with the flag character that enables it in
 * {@code notify-keyspace-events} (Redis's NOTIFY_* constants).
 */
public enum KeyEvent {
    GENERIC('g'), STRING('$'), LIST('l'), SET('s'), HASH('h'), ZSET('z'), EXPIRED('x'),
    EVICTED('e'), STREAM('t'), KEY_MISS('m'), MODULE('d'), NEW('n');

    private final char flag;

    KeyEvent(char flag) {
        this.flag = flag;
    }

    public char flag() {
        return flag;
    }
}
