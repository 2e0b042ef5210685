/**
 * Backpropagation through time as a choice: how a batch's gradient is computed from a model's forward and
 * backward (D2L 8.7).
 *
 * <p>A {@link BpttStrategy} receives the model, a time-major batch and the state to start from; it runs
 * forwards and backwards as it sees fit (one of each over the whole batch; windows of k2 steps every k1;
 * with random per-step factors on the gradient passed back in time) and leaves dL/dtheta of the batch's
 * mean loss in the model's gradient block, and the state after the batch in {@code state}.
 *
 * <p>The mechanism every strategy uses is the model's {@code stepScale}: a factor per time step on the
 * gradient passed from h_t to h_{t-1}. 0 cuts the chain there (truncation), 1/pi_t on survival with
 * probability pi_t makes Tallec and Ollivier's unbiased randomized truncation.
 */
package dev.rnnlab.bptt;
