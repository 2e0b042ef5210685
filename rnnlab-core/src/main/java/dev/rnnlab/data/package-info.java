/**
 * Token sequences to mini-batches, and where corpora come from.
 *
 * <p>Design. {@link dev.rnnlab.data.Batch} is the one currency between data and engine: two time-major
 * {@code int[]}s, {@code inputs[t * batchSize + b]}, targets the inputs shifted by one corpus token.
 * {@link dev.rnnlab.data.SequenceSampler} has the two implementations of D2L 8.3.4:
 * {@link dev.rnnlab.data.RandomSampler} (independent subsequences, state reset per batch) and
 * {@link dev.rnnlab.data.SequentialPartitioner} (row b of batch i+1 continues row b of batch i, so the
 * trainer carries the hidden state). Each epoch draws its offset in [0, steps) from the caller's
 * {@link dev.rnnlab.Rng}, so an epoch is a pure function of the corpus and the generator state.
 * {@link dev.rnnlab.data.Split} cuts a corpus into contiguous train/validation/test parts.
 * {@link dev.rnnlab.data.Sampling} names the choice of sampler and builds it (the whole-stream batch of full
 * BPTT included).
 *
 * <p>Corpora: {@link dev.rnnlab.data.Dataset} names a corpus with its checksum; The Time Machine ships inside
 * rnnlab, so D2L's run needs no network. {@link dev.rnnlab.data.DataCache} finds a named corpus
 * ({@code --data-dir}, {@code $RNNLAB_DATA}, {@code ~/.cache/rnnlab}), verifies it, and otherwise unpacks the
 * shipped copy or downloads it once (temp file, checksum, atomic rename). {@link dev.rnnlab.data.CorpusChoice}
 * turns a name or a file into a loaded corpus; an explicit name that is neither cached, shipped nor
 * downloadable is an error, never a silent substitute. Synthetic corpora ({@link dev.rnnlab.data.MarkovSource},
 * {@link dev.rnnlab.data.RecallSource}) know their exact entropy rate, the floor any model's loss can reach.
 */
package dev.rnnlab.data;
