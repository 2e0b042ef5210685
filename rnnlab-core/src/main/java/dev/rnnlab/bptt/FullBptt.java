package dev.rnnlab.bptt;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.data.Batch;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.RecurrentState;
import java.util.Locale;

/**
 * Full BPTT (D2L 8.7.1.1): one forward over each whole stream and one backward over all of it. The
 * activations grow with the length; a forward whose cache would exceed the memory bound is refused with
 * the figure. With checkpointing every K steps only the states at segment boundaries are kept: the
 * backward then walks the segments from the last, recomputing each one's forward from its stored state and
 * passing dL/d(segment's initial state) on as the previous segment's dL/d(final state). Same gradient, one
 * extra forward, activations for K steps only.
 */
public final class FullBptt implements BpttStrategy {
    private final long maxBytes;
    private final int every;  // 0 = no checkpointing
    private int[] x = new int[0], y = new int[0];

    /** Full BPTT within {@code maxBytes} of activations, checkpointed every {@code checkpointEvery} steps (0: not at all). */
    public FullBptt(long maxBytes, int checkpointEvery) {
        if (checkpointEvery < 0) throw new RnnlabException("checkpoint interval must be >= 1 step, got " + checkpointEvery);
        this.maxBytes = maxBytes;
        this.every = checkpointEvery;
    }

    @Override
    public boolean wantsWholeSequence() {
        return true;
    }

    @Override
    public long activationBytes(LanguageModel model, int steps, int batch) {
        int seg = every > 0 ? Math.min(every, steps) : steps;
        return model.activationBytes(seg, batch) + (every > 0 ? (long) (steps / seg + 1) * stateBytes(model, batch) : 0);
    }

    @Override
    public double computeGradients(LanguageModel model, Batch b, RecurrentState state, Rng rng) {
        int steps = b.steps(), n = b.batchSize();
        int seg = every > 0 ? Math.min(every, steps) : steps;
        long need = activationBytes(model, steps, n);
        if (need > maxBytes) {
            throw new RnnlabException(String.format(Locale.ROOT, "full BPTT over %,d steps x %d streams needs %s of activations,"
                            + " more than --max-memory %s: checkpoint it (--bptt full:checkpoint=%d) or raise the bound",
                    steps, n, human(need), human(maxBytes), Math.max(1, (int) Math.sqrt(steps))));
        }
        if (every == 0) {
            double loss = model.forward(b.inputs(), b.targets(), steps, n, state);
            if (!Double.isFinite(loss)) return loss;
            model.backward(null, null, null, 1f);
            model.finalState(state);
            return loss;
        }
        if (model.config().dropout() > 0) {
            throw new RnnlabException("checkpointed full BPTT recomputes forwards, which dropout would make differ; use --dropout 0");
        }
        int segments = (steps + seg - 1) / seg;
        RecurrentState[] starts = new RecurrentState[segments];
        double lossSum = 0;
        // first pass: forwards only, keeping the state at each segment's start
        for (int s = 0; s < segments; s++) {
            starts[s] = model.zeroState(n);
            starts[s].copyFrom(state);
            int len = load(b, s * seg, Math.min(seg, steps - s * seg));
            double loss = model.forward(x, y, len, n, state);
            if (!Double.isFinite(loss)) return loss;
            lossSum += loss * len;
            model.finalState(state);
        }
        // second pass, from the last segment: recompute its forward, backpropagate, hand the gradient back
        RecurrentState gradFinal = null, gradInitial = model.zeroState(n), spare = model.zeroState(n);
        for (int s = segments - 1; s >= 0; s--) {
            int len = load(b, s * seg, Math.min(seg, steps - s * seg));
            model.forward(x, y, len, n, starts[s]);
            model.backward(gradInitial, gradFinal, null, (float) len / steps);
            RecurrentState t = gradFinal == null ? spare : gradFinal;
            gradFinal = gradInitial;
            gradInitial = t;
        }
        return lossSum / steps;
    }

    private int load(Batch b, int from, int len) {
        int n = b.batchSize();
        if (x.length < len * n) {
            x = new int[len * n];
            y = new int[len * n];
        }
        System.arraycopy(b.inputs(), from * n, x, 0, len * n);
        System.arraycopy(b.targets(), from * n, y, 0, len * n);
        return len;
    }

    private static long stateBytes(LanguageModel m, int n) {
        return m.config().stateBytes(n);
    }

    static String human(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }

    /** Parses "512m", "4g", "100000" (bytes). */
    public static long parseBytes(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (t.endsWith("k")) mult = 1L << 10;
        else if (t.endsWith("m")) mult = 1L << 20;
        else if (t.endsWith("g")) mult = 1L << 30;
        if (mult > 1) t = t.substring(0, t.length() - 1);
        try {
            return (long) (Double.parseDouble(t) * mult);
        } catch (NumberFormatException e) {
            throw new RnnlabException("cannot read memory size '" + text + "': use e.g. 512m or 4g");
        }
    }

    @Override
    public String describe() {
        return every > 0 ? "full BPTT, checkpointed every " + every + " steps" : "full BPTT";
    }
}
