package dev.rnnlab.tensor;

/**
 * A GEMM that hands every call to another: the base of the wrappers that change one aspect of a backend
 * (how its products are split, what precision the recurrent layers ask of it) and keep the rest.
 */
abstract class ForwardingGemm implements Gemm {
    /** The GEMM that does the work. */
    final Gemm base;

    ForwardingGemm(Gemm base) {
        this.base = base;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        base.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void gemmBf16(boolean transA, boolean transB, int m, int n, int k,
                         float alpha, short[] a, int aOff, int lda, short[] b, int bOff, int ldb,
                         float beta, float[] c, int cOff, int ldc) {
        base.gemmBf16(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public boolean nativeBf16() {
        return base.nativeBf16();
    }

    @Override
    public Precision precision() {
        return base.precision();
    }

    @Override
    public WorkerTeam team() {
        return base.team();
    }

    @Override
    public String description() {
        return base.description();
    }
}
