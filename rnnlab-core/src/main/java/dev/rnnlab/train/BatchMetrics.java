package dev.rnnlab.train;

/**
 * What one batch measured, after its update: where it is (epoch and batch, both 1-based, of
 * {@code batches} in the epoch; {@code step} counts optimizer updates over the whole run, resumed ones
 * included), its mean loss, the global gradient norm before clipping and whether clipping fired, the
 * learning rate it was updated with, and the seconds of batch time since the epoch began.
 */
public record BatchMetrics(int epoch, int batch, int batches, long step, double loss, double gradNorm, boolean clipped,
                           double learningRate, double epochSeconds) {
    /** The gradient norm after clipping to {@code theta} (D2L 8.5.5: min(1, theta/||g||) ||g||); theta 0: none. */
    public double clippedNorm(double theta) {
        return theta > 0 ? Math.min(gradNorm, theta) : gradNorm;
    }
}
