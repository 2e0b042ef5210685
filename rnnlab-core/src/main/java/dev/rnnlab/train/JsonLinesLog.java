package dev.rnnlab.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.io.IoErrors;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends one JSON object per epoch with every metric to a file (JSON lines), flushed each epoch. A run
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
            dropLinesFrom(m.epoch());
            staleLinesDropped = true;
        }
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
            throw new RnnlabException("cannot append to log '" + file + "': " + IoErrors.describeWrite(file, e));
        }
    }

    /** Rewrites the log without the lines of epochs {@code epoch} and later (a no-op when it has none). */
    private void dropLinesFrom(int epoch) {
        if (!Files.isRegularFile(file)) return;
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> kept = new ArrayList<>();
            for (String line : lines) {
                try {
                    if (JSON.readTree(line).path("epoch").asInt(Integer.MAX_VALUE) < epoch) kept.add(line);
                } catch (IOException garbled) {
                    // a line cut off by a kill: dropped
                }
            }
            if (kept.size() == lines.size()) return;
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, kept, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new RnnlabException("cannot rewrite log '" + file + "': " + IoErrors.describe(e));
        }
    }
}
