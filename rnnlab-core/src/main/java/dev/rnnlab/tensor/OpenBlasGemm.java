package dev.rnnlab.tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * OpenBLAS's {@code cblas_sgemm}, called through the Foreign Function &amp; Memory API. The call is a
 * critical downcall: OpenBLAS reads and writes the Java heap arrays in place (no copies, about 0.05 us per
 * call). A critical call holds off the garbage collector while it runs, which at these sizes (well under
 * 25 ms per call) is harmless; OpenBLAS never calls back into Java.
 *
 * <p>The library comes from the {@code org.bytedeco:openblas} natives jar; JavaCPP's loader extracts it to
 * its cache once and we bind {@code libopenblas} from there.
 */
final class OpenBlasGemm implements Gemm {
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;  // CBLAS enums

    private static volatile Bound bound;  // the library is bound once per process

    private record Bound(MethodHandle sgemm, MethodHandle sgemv, MethodHandle setThreads, String coreName, String version) {}

    private final MethodHandle sgemm, sgemv;
    private final String description;

    private OpenBlasGemm(Bound b, int threads) {
        this.sgemm = b.sgemm;
        this.sgemv = b.sgemv;
        try {
            b.setThreads.invokeExact(threads);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads failed", t);
        }
        this.description = "openblas " + b.version + " (" + b.coreName + ", " + threads
                + (threads == 1 ? " thread)" : " threads)");
    }

    /** Binds OpenBLAS (first call only) and sets its thread count; throws if the natives do not load. */
    static OpenBlasGemm load(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        Bound b = bound;
        if (b == null) {
            synchronized (OpenBlasGemm.class) {
                if (bound == null) bound = bind();
                b = bound;
            }
        }
        return new OpenBlasGemm(b, threads);
    }

    private static Bound bind() {
        Path lib = locateLibrary();
        Linker linker = Linker.nativeLinker();
        SymbolLookup symbols = SymbolLookup.libraryLookup(lib, Arena.global());
        var I = ValueLayout.JAVA_INT;
        var F = ValueLayout.JAVA_FLOAT;
        var P = ValueLayout.ADDRESS;
        MethodHandle sgemm = linker.downcallHandle(symbols.findOrThrow("cblas_sgemm"),
                FunctionDescriptor.ofVoid(I, I, I, I, I, I, F, P, I, P, I, F, P, I),
                Linker.Option.critical(true));
        // cblas_sgemv(order, trans, m, n, alpha, A, lda, x, incx, beta, y, incy)
        MethodHandle sgemv = linker.downcallHandle(symbols.findOrThrow("cblas_sgemv"),
                FunctionDescriptor.ofVoid(I, I, I, I, F, P, I, P, I, F, P, I),
                Linker.Option.critical(true));
        MethodHandle setThreads = linker.downcallHandle(symbols.findOrThrow("openblas_set_num_threads"),
                FunctionDescriptor.ofVoid(I));
        MethodHandle coreName = linker.downcallHandle(symbols.findOrThrow("openblas_get_corename"),
                FunctionDescriptor.of(P));
        MethodHandle config = linker.downcallHandle(symbols.findOrThrow("openblas_get_config"),
                FunctionDescriptor.of(P));
        try {
            String core = ((MemorySegment) coreName.invokeExact()).reinterpret(256).getString(0);
            String cfg = ((MemorySegment) config.invokeExact()).reinterpret(1024).getString(0);
            // the config string starts "OpenBLAS 0.3.31 ..."; keep the version
            String[] words = cfg.split(" ");
            String version = words.length > 1 && words[0].equals("OpenBLAS") ? words[1] : cfg;
            return new Bound(sgemm, sgemv, setThreads, core, version);
        } catch (Throwable t) {
            throw new IllegalStateException("OpenBLAS loaded but does not answer: " + t, t);
        }
    }

    /** Extracts the natives through JavaCPP (cached after the first run) and finds libopenblas beside them. */
    private static Path locateLibrary() {
        String jni;
        try {
            jni = org.bytedeco.javacpp.Loader.load(org.bytedeco.openblas.global.openblas_nolapack.class);
        } catch (Throwable t) {
            throw new IllegalStateException("no OpenBLAS natives for " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch") + ": " + t.getMessage(), t);
        }
        if (jni == null) throw new IllegalStateException("JavaCPP did not load the OpenBLAS natives");
        Path dir = Path.of(jni).getParent();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("libopenblas") && !n.contains("jni")
                        && (n.contains(".so") || n.endsWith(".dylib")) || n.equals("openblas.dll");
            }).sorted().findFirst().orElseThrow(() -> new IllegalStateException("no libopenblas in " + dir));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * One output row (batch-1 generation): c = alpha op(B)^T a + beta c as a matrix-vector product, which
     * OpenBLAS's sgemm handles several times slower at m = 1. With transB, B is n x k and c = B a; without,
     * B is k x n and c = B^T a. A transposed A is a column: its elements are lda apart.
     */
    private void gemv(boolean transA, boolean transB, int n, int k, float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, float beta, float[] c, int cOff) {
        try {
            sgemv.invokeExact(ROW_MAJOR, transB ? NO_TRANS : TRANS, transB ? n : k, transB ? k : n, alpha,
                    MemorySegment.ofArray(b).asSlice(4L * bOff), ldb, MemorySegment.ofArray(a).asSlice(4L * aOff),
                    transA ? lda : 1, beta, MemorySegment.ofArray(c).asSlice(4L * cOff), 1);
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemv failed", t);
        }
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        Gemm.checkBounds(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (m == 1 && k > 0) {
            gemv(transA, transB, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff);
            return;
        }
        try {
            sgemm.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k,
                    alpha, MemorySegment.ofArray(a).asSlice(4L * aOff), lda,
                    MemorySegment.ofArray(b).asSlice(4L * bOff), ldb,
                    beta, MemorySegment.ofArray(c).asSlice(4L * cOff), ldc);
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemm failed", t);
        }
    }
}
