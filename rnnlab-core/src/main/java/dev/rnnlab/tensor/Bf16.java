package dev.rnnlab.tensor;

/**
 * bfloat16: the top 16 bits of an IEEE float (sign, 8 exponent bits, 7 mantissa bits), held in a
 * {@code short}. Rounding is to nearest, ties to even, as the AVX512-BF16 instruction {@code vcvtne2ps2bf16}
 * does, so a product computed here from rounded inputs sees the same factors as one computed by the
 * hardware. A product of two bf16 values has at most 16 significant bits and is exact in fp32; what the
 * hardware and {@link #emulate} can differ in is only the order of the fp32 sums.
 */
public final class Bf16 {
    private Bf16() {
    }

    /** x rounded to the nearest bf16 (ties to even); NaN stays a (quiet) NaN, infinities stay infinite. */
    public static short round(float x) {
        int bits = Float.floatToRawIntBits(x);
        if ((bits & 0x7fffffff) > 0x7f800000) return (short) ((bits >>> 16) | 0x40);  // NaN: keep it a NaN
        // adding 0x7fff plus the lowest kept bit rounds half-way cases to the even neighbour
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    /** The float a bf16 value stands for (exact). */
    public static float toFloat(short b) {
        return Float.intBitsToFloat(b << 16);
    }

    /**
     * dst[dstOff + i] = round(src[srcOff + i]) for i &lt; n, as {@link #round(float)} except for NaNs: a NaN stays
     * a NaN or, if its payload lies only in the low 16 bits, becomes an infinity (never a finite number, so a
     * product it enters is still not finite). Java's own NaNs (0x7fc00000) stay NaNs. Leaving out the NaN test
     * lets the JIT compile the loop to vector code, 6x faster here.
     */
    public static void round(float[] src, int srcOff, int n, short[] dst, int dstOff) {
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToRawIntBits(src[srcOff + i]);
            dst[dstOff + i] = (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
        }
    }

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[0]});

    /**
     * The bf16 product on an fp32 GEMM: A's and B's entries widened to fp32 (exactly), then
     * {@code fp32.gemm} on the copies. For CPUs without bf16 instructions, and for the
     * tests, which check the hardware against it.
     */
    static void emulate(Gemm fp32, boolean transA, boolean transB, int m, int n, int k,
                        float alpha, short[] a, int aOff, int lda, short[] b, int bOff, int ldb,
                        float beta, float[] c, int cOff, int ldc) {
        int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
        float[][] s = SCRATCH.get();
        if (s[0].length < aRows * aCols) s[0] = new float[aRows * aCols];
        if (s[1].length < bRows * bCols) s[1] = new float[bRows * bCols];
        float[] ar = s[0], bw = s[1];
        for (int r = 0; r < aRows; r++) {
            for (int j = 0; j < aCols; j++) ar[r * aCols + j] = toFloat(a[aOff + r * lda + j]);
        }
        for (int r = 0; r < bRows; r++) {
            for (int j = 0; j < bCols; j++) bw[r * bCols + j] = toFloat(b[bOff + r * ldb + j]);
        }
        fp32.gemm(transA, transB, m, n, k, alpha, ar, 0, aCols, bw, 0, bCols, beta, c, cOff, ldc);
    }

    /** Checks the operands of a {@link Gemm#gemmBf16} call against their arrays, as {@link Gemm#checkBounds} does. */
    static void check(boolean transA, boolean transB, int m, int n, int k, short[] a, int aOff, int lda,
                      short[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
        if (m < 0 || n < 0 || k < 0 || lda < Math.max(1, aCols) || ldb < Math.max(1, bCols) || ldc < Math.max(1, n)
                || !fits(a.length, aOff, aRows, aCols, lda) || !fits(b.length, bOff, bRows, bCols, ldb)
                || !fits(c.length, cOff, m, n, ldc)) {
            throw new IllegalArgumentException(String.format(
                    "bf16 gemm shapes do not fit: op(A) %dx%d (lda %d, offset %d, array %d), op(B) %dx%d (ldb %d,"
                            + " offset %d, array %d), C %dx%d (ldc %d, offset %d, array %d)",
                    m, k, lda, aOff, a.length, k, n, ldb, bOff, b.length, m, n, ldc, cOff, c.length));
        }
    }

    private static boolean fits(int length, int off, int rows, int cols, int ld) {
        if (rows == 0 || cols == 0) return off >= 0 && off <= length;
        return off >= 0 && (long) off + (long) (rows - 1) * ld + cols <= length;
    }
}
