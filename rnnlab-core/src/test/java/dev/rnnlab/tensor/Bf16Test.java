package dev.rnnlab.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rnnlab.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class Bf16Test {

    @Test
    void roundsToTheNearestBf16AndTiesToEven() {
        assertThat(Bf16.round(1f)).isEqualTo((short) 0x3f80);
        assertThat(Bf16.toFloat(Bf16.round(1f + 0x1p-7f))).isEqualTo(1f + 0x1p-7f);     // representable: kept
        assertThat(Bf16.toFloat(Bf16.round(1f + 0x1p-8f))).isEqualTo(1f);               // half-way, to even (down)
        assertThat(Bf16.toFloat(Bf16.round(1f + 3 * 0x1p-8f))).isEqualTo(1f + 0x1p-6f); // half-way, to even (up)
        assertThat(Bf16.toFloat(Bf16.round(1f + 0x1p-8f + 0x1p-20f))).isEqualTo(1f + 0x1p-7f);  // above half: up
        assertThat(Bf16.toFloat(Bf16.round(-2.75f))).isEqualTo(-2.75f);
        assertThat(Bf16.toFloat(Bf16.round(-0f))).isEqualTo(-0f);
        assertThat(Bf16.toFloat(Bf16.round(Float.MAX_VALUE))).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(Bf16.toFloat(Bf16.round(Float.NEGATIVE_INFINITY))).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(Bf16.toFloat(Bf16.round(Float.NaN))).isNaN();
        // a NaN whose payload lies only in the low 16 bits must not become an infinity
        assertThat(Bf16.toFloat(Bf16.round(Float.intBitsToFloat(0x7f800001)))).isNaN();
        // the array form, which the JIT vectorises, keeps Java's NaN a NaN and turns no NaN into a finite number
        short[] two = new short[2];
        Bf16.round(new float[] {Float.NaN, Float.intBitsToFloat(0xff800001)}, 0, 2, two, 0);
        assertThat(Bf16.toFloat(two[0])).isNaN();
        assertThat(Float.isFinite(Bf16.toFloat(two[1]))).isFalse();
    }

    /** Within half a bf16 ulp (at most 2^-8 of |x|: 8 significant bits), and the array form gives the scalar form. */
    @Test
    void roundingErrorIsAtMostHalfAUnitInTheLastPlace() {
        Rng rng = new Rng(7);
        float[] xs = new float[20_000];
        for (int i = 0; i < xs.length; i++) xs[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(20) - 10));
        short[] rounded = new short[xs.length];
        Bf16.round(xs, 0, xs.length, rounded, 0);
        for (int i = 0; i < xs.length; i++) {
            assertThat(rounded[i]).isEqualTo(Bf16.round(xs[i]));
            float r = Bf16.toFloat(rounded[i]);
            assertThat((double) Math.abs(r - xs[i])).as("x = %s", xs[i]).isLessThanOrEqualTo(Math.abs(xs[i]) * 0x1p-8);
            // and it is a nearest bf16: its neighbours are no closer
            float up = Float.intBitsToFloat((rounded[i] + 1) << 16), down = Float.intBitsToFloat((rounded[i] - 1) << 16);
            assertThat(Math.abs(r - xs[i])).isLessThanOrEqualTo(Math.abs(up - xs[i]));
            assertThat(Math.abs(r - xs[i])).isLessThanOrEqualTo(Math.abs(down - xs[i]));
        }
    }

    /**
     * Every backend's bf16 product equals the product of the bf16 factors, computed in double, to fp32
     * summation error (k 2^-24 of the sum of |a||b|, ten times over), for every transpose, offset and stride;
     * and it differs from the fp32 product by no more than both factors' rounding allows: 2^-8 each, so at
     * most (2^-7 + 2^-16) of the sum of |a||b|. The shapes include a recurrent layer's per-step product.
     */
    @ParameterizedTest
    @EnumSource(value = Gemm.Backend.class, names = {"ONEDNN", "OPENBLAS", "JAVA"})
    void bf16ProductsAreTheProductsOfTheRoundedFactors(Gemm.Backend which) {
        Gemm g = Gemm.create(which, 1, false);
        Rng rng = new Rng(3);
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {32, 48, 17}, {32, 2048, 512}, {5, 130, 64}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
                int lda = aCols + 3, ldb = bCols + 1, ldc = n + 2, aOff = 5, bOff = 2, cOff = 1;
                float[] af = random(aOff + aRows * lda, rng), bf = random(bOff + bRows * ldb, rng), c = random(cOff + m * ldc, rng);
                short[] a = new short[af.length], b = new short[bf.length];
                Bf16.round(af, 0, af.length, a, 0);
                Bf16.round(bf, 0, bf.length, b, 0);
                float alpha = 0.75f, beta = 0.5f;
                float[] out = c.clone(), fp32 = c.clone();
                g.gemmBf16(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
                g.gemm(ta, tb, m, n, k, alpha, af, aOff, lda, bf, bOff, ldb, beta, fp32, cOff, ldc);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double exact = 0, magnitude = 0;
                        for (int p = 0; p < k; p++) {
                            double x = Bf16.toFloat(ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
                            double y = Bf16.toFloat(tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j]);
                            exact += x * y;
                            magnitude += Math.abs(x * y);
                        }
                        double cIn = c[cOff + i * ldc + j], want = alpha * exact + beta * cIn;
                        double sumError = 10 * k * 0x1p-24 * (alpha * magnitude + Math.abs(beta * cIn)) + 1e-30;
                        String at = which + " " + m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb + " at " + i + "," + j;
                        assertThat((double) out[cOff + i * ldc + j]).as(at).isCloseTo(want, within(sumError));
                        double bf16Error = (0x1p-7 + 0x1p-16) * alpha * magnitude * 1.01 + sumError;
                        assertThat((double) out[cOff + i * ldc + j]).as(at + " against fp32")
                                .isCloseTo(fp32[cOff + i * ldc + j], within(bf16Error + sumError));
                    }
                }
                // C's padding between rows is never written
                for (int i = 0; i < m; i++) for (int j = n; j < ldc && cOff + i * ldc + j < c.length; j++) {
                    assertThat(out[cOff + i * ldc + j]).isEqualTo(c[cOff + i * ldc + j]);
                }
            }
        }
    }

    @Test
    void aBf16OperandThatDoesNotFitIsRefused() {
        Gemm g = Gemm.create(Gemm.Backend.AUTO, 1, false);
        assertThatThrownBy(() -> g.gemmBf16(false, true, 2, 3, 4, 1f, new short[8], 0, 4, new short[11], 0, 4, 0f, new float[6], 0, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("op(B) 4x3");
    }

    @Test
    void precisionIsChosenOnceAndSaidInTheDescription() {
        for (Gemm.Backend backend : new Gemm.Backend[] {Gemm.Backend.AUTO, Gemm.Backend.JAVA}) {
            for (int threads : new int[] {1, 2}) {
                Gemm fp32 = Gemm.create(backend, Gemm.Precision.FP32, threads, false);
                Gemm bf16 = Gemm.create(backend, Gemm.Precision.BF16, threads, false);
                Gemm auto = Gemm.create(backend, Gemm.Precision.AUTO, threads, false);
                assertThat(fp32.precision()).isEqualTo(Gemm.Precision.FP32);
                assertThat(bf16.precision()).isEqualTo(Gemm.Precision.BF16);
                assertThat(bf16.serial().precision()).as("what a split loop's parts call").isEqualTo(Gemm.Precision.BF16);
                assertThat(bf16.description()).contains("recurrent products in bf16").contains(bf16.nativeBf16() ? "native" : "emulated");
                // auto takes bf16 exactly where it runs on bf16 instructions
                assertThat(auto.precision()).isEqualTo(fp32.nativeBf16() ? Gemm.Precision.BF16 : Gemm.Precision.FP32);
                assertThat(fp32.description()).doesNotContain("in bf16");
                if (threads == 2) assertThat(bf16.team()).isNotNull();
            }
        }
        assertThat(Gemm.create(Gemm.Backend.JAVA, 1, false).nativeBf16()).isFalse();
    }

    static float[] random(int n, Rng rng) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rng.nextGaussian();
        return x;
    }
}
