package dev.rnnlab.train;

import dev.rnnlab.RnnlabException;
import java.util.Locale;

/**
 * The learning rate as a function of training progress, measured in epochs (fractional within an epoch).
 * The run's length is in epochs too: the epochs asked for, or, when a time budget will end the run
 * sooner, the epochs it will have reached by then, estimated as it goes (see {@link Trainer}), so that a
 * cosine over a ten-minute budget reaches its minimum at ten minutes. Text form for the CLI: {@code constant}, {@code step:EVERY:GAMMA}, {@code cosine[:MIN_FRACTION]}, each
 * with an optional linear warm-up over the first W epochs ({@link #withWarmup}).
 */
public interface LearningRateSchedule {
    /** The rate at {@code epoch} (0-based, fractional) of a run {@code totalEpochs} long, for base rate {@code base}. */
    double rate(double base, double epoch, double totalEpochs);

    /** One line naming the schedule and its settings, e.g. {@code cosine(min 0.1)}. */
    String describe();

    /** A schedule that keeps the base rate throughout. */
    static LearningRateSchedule constant() {
        return new LearningRateSchedule() {
            public double rate(double base, double epoch, double total) {
                return base;
            }

            public String describe() {
                return "constant";
            }
        };
    }

    /** base * gamma^floor(epoch / every). */
    static LearningRateSchedule step(int every, double gamma) {
        if (every < 1 || !(gamma > 0)) throw new RnnlabException("step schedule needs EVERY >= 1 and GAMMA > 0, e.g. step:10:0.5");
        return new LearningRateSchedule() {
            public double rate(double base, double epoch, double total) {
                return base * Math.pow(gamma, Math.floor(epoch / every));
            }

            public String describe() {
                return "step(every " + every + " epochs x" + gamma + ")";
            }
        };
    }

    /** Cosine annealing from base to base * minFraction over the whole run. */
    static LearningRateSchedule cosine(double minFraction) {
        return new LearningRateSchedule() {
            public double rate(double base, double epoch, double total) {
                double p = Math.min(1, epoch / Math.max(1e-9, total));
                return base * (minFraction + (1 - minFraction) * 0.5 * (1 + Math.cos(Math.PI * p)));
            }

            public String describe() {
                return "cosine(min " + minFraction + ")";
            }
        };
    }

    /** Linear warm-up from 0 over the first {@code epochs} epochs, then this schedule. */
    default LearningRateSchedule withWarmup(double epochs) {
        if (epochs <= 0) return this;
        LearningRateSchedule after = this;
        return new LearningRateSchedule() {
            public double rate(double base, double epoch, double total) {
                double r = after.rate(base, epoch, total);
                return epoch < epochs ? r * (epoch + 1e-9) / epochs : r;
            }

            public String describe() {
                return after.describe() + " with " + epochs + " warm-up epochs";
            }
        };
    }

    /** Parses {@code constant}, {@code step[:EVERY[:GAMMA]]} (10, 0.5) or {@code cosine[:MIN_FRACTION]} (0). */
    static LearningRateSchedule parse(String text) {
        String[] p = text.toLowerCase(Locale.ROOT).split(":");
        try {
            return switch (p[0]) {
                case "constant" -> constant();
                case "step" -> step(p.length > 1 ? Integer.parseInt(p[1]) : 10, p.length > 2 ? Double.parseDouble(p[2]) : 0.5);
                case "cosine" -> cosine(p.length > 1 ? Double.parseDouble(p[1]) : 0.0);
                default -> throw new RnnlabException("unknown schedule '" + text + "': use constant, step:EVERY:GAMMA or cosine[:MIN]");
            };
        } catch (NumberFormatException e) {
            throw new RnnlabException("cannot read schedule '" + text + "': use constant, step:EVERY:GAMMA or cosine[:MIN]");
        }
    }
}
