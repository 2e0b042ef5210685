/**
 * Autoregressive forecasting of a numeric series, D2L 8.1.
 *
 * <p>Design sketch. A {@link dev.rnnlab.series.Series} is a name and a {@code double[]}: read from one
 * column of a CSV/TSV file or a one-number-per-line file, or D2L's noisy sine
 * x_t = sin(0.01 t) + N(0, 0.2^2). A {@link dev.rnnlab.series.Forecaster} predicts x_t k steps ahead:
 * from the observations x_0..x_{t-k} and its own predictions of x_{t-k+1}..x_{t-1}, fed back as inputs
 * (D2L 8.1.2's "k-step-ahead prediction"); k = 1 is one-step-ahead prediction. Two of them:
 * <ul>
 *   <li>{@link dev.rnnlab.series.MlpAutoregressor}: D2L 8.1.2's model, x_t from the features
 *       (x_{t-tau}, ..., x_{t-1}) by a two-layer MLP (ReLU, Xavier initialization, squared loss, Adam),
 *       forward and backward written out here in double precision;
 *   <li>{@link dev.rnnlab.series.LatentAutoregressor}: a latent autoregressive model, a summary state
 *       h_t = g(h_{t-1}, x_t) and x_hat_{t+1} = W h_t + b, an RNN, GRU or LSTM
 *       ({@link dev.rnnlab.nn.RecurrentRegressor}) trained on windows of the training part from a zero
 *       state, and run the same way when predicting: a window of observations, then its own predictions.
 * </ul>
 * {@link dev.rnnlab.series.HorizonErrors} measures the mean squared error of each horizon on the same
 * held-out targets, which is how the error growth with k is compared.
 */
package dev.rnnlab.series;
