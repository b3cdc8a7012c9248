package dev.cairn.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NumbersTest {
    @Test
    void bytesAreTheDecimalDigits() {
        long[] values = {0, 1, 9, 10, 99, 100, -1, -10, 123456789, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};
        for (long v : values) {
            assertEquals(Long.toString(v), new String(Numbers.bytes(v), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void strictParsingRejectsWhatRedisRejects() {
        assertEquals(Long.valueOf(-42), Numbers.parseStrictLong("-42".getBytes()));
        assertEquals(Long.valueOf(Long.MIN_VALUE), Numbers.parseStrictLong("-9223372036854775808".getBytes()));
        assertEquals(Long.valueOf(Long.MAX_VALUE), Numbers.parseStrictLong("9223372036854775807".getBytes()));
        assertEquals(Long.valueOf(999_999_999_999_999_999L), Numbers.parseStrictLong("999999999999999999".getBytes()));
        assertEquals(Long.valueOf(-999_999_999_999_999_999L), Numbers.parseStrictLong("-999999999999999999".getBytes()));
        for (String bad : new String[] {"", "+1", "01", "-0", " 1", "1 ", "9223372036854775808", "-9223372036854775809", "99999999999999999999", "1e3", "-", "12a"}) {
            assertEquals(null, Numbers.parseStrictLong(bad.getBytes()), bad);
        }
    }
}
