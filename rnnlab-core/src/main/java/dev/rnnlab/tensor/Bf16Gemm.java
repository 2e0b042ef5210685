package dev.rnnlab.tensor;

/**
 * A GEMM whose {@link #precision()} is BF16: the recurrent layers see it and run their per-step products
 * through {@link #gemmBf16} in training. Every other product, and {@link #gemm} itself, stays fp32, so a
 * model's evaluation and generation on this GEMM give the fp32 figures.
 */
final class Bf16Gemm extends ForwardingGemm {
    private final Gemm serial;

    Bf16Gemm(Gemm base) {
        super(base);
        Gemm s = base.serial();
        this.serial = s == base ? this : new Bf16Gemm(s);
    }

    @Override
    public Precision precision() {
        return Precision.BF16;
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
