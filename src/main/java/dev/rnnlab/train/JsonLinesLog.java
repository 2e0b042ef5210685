package dev.rnnlab.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rnnlab.RnnlabException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends one JSON object per epoch with every metric to a file (JSON lines), flushed each epoch. */
public final class JsonLinesLog implements TrainingListener {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public JsonLinesLog(Path file) {
        this.file = file;
    }

    @Override
    public void epochEnded(EpochMetrics m, Trainer trainer) {
        ObjectNode o = JSON.createObjectNode();
        o.put("epoch", m.epoch()).put("epochs", m.epochs()).put("train_loss", m.trainLoss())
                .put("train_perplexity", m.trainPerplexity()).put("train_bits_per_token", m.bitsPerToken())
                .put("tokens", m.tokens()).put("seconds", m.seconds()).put("tokens_per_s", m.tokensPerSecond())
                .put("grad_norm_mean", m.gradNormMean()).put("grad_norm_max", m.gradNormMax())
                .put("clipped_fraction", m.clippedFraction()).put("learning_rate", m.learningRate());
        if (m.hasValidation()) {
            o.put("validation_loss", m.validationLoss()).put("validation_perplexity", m.validationPerplexity())
                    .put("validation_bits_per_token", m.validationBitsPerToken()).put("best_epoch", m.bestEpoch());
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                w.write(JSON.writeValueAsString(o));
                w.newLine();
            }
        } catch (IOException e) {
            throw new RnnlabException("cannot append to log '" + file + "': " + e.getMessage());
        }
    }
}
