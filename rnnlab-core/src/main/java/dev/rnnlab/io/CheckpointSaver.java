package dev.rnnlab.io;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.text.Vocabulary;
import dev.rnnlab.train.EpochMetrics;
import dev.rnnlab.train.Evaluator;
import dev.rnnlab.train.Trainer;
import dev.rnnlab.train.TrainingDivergedException;
import dev.rnnlab.train.TrainingListener;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Checkpoints a run: every N epochs, every M minutes and at the end into {@code DIR}, and whenever the
 * validation loss improves into {@code DIR/best} (model only). While the run averages its weights
 * ({@link dev.rnnlab.train.WeightAveraging}) the model saved is the average, and the training weights go
 * into the optimizer file for a resume. Before each save it checks the weights the
 * save would keep, those after the epoch's last update: finite, and scoring the probe text (the
 * validation text when there is one, else the start of the training text) below the run's divergence
 * limit. A run whose last update blew the weights up therefore stops here, and the checkpoint of the last
 * healthy epoch stays as it was.
 */
public final class CheckpointSaver implements TrainingListener {
    /** Where the best checkpoint by validation loss goes, inside the run's directory. */
    public static final String BEST = "best";

    private final Path dir;
    private final Checkpoint.Info info;
    private final Vocabulary vocab;
    private final int everyEpochs;
    private final double everyMinutes;
    private final int[] probe;
    private long lastSave = System.nanoTime();
    private int savedAt = -1;
    private int bestSavedAt = -1;

    /**
     * @param everyEpochs  save when the epoch is a multiple of this (0: only by time and at the end)
     * @param everyMinutes save when this many minutes have passed since the last save (0: never by time)
     * @param probe        tokens to score the weights on before a save (a few thousand are plenty)
     */
    public CheckpointSaver(Path dir, Checkpoint.Info info, Vocabulary vocab, int everyEpochs, double everyMinutes, int[] probe) {
        if (everyEpochs < 0) throw new RnnlabException("save every must be >= 0 epochs (0: only at the end), got " + everyEpochs);
        if (!(everyMinutes >= 0) || Double.isInfinite(everyMinutes)) {
            throw new RnnlabException("save minutes must be >= 0 (0: not by time), got " + everyMinutes);
        }
        if (probe.length < 2) throw new RnnlabException("the probe text needs at least 2 tokens, got " + probe.length);
        this.dir = dir;
        this.info = info;
        this.vocab = vocab;
        this.everyEpochs = everyEpochs;
        this.everyMinutes = everyMinutes;
        this.probe = probe;
    }

    /** The epoch of the last checkpoint this saver wrote, or -1 if none yet. */
    public int savedEpoch() {
        return savedAt;
    }

    /** The epoch of the best checkpoint this saver wrote, or -1 if none yet. */
    public int bestEpoch() {
        return bestSavedAt;
    }

    @Override
    public void trainingStarted(Trainer t) {
        if (t.epochsDone() > 0) savedAt = t.epochsDone();  // resumed: the checkpoint on disk holds these epochs
    }

    @Override
    public void epochEnded(EpochMetrics m, Trainer t) {
        boolean best = m.hasValidation() && m.bestEpoch() == m.epoch();
        boolean due = (everyEpochs > 0 && m.epoch() % everyEpochs == 0)
                || (everyMinutes > 0 && (System.nanoTime() - lastSave) / 60e9 >= everyMinutes);
        if (!best && !due) return;
        t.withAveragedWeights(() -> {
            checkHealthy(t);
            if (best) {
                Checkpoint.write(dir.resolve(BEST), info, t.model(), vocab, null, 0, null);
                bestSavedAt = m.epoch();
            }
            if (due) save(t);
            return null;
        });
    }

    @Override
    public void trainingEnded(Trainer t) {
        if (savedAt != t.epochsDone()) {
            t.withAveragedWeights(() -> {
                checkHealthy(t);
                save(t);
                return null;
            });
        }
    }

    /** Called with the averaged weights in the model while the run averages them: the model file holds the average. */
    private void save(Trainer t) {
        Checkpoint.write(dir, info, t.model(), vocab, t.checkpointState(), t.optimizer().steps(), t.progress());
        lastSave = System.nanoTime();
        savedAt = t.epochsDone();
    }

    /** The weights a save would keep must be finite and score the probe below the divergence limit. */
    private void checkHealthy(Trainer t) {
        LanguageModel model = t.model();
        String bad = Checkpoint.firstNonFinite(model.parameters());
        double loss = bad != null ? Double.NaN : Evaluator.evaluate(model, probe, t.sampler().batchSize(), t.sampler().steps()).meanLoss();
        String problem = bad != null ? "the weights became " + bad : t.divergencePolicy().problemWith(loss, model.config().vocab());
        if (problem != null) {
            throw new TrainingDivergedException(t.epochsDone(), String.format(Locale.ROOT,
                    "training diverged by the end of epoch %d: with its final weights %s; lower the learning rate (--lr) or"
                            + " clip the gradient (--clip 1)", t.epochsDone(), problem.replace("the loss", "the loss on the probe text")));
        }
    }

    /** The start of a token sequence, enough for a health check of the weights. */
    public static int[] probeOf(int[] tokens, int batch, int steps) {
        return probeOf(dev.rnnlab.text.TokenSequence.of(tokens), batch, steps);
    }

    /** The start of a token sequence in memory or a mapped token file, copied: a few thousand tokens. */
    public static int[] probeOf(dev.rnnlab.text.TokenSequence tokens, int batch, int steps) {
        long want = Math.max(2, Math.min(4096L, (long) batch * steps + 1));
        int[] probe = new int[(int) Math.min(tokens.length(), want)];
        tokens.copyTo(0, probe, 0, probe.length);
        return probe;
    }
}
