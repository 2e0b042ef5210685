/**
 * The layers of a recurrent language model, each with its forward and backward side by side.
 *
 * <p>Data path, time-major throughout ({@code [T][B][F]} in one {@code float[]}):
 * tokens {@code [T][B]} -> one-hot (a gather of W_ih's columns, never a dense GEMM) or {@link Embedding}
 * -> a stack of {@link RecurrentLayer}s (each one or two directions of an RNN, GRU or LSTM cell, dropout
 * between layers) -> {@link Linear} over all T*B rows at once -> {@link SoftmaxCrossEntropy}, fused and
 * numerically stable, mean over all tokens. {@link RecurrentLanguageModel} assembles them.
 *
 * <p>Cells follow PyTorch's equations and weight layout (LSTM gates i,f,g,o; GRU r,z,n with r applied to
 * W_hn h + b_hn; W_ih is [G*H, I], W_hh is [G*H, H], two bias vectors), so weights exchange with PyTorch.
 * Each cell file ({@link LstmCell}, {@link GruCell}, {@link RnnCell}) has {@code forward}, which caches
 * exactly what the backward needs, and {@code backward}, which walks the steps in reverse
 * (D2L 8.7: dh_{t-1} = W_hh^T dz_t + dL/dh_{t-1}) and returns the gradient with respect to the initial
 * state. The input projection of all T steps is one GEMM before the loop, the weight gradients one GEMM
 * each after it; only the recurrent product runs per step. A per-step factor on the gradient passed from
 * h_t to h_{t-1} ({@code stepScale}) is how the BPTT strategies truncate or randomize.
 *
 * <p>Both cores on one batch. On a GEMM with a {@link dev.rnnlab.tensor.WorkerTeam} (more than one
 * thread) each cell runs its time loop as one task on the team, each part owning a slice [j0, j1) of the
 * hidden units: it gathers the one-hot input for its units' gate rows, computes its units' columns of the
 * recurrent product (one single-threaded GEMM per gate block, so it reads only its own rows of W_hh,
 * which stay in its core's cache), and does its units' gate math. Every unit's gates need only that
 * unit's pre-activations, so the parts meet once per step, after h_t is written, because the next
 * product reads all of h_t. The backward mirrors it: each part's units' gate gradients, one barrier
 * (dh_{t-1}'s columns need every unit's da_t), then dh_{t-1} = da_t W_hh for its own columns; and after
 * the loop each part accumulates the weight gradients of its own gate rows, with no barrier. Splitting by
 * units rather than by batch rows keeps all B rows in every product (sharding halves them) and keeps the
 * gate math split too (splitting each product alone leaves it on one core). Each element is the same dot
 * product as on one thread, so on the Java GEMM the results are identical bit for bit; oneDNN and OpenBLAS
 * may sum a differently shaped call in another order (TeamSplitTest). A layer whose parts would get less than 2 M
 * multiply-adds of product per step, and any call while the team is busy, runs on the calling thread; such
 * models train faster sharded ({@link Models#automaticShards}). The softmax's rows are split over the same
 * team, each row's loss summed in row order after, so the loss does not depend on the split.
 *
 * <p>bf16 training. On a GEMM whose precision is BF16 ({@code Gemm.create(backend, Precision.BF16, ...)})
 * a language model in training runs the three products with W_hh in bf16 with fp32 sums: the per-step
 * forward product h_{t-1} W_hh^T, the per-step dh_{t-1} = da_t W_hh and the weight gradient dW_hh += da^T
 * H_prev after the loop. W_hh (after any weight drop) is rounded once per forward; each part rounds the
 * h_{t-1} it multiplies, and its own columns of da_t before the backward's barrier, into one [T][B][G*H]
 * copy that the weight gradient reads again. Everything else (the weights themselves, the optimizer, gates,
 * input and output layers, evaluation and generation) stays fp32, so a checkpoint is the same kind of file
 * and a model evaluates the same whatever precision trained it. Bf16TrainingTest bounds the gradient's
 * distance from fp32's; Bf16RunTest compares loss curves on real text.
 *
 * <p>All parameters live in one {@link Parameters} block ({@code float[] values}, {@code float[] grads})
 * with named views, PyTorch's state_dict names, so an optimizer or a clipper runs over one array.
 * Buffers for a (T, B) shape are allocated once and reused; nothing is allocated per time step.
 *
 * <p>Regularisation (AWD-LSTM, {@link Regularization}) sits on the same path, in training only: embedding
 * dropout after the gather (a row mask over the vocabulary), {@link LockedDropout} on the embedded input,
 * between layers and on the top output (a [B][W] mask for all T steps; backward multiplies by the same
 * mask), DropConnect inside each cell (the recurrent products read M . W_hh; the weight gradient is
 * masked the same way), AR and TAR added to dL/d(top output) before the output dropout's backward, and
 * weight tying as a second name for the embedding's slots in {@link Parameters} (both uses' gradients
 * land in one place). Masks that cover the whole batch come from a stream every shard holds a copy of.
 *
 * <p>The layer-normalised LSTM ({@link CellType#LSTM_LN}, {@link LayerNormLstmCell}; Ba, Kiros and Hinton
 * 2016) keeps the LSTM's four tensors and PyTorch's names for them, and normalises the input product, the
 * recurrent product and the cell state over their units before the gates and tanh read them, with a gain
 * per unit (and a shift for c; the two LSTM biases are the products' shifts) in {@code ln.*} tensors. The
 * input product's normalisation is one pass over all T*B rows before the loop, like the product itself;
 * the recurrent one is per step. Its statistics need every unit of a row, so its time loop is not split
 * by units: such models use the cores by sharding the batch. Checked against finite differences and
 * against PyTorch's layer_norm in fixtures of tools/reference/make_layernorm_fixtures.py.
 *
 * <p>{@link Models} is the one factory: a {@link ModelKind} (the engine's layers or D2L's scratch RNN), a
 * {@link ModelConfig} and an {@link Initialization} give the same model wherever it is built, for training,
 * for loading a checkpoint, or sharded over threads.
 */
package dev.rnnlab.nn;
