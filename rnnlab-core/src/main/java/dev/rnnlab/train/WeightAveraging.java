package dev.rnnlab.train;

import dev.rnnlab.RnnlabException;
import java.util.List;
import java.util.Locale;

/**
 * When a run starts averaging its weights (Polyak and Juditsky 1992): from then on, after every update,
 * the trainer keeps the running mean of the weights, w_bar &lt;- w_bar + (w - w_bar) / k after the k-th
 * averaged update, and that mean is what validation scores, what checkpoints hold as the model and what
 * the run returns. The optimizer itself keeps stepping the training weights.
 *
 * <p>AWD-LSTM (Merity, Keskar and Socher 2018, section 3) switches SGD to averaged SGD when validation
 * stalls: "non-monotonically triggered" ASGD (NT-ASGD) starts averaging at the end of epoch t when t &gt; n
 * and the validation loss is worse than the best of the epochs before the last n. Here the trigger is
 * the same, but the averaging applies to whichever optimizer the run uses (with Adam it is the tail
 * averaging of the iterates that stochastic weight averaging also uses).
 *
 * <p>Text form: {@code off}, {@code nt[:N]} (the non-monotone trigger, N = 5 as AWD-LSTM), {@code from:E}
 * (from the start of epoch E, 1-based) and {@code last:F} (over the last fraction F of the run: of its time
 * budget when that ends it, else of its epochs).
 */
public sealed interface WeightAveraging {
    /** No averaging: the training weights are the model. */
    WeightAveraging OFF = new Off();

    /** One line for logs, e.g. {@code nt-asgd(n=5)}. */
    String describe();

    /** Whether averaging should start after an epoch's validation, given the validation losses so far (one per epoch). */
    default boolean startsAfterEpoch(List<Double> validationLosses) {
        return false;
    }

    /** Whether averaging should start before the update at this point: {@code epoch} (0-based, fractional) of {@code runLength} epochs. */
    default boolean startsAt(double epoch, double runLength) {
        return false;
    }

    /** Parses {@code off}, {@code nt[:N]}, {@code from:E} or {@code last:F}. */
    static WeightAveraging parse(String text) {
        String[] p = text.trim().toLowerCase(Locale.ROOT).split(":");
        String usage = "use off, nt[:N] (AWD-LSTM's NT-ASGD trigger), from:EPOCH or last:FRACTION";
        try {
            return switch (p[0]) {
                case "off", "none" -> OFF;
                case "nt", "nt-asgd" -> new NonMonotone(p.length > 1 ? Integer.parseInt(p[1]) : 5);
                case "from" -> new FromEpoch(Integer.parseInt(p[1]));
                case "last" -> new LastFraction(Double.parseDouble(p[1]));
                default -> throw new RnnlabException("unknown weight averaging '" + text + "': " + usage);
            };
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new RnnlabException("cannot read weight averaging '" + text + "': " + usage);
        }
    }

    /** No averaging. */
    record Off() implements WeightAveraging {
        public String describe() {
            return "off";
        }
    }

    /**
     * NT-ASGD's trigger: after epoch t (1-based, validation loss v_t), start when t &gt; n and
     * v_t &gt; min(v_1 .. v_(t-n)).
     */
    record NonMonotone(int n) implements WeightAveraging {
        public NonMonotone {
            if (n < 1) throw new RnnlabException("the NT-ASGD interval must be >= 1 epoch, got " + n);
        }

        public boolean startsAfterEpoch(List<Double> losses) {
            int t = losses.size();
            if (t <= n || !Double.isFinite(losses.get(t - 1))) return false;
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < t - n; i++) best = Math.min(best, losses.get(i));
            return losses.get(t - 1) > best;
        }

        public String describe() {
            return "nt-asgd(n=" + n + ")";
        }
    }

    /** From the start of epoch {@code epoch} (1-based). */
    record FromEpoch(int epoch) implements WeightAveraging {
        public FromEpoch {
            if (epoch < 1) throw new RnnlabException("averaging from an epoch needs EPOCH >= 1, got " + epoch);
        }

        public boolean startsAt(double at, double runLength) {
            return at >= epoch - 1;
        }

        public String describe() {
            return "from epoch " + epoch;
        }
    }

    /** Over the last {@code fraction} of the run (of its time budget when that ends it first). */
    record LastFraction(double fraction) implements WeightAveraging {
        public LastFraction {
            if (!(fraction > 0 && fraction < 1)) throw new RnnlabException("weight averaging last:FRACTION (--average) needs 0 < FRACTION < 1, got " + fraction);
        }

        public boolean startsAt(double at, double runLength) {
            return at >= (1 - fraction) * runLength;
        }

        public String describe() {
            return "last " + fraction + " of the run";
        }
    }
}
