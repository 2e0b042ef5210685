package dev.rnnlab.tensor;

/**
 * Single-precision matrix multiply on row-major heap arrays: {@code C = alpha * op(A) * op(B) + beta * C},
 * where {@code op(A)} is m x k, {@code op(B)} is k x n and C is m x n; {@code lda}, {@code ldb}, {@code ldc}
 * are the row strides of the arrays as stored (before any transpose), as in CBLAS row-major.
 */
public interface Gemm {

    /** Which implementation to use. */
    enum Backend {
        /** oneDNN when its natives load on this platform, else OpenBLAS, else pure Java. */
        AUTO,
        /** oneDNN's sgemm through the Foreign Function &amp; Memory API; an error if it cannot load. */
        ONEDNN,
        /** OpenBLAS through the Foreign Function &amp; Memory API; an error if it cannot load. */
        OPENBLAS,
        /** The pure-Java fallback. */
        JAVA
    }

    /** The number format of the products a model's recurrent layers run in training. */
    enum Precision {
        /** bf16 where this CPU multiplies bf16 natively (AVX512-BF16, AMX-BF16), fp32 everywhere else. */
        AUTO,
        /** Every product in fp32. */
        FP32,
        /**
         * The recurrent products of training with bf16 factors and fp32 sums (weights kept in fp32); on a CPU
         * without bf16 instructions the rounding is emulated in Java, correct but slower than fp32.
         */
        BF16
    }

