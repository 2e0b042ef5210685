package dev.rnnlab.cli;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.tensor.Gemm;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The compute options every model-running command shares: GEMM backend, precision and thread count. */
final class EngineOptions {
    @Option(names = "--backend", paramLabel = "auto|onednn|openblas|java", defaultValue = "auto",
            description = "GEMM backend (default: ${DEFAULT-VALUE}: oneDNN when its natives load, else OpenBLAS, else pure Java).")
    String backend;

    // fp32 by default, so that a run's figures (D2L's perplexities among them) do not depend on the CPU it ran on
    @Option(names = "--precision", paramLabel = "fp32|bf16|auto", defaultValue = "fp32",
            description = "Number format of the recurrent layers' per-step products in training (default: ${DEFAULT-VALUE})."
                    + " bf16 rounds their factors to bf16 and sums in fp32, weights stay fp32; auto takes bf16 where the CPU"
                    + " has bf16 instructions (AVX512-BF16, AMX), else fp32. Evaluation and generation always run fp32.")
    String precision;

    // every core by default: a recurrent layer wide enough splits its hidden units between the threads at every
    // step (docs/BENCHMARKS.md: LSTM-512 training 1.8x one thread, 0.98-1.07x two shards); training of narrower
    // models, and of word models whose output layer outweighs the recurrent ones, splits the batch instead
    // (--shards auto). OpenBLAS's own threads are never used: they made a
    // recurrent layer's per-step products 5-15x slower here.
    @Option(names = "--threads", paramLabel = "N|auto", defaultValue = "auto",
            description = "Threads for the matrix products and the recurrent layers' time loops (default: ${DEFAULT-VALUE},"
                    + " every core this JVM may use). A layer wide enough splits its hidden units between them at every step.")
    String threads;

    /** The thread count asked for: {@code --threads N}, or every available core for auto. */
    int threadCount() {
        return count(threads, "--threads");
    }

    /** A count option's value: a whole number >= 1, or auto for every core this JVM may use. */
    static int count(String value, String option) {
        if (value.equalsIgnoreCase("auto")) return Runtime.getRuntime().availableProcessors();
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new RnnlabException(option + " must be auto or a whole number >= 1, got '" + value + "'");
    }

    Gemm gemm() {
        int n = threadCount();
        Gemm.Backend b;
        try {
            b = Gemm.Backend.valueOf(backend.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RnnlabException("unknown --backend '" + backend + "': use auto, onednn, openblas or java");
        }
        Gemm.Precision p;
        try {
            p = Gemm.Precision.valueOf(precision.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RnnlabException("unknown --precision '" + precision + "': use fp32, bf16 or auto");
        }
        try {
            return Gemm.create(b, p, n, true);
        } catch (RuntimeException | LinkageError e) {
            throw new RnnlabException("cannot use the " + backend + " backend: " + e.getMessage() + " (try --backend java)");
        }
    }
}
