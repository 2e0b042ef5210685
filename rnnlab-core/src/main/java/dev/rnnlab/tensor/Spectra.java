package dev.rnnlab.tensor;

import dev.rnnlab.Rng;

/**
 * The two numbers of D2L 8.7's eigenvalue argument for an n x n block of W_hh: the spectral radius rho
 * (powers of W_hh grow or shrink like rho^k) and the largest singular value (the most one step can
 * stretch a gradient).
 */
public final class Spectra {
    private Spectra() {}

    /**
     * Spectral radius by Gelfand's formula rho = lim ||A^k x||^(1/k): the mean log growth of a renormalised
     * random vector over the second half of 2n + 200 multiplications (the first half lets the dominant
     * eigenvalues take over; averaging handles complex pairs, whose norm oscillates).
     */
    public static double spectralRadius(float[] w, int off, int n, Rng rng) {
        double[] x = random(n, rng), y = new double[n];
        int iterations = 2 * n + 200;
        double logSum = 0;
        int counted = 0;
        for (int it = 0; it < iterations; it++) {
            multiply(w, off, n, x, y, false);
            double norm = norm(y);
            if (norm == 0) return 0;
            for (int i = 0; i < n; i++) x[i] = y[i] / norm;
            if (it >= iterations / 2) {
                logSum += Math.log(norm);
                counted++;
            }
        }
        return Math.exp(logSum / counted);
    }

    /** Largest singular value by power iteration on A^T A. */
    public static double largestSingularValue(float[] w, int off, int n, Rng rng) {
        double[] x = random(n, rng), y = new double[n], z = new double[n];
        double sigma = 0;
        for (int it = 0; it < 300; it++) {
            multiply(w, off, n, x, y, false);
            multiply(w, off, n, y, z, true);
            double norm = norm(z);
            if (norm == 0) return 0;
            sigma = Math.sqrt(norm);
            for (int i = 0; i < n; i++) x[i] = z[i] / norm;
        }
        return sigma;
    }

    private static void multiply(float[] w, int off, int n, double[] x, double[] y, boolean transpose) {
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) s += (transpose ? w[off + j * n + i] : w[off + i * n + j]) * x[j];
            y[i] = s;
        }
    }

    private static double[] random(int n, Rng rng) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rng.nextGaussian();
        double norm = norm(x);
        for (int i = 0; i < n; i++) x[i] /= norm;
        return x;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double d : v) s += d * d;
        return Math.sqrt(s);
    }
}