    /** Computes C = alpha * op(A) * op(B) + beta * C on the arrays at the given offsets, as the interface comment describes. */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float alpha, float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc);

    /**
     * C = alpha * op(A) * op(B) + beta * C with bf16 factors and fp32 sums: A and B given already rounded
     * ({@link Bf16#round}, to nearest even), C in fp32. The fallback emulates it on {@link #gemm}; oneDNN runs
     * it natively on CPUs with bf16 instructions.
     */
    default void gemmBf16(boolean transA, boolean transB, int m, int n, int k,
                          float alpha, short[] a, int aOff, int lda,
                          short[] b, int bOff, int ldb,
                          float beta, float[] c, int cOff, int ldc) {
        Bf16.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        Bf16.emulate(this, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** Whether {@link #gemmBf16} runs on bf16 instructions here rather than emulated. */
    default boolean nativeBf16() {
        return false;
    }

    /**
     * The precision the recurrent layers train in with this GEMM: FP32 unless it was made with
     * {@link #create(Backend, Precision, int, boolean)} and BF16 (or AUTO on a CPU with bf16 instructions).
     */
    default Precision precision() {
        return Precision.FP32;
    }

    /**
     * The team of threads this GEMM splits its products over, for callers that split a whole loop the same
     * way (a recurrent layer's time loop); null for a GEMM on one thread.
     */
    default WorkerTeam team() {
        return null;
    }

    /** The same backend on the calling thread alone: what a part of a {@link #team()} task calls. */
    default Gemm serial() {
        return this;
    }

    /** A short name for logs and benchmarks, e.g. "openblas 0.3.31 (Cooperlake, 2 threads)". */
    String description();

    /**
     * The backend asked for, on {@code threads} threads: with more than one, each large product is cut into
     * blocks of C run at once by a {@link WorkerTeam} of that many threads, each with the backend
     * single-threaded ({@link SplitGemm}; OpenBLAS's own threads lose on a recurrent layer's small products),
     * and the recurrent layers split their time loops over the same team ({@link #team()}). With {@code log} it prints one
     * line on stderr naming the backend chosen.
     */
    static Gemm create(Backend backend, int threads, boolean log) {
        return create(backend, Precision.FP32, threads, log);
    }

    /**
     * As {@link #create(Backend, int, boolean)}, with the recurrent layers training in {@code precision}:
     * AUTO takes BF16 only where the backend multiplies bf16 natively (a bf16 product cost 0.4-0.65x an
     * fp32 one on a Zen 5 with AVX512-BF16, docs/BENCHMARKS.md), else FP32; the log line says which.
     */
    static Gemm create(Backend backend, Precision precision, int threads, boolean log) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        Gemm g = single(backend, log);
        boolean bf16 = precision == Precision.BF16 || (precision == Precision.AUTO && g.nativeBf16());
        if (threads > 1) g = new SplitGemm(g, threads);
        if (bf16) g = new Bf16Gemm(g);
        if (log) {
            // auto says what it chose either way (bf16 names itself in the description)
            String autoFp32 = precision == Precision.AUTO && !bf16 ? "; precision auto: fp32 (no native bf16 product on this CPU and backend)" : "";
            System.err.println("rnnlab: GEMM backend " + g.description() + autoFp32);
        }
        return g;
    }

    /**
     * One GEMM for the whole JVM: the AUTO backend on every core this JVM may use, made at the first call. What
     * the library uses when given no GEMM, so that runs made one after another share one team of threads
     * instead of each starting its own; runs at the same time share it too (one of them gets the team, the
     * others run on their own threads, see {@link WorkerTeam#tryRun}).
     */
    static Gemm allCores() {
        return SharedGemm.ALL_CORES;
    }

    /** The backend on one thread. */
    private static Gemm single(Backend backend, boolean log) {
        return switch (backend) {
            case JAVA -> new JavaGemm();
            case OPENBLAS -> OpenBlasGemm.load(1);
            case ONEDNN -> OneDnnGemm.load();
            case AUTO -> {
                // oneDNN first: 1.4-2.8x OpenBLAS on the products of training on a Zen 5 (docs/BENCHMARKS.md,
                // "oneDNN and bf16"), with OpenBLAS's sgemv for batch-1 steps where it loads
                try {
                    OneDnnGemm onednn = OneDnnGemm.load();
                    try {
                        yield onednn.withVectorProducts(OpenBlasGemm.load(1));
                    } catch (RuntimeException | LinkageError e) {
                        yield onednn;
                    }
                } catch (RuntimeException | LinkageError e) {
                    if (log) System.err.println("rnnlab: oneDNN unavailable (" + e.getMessage() + "); trying OpenBLAS");
                }
                try {
                    yield OpenBlasGemm.load(1);
                } catch (RuntimeException | LinkageError e) {
                    if (log) System.err.println("rnnlab: OpenBLAS unavailable (" + e.getMessage()
                            + "); using the pure-Java GEMM");
                    yield new JavaGemm();
                }
            }
        };
    }

    /** Checks the arguments of a gemm call against the arrays, with a message naming the shapes. */
    static void checkBounds(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc) {
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        if (m < 0 || n < 0 || k < 0 || lda < Math.max(1, aCols) || ldb < Math.max(1, bCols) || ldc < Math.max(1, n)
                || !fits(a, aOff, aRows, aCols, lda) || !fits(b, bOff, bRows, bCols, ldb) || !fits(c, cOff, m, n, ldc)) {
            throw new IllegalArgumentException(String.format(
                    "gemm shapes do not fit: op(A) %dx%d (A %dx%d, lda %d, offset %d, array %d), op(B) %dx%d"
                            + " (B %dx%d, ldb %d, offset %d, array %d), C %dx%d (ldc %d, offset %d, array %d)",
                    m, k, aRows, aCols, lda, aOff, a.length, k, n, bRows, bCols, ldb, bOff, b.length,
                    m, n, ldc, cOff, c.length));
        }
    }

    private static boolean fits(float[] x, int off, int rows, int cols, int ld) {
        if (rows == 0 || cols == 0) return off >= 0 && off <= x.length;
        return off >= 0 && (long) off + (long) (rows - 1) * ld + cols <= x.length;
    }
}

/** The holder of {@link Gemm#allCores()}: made when first used. */
final class SharedGemm {
    static final Gemm ALL_CORES = Gemm.create(Gemm.Backend.AUTO, Runtime.getRuntime().availableProcessors(), false);

    private SharedGemm() {
    }
}
