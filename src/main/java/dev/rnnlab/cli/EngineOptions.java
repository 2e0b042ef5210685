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

    // one thread by default: on the 2-core machines here OpenBLAS's second thread made the small per-step
    // GEMMs of a recurrent layer 5-15x slower (docs/BENCHMARKS.md)
    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "OpenBLAS threads (default: ${DEFAULT-VALUE}; see docs/BENCHMARKS.md before raising it).")
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
