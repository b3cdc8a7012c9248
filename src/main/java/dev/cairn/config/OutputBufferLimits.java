package dev.cairn.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The client-output-buffer-limit directive: for each client class (normal, replica,
 * pubsub) a hard limit, a soft limit in bytes and how many seconds the soft limit may be
 * exceeded. Zero disables a limit.
 */
public record OutputBufferLimits(Limit normal, Limit replica, Limit pubsub) {
    /** One class's limits; byte counts are unsigned 64-bit, as in Redis. */
    public record Limit(long hardBytes, long softBytes, long softSeconds) {}

    /** Redis 7.0's defaults. */
    static final OutputBufferLimits DEFAULTS = new OutputBufferLimits(
            new Limit(0, 0, 0),
            new Limit(256L * 1024 * 1024, 64L * 1024 * 1024, 60),
            new Limit(32L * 1024 * 1024, 8L * 1024 * 1024, 60));

    /** Class names in the order Redis prints them. */
    private static final String[] NAMES = {"normal", "slave", "pubsub"};

    private Limit byIndex(int i) {
        return switch (i) {
            case 0 -> normal;
            case 1 -> replica;
            default -> pubsub;
        };
    }

    /**
     * Applies groups of {@code class hard soft seconds} over the current limits; classes
     * not named keep theirs. All groups are checked before anything changes.
     */
    static OutputBufferLimits parse(List<String> args, OutputBufferLimits current) throws ConfigException {
        if (args.size() % 4 != 0) throw new ConfigException("Wrong number of arguments in buffer limit configuration.");
        Limit[] limits = {current.normal, current.replica, current.pubsub};
        for (int i = 0; i < args.size(); i += 4) {
            int type = switch (args.get(i).toLowerCase(Locale.ROOT)) {
                case "normal" -> 0;
                case "slave", "replica" -> 1;
                case "pubsub" -> 2;
                default -> -1;
            };
            if (type < 0) throw new ConfigException("Invalid client class specified in buffer limit configuration.");
            Long hard = Units.parseMemory(args.get(i + 1));
            Long soft = Units.parseMemory(args.get(i + 2));
            Long seconds = Units.parseCLong(args.get(i + 3), 10);
            if (hard == null || soft == null || seconds == null || seconds < 0 || seconds > Integer.MAX_VALUE) {
                throw new ConfigException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
            limits[type] = new Limit(hard, soft, seconds);
        }
        return new OutputBufferLimits(limits[0], limits[1], limits[2]);
    }

    /** CONFIG GET's form: {@code normal 0 0 0 slave 268435456 67108864 60 pubsub ...}. */
    String print() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            Limit l = byIndex(i);
            if (i > 0) sb.append(' ');
            sb.append(NAMES[i]).append(' ').append(Long.toUnsignedString(l.hardBytes)).append(' ')
                    .append(Long.toUnsignedString(l.softBytes)).append(' ').append(l.softSeconds);
        }
        return sb.toString();
    }

    /** CONFIG REWRITE's lines: one per class, with units, the replica class named "replica". */
    static List<Setting.RewriteLine> rewrite(Setting.Custom<OutputBufferLimits> setting, OutputBufferLimits value,
            OutputBufferLimits initial) {
        List<Setting.RewriteLine> lines = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Limit l = value.byIndex(i);
            String line = setting.name() + " " + (i == 1 ? "replica" : NAMES[i]) + " " + Units.formatMemory(l.hardBytes)
                    + " " + Units.formatMemory(l.softBytes) + " " + l.softSeconds;
            lines.add(new Setting.RewriteLine(line, !l.equals(initial.byIndex(i))));
        }
        return lines;
    }
}
