package dev.rnnlab.series;

import dev.rnnlab.RnnlabException;

/**
 * The k-step-ahead predictions of a forecaster for several k, and their mean squared error on the same
 * targets x_t, t = firstTarget..n-1 (the held-out part), so that the errors of different horizons compare.
 * {@code predictions[i][t]} is the horizons[i]-step prediction of x_t (NaN where there is none).
 */
public record HorizonErrors(int[] horizons, double[][] predictions, double[] mse, int firstTarget, int targets) {

    /** The predictions of {@code forecaster} on {@code x} for each of {@code horizons}, scored from {@code firstTarget} on. */
    public static HorizonErrors measure(Forecaster forecaster, double[] x, int firstTarget, int[] horizons) {
        if (firstTarget >= x.length) {
            throw new RnnlabException("no held-out values: the series has " + x.length + " values and the first "
                    + firstTarget + " are for training; lower --train or give a longer series");
        }
        double[][] predictions = new double[horizons.length][];
        double[] mse = new double[horizons.length];
        for (int i = 0; i < horizons.length; i++) {
            int k = horizons[i];
            if (k < 1) throw new RnnlabException("horizons must be 1 or more, got " + k);
            if (firstTarget < forecaster.context() + k - 1) {
                throw new RnnlabException("a " + k + "-step prediction needs " + (forecaster.context() + k - 1)
                        + " values before the first held-out target, there are " + firstTarget);
            }
            predictions[i] = forecaster.predictAhead(x, k);
            double sum = 0;
            for (int t = firstTarget; t < x.length; t++) {
                double e = predictions[i][t] - x[t];
                sum += e * e;
            }
            mse[i] = sum / (x.length - firstTarget);
        }
        return new HorizonErrors(horizons.clone(), predictions, mse, firstTarget, x.length - firstTarget);
    }
}
