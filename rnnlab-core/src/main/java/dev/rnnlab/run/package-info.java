/**
 * Runs assembled from a description: the layer a command line, a test, a notebook or a Spark executor
 * stands on.
 *
 * <p>Design. A {@link dev.rnnlab.run.RunSpec} is five small records, one per concern:
 * {@link dev.rnnlab.run.DataSpec} (corpus, tokens, split, sampling, batch shape),
 * {@link dev.rnnlab.run.ModelSpec} (kind, cell, widths, initialisation),
 * {@link dev.rnnlab.run.OptimizationSpec} (optimizer, rate and schedule, clipping, epochs, seed),
 * {@link dev.rnnlab.run.BpttSpec} (strategy, memory bound) and {@link dev.rnnlab.run.CheckpointSpec} (when
 * to save). Each validates itself in its constructor and names the bad field
 * ({@link dev.rnnlab.run.InvalidSpecException}, e.g. {@code model.hidden must be >= 1, got 0}), so a front
 * end maps the field to its own option. The spec is what a run <em>is</em>; it is stored in each
 * checkpoint, and resuming rebuilds the same run from it. Where a run writes, how many threads it uses
 * and how long it may take are not part of it: they are {@link dev.rnnlab.run.TrainingRun.Builder}'s.
 *
 * <p>{@link dev.rnnlab.run.TrainingRun} is the one assembly path: corpus (through
 * {@link dev.rnnlab.data.CorpusChoice}), vocabulary and split, sampler ({@link dev.rnnlab.data.Sampling}),
 * strategy, model ({@link dev.rnnlab.nn.Models}), optimizer, {@link dev.rnnlab.train.Trainer}, and its
 * listeners in the order that keeps checkpoints safe. {@link dev.rnnlab.run.TrainedModel} is the short
 * path for the common tasks once a model exists: load, generate, score, export.
 */
package dev.rnnlab.run;
