package dev.rnnlab.train;

import dev.rnnlab.nn.Parameters;
import java.util.Map;

/** Updates all parameters from their gradients, one step at a time. */
public interface Optimizer {
    /** One update of {@code params.values()} from {@code params.grads()} at learning rate {@code lr}. */
    void step(Parameters params, double lr);

    /** The optimizer's state (moments), by name, for checkpoints; live arrays. */
    Map<String, float[]> state();

    /** Steps taken so far. */
    long steps();

    /** Restores {@link #state()} and the step count from a checkpoint. */
    void restore(Map<String, float[]> state, long steps);

    /** A short description for logs, e.g. "adam(b1=0.9, b2=0.999, wd=0)". */
    String describe();

    /** Parses {@code sgd}, {@code momentum[:mu]}, {@code adam}, {@code adamw} with an optional weight decay. */
    static Optimizer parse(String name, double weightDecay, int size) {
        String[] p = name.toLowerCase(java.util.Locale.ROOT).split(":");
        try {
            return switch (p[0]) {
                case "sgd" -> new Sgd(size, 0, weightDecay);
                case "momentum" -> new Sgd(size, p.length > 1 ? Double.parseDouble(p[1]) : 0.9, weightDecay);
                case "adam" -> new Adam(size, 0.9, 0.999, 1e-8, weightDecay, false);
                case "adamw" -> new Adam(size, 0.9, 0.999, 1e-8, weightDecay == 0 ? 0.01 : weightDecay, true);
                default -> throw new dev.rnnlab.RnnlabException("unknown optimizer '" + name + "': use sgd, momentum[:MU], adam or adamw");
            };
        } catch (NumberFormatException e) {
            throw new dev.rnnlab.RnnlabException("cannot read optimizer '" + name + "': momentum takes a number, e.g. momentum:0.9");
        }
    }
}
