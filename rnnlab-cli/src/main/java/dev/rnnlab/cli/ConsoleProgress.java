package dev.rnnlab.cli;

import dev.rnnlab.train.EpochMetrics;
import dev.rnnlab.train.Trainer;
import dev.rnnlab.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar per epoch (only on a terminal) and one summary line per epoch. */
final class ConsoleProgress implements TrainingListener {
    private final PrintWriter out;
    private final boolean bars;
    private final String unit;
    private ProgressBar bar;

    ConsoleProgress(PrintWriter out, boolean bars, String unit) {
        this.out = out;
        this.bars = bars;
        this.unit = unit;
    }

    @Override
    public void epochStarted(int epoch, int batches) {
        if (bars) {
            bar = new ProgressBarBuilder().setTaskName("epoch " + epoch).setInitialMax(batches)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build();
        }
    }

    @Override
    public void batchEnded(int batch, double loss, double gradNorm) {
        if (bar != null) {
            bar.stepTo(batch);
            bar.setExtraMessage(String.format(Locale.ROOT, "ppl %.2f", Math.exp(loss)));
        }
    }

    @Override
    public void epochEnded(EpochMetrics m, Trainer trainer) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        String val = m.hasValidation()
                ? String.format(Locale.ROOT, "  val ppl %.3f (%.3f bits/%s)", m.validationPerplexity(), m.validationBitsPerToken(), unit)
                : "";
        out.printf(Locale.ROOT, "epoch %d/%d  ppl %.3f  %.3f bits/%s  %,.0f %ss/s  grad norm %.2f (max %.2f, clipped %.0f%%)  lr %.4g%s%n",
                m.epoch(), m.epochs(), m.trainPerplexity(), m.bitsPerToken(), unit, m.tokensPerSecond(), unit,
                m.gradNormMean(), m.gradNormMax(), 100 * m.clippedFraction(), m.learningRate(), val);
        out.flush();
    }

    @Override
    public void trainingEnded(Trainer trainer) {
        if (bar != null) bar.close();
        if (trainer.stoppedEarly()) {
            out.printf(Locale.ROOT, "early stop: validation loss has not improved since epoch %d%n", trainer.progress().bestEpoch());
        }
        out.flush();
    }
}
