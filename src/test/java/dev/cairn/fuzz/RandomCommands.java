package dev.cairn.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded random commands over the whole deterministic command surface: connection,
 * strings, bitmaps, keyspace, expiry, databases, CONFIG and CLIENT. Arguments mix valid
 * and invalid values (bad numbers, unknown options, odd cases, wrong arity) over a
 * small key space, so that commands act on each other's results.
 *
 * <p>Nothing generated depends on timing or on per-process values: relative expiry
 * amounts are large and spread widely (two of them never meet within the time between
 * the two servers), absolute ones are far in the future or the past; commands that
 * could stop a server or hang a connection come only in forms Redis rejects.
 */
final class RandomCommands {
    static final String[] KEYS = {
        "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "num", "str", "x:1", "{t}a", "a b", "bin\u0000\u00ff", "k*", "[k]"
    };
    static final int DATABASES = 3;

    /** Settings CONFIG SET may change, with the values the servers start with. */
    static final String[][] SETTINGS = {
        {"hz", "10"}, {"timeout", "0"}, {"slowlog-log-slower-than", "10000"}, {"slowlog-max-len", "128"},
        {"lazyfree-lazy-user-del", "no"}, {"lazyfree-lazy-user-flush", "no"}, {"lazyfree-lazy-server-del", "no"},
        {"lazyfree-lazy-expire", "no"}, {"latency-tracking", "yes"}, {"active-expire-effort", "1"},
        {"proto-max-bulk-len", "536870912"}, {"activerehashing", "yes"}, {"latency-monitor-threshold", "0"},
        {"latency-tracking-info-percentiles", "50 99 99.9"}, {"tcp-keepalive", "300"},
        {"tracking-table-max-keys", "1000000"}, {"client-query-buffer-limit", "1073741824"}, {"requirepass", ""}
    };
    private static final String[] READABLE_SETTINGS = {
        "hz", "timeout", "slowlog-log-slower-than", "slowlog-max-len", "lazyfree-lazy-user-del",
        "lazyfree-lazy-user-flush", "latency-tracking", "active-expire-effort", "proto-max-bulk-len", "databases",
        "io-threads", "tcp-backlog", "requirepass", "protected-mode", "activerehashing", "dynamic-hz",
        "latency-tracking-info-percentiles", "client-query-buffer-limit", "maxclients", "HZ", "Timeout",
        "slowlog*", "lazyfree-lazy-user-*", "tcp-*", "latency-tracking*", "io-threads*", "proto-*", "nosuch",
        "active-expire-*"
    };

    private static final String[] NUMBERS = {
        "0", "1", "-1", "7", "42", "-300", "9999", "10000", "10001", "9223372036854775807",
        "-9223372036854775808", "9223372036854775806", "-9223372036854775807", "4611686018427387904", "255",
        "+5", " 5", "05", "-0", "1.5", "abc", "", "99999999999999999999", "0x10", "1e3"
    };
    private static final String[] FLOATS = {
        "0.1", "-0.1", "1.5", "3", "-2", "1e3", "1.5e-3", "10000000000.1", "0x10", "inf", "-inf", "+inf", "nan",
        " 1", "1 ", "abc", "", "1e308", "-1e308", "1e-20", "5.0e", ".5", "5.", "1e4000", "-0", "+7.25", "3.0",
        "123456789012345678901234567890", "0.3333333333333333333333", "1.7976931348623157e308"
    };

    private final Random rnd;

    RandomCommands(Random rnd) {
        this.rnd = rnd;
    }

    private String pick(String... options) {
        return options[rnd.nextInt(options.length)];
    }

    private boolean chance(int oneIn) {
        return rnd.nextInt(oneIn) == 0;
    }

    /** A keyword, now and then in an odd case: commands and options are case-insensitive. */
    private String word(String w) {
        if (!chance(6)) return w;
        StringBuilder sb = new StringBuilder(w.length());
        for (char ch : w.toCharArray()) {
            sb.append(rnd.nextBoolean() ? Character.toLowerCase(ch) : Character.toUpperCase(ch));
        }
        return sb.toString();
    }

