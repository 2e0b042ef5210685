package dev.rnnlab.nn;

import dev.rnnlab.Rng;

/**
 * Locked (variational) dropout on a time-major activation [T][B][W]: one mask m[b][j] in {0, 1/(1-p)} per
 * stream and feature for the whole batch. Forward y[t][b][j] = m[b][j] x[t][b][j]; backward
 * dx[t][b][j] = m[b][j] dy[t][b][j] (the same mask, as y is linear in x).
 */
final class LockedDropout {
    private float[] mask = new float[0], out = new float[0];
    private int batch, width;

    /** Draws a new mask from {@code rng} and returns the masked copy of {@code x} (a buffer of its own). */
    float[] forward(float[] x, int steps, int batch, int width, float p, Rng rng) {
        this.batch = batch;
        this.width = width;
        int n = batch * width, all = steps * n;
        if (mask.length < n) mask = new float[n];
        if (out.length < all) out = new float[all];
        bernoulli(mask, n, p, rng);
        for (int t = 0; t < steps; t++) {
            int o = t * n;
            for (int i = 0; i < n; i++) out[o + i] = x[o + i] * mask[i];
        }
        return out;
    }

    /**
     * Fills {@code mask[0, n)} with 0 (probability p) or 1/(1-p): four draws from each 64-bit random number,
     * each a 16-bit uniform against p rounded to 1/65536, so a mask over a large W_hh costs a quarter of the
     * random numbers one float each would.
     */
    static void bernoulli(float[] mask, int n, float p, Rng rng) {
        float keep = 1f / (1f - p);
        int threshold = Math.round(p * 65536f);
        int i = 0;
        while (i < n) {
            long r = rng.nextLong();
            for (int k = 0; k < 4 && i < n; k++, i++, r >>>= 16) mask[i] = (int) (r & 0xFFFF) < threshold ? 0f : keep;
        }
    }

    /** dx = m . dy in place, over {@code steps} steps of the last forward's shape. */
    void backward(float[] dy, int steps) {
        int n = batch * width;
        for (int t = 0; t < steps; t++) {
            int o = t * n;
            for (int i = 0; i < n; i++) dy[o + i] *= mask[i];
        }
    }
}
