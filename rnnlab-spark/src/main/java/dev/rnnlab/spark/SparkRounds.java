package dev.rnnlab.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.Rng;
import dev.rnnlab.data.SequenceSampler;
import dev.rnnlab.io.JsonLines;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.Models;
import dev.rnnlab.text.TokenSequence;
import dev.rnnlab.train.EpochMetrics;
import dev.rnnlab.train.Evaluator;
import dev.rnnlab.train.Optimizer;
import dev.rnnlab.train.ParallelRounds;
import dev.rnnlab.train.Trainer;
import dev.rnnlab.train.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The driver's side of data-parallel training on Spark: the training tokens cut into one contiguous share
 * per partition (each broadcast once, so a task fetches only its own and a re-run task fetches it again),
 * and per round one broadcast of the weights, optimizer state and carried hidden states, one task per
 * partition ({@link RoundWorker}), and a {@code treeAggregate} of their sums that the driver divides by the
 * partition count. Optionally validates every few rounds, and logs each round to {@code rounds.jsonl}.
 */
final class SparkRounds implements ParallelRounds, TrainingListener, AutoCloseable {
    /** Each round's line in the run's directory. */
    static final String ROUNDS_LOG = "rounds.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JavaSparkContext sc;
    private final RoundWorker.Job job;
    private final int syncEvery, validateEvery;
    private final List<Broadcast<int[]>> shares = new ArrayList<>();
    private final List<SequenceSampler> samplers = new ArrayList<>();
    private final TokenSequence validation;
    private final int validationBatch, validationSteps;
    private final Path roundsLog;  // null: not logged
    private boolean staleLinesDropped;
    private ObjectNode pending;  // the latest round's line, written once it is known whether validation follows

    // the epoch in progress
    private int epochIndex, epochBatches, rounds;
    private long epochSeed;
    private float[][][] states;
    private double elapsedBefore, validatedSeconds;  // validation: not training time
    private long epochStart;

    SparkRounds(JavaSparkContext sc, LanguageModel model, dev.rnnlab.run.RunSpec spec, TokenSequence train, TokenSequence validation,
                int partitions, int syncEvery, int validateEvery, int workerShards, Path directory) {
        int batch = spec.data().batch();
        if (partitions < 1) throw new RnnlabException("partitions must be >= 1, got " + partitions);
        if (syncEvery < 1) throw new RnnlabException("--sync-every must be >= 1 batch, got " + syncEvery);
        if (validateEvery < 0) throw new RnnlabException("--validate-every must be >= 0 rounds (0: at each epoch's end), got " + validateEvery);
        if (batch % partitions != 0) {
            throw new RnnlabException("a batch of " + batch + " streams does not split evenly over " + partitions
                    + " partitions; give --batch a multiple of " + partitions + " or another --partitions");
        }
        this.sc = sc;
        this.syncEvery = syncEvery;
        this.validateEvery = validateEvery;
        this.job = new RoundWorker.Job(UUID.randomUUID().toString(), spec, Models.kindOf(model), model.config(), partitions,
                batch / partitions, workerShards);
        long n = train.length();
        for (int p = 0; p < partitions; p++) {
            long from = n * p / partitions, to = n * (p + 1) / partitions;
            int[] share = new int[Math.toIntExact(to - from)];
            train.copyTo(from, share, 0, share.length);
            try {
                samplers.add(job.sampler(share));
            } catch (RnnlabException e) {
                throw new RnnlabException("partition " + (p + 1) + " of " + partitions + " holds " + share.length + " training tokens, too few for"
                        + " its " + job.partitionBatch() + " streams of " + spec.data().steps() + " steps (" + e.getMessage()
                        + "); use fewer --partitions or a smaller --batch");
            }
            shares.add(sc.broadcast(share));
        }
        this.validation = validation.length() >= 2 ? validation : null;
        this.validationBatch = batch;
        this.validationSteps = spec.data().steps();
        this.roundsLog = directory == null ? null : directory.resolve(ROUNDS_LOG);
    }

    /**
     * Starts the executors' side before the first round, so that its one-time costs (an executor's start, the
     * jar and the token shares fetched, the native libraries loaded) are not counted as training time;
     * returns its seconds.
     */
    double warmUp() {
        long start = System.nanoTime();
        RoundWorker.Job j = job;
        List<Broadcast<int[]>> tokens = shares;
        sc.parallelize(partitionIndices(), j.partitions()).map(p -> RoundWorker.warmUp(j, p, tokens.get(p).value())).collect();
        return (System.nanoTime() - start) / 1e9;
    }

    private List<Integer> partitionIndices() {
        List<Integer> parts = new ArrayList<>();
        for (int p = 0; p < job.partitions(); p++) parts.add(p);
        return parts;
    }

    @Override
    public int startEpoch(int epochIndex, Rng rng) {
        this.epochIndex = epochIndex;
        epochSeed = rng.nextLong();
        // partitions of unequal length may differ by a batch; every round runs the same count on each
        epochBatches = Integer.MAX_VALUE;
        for (int p = 0; p < samplers.size(); p++) {
            epochBatches = Math.min(epochBatches, samplers.get(p).epoch(RoundWorker.Job.epochRng(epochSeed, p)).batches());
        }
        rounds = (epochBatches + syncEvery - 1) / syncEvery;
        states = null;
        validatedSeconds = 0;
        epochStart = System.nanoTime();
        return rounds;
    }