    private String key() {
        return chance(20) ? pick("missing", "") : KEYS[rnd.nextInt(KEYS.length)];
    }

    private String smallInt(int bound) {
        return Integer.toString(rnd.nextInt(2 * bound + 1) - bound);
    }

    private String number() {
        return chance(3) ? smallInt(20) : pick(NUMBERS);
    }

    private String db() {
        return chance(10) ? pick("15", "16", "-1", "abc", "1.0", "", "9999999999", "2147483648") : Integer.toString(rnd.nextInt(DATABASES));
    }

    private byte[] value() {
        // Now and then a value bigger than the reply buffers (16 KB in Redis).
        if (chance(300)) return bytes("v".repeat(10_000 + rnd.nextInt(100_000)));
        return switch (rnd.nextInt(7)) {
            case 0 -> bytes(number());
            case 1 -> bytes(pick(FLOATS));
            case 2 -> {
                byte[] b = new byte[rnd.nextInt(30)];
                rnd.nextBytes(b);
                yield b;
            }
            case 3 -> bytes("x".repeat(rnd.nextInt(30) + (rnd.nextBoolean() ? 0 : 30)));
            case 4 -> bytes(Long.toString(rnd.nextLong() >> rnd.nextInt(64)));
            default -> {
                StringBuilder sb = new StringBuilder();
                int n = rnd.nextInt(rnd.nextBoolean() ? 12 : 120);
                for (int i = 0; i < n; i++) sb.append((char) ('a' + rnd.nextInt(4)));
                yield bytes(sb.toString());
            }
        };
    }

    /** Seconds from now: large, and spread widely so that no two amounts nearly meet. */
    private String seconds() {
        return chance(5) ? pick("0", "-5", "abc", "1.5", "", "9223372036854775807", "9223372036854775", "-9223372036854775808")
                : Integer.toString(10_000 + rnd.nextInt(10_000_000));
    }

    private String millis() {
        return chance(5) ? pick("0", "-5", "abc", "9223372036854775807", "9223372036854775800", "-9223372036854775808")
                : Long.toString(10_000_000L + rnd.nextInt(1_000_000_000));
    }

    private String unixSeconds() {
        return chance(3) ? pick("1", "0", "-1", "100", "abc", "9223372036854775807")
                : Long.toString(4_102_444_800L + rnd.nextInt(100_000_000));
    }

    private String unixMillis() {
        return chance(3) ? pick("1", "0", "-1", "1000", "abc", "9223372036854775807")
                : Long.toString(4_102_444_800_000L + (rnd.nextLong() & 0xffffffffffL));
    }

    /**
     * SET's absolute times: never in the past, because SET keeps such a key until the
     * active expiry cycle (a matter of timing) finds it, and DBSIZE counts it till then.
     */
    private String futureUnixSeconds() {
        return chance(5) ? pick("0", "-1", "abc", "9223372036854775807") : Long.toString(4_102_444_800L + rnd.nextInt(100_000_000));
    }

    private String futureUnixMillis() {
        return chance(5) ? pick("0", "-1", "abc", "9223372036854775807")
                : Long.toString(4_102_444_800_000L + (rnd.nextLong() & 0xffffffffffL));
    }

