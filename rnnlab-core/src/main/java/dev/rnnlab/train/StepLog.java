package dev.rnnlab.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rnnlab.io.JsonLines;
import java.nio.file.Path;

/**
 * The batches of a run as JSON lines ({@code steps.jsonl}), for curves against the optimizer step and for a
 * live view of the epoch in progress. An epoch of many batches would give a file as long as the corpus, so
 * each line summarises a bucket of consecutive batches: at most {@link #LINES_PER_EPOCH} lines an epoch, one
 * per batch when the epoch has fewer. A line holds where its last batch is (epoch, batch of batches, step),
 * the bucket's mean loss, mean gradient norm before and after clipping, largest norm and clip count, the
 * learning rate, and the seconds since the epoch began and since the run began. Lines are appended and
 * closed one at a time, so a killed run keeps every line it wrote; a resumed run first drops the lines of
 * the epochs it replays, as {@link JsonLinesLog} does.
 */
public final class StepLog implements TrainingListener {
    /** The most lines one epoch writes. */
    public static final int LINES_PER_EPOCH = 500;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private double theta, secondsBefore;
    private int stride, count, clipped;
    private double lossSum, normSum, clippedNormSum, normMax;
    private BatchMetrics last;

    /** A log appended to {@code file}. */
    public StepLog(Path file) {
        this.file = file;
    }

    @Override
    public void trainingStarted(Trainer trainer) {
        theta = trainer.config().clip();
        secondsBefore = 0;
        for (EpochMetrics m : trainer.history()) secondsBefore += m.seconds();
        JsonLines.dropEpochsFrom(file, trainer.epochsDone() + 1);
    }

    @Override
    public void epochStarted(int epoch, int batches) {
        stride = Math.max(1, (batches + LINES_PER_EPOCH - 1) / LINES_PER_EPOCH);
        count = 0;
    }

    @Override
    public void batchEnded(BatchMetrics m) {
        count++;
        lossSum += m.loss();
        normSum += m.gradNorm();
        clippedNormSum += m.clippedNorm(theta);
        normMax = Math.max(normMax, m.gradNorm());
        if (m.clipped()) clipped++;
        last = m;
        if (count == stride || m.batch() == m.batches()) writeBucket();
    }

    @Override
    public void epochEnded(EpochMetrics metrics, Trainer trainer) {
        if (count > 0) writeBucket();  // the time budget ended the epoch mid-bucket
        secondsBefore += metrics.seconds();
    }

    private void writeBucket() {
        BatchMetrics m = last;
        ObjectNode o = JSON.createObjectNode();
        o.put("epoch", m.epoch()).put("batch", m.batch()).put("batches", m.batches()).put("step", m.step()).put("count", count)
                .put("loss", lossSum / count).put("grad_norm", normSum / count).put("grad_norm_clipped", clippedNormSum / count)
                .put("grad_norm_max", normMax).put("clipped", clipped).put("learning_rate", m.learningRate())
                .put("epoch_seconds", m.epochSeconds()).put("elapsed_seconds", secondsBefore + m.epochSeconds())
                .put("time", System.currentTimeMillis() / 1000.0);
        JsonLines.append(file, o);
        count = clipped = 0;
        lossSum = normSum = clippedNormSum = normMax = 0;
    }
}
