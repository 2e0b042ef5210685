package dev.rnnlab.series;

/**
 * Adam (Kingma and Ba 2015, D2L 12.10) over a {@code double[]} block, with bias-corrected moments. The
 * MLP here keeps its parameters in double, which {@link dev.rnnlab.train.Adam} (float parameter blocks of
 * {@code nn}) does not take; the update is the same.
 */
final class AdamUpdate {
    private final double lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
    private final double[] m, v;
    private long steps;

    AdamUpdate(int size, double lr) {
        this.lr = lr;
        m = new double[size];
        v = new double[size];
    }

    void step(double[] w, double[] g) {
        steps++;
        double c1 = 1 - Math.pow(beta1, steps), c2 = 1 - Math.pow(beta2, steps);
        for (int i = 0; i < w.length; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            w[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
        }
    }
}