    /** The next command; may be wrong in arity, case or arguments. */
    List<byte[]> next() {
        List<Object> a = new ArrayList<>();
        boolean mutable = true;
        switch (rnd.nextInt(100)) {
            case 0, 1, 2, 3, 4, 5 -> set(a);
            case 6, 7, 8, 9 -> {
                a.add(word(pick("GET", "GETDEL", "STRLEN", "INCR", "DECR", "GET", "TYPE", "EXISTS")));
                a.add(key());
            }
            case 10, 11 -> {
                a.add(word("GETEX"));
                a.add(key());
                int options = rnd.nextInt(3);
                for (int i = 0; i < options; i++) expiryOption(a, "EX", "PX", "EXAT", "PXAT", "PERSIST", "NX", "KEEPTTL");
            }
            case 12, 13 -> {
                a.add(word(pick("GETSET", "SETNX", "APPEND", "APPEND")));
                a.add(key());
                a.add(value());
            }
            case 14 -> {
                a.add(word(pick("SETEX", "PSETEX")));
                a.add(key());
                a.add(a.get(0).toString().equalsIgnoreCase("setex") ? seconds() : millis());
                a.add(value());
            }
            case 15, 16 -> {
                a.add(word(pick("MSET", "MSETNX")));
                int pairs = rnd.nextInt(chance(5) ? 8 : 3) + 1;
                for (int i = 0; i < pairs; i++) {
                    a.add(key());
                    a.add(value());
                }
            }
            case 17 -> {
                a.add(word("MGET"));
                int n = rnd.nextInt(4) + 1;
                for (int i = 0; i < n; i++) a.add(key());
            }
            case 18, 19 -> {
                a.add(word(pick("GETRANGE", "SUBSTR")));
                a.add(key());
                a.add(chance(8) ? pick(NUMBERS) : smallInt(50));
                a.add(chance(8) ? pick(NUMBERS) : smallInt(50));
            }
            case 20, 21 -> {
                a.add(word("SETRANGE"));
                a.add(key());
                // Offsets that are valid grow the string: at most 1 MB (the smallest proto-max-bulk-len).
                a.add(chance(8) ? pick("-1", "536870912", "1048575", "1048576", "abc", "9223372036854775807")
                        : Integer.toString(rnd.nextInt(60)));
                a.add(chance(6) ? new byte[0] : value());
            }
            case 22, 23, 24 -> {
                a.add(word(pick("INCRBY", "DECRBY", "INCRBYFLOAT")));
                a.add(key());
                a.add(a.get(0).toString().equalsIgnoreCase("incrbyfloat") && !chance(4) ? pick(FLOATS) : number());
            }
            case 25 -> {
                a.add(word("LCS"));
                a.add(key());
                a.add(key());
                int options = rnd.nextInt(4);
                for (int i = 0; i < options; i++) {
                    String o = word(pick("LEN", "IDX", "MINMATCHLEN", "WITHMATCHLEN", "BAD"));
                    a.add(o);
                    if (o.equalsIgnoreCase("MINMATCHLEN") && !chance(6)) a.add(pick("0", "1", "2", "3", "-1", "x"));
                }
            }
            case 26, 27 -> {
                a.add(word("SETBIT"));
                a.add(key());
                a.add(chance(10) ? pick("-1", "4294967296", "8388607", "8388608", "x", "#3") : Integer.toString(rnd.nextInt(300)));
                a.add(chance(10) ? pick("2", "-1", "x", "") : pick("0", "1"));
            }
            case 28 -> {
                a.add(word("GETBIT"));
                a.add(key());
                a.add(chance(10) ? pick("-1", "4294967296", "4294967295", "x") : Integer.toString(rnd.nextInt(300)));
            }
            case 29, 30 -> {
                a.add(word(pick("BITCOUNT", "BITPOS")));
                a.add(key());
                if (a.get(0).toString().equalsIgnoreCase("bitpos")) a.add(chance(10) ? pick("2", "x", "-1") : pick("0", "1"));
                int n = rnd.nextInt(5);
                for (int i = 0; i < n; i++) {
                    a.add(i < 2 ? (chance(10) ? pick(NUMBERS) : smallInt(40)) : word(pick("BIT", "BYTE", "FOO")));
                }
            }
            case 31, 32 -> {
                a.add(word("BITOP"));
                a.add(word(pick("AND", "OR", "XOR", "NOT", "NAND")));
                a.add(key());
                int n = rnd.nextInt(3) + 1;
                for (int i = 0; i < n; i++) a.add(key());
            }
            case 33, 34 -> {
                a.add(word(chance(4) ? "BITFIELD_RO" : "BITFIELD"));
                a.add(key());
                int n = rnd.nextInt(4);
                for (int i = 0; i < n; i++) bitfieldOp(a);
            }
            case 35, 36, 37 -> {
                a.add(word(pick("DEL", "UNLINK", "EXISTS", "TOUCH")));
                int n = rnd.nextInt(chance(5) ? 12 : 3) + 1;
                for (int i = 0; i < n; i++) a.add(key());
            }
            case 38 -> {
                a.add(word("KEYS"));
                a.add(pick("*", "*", "k*", "k?", "k[0-3]", "k[^0]", "*:*", "{t}*", "a\\ b", "*\\*", "[", "bin*", "", "?", "*1",
                        "k[3-1]", "\\k0", "K*", "k\\*", "\\[k]", "[[]k]", "*]", "k[*]", "?*?", "[a-"));
            }
            case 39, 40, 41 -> {
                a.add(word(pick("RENAME", "RENAMENX")));
                a.add(key());
                a.add(chance(6) ? "renamed" : key());
            }
            case 42, 43 -> {
                a.add(word("OBJECT"));
                String sub = pick("ENCODING", "ENCODING", "REFCOUNT", "FREQ", "HELP", "FOO");
                a.add(word(sub));
                if (!sub.equals("HELP") || chance(4)) a.add(key());
            }
            case 44, 45, 46, 47 -> {
                String cmd = pick("EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT");
                a.add(word(cmd));
                a.add(key());
                a.add(switch (cmd) {
                    case "EXPIRE" -> seconds();
                    case "PEXPIRE" -> millis();
                    case "EXPIREAT" -> unixSeconds();
                    default -> unixMillis();
                });
                int options = chance(2) ? 0 : rnd.nextInt(3);
                for (int i = 0; i < options; i++) a.add(word(pick("NX", "XX", "GT", "LT", "FOO", "n\u0000x")));
            }
            case 48, 49, 50 -> {
                a.add(word(pick("TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME", "PERSIST")));
                a.add(key());
            }
            case 51 -> {
                a.add(word("SELECT"));
                a.add(db());
            }
            case 52 -> {
                a.add(word("MOVE"));
                a.add(key());
                a.add(db());
            }
            case 53, 54 -> {
                a.add(word("COPY"));
                a.add(key());
                a.add(chance(6) ? "copied" : key());
                int options = rnd.nextInt(3);
                for (int i = 0; i < options; i++) {
                    String o = word(pick("DB", "REPLACE", "DB", "FOO"));
                    a.add(o);
                    if (o.equalsIgnoreCase("db") && !chance(8)) a.add(db());
                }
            }
            case 55 -> {
                a.add(word("SWAPDB"));
                a.add(db());
                a.add(db());
            }
            case 56 -> {
                a.add(word(pick("DBSIZE", "DBSIZE", "FLUSHDB", "FLUSHALL")));
                if (!a.get(0).toString().equalsIgnoreCase("dbsize") && chance(2)) a.add(word(pick("ASYNC", "SYNC", "FOO")));
            }
            case 57, 58 -> {
                a.add(word(pick("PING", "ECHO")));
                if (a.get(0).toString().equalsIgnoreCase("echo") || chance(2)) a.add(value());
            }
            case 59 -> hello(a);
            case 60 -> {
                a.add(word("AUTH"));
                if (chance(2)) a.add(pick("default", "nobody", "DEFAULT"));
                a.add(pick("secret", "secret", "", "x"));
            }
            case 61 -> a.add(word("RESET"));
            case 62, 63 -> {
                // Never mutated: a password must stay one the session knows.
                mutable = false;
                config(a);
            }
            case 64, 65, 66 -> {
                mutable = false;
                client(a);
            }
            case 67 -> {
                mutable = false;
                // Only forms Redis refuses: nothing may stop or hang either server.
                a.add(word(pick("SHUTDOWN", "MONITOR")));
                if (a.get(0).toString().equalsIgnoreCase("monitor")) {
                    a.add("x");
                } else {
                    a.add(word(pick("FOO", "ABORT", "ABORT")));
                    if (chance(2)) a.add(word(pick("NOW", "SAVE", "NOSAVE", "FORCE", "ABORT")));
                }
            }
            case 68 -> {
                // Unknown commands and subcommands; empty names; long arguments are cut.
                a.add(pick("FOO", "foo", "", "GETT", "OBJECT", "CONFIG", "x".repeat(200), "a\u0000b"));
                int n = rnd.nextInt(4);
                for (int i = 0; i < n; i++) a.add(chance(3) ? value() : word(pick("FOO", "HELP", "get", "x".repeat(150))));
            }
            default -> {
                a.add(word("GET"));
                a.add(key());
            }
        }
        if (mutable && chance(25)) {
            if (rnd.nextBoolean() && a.size() > 1) {
                a.subList(1 + rnd.nextInt(a.size() - 1), a.size()).clear();
            } else {
                a.add(chance(2) ? value() : word(pick("NX", "XX", "EX", "GET", "1", "foo")));
            }
        }
        List<byte[]> args = new ArrayList<>();
        for (Object o : a) args.add(o instanceof byte[] b ? b : bytes((String) o));
        return args;
    }

