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
 * first choice: on a Zen 5 it ran an LSTM-512's per-step products (32 x 512 by 512 x 2048, and back) at 1.4-2.8x
 * OpenBLAS 0.3.31's rate and large products at 2x (docs/BENCHMARKS.md, "oneDNN and bf16").
 *
 * <p>The natives come from the {@code org.bytedeco:dnnl} jar, built with GNU OpenMP. Every product here runs
 * on the calling thread alone ({@code omp_set_num_threads(1)}, set once per calling thread): the parallelism
 * is rnnlab's own ({@link SplitGemm}, the recurrent layers' split time loops), and a second layer of OpenMP
 * threads under it would only fight for the same cores.
 */
final class OneDnnGemm implements Gemm {
    private static volatile Bound bound;  // the library is bound once per process

    /** {@code gemmBf16} is null where this CPU has no bf16 instructions (the products are then emulated). */
    private record Bound(MethodHandle sgemm, MethodHandle gemmBf16, MethodHandle ompSetThreads, String version, String isa) {}


    /** Whether this thread has told OpenMP to use one thread. */
    private static final ThreadLocal<Boolean> ONE_THREAD = ThreadLocal.withInitial(() -> false);

    private final MethodHandle sgemm, gemmBf16, ompSetThreads;
    private final String description;
    /** Where one-row products (batch-1 generation) go when set: OpenBLAS's sgemv, see {@link #withVectorProducts}. */
    private final Gemm vectorProducts;

    private OneDnnGemm(Bound b, Gemm vectorProducts) {
        this.vectorProducts = vectorProducts;
        this.sgemm = b.sgemm;
        this.gemmBf16 = b.gemmBf16;
        this.ompSetThreads = b.ompSetThreads;
        String vectors = vectorProducts == null ? "" : "; one-row products on " + vectorProducts.description().split(" \\(")[0];
        this.description = "onednn " + b.version + " (" + b.isa.replace("cpu_isa_", "") + vectors + ", 1 thread)";
    }

    /**
     * The same oneDNN with its one-row products (m = 1: a batch-1 step) sent to {@code vectors}. oneDNN's sgemm
     * and OpenBLAS's sgemv stream W_hh at the same rate at batch 1 (LSTM-512 generation: 19,400-20,100 chars/s
     * on either, docs/BENCHMARKS.md), but oneDNN builds a kernel for each new shape on its first call, which
     * made the first token of a generation slower (5.0-7.0 ms against 2.6-4.9 ms).
     */
    OneDnnGemm withVectorProducts(Gemm vectors) {
        return new OneDnnGemm(bound, vectors);
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
        return new OneDnnGemm(b, null);
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
        // dnnl_gemm_bf16bf16f32: the same arguments with A and B as uint16_t * (bf16), C still float
        MethodHandle bf16 = linker.downcallHandle(symbols.findOrThrow("dnnl_gemm_bf16bf16f32"),
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
            // oneDNN names the ISA it generates code for: bf16 dot products come with avx512_core_bf16, the
            // AMX ISAs and AVX10; on anything older its bf16 GEMM would run converted, slower than fp32
            boolean hasBf16 = name.contains("bf16") || name.contains("amx") || name.contains("avx10");
            return new Bound(sgemm, hasBf16 ? bf16 : null, setThreads, ver, name);
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
    public boolean nativeBf16() {
        return gemmBf16 != null;
    }

    /** Natively ({@code dnnl_gemm_bf16bf16f32}) where the CPU has bf16 instructions, else emulated ({@link Bf16#emulate}). */
    @Override
    public void gemmBf16(boolean transA, boolean transB, int m, int n, int k,
                         float alpha, short[] a, int aOff, int lda, short[] b, int bOff, int ldb,
                         float beta, float[] c, int cOff, int ldc) {
        Bf16.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (gemmBf16 == null) {
            Bf16.emulate(this, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        if (m == 0 || n == 0) return;
        call(gemmBf16, "dnnl_gemm_bf16bf16f32", transA, transB, m, n, k, alpha, MemorySegment.ofArray(a).asSlice(2L * aOff), lda,
                MemorySegment.ofArray(b).asSlice(2L * bOff), ldb, beta, MemorySegment.ofArray(c).asSlice(4L * cOff), ldc);
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
        if (m == 1 && vectorProducts != null) {
            vectorProducts.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        Gemm.checkBounds(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        call(sgemm, "dnnl_sgemm", transA, transB, m, n, k, alpha, MemorySegment.ofArray(a).asSlice(4L * aOff), lda,
                MemorySegment.ofArray(b).asSlice(4L * bOff), ldb, beta, MemorySegment.ofArray(c).asSlice(4L * cOff), ldc);
    }

    /** One oneDNN GEMM call (dnnl_sgemm and dnnl_gemm_bf16bf16f32 share the signature) on this thread alone. */
    private void call(MethodHandle gemm, String name, boolean transA, boolean transB, int m, int n, int k, float alpha,
                      MemorySegment a, int lda, MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        int status;
        try {
            if (!ONE_THREAD.get()) {
                ompSetThreads.invokeExact(1);
                ONE_THREAD.set(true);
            }
            status = (int) gemm.invokeExact((byte) (transA ? 'T' : 'N'), (byte) (transB ? 'T' : 'N'),
                    (long) m, (long) n, (long) k, alpha, a, (long) lda, b, (long) ldb, beta, c, (long) ldc);
        } catch (Throwable t) {
            throw new IllegalStateException(name + " failed", t);
        }
        if (status != 0) throw new IllegalStateException(name + " returned status " + status + " for " + m + "x" + n + "x" + k);
    }
}
