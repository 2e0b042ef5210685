package dev.rnnlab.cli;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.tensor.Gemm;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The compute options every model-running command shares: GEMM backend and thread count. */
final class EngineOptions {
    @Option(names = "--backend", paramLabel = "auto|openblas|java", defaultValue = "auto",
            description = "GEMM backend (default: ${DEFAULT-VALUE}: OpenBLAS when its natives load, else pure Java).")
    String backend;

    // one thread by default; more split each large product's output between our own threads, each calling
    // single-threaded OpenBLAS (OpenBLAS's own threads made a recurrent layer's per-step products 5-15x
    // slower here). For training on several cores --shards usually does better (docs/BENCHMARKS.md).
    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Threads per matrix product: each product of at least 8 M multiply-adds is cut into N blocks run at"
                    + " once (default: ${DEFAULT-VALUE}; for training on several cores --shards usually does better).")
    int threads;

    Gemm gemm() {
        if (threads < 1) throw new RnnlabException("--threads must be >= 1, got " + threads);
        Gemm.Backend b;
        try {
            b = Gemm.Backend.valueOf(backend.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RnnlabException("unknown --backend '" + backend + "': use auto, openblas or java");
        }
        try {
            return Gemm.create(b, threads, true);
        } catch (RuntimeException | LinkageError e) {
            throw new RnnlabException("cannot use the " + backend + " backend: " + e.getMessage() + " (try --backend java)");
        }
    }
}
