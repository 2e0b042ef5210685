package dev.rnnlab.run;

import static dev.rnnlab.run.InvalidSpecException.parses;
import static dev.rnnlab.run.InvalidSpecException.require;

import dev.rnnlab.bptt.BpttStrategy;
import java.io.Serializable;

/**
 * How gradients flow back through time (D2L 8.7).
 *
 * @param strategy       "perbatch" (D2L's), "truncated:K1[:K2]", "randomized:PI[,PI2,...]", "segments:MIN:MAX",
 *                       "full[:checkpoint=K]" or "adaptive:TOLERANCE[:K1:KMAX]"; see {@link BpttStrategy#parse}
 * @param maxMemoryBytes the bound on the activations full BPTT may cache
 */
public record BpttSpec(String strategy, long maxMemoryBytes) implements Serializable {
    /** Four GiB: the default bound on full BPTT's activations. */
    public static final long DEFAULT_MAX_MEMORY = 4L << 30;

    /** Checks both fields, naming the bad one. */
    public BpttSpec {
        require(strategy != null && !strategy.isBlank(), "bptt.strategy", "must name a strategy, e.g. perbatch or truncated:35");
        require(maxMemoryBytes > 0, "bptt.maxMemoryBytes", "must be > 0, got " + maxMemoryBytes);
        String s = strategy;
        long m = maxMemoryBytes;
        parses("bptt.strategy", () -> BpttStrategy.parse(s, m));
    }

    /** D2L's: detach the state at every batch boundary. */
    public static BpttSpec perBatch() {
        return new BpttSpec("perbatch", DEFAULT_MAX_MEMORY);
    }

    /** A new strategy object (strategies keep per-run state, so each run gets its own). */
    public BpttStrategy newStrategy() {
        return BpttStrategy.parse(strategy, maxMemoryBytes);
    }
}
