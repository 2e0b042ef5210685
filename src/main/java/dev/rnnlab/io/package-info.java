/**
 * Checkpoints: a directory a run can resume from and PyTorch can read.
 *
 * <p>Layout of a checkpoint directory:
 * <pre>
 *   model.safetensors      parameters, float32, PyTorch's state_dict names and layout (rnn.weight_ih_l0, ...)
 *   optimizer.safetensors  the optimizer's moments (flat, parameter-block order)
 *   config.json            rnnlab version, model config, corpus provenance (name, sha256, normalization,
 *                          tokenization), training config, seed, BPTT strategy
 *   vocab.json             the vocabulary
 *   state.json             progress: epochs done, RNG state, best validation, metrics history
 * </pre>
 * {@link SafeTensors} reads and writes the safetensors format (an 8-byte little-endian header length, a
 * JSON header of dtype/shape/data_offsets per tensor, then the raw little-endian data) and rejects a
 * truncated or garbled file with one line.
 *
 * <p>Writes are atomic at the directory level: a new checkpoint is written in full to {@code DIR.tmp},
 * then {@code DIR} is renamed to {@code DIR.prev}, {@code DIR.tmp} to {@code DIR}, and {@code DIR.prev}
 * deleted. Each step is one rename, so a run killed at any point leaves a complete checkpoint at
 * {@code DIR} or (between the two renames) at {@code DIR.prev}, which {@link Checkpoint#read} falls back to.
 * Other files in {@code DIR} (the metrics log, the training curve) are copied into the new directory first.
 */
package dev.rnnlab.io;
