package dev.cairn.strings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.protocol.LongDouble;
import dev.cairn.protocol.NumberFormat;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The long double model behind INCRBYFLOAT. Every expected text here is what
 * redis-server 7.0 on x86-64 replied to {@code INCRBYFLOAT newkey <input>}.
 */
class LongDoubleTest {
    private static LongDouble parse(String s) {
        return LongDouble.parse(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** INCRBYFLOAT on a missing key: 0 + input, printed. */
    private static String incr(String input) {
        return NumberFormat.humanLongDouble(LongDouble.ZERO.plus(parse(input)).exact());
    }

    @Test
    void roundingOfTheSixtyFourBitSignificantIsVisible() {
        assertEquals("10000000000.09999999962747097", incr("10000000000.1"));
        assertEquals("0.1", incr("0.1"));
        assertEquals("0.3", NumberFormat.humanLongDouble(parse("0.1").plus(parse("0.2")).exact()));
        assertEquals("123456789012345678899921813504", incr("123456789012345678901234567890"));
        assertEquals("18446744073709551616", incr("18446744073709551617"));
        assertEquals("18446744073709551616", incr("18446744073709551615.5"), "ties go to even");
    }

    @Test
    void seventeenDecimalsTiesToEven() {
        assertEquals("0.00000381469726562", incr("0.000003814697265625"));
        assertEquals("-0.00000381469726562", incr("-0.000003814697265625"));
        assertEquals("0.00001144409179688", incr("0.000011444091796875"));
        assertEquals("0", incr("1e-20"));
        assertEquals("0", incr("-1e-20"), "-0 prints as 0");
    }

    @Test
    void hexadecimalAndSignedForms() {
        assertEquals("16", incr("0x10"));
        assertEquals("3", incr("0x1.8p1"));
        assertEquals("0.5", incr("0x.8"));
        assertEquals("7.25", incr("+7.25"));
        assertEquals("5", incr("5."));
        assertEquals("0.5", incr(".5"));
    }

    @Test
    void extremesOfTheRange() {
        String max = incr("1.18973149535723176502e+4932");
        assertEquals(4933, max.length());
        assertTrue(max.startsWith("11897314953572317650212638530"));
        assertTrue(max.endsWith("2086811989770240"));
        assertNull(parse("1.18973149535723176509e+4932"), "overflow is not a number");
        assertNull(parse("1e5000"));
        assertEquals("0", incr("1e-4940"), "subnormals parse");
        assertEquals("0", incr("0x1p-16445"));
        assertEquals("0", incr("0x1.8p-16446"));
        assertNull(parse("0x1p-16446"), "half the smallest subnormal rounds to zero: underflow");
        assertNull(parse("1e-5000"));
        assertEquals("0", incr("0e99999999999999999999"));
    }

    @Test
    void infinitiesParseButNaNDoesNot() {
        assertFalse(parse("inf").isFinite());
        assertFalse(parse("-Infinity").isFinite());
        assertFalse(LongDouble.of(1).plus(parse("INF")).isFinite());
        assertNull(parse("nan"));
        assertNull(parse("NaN(1)"));
        assertFalse(parse("1.1e4932").plus(parse("1e4932")).isFinite(), "a sum can overflow");
    }

    @Test
    void rejectsWhatStrtoldWouldNotConsumeWhole() {
        for (String bad : new String[] {"", " 1", "1 ", "1\u00002", "abc", "5.0e", "1e", ".", "0x", "0x1p", "--1", "1.2.3"}) {
            assertNull(parse(bad), bad);
        }
        assertNull(parse("1".repeat(5120)), "Redis's 5 KB limit");
        assertEquals(1, parse("0." + "1".repeat(5117)).exact().signum());
    }
}
