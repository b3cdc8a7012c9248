package dev.cairn.pubsub;

import java.util.ArrayList;
import java.util.List;

/** Splits raw RESP replies (as {@code RawConnection} returns them) into their elements' raw encodings. */
final class Frames {
    private Frames() {}

    /** The raw encodings of the elements of an aggregate reply (map entries flattened); empty for others. */
    static List<String> elements(String frame) {
        List<String> out = new ArrayList<>();
        char type = frame.charAt(0);
        if ("*>~%".indexOf(type) < 0) return out;
        int eol = frame.indexOf("\r\n");
        int count = Integer.parseInt(frame.substring(1, eol)) * (type == '%' ? 2 : 1);
        int at = eol + 2;
        for (int n = 0; n < count; n++) {
            int end = skip(frame, at);
            out.add(frame.substring(at, end));
            at = end;
        }
        return out;
    }

    /** Where the element starting at {@code at} ends. */
    private static int skip(String s, int at) {
        int eol = s.indexOf("\r\n", at);
        char type = s.charAt(at);
        return switch (type) {
            case '$', '=' -> {
                int length = Integer.parseInt(s.substring(at + 1, eol));
                yield length < 0 ? eol + 2 : eol + 2 + length + 2;
            }
            case '*', '>', '~', '%' -> {
                int count = Integer.parseInt(s.substring(at + 1, eol)) * (type == '%' ? 2 : 1);
                int next = eol + 2;
                for (int n = 0; n < count; n++) next = skip(s, next);
                yield next;
            }
            default -> eol + 2;
        };
    }
}
