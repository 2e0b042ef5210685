/**
 * Checkpoints: a directory a run can resume from and PyTorch can read, saved so that nothing is lost.
 *
 * <p>Layout of a checkpoint directory:
 * <pre>
 *   model.safetensors      parameters, float32, PyTorch's state_dict names and layout (rnn.weight_ih_l0, ...)
 *   optimizer.safetensors  the optimizer's moments (flat, parameter-block order)
 *   config.json            rnnlab version, model config, corpus provenance (name, sha256, normalization,
 *                          tokenization, the vocabulary's sha256), and under "training" the run description
 *                          (dev.rnnlab.run.RunSpec; 0.1.0 wrote a flat settings object, still read)
 *   vocab.json             the vocabulary
 *   state.json             progress: epochs done, RNG state, best validation loss and epoch
 *   history.jsonl          the metrics of every epoch, one JSON line each; the first "epochs done" lines count
 *   best/                  the model of the epoch with the best validation loss (model, config, vocabulary)
 *   metrics.jsonl, curve.png, diagnostics/   the run's logs and plots
 * </pre>
 * {@link SafeTensors} reads and writes the safetensors format (an 8-byte little-endian header length, a
 * JSON header of dtype/shape/data_offsets per tensor, then the raw little-endian data, metadata keys
 * sorted so the same weights are the same bytes) and rejects a truncated or garbled file with one line.
 *
 * <p><b>The save</b> ({@link Checkpoint#write}) has these steps, and a complete, loadable checkpoint exists
 * at every instant between them:
 * <ol>
 *   <li>CLEAN: {@link Checkpoint#recover} finishes whatever an earlier save left: a sealed {@code DIR.new}
 *       is installed (it is the newest), a lone {@code DIR.prev} is moved back to {@code DIR}, and
 *       {@code DIR.tmp} and a superseded {@code DIR.prev} are deleted. Each of these is one rename or
 *       deletes only what a complete checkpoint elsewhere supersedes.</li>
 *   <li>WRITE: the new checkpoint goes to {@code DIR.tmp}. The other files of {@code DIR} (logs, plots,
 *       {@code best/}) are hard-linked in, so a save costs the same however long they grow;
 *       {@code history.jsonl} is linked too and only the new epochs are appended (the lines past
 *       {@code DIR}'s own count do not change what {@code DIR} holds).</li>
 *   <li>SYNC: every file and {@code DIR.tmp} itself are fsynced.</li>
 *   <li>SEAL: {@code DIR.tmp} is renamed to {@code DIR.new}: from here on the new checkpoint is complete,
 *       and a reader prefers it.</li>
 *   <li>RETIRE: {@code DIR} is renamed to {@code DIR.prev}.</li>
 *   <li>INSTALL: {@code DIR.new} is renamed to {@code DIR}.</li>
 *   <li>DROP: {@code DIR.prev} is deleted.</li>
 * </ol>
 * {@link Checkpoint#read} takes {@code DIR.new} when it exists, else {@code DIR}, else {@code DIR.prev},
 * so a kill between any two steps (tested by injecting one before each, and a second one inside the next
 * save's recovery) reads back as the old or the new checkpoint. A save that fails with an I/O error (a
 * full disk) removes what it wrote and puts the old checkpoint back where a step had moved it. Weights
 * that are not finite are never written.
 *
 * <p><b>One writer</b> per directory: {@link CheckpointLock} holds an operating-system lock on
 * {@code DIR.lock} for the whole run; the kernel drops it when the process dies, so a killed run's lock
 * is taken over by the next run without help. {@link CheckpointSaver} decides when to save and checks the
 * weights a save would keep against the run's divergence policy first.
 */
package dev.rnnlab.io;
