package dev.rnnlab.tensor;

/**
 * A GEMM whose {@link #precision()} is BF16: the recurrent layers see it and run their per-step products
 * through {@link #gemmBf16} in training. Every other product, and {@link #gemm} itself, stays fp32, so a
 * model's evaluation and generation on this GEMM give the fp32 figures.
 */
final class Bf16Gemm implements Gemm {
    private final Gemm base;
    private final Gemm serial;

    Bf16Gemm(Gemm base) {
        this.base = base;
        Gemm s = base.serial();
        this.serial = s == base ? this : new Bf16Gemm(s);
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
        return Precision.BF16;
    }

    @Override
    public WorkerTeam team() {
        return base.team();
    }

    @Override
    public Gemm serial() {
        return serial;
    }

    @Override
    public String description() {
        return base.description() + ", recurrent products in bf16 (" + (nativeBf16() ? "native" : "emulated, slower") + ")";
    }
}
