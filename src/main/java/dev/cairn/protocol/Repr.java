package dev.cairn.protocol;

/**
 * Redis's {@code sdscatrepr}: bytes in double quotes with C escapes, printable ASCII as
 * is. MONITOR prints arguments this way and CONFIG REWRITE writes values this way, so
 * that splitting the text again ({@link RequestParser#splitArgs}) gives the bytes back.
 */
public final class Repr {
    private Repr() {}

    /** Appends the quoted form of {@code bytes} to {@code sb}. */
    public static void append(StringBuilder sb, byte[] bytes) {
        sb.append('"');
        for (byte b : bytes) {
            int ch = b & 0xff;
            switch (ch) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (ch >= 0x20 && ch <= 0x7e) sb.append((char) ch);
                    else sb.append("\\x").append(Character.forDigit(ch >> 4, 16)).append(Character.forDigit(ch & 15, 16));
                }
            }
        }
        sb.append('"');
    }

    /** The quoted form of a Latin-1 string (one char per byte). */
    public static String of(String latin1) {
        StringBuilder sb = new StringBuilder(latin1.length() + 2);
        append(sb, latin1.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        return sb.toString();
    }
}
