package dev.cairn.command;

import java.util.ArrayList;
import java.util.List;

/**
 * An ASCII chart of a series of values, four rows high, with a label under each column
 * written vertically, as LATENCY GRAPH draws it (Redis's sparkline.c in fill mode).
 * Longer series wrap every {@value #COLUMNS} columns.
 */
final class Sparkline {
    static final int COLUMNS = 80;
    private static final int ROWS = 4;
    /** Characters for the top of a column, from low to high within one row. */
    private static final char[] LEVELS = {'_', 'o', '#'};
    /** Blank rows between the chart and the labels. */
    private static final int LABEL_MARGIN = 1;

    private record Sample(double value, String label) {}

    private final List<Sample> samples = new ArrayList<>();
    private double min;
    private double max;

    void add(double value, String label) {
        if (samples.isEmpty()) {
            min = max = value;
        } else if (value < min) {
            min = value;
        } else if (value > max) {
            max = value;
        }
        samples.add(new Sample(value, label == null || label.isEmpty() ? null : label));
    }

    /** Appends the chart, each line ending in a newline. */
    void render(StringBuilder out) {
        for (int from = 0; from < samples.size(); from += COLUMNS) {
            if (from != 0) out.append('\n');
            renderRange(out, from, Math.min(COLUMNS, samples.size() - from));
        }
    }

    private void renderRange(StringBuilder out, int offset, int length) {
        double range = max - min == 0 ? 1 : max - min;
        int steps = LEVELS.length * ROWS;
        boolean labelled = samples.stream().anyMatch(s -> s.label() != null);
        char[] line = new char[length];
        for (int row = 0; ; row++) {
            boolean more = false;
            java.util.Arrays.fill(line, ' ');
            for (int j = 0; j < length; j++) {
                Sample s = samples.get(offset + j);
                // The same truncations as the C code: the product to int, then the division.
                int step = (int) ((int) ((s.value() - min) * steps) / range);
                step = Math.max(0, Math.min(step, steps - 1));
                if (row < ROWS) {
                    more = true;
                    int level = step - (ROWS - row - 1) * LEVELS.length;
                    if (level >= 0 && level < LEVELS.length) line[j] = LEVELS[level];
                    else if (level >= LEVELS.length) line[j] = '|';
                } else {
                    if (labelled && row - ROWS < LABEL_MARGIN) {
                        more = true;
                        break;
                    }
                    String label = s.label();
                    int at = row - ROWS - LABEL_MARGIN;
                    if (label != null && label.length() > at) {
                        more = true;
                        line[j] = label.charAt(at);
                    }
                }
            }
            if (!more) return;
            out.append(line).append('\n');
        }
    }
}