    private void set(List<Object> a) {
        a.add(word("SET"));
        a.add(key());
        a.add(value());
        int options = rnd.nextInt(4);
        for (int i = 0; i < options; i++) expiryOption(a, "NX", "XX", "GET", "KEEPTTL", "EX", "PX", "EXAT", "PXAT", "FOO", "PERSIST");
    }

    /** One option of SET or GETEX, with its amount when it takes one (now and then missing). */
    private void expiryOption(List<Object> a, String... options) {
        boolean set = a.get(0).toString().equalsIgnoreCase("set");
        String o = pick(options);
        a.add(word(o));
        if (chance(10)) return;
        switch (o) {
            case "EX" -> a.add(seconds());
            case "PX" -> a.add(millis());
            case "EXAT" -> a.add(set ? futureUnixSeconds() : unixSeconds());
            case "PXAT" -> a.add(set ? futureUnixMillis() : unixMillis());
            default -> { }
        }
    }

    private void bitfieldOp(List<Object> a) {
        String op = pick("GET", "SET", "INCRBY", "OVERFLOW", "BAD");
        a.add(word(op));
        if (op.equals("OVERFLOW")) {
            if (!chance(8)) a.add(word(pick("WRAP", "SAT", "FAIL", "NONE")));
            return;
        }
        String type = chance(12)
                ? pick("u64", "i65", "i0", "x8", "I8", "u", "i64", "u63")
                : (rnd.nextBoolean() ? "i" : "u") + (1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 63));
        a.add(type);
        a.add(chance(10) ? pick("-1", "x", "4294967296", "#-1", "#x") : (chance(3) ? "#" + rnd.nextInt(4) : Integer.toString(rnd.nextInt(100))));
        if (!op.equals("GET")) a.add(chance(8) ? "x" : number());
    }

    private void hello(List<Object> a) {
        a.add(word("HELLO"));
        if (chance(6)) return;
        a.add(chance(6) ? pick("1", "4", "abc", "-1", "3.0", "") : pick("2", "3"));
        int options = rnd.nextInt(3);
        for (int i = 0; i < options; i++) {
            String o = pick("AUTH", "SETNAME", "FOO", "o\u0000p");
            a.add(word(o));
            if (o.equals("AUTH")) {
                if (!chance(6)) a.add(pick("default", "default", "nobody"));
                if (!chance(6)) a.add(pick("pw", "", "secret"));
            } else if (o.equals("SETNAME") && !chance(6)) {
                a.add(pick("fuzz", "with space", "", "n\u00e9"));
            }
        }
    }

    private void config(List<Object> a) {
        a.add(word("CONFIG"));
        switch (rnd.nextInt(10)) {
            case 0, 1, 2, 3 -> {
                a.add(word("GET"));
                int n = rnd.nextInt(3) + (chance(8) ? 0 : 1);
                for (int i = 0; i < n; i++) a.add(pick(READABLE_SETTINGS));
            }
            case 4, 5, 6, 7 -> {
                a.add(word("SET"));
                int n = chance(5) ? 2 : 1;
                for (int i = 0; i < n; i++) {
                    String[] setting = SETTINGS[rnd.nextInt(SETTINGS.length)];
                    switch (rnd.nextInt(8)) {
                        case 0 -> a.add(pick("nosuch", "daemonize", "databases", "io-threads", "pidfile", "supervised", "no\u0000such"));
                        case 1 -> a.add(setting[0].toUpperCase(Locale.ROOT));
                        default -> a.add(setting[0]);
                    }
                    // Now and then the last value is missing.
                    if (i < n - 1 || !chance(10)) a.add(settingValue(setting));
                }
            }
            case 8 -> a.add(word(pick("RESETSTAT", "REWRITE", "HELP")));
            default -> a.add(word(pick("FOO", "GET", "SET")));
        }
    }

    private String settingValue(String[] setting) {
        // The only password a session sets, so that it can always log in again.
        if (setting[0].equals("requirepass")) return pick("", "secret");
        return switch (rnd.nextInt(6)) {
            case 0 -> setting[1];
            case 1 -> pick("yes", "no", "YES", "maybe");
            case 2 -> pick("0", "1", "5", "11", "100", "-1", "abc", "", "1mb", "1gb", "2048", "1048575", "512kb", "1.5");
            case 3 -> pick("50 99", "50 99 99.9", "101", "-1 5", "", "0 100");
            default -> pick("1", "10", "20", "500", "1048576", "no", "yes");
        };
    }

    private void client(List<Object> a) {
        a.add(word("CLIENT"));
        switch (rnd.nextInt(12)) {
            case 0, 1 -> {
                a.add(word("SETNAME"));
                a.add(pick("fuzz", "", "with space", "line\nbreak", "n\u00e9", "ok-name_1"));
            }
            case 2, 3 -> a.add(word("GETNAME"));
            case 4, 5 -> {
                a.add(word("REPLY"));
                a.add(word(pick("ON", "ON", "OFF", "SKIP", "SKIP", "FOO")));
            }
            case 6 -> {
                a.add(word("NO-EVICT"));
                a.add(word(pick("ON", "OFF", "maybe")));
            }
            case 7 -> {
                a.add(word("KILL"));
                switch (rnd.nextInt(6)) {
                    case 0 -> a.add(pick("1.2.3.4:5", "nohost"));
                    case 1 -> {
                        a.add(word(pick("ID", "ADDR", "LADDR", "TYPE", "USER", "SKIPME", "FOO")));
                        a.add(pick("0", "abc", "1.2.3.4:5", "normal", "pubsub", "nosuch", "yes", "maybe", "default"));
                    }
                    case 2 -> {
                        a.add(word("TYPE"));
                        a.add(word(pick("normal", "master", "replica", "slave", "pubsub", "bogus", "bo\u0000gus")));
                    }
                    case 3 -> {
                        a.add(word("USER"));
                        a.add(pick("default", "nobody"));
                    }
                    default -> {
                        a.add(word("ADDR"));
                        a.add("1.2.3.4:5");
                        a.add(word("SKIPME"));
                    }
                }
            }
            case 8 -> {
                a.add(word(pick("PAUSE", "PAUSE", "UNPAUSE")));
                if (a.get(1).toString().equalsIgnoreCase("pause")) {
                    a.add(pick("0", "-1", "abc", "0", "1", "5"));
                    if (chance(2)) a.add(word(pick("WRITE", "ALL", "FOO")));
                }
            }
            case 9 -> {
                a.add(word("LIST"));
                a.add(word(pick("TYPE", "ID", "FOO")));
                a.add(pick("bogus", "abc", "0", "-1"));
            }
            // An unknown subcommand (CLIENT HELP is compared whole in ClientCommandTest).
            case 10 -> a.add(word("FOO"));
            default -> {
                a.add(word(pick("SETNAME", "GETNAME", "REPLY", "NO-EVICT", "KILL", "PAUSE")));
                if (chance(2)) {
                    a.add("x");
                    a.add("y");
                }
            }
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
