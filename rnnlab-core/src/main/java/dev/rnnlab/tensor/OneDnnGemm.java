package dev.rnnlab.tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * oneDNN's {@code dnnl_sgemm} (row-major, like CBLAS), called through the Foreign Function &amp; Memory API as
 * a critical downcall on the Java heap arrays themselves, as {@link OpenBlasGemm} does. oneDNN generates its
 * kernels at run time for the CPU it finds (AVX2, AVX-512, AVX-512 with BF16, AMX), which is why it is the
 * first choice: on a Zen 5 it ran a recurrent layer's per-step products (32 x 512 by 512 x 2048) at 2.5-2.8x
 * OpenBLAS 0.3.31's rate and large products at 2x (docs/BENCHMARKS.md, "oneDNN").
 *
 * <p>The natives come from the {@code org.bytedeco:dnnl} jar, built with GNU OpenMP. Every product here runs
 * on the calling thread alone ({@code omp_set_num_threads(1)}, set once per calling thread): the parallelism
 * is rnnlab's own ({@link SplitGemm}, the recurrent layers' split time loops), and a second layer of OpenMP
 * threads under it would only fight for the same cores.
 */
final class OneDnnGemm implements Gemm {
    private static volatile Bound bound;  // the library is bound once per process

    private record Bound(MethodHandle sgemm, MethodHandle ompSetThreads, String version, String isa) {}

    /** Whether this thread has told OpenMP to use one thread. */
    private static final ThreadLocal<Boolean> ONE_THREAD = ThreadLocal.withInitial(() -> false);

    private final MethodHandle sgemm, ompSetThreads;
    private final String description;

    private OneDnnGemm(Bound b) {
        this.sgemm = b.sgemm;
        this.ompSetThreads = b.ompSetThreads;
        this.description = "onednn " + b.version + " (" + b.isa + ", 1 thread)";
    }

    /** Binds oneDNN (first call only); throws if the natives do not load on this platform. */
    static OneDnnGemm load() {
        Bound b = bound;
        if (b == null) {
            synchronized (OneDnnGemm.class) {
                if (bound == null) bound = bind();
                b = bound;
            }
        }
        return new OneDnnGemm(b);
    }

    private static Bound bind() {
        Path gomp = nativeLibrary("libgomp.so.1"), dnnl = nativeLibrary("libdnnl.so.3");
        Linker linker = Linker.nativeLinker();
        SymbolLookup openMp = SymbolLookup.libraryLookup(gomp, Arena.global());
        SymbolLookup symbols = SymbolLookup.libraryLookup(dnnl, Arena.global());
        var I = ValueLayout.JAVA_INT;
        var L = ValueLayout.JAVA_LONG;
        var F = ValueLayout.JAVA_FLOAT;
        var B = ValueLayout.JAVA_BYTE;
        var P = ValueLayout.ADDRESS;
        // dnnl_status_t dnnl_sgemm(char transa, char transb, dim M, dim N, dim K, float alpha, const float *A,
        //     dim lda, const float *B, dim ldb, float beta, float *C, dim ldc), dim being int64_t
        MethodHandle sgemm = linker.downcallHandle(symbols.findOrThrow("dnnl_sgemm"),
                FunctionDescriptor.of(I, B, B, L, L, L, F, P, L, P, L, F, P, L), Linker.Option.critical(true));
        MethodHandle setThreads = linker.downcallHandle(openMp.findOrThrow("omp_set_num_threads"),
                FunctionDescriptor.ofVoid(I));
        MethodHandle version = linker.downcallHandle(symbols.findOrThrow("dnnl_version"), FunctionDescriptor.of(P));
        MethodHandle isa = linker.downcallHandle(symbols.findOrThrow("dnnl_get_effective_cpu_isa"),
                FunctionDescriptor.of(I));
        MethodHandle isaName = linker.downcallHandle(symbols.findOrThrow("dnnl_cpu_isa2str"),
                FunctionDescriptor.of(P, I));
        try {
            // const dnnl_version_t *: int major, minor, patch, then the commit hash
            MemorySegment v = ((MemorySegment) version.invokeExact()).reinterpret(12);
            String ver = v.get(I, 0) + "." + v.get(I, 4) + "." + v.get(I, 8);
            int isaCode = (int) isa.invokeExact();
            String name = ((MemorySegment) isaName.invokeExact(isaCode)).reinterpret(64).getString(0);
            return new Bound(sgemm, setThreads, ver, name);
        } catch (Throwable t) {
            throw new IllegalStateException("oneDNN loaded but does not answer: " + t, t);
        }
    }

    /**
     * Extracts a native library from the natives jar into JavaCPP's cache (first use only) and returns its path.
     * Both libraries land in one directory, where libdnnl's run path ($ORIGIN) finds libgomp.
     */
    private static Path nativeLibrary(String name) {
        String platform = org.bytedeco.javacpp.Loader.getPlatform();
        String resource = "/org/bytedeco/dnnl/" + platform + "/" + name;
        try {
            java.io.File file = org.bytedeco.javacpp.Loader.cacheResource(resource);
            if (file == null) throw new IllegalStateException("no oneDNN natives for " + platform + " (" + resource + ")");
            return file.toPath();
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract " + resource + ": " + e.getMessage(), e);
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
        int status;
        try {
            if (!ONE_THREAD.get()) {
                ompSetThreads.invokeExact(1);
                ONE_THREAD.set(true);
            }
            status = (int) sgemm.invokeExact((byte) (transA ? 'T' : 'N'), (byte) (transB ? 'T' : 'N'),
                    (long) m, (long) n, (long) k, alpha,
                    MemorySegment.ofArray(a).asSlice(4L * aOff), (long) lda,
                    MemorySegment.ofArray(b).asSlice(4L * bOff), (long) ldb,
                    beta, MemorySegment.ofArray(c).asSlice(4L * cOff), (long) ldc);
        } catch (Throwable t) {
            throw new IllegalStateException("dnnl_sgemm failed", t);
        }
        if (status != 0) throw new IllegalStateException("dnnl_sgemm returned status " + status
                + " for " + m + "x" + n + "x" + k);
    }
}
