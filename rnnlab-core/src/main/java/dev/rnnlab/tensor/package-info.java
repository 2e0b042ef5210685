/**
 * The numeric core: plain {@code float[]} storage, GEMM backends and initializers.
 *
 * <p>Design. Every tensor is a row-major slice of a {@code float[]} (array + offset); sequences are
 * time-major {@code [T][B][H]} in one contiguous array. There is no tensor class: the layers in
 * {@code nn} know their shapes and pass arrays, offsets and leading dimensions straight to {@link Gemm}.
 *
 * <p>{@link Gemm} computes {@code C = alpha * op(A) * op(B) + beta * C} on heap arrays. Three backends:
 * oneDNN 3.11's {@code dnnl_sgemm} and OpenBLAS 0.3.31 (natives from {@code org.bytedeco:dnnl} and
 * {@code org.bytedeco:openblas}), each called through the Foreign Function &amp; Memory API as a critical
 * downcall on the heap arrays themselves, so nothing is copied; and a pure-Java fallback for platforms
 * without the natives or for {@code --backend java}. oneDNN comes first because it generates its kernels at
 * run time for the CPU it finds (AVX2, AVX-512, AVX-512 BF16, AMX) where OpenBLAS picks from kernels built
 * ahead of time; on a Zen 5 it ran the per-step products of a recurrent layer 2-2.8x as fast.
 * {@link Gemm#create} picks one once and says which on stderr; the tests run all three and check they agree. With more than one thread a
 * product is cut into blocks of C run at once on single-threaded backends ({@code SplitGemm}), never on
 * the libraries' own threads, which lose on a recurrent layer's small products. The blocks run on a
 * {@link WorkerTeam}: threads that stay in a task for its whole length and meet at a spinning barrier, so
 * a recurrent layer can split its whole time loop over them ({@link Gemm#team()}) and pay well under a
 * microsecond per step to synchronise, where handing each step to a pool would wake a parked thread.
 * {@link Gemm#allCores()} is the library's default: one such GEMM and team for the whole JVM.
 *
 * <p>bf16. {@link Gemm#gemmBf16} multiplies bf16 factors ({@link Bf16}: the top half of a float, rounded to
 * nearest even) with fp32 sums: natively through oneDNN's {@code dnnl_gemm_bf16bf16f32} where the CPU has
 * bf16 instructions (AVX512-BF16, AMX-BF16; oneDNN reports the ISA it generates code for), otherwise
 * emulated on the fp32 GEMM from the widened factors, which gives the same products up to the order of the
 * sums. A GEMM made with {@link Gemm.Precision#BF16} says so in {@link Gemm#precision()}; the recurrent
 * layers read that and choose which of their products to round ({@code nn}). AUTO takes bf16 only where it
 * is native.
 *
 * <p>{@link Activations}: sigmoid and tanh over whole gate blocks, as a rational function in plain loops the
 * JIT compiles to vector code (max abs error 3.5e-7; fitted by tools/fit_tanh.py).
 *
 * <p>{@link Initializers}: D2L's N(0, 0.01^2), PyTorch's U(-1/sqrt(H), 1/sqrt(H)), Xavier, orthogonal,
 * all drawn from one {@link dev.rnnlab.Rng}.
 */
package dev.rnnlab.tensor;
