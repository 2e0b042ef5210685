package dev.rnnlab.train;

/** Gradient clipping by global norm over every parameter at once, D2L 8.5.5: g &lt;- min(1, theta/||g||) g. */
public final class GlobalNormClipper {
    private final double theta;

    /** theta &lt;= 0 or infinite disables clipping (the norm is still measured). */
    public GlobalNormClipper(double theta) {
        this.theta = theta;
    }

    /** Clips {@code g} in place and returns its norm before clipping (in double, so it cannot overflow). */
    public double clip(float[] g) {
        double sq = 0;
        for (float x : g) sq += (double) x * x;
        double norm = Math.sqrt(sq);
        if (theta > 0 && Double.isFinite(theta) && norm > theta) {
            float s = (float) (theta / norm);
            for (int i = 0; i < g.length; i++) g[i] *= s;
        }
        return norm;
    }

    /** Whether a gradient of norm {@code norm} gets clipped. */
    public boolean clips(double norm) {
        return theta > 0 && Double.isFinite(theta) && norm > theta;
    }

    /** The clipping threshold theta. */
    public double theta() {
        return theta;
    }
}
