package dev.cairn.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses a raw RESP2/RESP3 reply and hides the values that depend on the clock in the
 * replies of XPENDING (extended form) and XINFO: idle times, delivery times and seen
 * times become {@code T}. Other replies come back unchanged. The result is a readable
 * rendering of the reply that keeps every type marker.
 */
final class RespMask {
    private RespMask() {}

    private record Node(char type, String scalar, List<Node> children) {}

    static String mask(String[] command, String raw) {
        String name = command[0].toUpperCase(Locale.ROOT);
        boolean timed = (name.equals("XPENDING") && command.length > 3) || name.equals("XINFO");
        if (!timed) return raw;
        int[] pos = {0};
        Node n = parse(raw, pos);
        StringBuilder sb = new StringBuilder();
        render(timed ? masked(n) : n, sb);
        return sb.toString();
    }

    private static Node parse(String s, int[] pos) {
        char type = s.charAt(pos[0]);
        int eol = s.indexOf("\r\n", pos[0]);
        String head = s.substring(pos[0] + 1, eol);
        pos[0] = eol + 2;
        switch (type) {
            case '$', '=', '!' -> {
                int len = Integer.parseInt(head);
                if (len < 0) return new Node(type, head, null);
                String body = s.substring(pos[0], pos[0] + len);
                pos[0] += len + 2;
                return new Node(type, body, null);
            }
            case '*', '%', '~', '>' -> {
                int n = Integer.parseInt(head);
                if (n < 0) return new Node(type, head, null);
                int count = type == '%' ? 2 * n : n;
                List<Node> children = new ArrayList<>();
                for (int i = 0; i < count; i++) children.add(parse(s, pos));
                return new Node(type, null, children);
            }
            default -> {
                return new Node(type, head, null);
            }
        }
    }

    private static boolean isId(Node n) {
        return n.children() == null && n.type() == '$' && n.scalar().matches("\\d+-\\d+");
    }

    private static Node masked(Node n) {
        if (n.children() == null) return n;
        List<Node> c = new ArrayList<>();
        for (Node child : n.children()) c.add(masked(child));
        int size = c.size();
        // Key-value lists (XINFO's maps, flat in RESP2): the clock-dependent fields.
        for (int i = 0; i + 1 < size; i += 2) {
            Node k = c.get(i);
            if (k.children() == null && k.scalar() != null && (k.scalar().equals("idle") || k.scalar().equals("seen-time"))) {
                c.set(i + 1, new Node(':', "T", null));
            }
        }
        // [id, consumer, idle or delivery time, count] and [id, delivery time, count].
        if (size == 4 && isId(c.get(0)) && c.get(1).type() == '$' && !isId(c.get(1)) && c.get(2).type() == ':') {
            c.set(2, new Node(':', "T", null));
        } else if (size == 3 && isId(c.get(0)) && c.get(1).type() == ':' && c.get(2).type() == ':') {
            c.set(1, new Node(':', "T", null));
        }
        return new Node(n.type(), null, c);
    }

    private static void render(Node n, StringBuilder sb) {
        sb.append(n.type());
        if (n.children() == null) {
            sb.append(n.scalar()).append(' ');
            return;
        }
        sb.append(n.children().size()).append('[');
        for (Node child : n.children()) render(child, sb);
        sb.append("] ");
    }
}
