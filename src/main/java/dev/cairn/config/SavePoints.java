package dev.cairn.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code save} directive: save after {@code seconds} if at least {@code changes}
 * writes happened, for each point. In a config file each {@code save} line adds points to
 * those of the lines before it, and {@code save ""} removes them all, as in Redis 7.0.
 */
public record SavePoints(List<Point> points) {
    /** Save when at least {@code changes} writes are older than {@code seconds}. */
    public record Point(long seconds, long changes) {}

    /** Redis 7.0's default: after an hour for 1 change, 5 minutes for 100, a minute for 10000. */
    static final SavePoints DEFAULTS = new SavePoints(List.of(new Point(3600, 1), new Point(300, 100),
            new Point(60, 10000)));

    public boolean isEmpty() {
        return points.isEmpty();
    }

    static SavePoints parse(List<String> args, SavePoints current) throws ConfigException {
        List<Point> points = new ArrayList<>();
        int i = 0;
        while (i < args.size()) {
            if (args.get(i).isEmpty()) {
                points.clear();
                i++;
                continue;
            }
            if (i + 1 >= args.size()) throw new ConfigException("Invalid save parameters");
            long seconds = number(args.get(i));
            long changes = number(args.get(i + 1));
            points.add(new Point(seconds, changes));
            i += 2;
        }
        return new SavePoints(List.copyOf(points));
    }

    private static long number(String word) throws ConfigException {
        try {
            long n = Long.parseLong(word);
            if (n < 0) throw new ConfigException("Invalid save parameters");
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException("Invalid save parameters");
        }
    }

    static String print(SavePoints v) {
        StringBuilder b = new StringBuilder();
        for (Point p : v.points) {
            if (!b.isEmpty()) b.append(' ');
            b.append(p.seconds).append(' ').append(p.changes);
        }
        return b.toString();
    }

    static List<Setting.RewriteLine> rewrite(Setting.Custom<SavePoints> s, SavePoints v, SavePoints initial) {
        if (v.isEmpty()) return List.of(new Setting.RewriteLine("save \"\"", !v.equals(initial)));
        List<Setting.RewriteLine> lines = new ArrayList<>();
        for (Point p : v.points) {
            lines.add(new Setting.RewriteLine("save " + p.seconds + " " + p.changes, !v.equals(initial)));
        }
        return lines;
    }
}