    @Override
    public Round run(int round, LanguageModel model, Optimizer optimizer) {
        flushPending(Double.NaN);
        long start = System.nanoTime();
        int first = round * syncEvery, count = Math.min(syncEvery, epochBatches - first);
        RoundWorker.RoundInput in = new RoundWorker.RoundInput(epochIndex, epochSeed, round, first, count, epochBatches,
                model.parameters().values(), new HashMap<>(optimizer.state()), optimizer.steps(), states);
        Broadcast<RoundWorker.RoundInput> input = sc.broadcast(in);
        RoundWorker.RoundSum sum;
        try {
            RoundWorker.Job j = job;
            List<Broadcast<int[]>> tokens = shares;
            JavaRDD<RoundWorker.RoundOutput> outputs = sc.parallelize(partitionIndices(), j.partitions())
                    .map(p -> RoundWorker.run(j, p, tokens.get(p), input));
            sum = outputs.treeAggregate(new RoundWorker.RoundSum(), RoundWorker.RoundSum::add, RoundWorker.RoundSum::merge);
        } finally {
            input.destroy();
        }
        if (sum.partitions != job.partitions()) {
            throw new IllegalStateException("round " + (round + 1) + " returned " + sum.partitions + " of " + job.partitions() + " partitions");
        }
        float inv = 1f / job.partitions();
        float[] w = model.parameters().values();
        for (int i = 0; i < w.length; i++) w[i] = sum.weights[i] * inv;
        TreeMap<String, float[]> names = new TreeMap<>(optimizer.state());
        Map<String, float[]> averaged = new HashMap<>();
        int k = 0;
        for (String name : names.keySet()) {
            float[] a = sum.optimizerState[k++];
            for (int i = 0; i < a.length; i++) a[i] *= inv;
            averaged.put(name, a);
        }
        optimizer.restore(averaged, optimizer.steps() + count);
        states = new float[job.partitions()][][];
        for (Map.Entry<Integer, float[][]> e : sum.states.entrySet()) states[e.getKey()] = e.getValue();

        double seconds = (System.nanoTime() - start) / 1e9;
        double validationLoss = Double.NaN, validationSeconds = 0;
        boolean last = round + 1 == rounds;  // the trainer validates at the epoch's end
        if (validation != null && validateEvery > 0 && (round + 1) % validateEvery == 0 && !last) {
            long v = System.nanoTime();
            validationLoss = Evaluator.evaluate(model, validation, validationBatch, validationSteps).meanLoss();
            validationSeconds = (System.nanoTime() - v) / 1e9;
        }
        validatedSeconds += validationSeconds;
        pending = JSON.createObjectNode().put("epoch", epochIndex + 1).put("round", round + 1).put("rounds", rounds)
                .put("step", optimizer.steps()).put("batches", count).put("partitions", job.partitions())
                .put("train_loss", sum.lossSum / Math.max(sum.tokens, 1)).put("tokens", sum.tokens)
                .put("seconds", seconds).put("compute_seconds", sum.computeSecondsMax)
                .put("sync_seconds", Math.max(0, seconds - sum.computeSecondsMax)).put("fetch_seconds", sum.fetchSecondsMax)
                .put("elapsed_seconds", elapsedBefore + (System.nanoTime() - epochStart) / 1e9 - validatedSeconds);
        if (!Double.isNaN(validationLoss)) flushPending(validationLoss);
        return new Round(sum.batches, sum.tokens, sum.lossSum, sum.gradNormSum, sum.gradNormMax, sum.clipped, sum.learningRate,
                validationSeconds);
    }

    @Override
    public void trainingStarted(Trainer t) {
        for (EpochMetrics m : t.history()) elapsedBefore += m.seconds();
    }

    @Override
    public void epochEnded(EpochMetrics m, Trainer t) {
        flushPending(m.validationLoss());
        elapsedBefore += m.seconds();
    }

    private void flushPending(double validationLoss) {
        if (pending == null) return;
        if (!Double.isNaN(validationLoss)) {
            pending.put("validation_loss", validationLoss).put("validation_perplexity", Math.exp(validationLoss));
        }
        pending.put("time", System.currentTimeMillis() / 1000.0);
        if (roundsLog != null) {
            if (!staleLinesDropped) {
                JsonLines.dropEpochsFrom(roundsLog, pending.get("epoch").asInt());
                staleLinesDropped = true;
            }
            JsonLines.append(roundsLog, pending);
        }
        pending = null;
    }

    /** The batches each partition runs per epoch (the same on all). */
    int batchesPerEpoch() {
        return samplers.stream().mapToInt(SequenceSampler::batchesPerEpoch).min().orElse(0);
    }

    @Override
    public void close() {
        for (Broadcast<int[]> b : shares) b.destroy();
    }
}
