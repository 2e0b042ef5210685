/**
 * rnnlab on Apache Spark: the statistics and n-gram models of {@code rnnlab stats} and {@code rnnlab ngram}
 * over a corpus of many files, or of files too large for one machine, with the same results; and
 * data-parallel training of the recurrent models ({@link SparkTraining}).
 *
 * <p>Design. A corpus is its files in order, each a text of its own, as {@code rnnlab prepare FILE...}
 * reads them; their tokens are one stream. {@link SparkCorpus} cuts the files into line-aligned chunks
 * (a chunk owns every line that starts inside its byte range, as Hadoop's line reader does), and each task
 * tokenizes its chunk with the core library's own normalizer and tokenizer
 * ({@link dev.rnnlab.text.Tokenizer#forEachToken}). Normalization and tokenization start afresh at every
 * line, so the chunks' tokens, in order, are the single-machine stream exactly. A task also reads the next
 * n-1 tokens past its chunk (into the next file when its own ends), so the n-grams that cross a chunk
 * boundary are counted once, by the chunk where they start.
 *
 * <p>Order is kept without a global position: a token's or n-gram's first occurrence is (chunk, offset in
 * the chunk), and chunks are numbered in stream order. Counts are reduced by key with the smallest first
 * occurrence kept, so the vocabulary (frequency order, ties by first occurrence, {@code min_freq},
 * reserved tokens), the top-k tables (ties by first occurrence) and the n-gram tables of a model (inserted
 * in order of first occurrence) come out as on one machine, and with them the printed statistics and the
 * ARPA file, byte for byte. The driver collects only what it reports: the vocabulary, the top rows, a
 * histogram of counts for the Zipf fit, and (for a model) each order's distinct n-grams.
 *
 * <p>Files are read through Hadoop's file system layer, so {@code file:}, {@code hdfs:} and whatever else
 * the cluster's Hadoop configuration knows all work. The corpus's sha256 (of all its bytes in order, as
 * {@code rnnlab prepare} records it) is computed by the driver in one sequential read.
 *
 * <p>Training. The driver builds the run as one machine does ({@link dev.rnnlab.run.TrainingRun}: corpus,
 * split, model, optimizer, checkpoints and logs) and hands the updates to the cluster through
 * {@link dev.rnnlab.train.Trainer#parallelRounds}. The training tokens are cut into P contiguous shares,
 * each broadcast once. A round broadcasts the weights, the optimizer's state and every partition's carried
 * hidden state; P tasks each run K mini-batches of batch/P streams on their share, with the per-batch loop
 * of the core trainer, and return their weights, optimizer state and final hidden state; a
 * {@code treeAggregate} sums them and the driver divides by P. Every random choice of a round (the epoch's
 * offsets, dropout masks, a strategy's draws) is derived from the epoch's seed, the round and the partition,
 * so a task Spark re-runs after a lost executor returns exactly what the lost one would have, and a resumed
 * run equals an uninterrupted one. What a task cannot carry from one round to the next is a strategy's
 * memory across batches (tBPTT's look-back past the batch, adaptive truncation's measurement schedule):
 * it starts afresh each round.
 */
package dev.rnnlab.spark;
