package dev.rnnlab.tensor;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A GEMM on several cores that cuts C into blocks of columns (or of rows, when C is taller than wide) and
 * runs one block per thread on a single-threaded backend. For a recurrent layer's per-step product
 * (32 x 512 times 512 x 2048 for an LSTM-512) this keeps all 32 rows in every call, where cutting the batch
 * would halve them, and it sidesteps OpenBLAS's own threads, which lose badly on these shapes here
 * (docs/BENCHMARKS.md). Each block reads its own slice of B and writes its own slice of C, so the blocks need
 * no locking and the result is each element's same dot product as on one thread.
 */
final class SplitGemm implements Gemm {
    /**
     * Below this many multiply-adds (about 0.2 ms of one core) a product runs on the calling thread: waking a
     * pooled thread costs tens of microseconds here, which made an RNN-256's per-step products (2 M) and
     * batch-1 generation (1 M) twice as slow when split (docs/BENCHMARKS.md).
     */
    static final long MIN_SPLIT_WORK = 1L << 23;
    /** No block narrower than this many columns or rows. */
    static final int MIN_BLOCK = 16;

    private final Gemm base;
    private final int threads;
    private final ExecutorService pool;

    SplitGemm(Gemm base, int threads) {
        if (threads < 2) throw new IllegalArgumentException("a split GEMM needs >= 2 threads, got " + threads);
        this.base = base;
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "rnnlab-gemm");
            t.setDaemon(true);
            return t;
        });
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
        Future<?>[] pending = new Future<?>[parts - 1];
        for (int p = 1; p < parts; p++) {
            int from = (int) ((long) p * extent / parts), to = (int) ((long) (p + 1) * extent / parts);
            pending[p - 1] = pool.submit(() -> block(byColumns, from, to, transA, transB, m, n, k, alpha, a, aOff, lda,
                    b, bOff, ldb, beta, c, cOff, ldc));
        }
        block(byColumns, 0, extent / parts, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        try {
            for (Future<?> f : pending) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a GEMM", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
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
