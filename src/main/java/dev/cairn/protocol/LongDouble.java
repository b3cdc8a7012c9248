package dev.cairn.protocol;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A C {@code long double} as Redis on x86-64 computes with it: the 80-bit extended format
 * (64-bit significand, 15-bit exponent), round to nearest even. INCRBYFLOAT and
 * HINCRBYFLOAT parse, add and print in this precision, and the rounding shows in their
 * replies ({@code 10000000000.1} comes back as {@code 10000000000.09999999962747097}), so
 * Java's double would give different digits. A value is held as the exact decimal of the
 * binary number, which makes printing with {@link NumberFormat#humanLongDouble} exact.
 *
 * <p>Immutable. Infinite values carry no decimal; NaN is never produced (callers reject
 * the results that would be NaN or infinite, as Redis does).
 */
public final class LongDouble {
    /** Significand bits, including the explicit integer bit. */
    private static final int PRECISION = 64;
    /** Exponent of the significand's last bit for the smallest subnormal: 2^-16445. */
    private static final int MIN_EXPONENT = -16445;
    /** Exponent of the significand's last bit for the largest finite values. */
    private static final int MAX_EXPONENT = 16383 - (PRECISION - 1);
    /** Redis's MAX_LONG_DOUBLE_CHARS: longer inputs are not numbers. */
    private static final int MAX_CHARS = 5 * 1024;

    private static final Pattern DECIMAL = Pattern.compile("([+-]?)(\\d*)(?:\\.(\\d*))?(?:[eE]([+-]?\\d+))?");
    private static final Pattern HEX =
            Pattern.compile("([+-]?)0[xX]([0-9a-fA-F]*)(?:\\.([0-9a-fA-F]*))?(?:[pP]([+-]?\\d+))?");
    private static final Pattern INFINITY = Pattern.compile("([+-]?)(?i:inf|infinity)");

    public static final LongDouble ZERO = new LongDouble(BigDecimal.ZERO, 0);

    /** The exact value when finite, else null. */
    private final BigDecimal value;
    /** 0 when finite, otherwise the sign of the infinity. */
    private final int infinity;

    private LongDouble(BigDecimal value, int infinity) {
        this.value = value;
        this.infinity = infinity;
    }

    /** A long, which the 64-bit significand always holds exactly. */
    public static LongDouble of(long v) {
        return new LongDouble(BigDecimal.valueOf(v), 0);
    }

    public boolean isFinite() {
        return infinity == 0;
    }

    /** The exact decimal value; only for finite values. */
    public BigDecimal exact() {
        if (value == null) throw new IllegalStateException("infinite");
        return value;
    }

    /** The sum rounded to extended precision; infinite when it overflows. */
    public LongDouble plus(LongDouble other) {
        if (infinity != 0 || other.infinity != 0) {
            return new LongDouble(null, infinity != 0 ? infinity : other.infinity);
        }
        return roundExact(value.add(other.value));
    }

    /**
     * Redis's {@code string2ld}: glibc {@code strtold} over the whole argument, in the C
     * locale. Accepts decimal and hexadecimal ({@code 0x1.8p3}) floats and the infinities;
     * rejects NaN, leading spaces, trailing bytes (a NUL included), and results that overflow or underflow
     * to zero. Returns null when the bytes are not such a number.
     */
    public static LongDouble parse(byte[] bytes) {
        if (bytes.length == 0 || bytes.length >= MAX_CHARS) return null;
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        Matcher m;
        if ((m = INFINITY.matcher(text)).matches()) {
            return new LongDouble(null, m.group(1).equals("-") ? -1 : 1);
        }
        if ((m = HEX.matcher(text)).matches()) return parseDigits(m, 16);
        if ((m = DECIMAL.matcher(text)).matches()) return parseDigits(m, 10);
        return null;
    }

    /** The matched sign, integer digits, fraction digits and exponent, in base 10 or 16. */
    private static LongDouble parseDigits(Matcher m, int radix) {
        String whole = m.group(2);
        String fraction = m.group(3) == null ? "" : m.group(3);
        if (whole.isEmpty() && fraction.isEmpty()) return null;
        boolean negative = m.group(1).equals("-");
        BigInteger digits = new BigInteger(whole + fraction, radix);
        if (digits.signum() == 0) return ZERO;
        // An exponent too long for a long can only overflow or underflow, like a huge one.
        long exponent = 0;
        if (m.group(4) != null) {
            String e = m.group(4);
            try {
                exponent = Long.parseLong(e);
            } catch (NumberFormatException tooLong) {
                exponent = e.startsWith("-") ? -Long.MAX_VALUE / 4 : Long.MAX_VALUE / 4;
            }
        }
        // value = digits * radix^-fraction.length * base^exponent, base 10 or 2.
        BigInteger num = digits;
        BigInteger den = BigInteger.ONE;
        long twos = 0;
        if (radix == 16) {
            twos = exponent - 4L * fraction.length();
        } else {
            long tens = exponent - fraction.length();
            // Far outside the range: answer without building enormous powers.
            long magnitude = tens + digits.toString().length();
            if (magnitude > 5000) return null;
            if (magnitude < -5000) return null;
            if (tens >= 0) num = num.multiply(BigInteger.TEN.pow((int) tens));
            else den = BigInteger.TEN.pow((int) -tens);
        }
        if (twos > 20000) return null;
        if (twos < -20000 - (long) num.bitLength()) return null;
        if (twos >= 0) num = num.shiftLeft((int) twos);
        else den = den.shiftLeft((int) -twos);
        LongDouble rounded = round(num, den, negative);
        // strtold reports ERANGE for overflow (HUGE_VAL) and for underflow to zero.
        if (!rounded.isFinite() || rounded.value.signum() == 0) return null;
        return rounded;
    }

    private static LongDouble roundExact(BigDecimal exact) {
        if (exact.signum() == 0) return ZERO;
        BigInteger unscaled = exact.unscaledValue();
        int scale = exact.scale();
        BigInteger num = unscaled.abs();
        BigInteger den = BigInteger.ONE;
        if (scale > 0) den = BigInteger.TEN.pow(scale);
        else num = num.multiply(BigInteger.TEN.pow(-scale));
        return round(num, den, exact.signum() < 0);
    }

    /** The extended-precision number nearest to num/den (both positive), with a sign. */
    private static LongDouble round(BigInteger num, BigInteger den, boolean negative) {
        int exponent = Math.max(num.bitLength() - den.bitLength() - PRECISION, MIN_EXPONENT);
        BigInteger[] qr = divide(num, den, exponent);
        if (qr[0].bitLength() > PRECISION) {
            exponent++;
            qr = divide(num, den, exponent);
        }
        BigInteger q = qr[0];
        BigInteger divisor = exponent >= 0 ? den.shiftLeft(exponent) : den;
        int half = qr[1].shiftLeft(1).compareTo(divisor);
        if (half > 0 || (half == 0 && q.testBit(0))) q = q.add(BigInteger.ONE);
        if (exponent > MAX_EXPONENT || (exponent == MAX_EXPONENT && q.bitLength() > PRECISION)) {
            return new LongDouble(null, negative ? -1 : 1);
        }
        if (q.signum() == 0) return ZERO;
        BigDecimal v = exponent >= 0
                ? new BigDecimal(q.shiftLeft(exponent))
                : new BigDecimal(q.multiply(BigInteger.valueOf(5).pow(-exponent)), -exponent);
        return new LongDouble(negative ? v.negate() : v, 0);
    }

    /** Quotient and remainder of num / (den * 2^exponent). */
    private static BigInteger[] divide(BigInteger num, BigInteger den, int exponent) {
        if (exponent >= 0) return num.divideAndRemainder(den.shiftLeft(exponent));
        return num.shiftLeft(-exponent).divideAndRemainder(den);
    }
}
