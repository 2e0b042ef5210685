package dev.rnnlab.series;

/** A trained model that predicts a series from its past (D2L 8.1.2). */
public interface Forecaster {
    /**
     * The k-step-ahead predictions: entry t is the prediction of x_t made from the observations
     * x_0..x_{t-k} and the model's own predictions of x_{t-k+1}..x_{t-1}, fed back as inputs; NaN where
     * x_0..x_{t-k} are fewer than {@link #context()} values. k = 1 is one-step-ahead prediction.
     */
    double[] predictAhead(double[] x, int k);

    /**
     * Observations x_0..x_{from-1}, then the model's own predictions for t = from..x.length-1, each fed back
     * (D2L's "multistep" predictions); NaN before {@code from}.
     */
    double[] continueFrom(double[] x, int from);

    /** How many past observations a prediction starts from (tau, or the latent model's window). */
    int context();

    /** One line for reports. */
    String describe();
}
