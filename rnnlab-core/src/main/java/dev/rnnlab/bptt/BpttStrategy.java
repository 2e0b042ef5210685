package dev.rnnlab.bptt;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.data.Batch;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.RecurrentState;
import java.util.Locale;

/** How the gradient of one batch's mean loss is computed through time. */
public interface BpttStrategy {
    /**
     * Accumulates dL/dtheta of the batch's mean cross-entropy into the model's gradient block (zeroed by the
     * caller), starting from {@code state}, and overwrites {@code state} with the state after the batch.
     * Returns the mean loss.
     */
    double computeGradients(LanguageModel model, Batch batch, RecurrentState state, Rng rng);

    /** The next batch starts a new sequence (fresh state): forget any history kept from earlier batches. */
    default void startSequence() {}

    /**
     * A new epoch begins. Strategies keep no state across epochs, so a run resumed from an epoch-end
     * checkpoint computes exactly what the uninterrupted run would.
     */
    default void startEpoch() {}

    /** One line naming the strategy and its settings, for logs. */
    String describe();

    /** D2L's default: one forward and one backward over the whole batch ("detach" at its boundary). */
    static BpttStrategy perBatch() {
        return new BpttStrategy() {
            @Override
            public double computeGradients(LanguageModel model, Batch batch, RecurrentState state, Rng rng) {
                double loss = model.forward(batch.inputs(), batch.targets(), batch.steps(), batch.batchSize(), state);
                if (Double.isFinite(loss)) {
                    model.backward();
                    model.finalState(state);
                }
                return loss;
            }

            @Override
            public String describe() {
                return "per-batch (D2L: truncated at the batch boundary)";
            }
        };
    }

    /**
     * Parses a strategy: {@code perbatch}, {@code truncated:K} or {@code truncated:K1:K2},
     * {@code randomized:PI} or {@code randomized:P1,P2,...}, {@code segments:MIN:MAX},
     * {@code full} or {@code full:checkpoint=K}, {@code adaptive:TOLERANCE[:K1:KMAX]}.
     * {@code maxMemoryBytes} bounds full BPTT's activations.
     */
    static BpttStrategy parse(String spec, long maxMemoryBytes) {
        String[] p = spec.toLowerCase(Locale.ROOT).split(":");
        try {
            return switch (p[0]) {
                case "perbatch", "per-batch", "d2l" -> perBatch();
                case "truncated" -> p.length == 2 ? new TruncatedBptt(Integer.parseInt(p[1]), Integer.parseInt(p[1]))
                        : new TruncatedBptt(Integer.parseInt(p[1]), Integer.parseInt(p[2]));
                case "randomized" -> RandomizedTruncation.parse(p.length > 1 ? p[1] : "0.9");
                case "segments" -> new RandomSegments(Integer.parseInt(p[1]), Integer.parseInt(p[2]));
                case "full" -> new FullBptt(maxMemoryBytes, p.length > 1 ? Integer.parseInt(p[1].replace("checkpoint=", "")) : 0);
                case "adaptive" -> new AdaptiveTruncation(Double.parseDouble(p[1]), p.length > 2 ? Integer.parseInt(p[2]) : 5,
                        p.length > 3 ? Integer.parseInt(p[3]) : 200, 20);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new RnnlabException("cannot read --bptt '" + spec + "': use perbatch, truncated:K1[:K2], randomized:PI,"
                    + " segments:MIN:MAX, full[:checkpoint=K] or adaptive:TOLERANCE[:K1:KMAX]");
        }
    }

    /**
     * Bytes of activations this strategy caches at once for a batch of {@code steps} x {@code batch}: what
     * its backward needs in memory (the model's cache for the longest forward it runs).
     */
    default long activationBytes(LanguageModel model, int steps, int batch) {
        return model.activationBytes(steps, batch);
    }

    /** Whether this strategy needs each stream whole, as one batch per epoch (full BPTT). */
    default boolean wantsWholeSequence() {
        return false;
    }
}
