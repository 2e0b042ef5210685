package dev.rnnlab.tensor;

/**
 * A GEMM on several cores that cuts C into blocks of columns (or of rows, when C is taller than wide) and
 * runs one block per thread on a single-threaded backend. For a recurrent layer's per-step product
 * (32 x 512 times 512 x 2048 for an LSTM-512) this keeps all 32 rows in every call, where cutting the batch
 * would halve them, and it sidesteps OpenBLAS's own threads, which lose badly on these shapes here
 * (docs/BENCHMARKS.md). Each block reads its own slice of B and writes its own slice of C, so the blocks need
 * no locking and the result is each element's same dot product as on one thread. The blocks run on a
 * {@link WorkerTeam}, whose workers spin between products instead of parking, and which the recurrent
 * layers share for their time loops ({@link #team()}); while the team is busy with another caller's task a
 * product runs whole on the calling thread. bf16 products always run whole on the calling thread: the
 * recurrent layers split them per part themselves.
 */
final class SplitGemm extends ForwardingGemm {
    /**
     * Below this many multiply-adds (about 0.2 ms of one core) a product runs on the calling thread: waking a
     * pooled thread cost tens of microseconds, which made an RNN-256's per-step products (2 M) and batch-1
     * generation (1 M) twice as slow when split (docs/BENCHMARKS.md). The recurrent layers' per-step products
     * do not come here: the layers split their whole time loops over the team instead.
     */
    static final long MIN_SPLIT_WORK = 1L << 23;
    /** No block narrower than this many columns or rows. */
    static final int MIN_BLOCK = 16;

    private final int threads;
    private final WorkerTeam team;

    SplitGemm(Gemm base, int threads) {
        if (threads < 2) throw new IllegalArgumentException("a split GEMM needs >= 2 threads, got " + threads);
        super(base);
        this.threads = threads;
        this.team = new WorkerTeam(threads);
    }

    @Override
    public WorkerTeam team() {
        return team;
    }

    @Override
    public Gemm serial() {
        return base;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        boolean byColumns = n >= m;
        int extent = byColumns ? n : m;
        int parts = (int) Math.min(threads, extent / MIN_BLOCK);
        if (parts < 2 || (long) m * n * k < MIN_SPLIT_WORK) {
            base.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        Gemm.checkBounds(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        boolean split = team.tryRun(part -> {
            if (part >= parts) return;
            block(byColumns, WorkerTeam.start(part, parts, extent), WorkerTeam.start(part + 1, parts, extent), transA, transB,
                    m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        });
        if (!split) base.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * Columns [from, to) of C: the same columns of op(B) (columns of B, or rows of a transposed B). Rows
     * [from, to) of C: the same rows of op(A) (rows of A, or columns of a transposed A).
     */
    private void block(boolean byColumns, int from, int to, boolean transA, boolean transB, int m, int n, int k,
                       float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                       float beta, float[] c, int cOff, int ldc) {
        if (byColumns) {
            base.gemm(transA, transB, m, to - from, k, alpha, a, aOff, lda, b, bOff + (transB ? from * ldb : from), ldb,
                    beta, c, cOff + from, ldc);
        } else {
            base.gemm(transA, transB, to - from, n, k, alpha, a, aOff + (transA ? from : from * lda), lda, b, bOff, ldb,
                    beta, c, cOff + from * ldc, ldc);
        }
    }

    @Override
    public String description() {
        return base.description().replace("1 thread)", threads + " threads, each product split between them)");
    }
}
