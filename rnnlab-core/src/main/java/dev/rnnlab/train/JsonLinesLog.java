package dev.rnnlab.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rnnlab.io.JsonLines;
import java.nio.file.Path;

/**
 * Appends one JSON object per epoch with every metric to a file (JSON lines), flushed each epoch; besides
 * the {@link EpochMetrics} each line holds the run's optimizer steps so far, its batch seconds so far
 * ({@code elapsed_seconds}) and the Unix time it was written, the three x axes of a live chart. A run
 * resumed from a checkpoint replays the epochs after it; before the first of them is written, the lines
 * of those epochs from the run that was cut off are dropped, so each epoch appears once.
 */
public final class JsonLinesLog implements TrainingListener {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private boolean staleLinesDropped;

    /** A log appended to {@code file}, created with its directories at the first epoch. */
    public JsonLinesLog(Path file) {
        this.file = file;
    }

    @Override
    public void epochEnded(EpochMetrics m, Trainer trainer) {
        if (!staleLinesDropped) {
            JsonLines.dropEpochsFrom(file, m.epoch());
            staleLinesDropped = true;
        }
        double elapsed = 0;
        for (EpochMetrics e : trainer.history()) elapsed += e.seconds();
        ObjectNode o = JSON.createObjectNode();
        o.put("epoch", m.epoch()).put("epochs", m.epochs()).put("train_loss", m.trainLoss())
                .put("train_perplexity", m.trainPerplexity()).put("train_bits_per_token", m.bitsPerToken())
                .put("tokens", m.tokens()).put("seconds", m.seconds()).put("tokens_per_s", m.tokensPerSecond())
                .put("grad_norm_mean", m.gradNormMean()).put("grad_norm_max", m.gradNormMax())
                .put("clipped_fraction", m.clippedFraction()).put("learning_rate", m.learningRate())
                .put("step", trainer.optimizer().steps()).put("elapsed_seconds", elapsed).put("time", System.currentTimeMillis() / 1000.0);
        if (m.hasValidation()) {
            o.put("validation_loss", m.validationLoss()).put("validation_perplexity", m.validationPerplexity())
                    .put("validation_bits_per_token", m.validationBitsPerToken()).put("best_epoch", m.bestEpoch());
        }
        JsonLines.append(file, o);
    }
}
