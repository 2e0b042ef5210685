package dev.rnnlab.tensor;

/**
 * The pure-Java GEMM: used where the OpenBLAS natives do not load, and as the second opinion in tests.
 * Loops are ordered so the innermost one runs along contiguous rows (axpy or dot), which C2 compiles to
 * SIMD; it is several times slower than OpenBLAS but exact in the same sense (float accumulation).
 */
final class JavaGemm implements Gemm {

    @Override
    public String description() {
        return "pure Java (1 thread)";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        Gemm.checkBounds(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, ci, ci + n, 0f);  // beta = 0 ignores C, NaNs included (BLAS semantics)
            } else if (beta != 1f) {
                for (int j = 0; j < n; j++) c[ci + j] *= beta;
            }
        }
        if (alpha == 0f || k == 0) return;
        if (!transB) {
            // C[i,:] += alpha * op(A)[i,p] * B[p,:] : axpy along contiguous rows of B and C
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                for (int p = 0; p < k; p++) {
                    float aip = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
                    if (aip == 0f) continue;
                    int bp = bOff + p * ldb;
                    for (int j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
                }
            }
        } else if (!transA) {
            // C[i,j] += alpha * dot(A[i,:], B[j,:]) : both rows contiguous
            for (int i = 0; i < m; i++) {
                int ai = aOff + i * lda, ci = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    int bj = bOff + j * ldb;
                    float s = 0f;
                    for (int p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
                    c[ci + j] += alpha * s;
                }
            }
        } else {
            // A^T B^T: rare; C[i,j] += alpha * sum_p A[p,i] B[j,p]
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    int bj = bOff + j * ldb;
                    float s = 0f;
                    for (int p = 0; p < k; p++) s += a[aOff + p * lda + i] * b[bj + p];
                    c[ci + j] += alpha * s;
                }
            }
        }
    }
}
