package dev.rnnlab.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rnnlab.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class GemmTest {

    static Gemm backend(Gemm.Backend b) {
        return Gemm.create(b, 2, false);
    }

    /** Reference in double: C = alpha op(A) op(B) + beta C. */
    static double[] reference(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                              float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double x = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double y = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += x * y;
                }
                out[i * n + j] = alpha * s + beta * c[cOff + i * ldc + j];
            }
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = Gemm.Backend.class, names = {"AUTO", "ONEDNN", "OPENBLAS", "JAVA"})
    void matchesDoubleReferenceForAllTransposesOffsetsAndStrides(Gemm.Backend which) {
        checkAgainstReference(Gemm.create(which, 1, false), which.name(),
                new int[][] {{1, 1, 1}, {1, 64, 33}, {1, 5, 130}, {3, 5, 7}, {32, 48, 17}, {35, 28, 64}, {64, 3, 130}});
    }

    /** Products large enough to be split: by columns (wide C), by rows (tall C), uneven blocks, m = 1. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"ONEDNN, 2", "ONEDNN, 3", "OPENBLAS, 2", "OPENBLAS, 3", "JAVA, 2"})
    void splitProductsMatchTheReferenceForAllTransposesOffsetsAndStrides(Gemm.Backend which, int threads) {
        Gemm g = Gemm.create(which, threads, false);
        assertThat(g).isInstanceOf(SplitGemm.class);
        // each at least SplitGemm.MIN_SPLIT_WORK = 2^23 multiply-adds
        checkAgainstReference(g, which + " x" + threads, new int[][] {{32, 2053, 130}, {1100, 37, 210}, {1, 20000, 420}, {48, 48, 3700}});
    }

    static void checkAgainstReference(Gemm g, String which, int[][] shapes) {
        Rng rng = new Rng(7);
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean ta : new boolean[] {false, true})
                for (boolean tb : new boolean[] {false, true}) {
                    int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
                    int lda = aCols + 3, ldb = bCols + 1, ldc = n + 2, aOff = 5, bOff = 2, cOff = 7;
                    float[] a = random(aOff + aRows * lda, rng), b = random(bOff + bRows * ldb, rng);
                    float[] c = random(cOff + m * ldc, rng);
                    float alpha = 0.75f, beta = -0.5f;
                    double[] want = reference(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
                    float[] before = c.clone();
                    g.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < n; j++)
                            assertThat((double) c[cOff + i * ldc + j])
                                    .as("%s ta=%s tb=%s %dx%dx%d at (%d,%d)", which, ta, tb, m, n, k, i, j)
                                    .isCloseTo(want[i * n + j], org.assertj.core.data.Offset.offset(1e-5 * (k + 1)));
                    // padding between rows and before the offset is untouched
                    for (int idx = 0; idx < c.length; idx++) {
                        int rel = idx - cOff;
                        boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
                        if (!inside) assertThat(c[idx]).isEqualTo(before[idx]);
                    }
                }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Gemm.Backend.class, names = {"ONEDNN", "OPENBLAS", "JAVA"})
    void betaZeroOverwritesNaN(Gemm.Backend which) {
        float[] a = {1, 2}, b = {3, 4}, c = {Float.NaN};
        backend(which).gemm(false, false, 1, 1, 2, 1f, a, 0, 2, b, 0, 1, 0f, c, 0, 1);
        assertThat(c[0]).isEqualTo(11f);
    }

    @Test
    void badShapesNameTheShapes() {
        float[] a = new float[6], b = new float[6], c = new float[3];
        assertThatThrownBy(() -> backend(Gemm.Backend.JAVA).gemm(false, false, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("C 2x2");
    }

    @Test
    void oneDnnReportsItsVersionAndTheKernelsItChose() {
        assertThat(backend(Gemm.Backend.ONEDNN).description()).matches("onednn 3\\.11\\.\\d+ \\(\\w+, 2 threads.*");
    }

    @Test
    void autoPrefersOneDnn() {
        assertThat(Gemm.create(Gemm.Backend.AUTO, 1, false).description()).startsWith("onednn ")
                .contains("one-row products on openblas 0.3.31").endsWith(", 1 thread)");
        assertThat(Gemm.create(Gemm.Backend.AUTO, 2, false).description()).endsWith(", 2 threads, each product split between them)");
    }

    @Test
    void openBlasReportsItself() {
        assertThat(backend(Gemm.Backend.OPENBLAS).description()).startsWith("openblas 0.3.31");
    }

    static float[] random(int n, Rng rng) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rng.nextGaussian();
        return x;
    }
}
