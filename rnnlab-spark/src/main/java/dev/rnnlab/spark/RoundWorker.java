package dev.rnnlab.spark;

import dev.rnnlab.Rng;
import dev.rnnlab.bptt.BpttStrategy;
import dev.rnnlab.data.Batch;
import dev.rnnlab.data.Epoch;
import dev.rnnlab.data.Sampling;
import dev.rnnlab.data.SequenceSampler;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.ModelKind;
import dev.rnnlab.nn.Models;
import dev.rnnlab.nn.Parameters;
import dev.rnnlab.nn.RecurrentState;
import dev.rnnlab.run.OptimizationSpec;
import dev.rnnlab.run.RunSpec;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.train.GlobalNormClipper;
import dev.rnnlab.train.LearningRateSchedule;
import dev.rnnlab.train.Optimizer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.broadcast.Broadcast;

/**
 * One partition's share of a training round, on an executor: the model and optimizer set to the round's
 * starting point, then the same per-batch loop as {@link dev.rnnlab.train.Trainer}'s (state carried or reset
 * as the sampler says, the learning rate of this batch's place in the epoch, the strategy's gradient,
 * clipping, the optimizer's step) over batches [first, first + count) of the partition's epoch.
 *
 * <p>Everything a round does follows from its inputs: the epoch's seed, the partition and the batch indices
 * fix the batches, the dropout masks and the strategy's random choices. A task Spark re-runs after a lost
 * executor therefore returns the same result, and nothing is lost.
 */
final class RoundWorker {
    private RoundWorker() {}

    /** What every round of a run shares: the spec, the model's kind and shape, the per-partition batch, shards per task. */
    record Job(String id, RunSpec spec, ModelKind kind, ModelConfig config, int partitions, int partitionBatch, int workerShards)
            implements Serializable {
        /** The sampler over one partition's tokens, as the strategy needs them. */
        SequenceSampler sampler(int[] tokens) {
            BpttStrategy s = spec.bptt().newStrategy();
            return (s.wantsWholeSequence() ? Sampling.WHOLE_STREAM : spec.data().sampling()).over(tokens, partitionBatch, spec.data().steps());
        }

        /** Partition {@code p}'s random stream for epoch choices: its own, derived from the epoch's seed. */
        static Rng epochRng(long epochSeed, int p) {
            return new Rng(epochSeed ^ (0x9E3779B97F4A7C15L * (p + 1)));
        }
    }

    /**
     * Where a round starts: the epoch (0-based) and its seed, its first batch and how many to run, the
     * batches every partition's epoch has, the weights, the optimizer's state by name and step count, and
     * each partition's carried hidden state (h then c arrays; null: start from zeros).
     */
    record RoundInput(int epochIndex, long epochSeed, int round, int firstBatch, int batches, int epochBatches, float[] weights,
                      Map<String, float[]> optimizerState, long optimizerSteps, float[][][] states) implements Serializable {}

    /** What one partition returns: its weights, optimizer state (by sorted name), final hidden state and what it measured. */
    record RoundOutput(int partition, float[] weights, float[][] optimizerState, float[][] state, int batches, long tokens,
                       double lossSum, double gradNormSum, double gradNormMax, int clipped, double learningRate, double computeSeconds,
                       double fetchSeconds) implements Serializable {}

    /** The running sum of partitions' outputs, as treeAggregate combines them on executors and the driver. */
    static final class RoundSum implements Serializable {
        float[] weights;
        float[][] optimizerState;
        final Map<Integer, float[][]> states = new TreeMap<>();
        int partitions, batches, clipped;
        long tokens;
        double lossSum, gradNormSum, gradNormMax, learningRate, computeSecondsMax, fetchSecondsMax;

        RoundSum add(RoundOutput o) {
            RoundSum one = new RoundSum();
            one.weights = o.weights();
            one.optimizerState = o.optimizerState();
            one.states.put(o.partition(), o.state());
            one.partitions = 1;
            one.batches = o.batches();
            one.clipped = o.clipped();
            one.tokens = o.tokens();
            one.lossSum = o.lossSum();
            one.gradNormSum = o.gradNormSum();
            one.gradNormMax = o.gradNormMax();
            one.learningRate = o.learningRate();
            one.computeSecondsMax = o.computeSeconds();
            one.fetchSecondsMax = o.fetchSeconds();
            return merge(one);
        }

        RoundSum merge(RoundSum o) {
            if (o.partitions == 0) return this;
            if (partitions == 0) return o;
            addInto(weights, o.weights);
            for (int i = 0; i < optimizerState.length; i++) addInto(optimizerState[i], o.optimizerState[i]);
            states.putAll(o.states);
            partitions += o.partitions;
            batches += o.batches;
            clipped += o.clipped;
            tokens += o.tokens;
            lossSum += o.lossSum;
            gradNormSum += o.gradNormSum;
            gradNormMax = Math.max(gradNormMax, o.gradNormMax);
            learningRate = o.learningRate;  // every partition's last batch has the same place in the epoch
            computeSecondsMax = Math.max(computeSecondsMax, o.computeSecondsMax);
            fetchSecondsMax = Math.max(fetchSecondsMax, o.fetchSecondsMax);
            return this;
        }

        private static void addInto(float[] sum, float[] x) {
            for (int i = 0; i < sum.length; i++) sum[i] += x[i];
        }
    }

    /** An executor's model and optimizer for one partition, kept between rounds so their buffers are allocated once. */
    private record Kept(LanguageModel model, Optimizer optimizer, RecurrentState state) {}

    private static final Map<String, Kept> KEPT = new ConcurrentHashMap<>();

    /** Runs partition {@code p}'s batches of the round on its tokens, timing the broadcasts' fetch apart from the work. */
    static RoundOutput run(Job job, int p, Broadcast<int[]> share, Broadcast<RoundInput> input) {
        long fetch = System.nanoTime();
        int[] tokens = share.value();
        RoundInput in = input.value();
        long start = System.nanoTime();
        Kept k = kept(job, p);
        LanguageModel model = k.model();
        Parameters params = model.parameters();
        System.arraycopy(in.weights(), 0, params.values(), 0, params.size());
        Optimizer optimizer = k.optimizer();
        optimizer.restore(in.optimizerState(), in.optimizerSteps());
        OptimizationSpec o = job.spec().optimization();
        LearningRateSchedule schedule = LearningRateSchedule.parse(o.schedule()).withWarmup(o.warmup());
        GlobalNormClipper clipper = new GlobalNormClipper(o.clip());
        BpttStrategy strategy = job.spec().bptt().newStrategy();
        strategy.startEpoch();
        SequenceSampler sampler = job.sampler(tokens);
        Epoch epoch = sampler.epoch(Job.epochRng(in.epochSeed(), p));
        RecurrentState state = k.state();
        float[][] carried = in.states() == null ? null : in.states()[p];
        if (carried != null && sampler.carriesState() && in.firstBatch() > 0) setState(state, carried);
        else state.fill(0f);
        // this round's own stream for dropout and the strategy's choices
        Rng rng = new Rng(in.epochSeed() ^ (0xD1B54A32D192ED03L * (in.round() + 1)) ^ (0x94D049BB133111EBL * (p + 1)));
        model.setTraining(true, rng.split());
        double lossSum = 0, normSum = 0, normMax = 0, lr = 0;
        long tokensSeen = 0;
        int clipped = 0;
        for (int i = in.firstBatch(); i < in.firstBatch() + in.batches(); i++) {
            Batch batch = epoch.batch(i);
            if (!sampler.carriesState() || i == 0) {
                state.fill(0f);
                strategy.startSequence();
            }
            lr = schedule.rate(o.lr(), in.epochIndex() + (double) i / in.epochBatches(), o.epochs());
            params.zeroGrads();
            double loss = strategy.computeGradients(model, batch, state, rng);
            double norm = clipper.clip(params.grads());
            if (clipper.clips(norm)) clipped++;
            optimizer.step(params, lr);
            int n = batch.steps() * batch.batchSize();
            lossSum += loss * n;
            tokensSeen += n;
            normSum += norm;
            normMax = Math.max(normMax, Double.isFinite(norm) ? norm : Double.POSITIVE_INFINITY);
            if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
                // the driver stops the run; the rest of this round's batches would only spread the NaN
                normMax = Double.POSITIVE_INFINITY;
                break;
            }
        }
        model.setTraining(false, null);
        TreeMap<String, float[]> sorted = new TreeMap<>(optimizer.state());
        float[][] optState = new float[sorted.size()][];
        int j = 0;
        for (float[] a : sorted.values()) optState[j++] = a.clone();
        return new RoundOutput(p, params.values().clone(), optState, stateOf(state), in.batches(), tokensSeen, lossSum, normSum,
                normMax, clipped, lr, (System.nanoTime() - start) / 1e9, (start - fetch) / 1e9);
    }

    /** Readies partition {@code p} on this executor before training: its tokens fetched, its model and optimizer built. */
    static int warmUp(Job job, int p, int[] tokens) {
        kept(job, p);
        return tokens.length;
    }

    private static Kept kept(Job job, int p) {
        // one run per executor at a time is the common case: drop what other runs left
        KEPT.keySet().removeIf(key -> !key.startsWith(job.id() + ":"));
        return KEPT.computeIfAbsent(job.id() + ":" + p, key -> {
            Gemm gemm = Gemm.create(Gemm.Backend.AUTO, 1, false);
            LanguageModel m = Models.sharded(Models.empty(job.kind(), job.config(), gemm), job.workerShards(), gemm);
            OptimizationSpec o = job.spec().optimization();
            Optimizer opt = Optimizer.parse(o.optimizer(), o.weightDecay(), m.parameters().size());
            return new Kept(m, opt, m.zeroState(job.partitionBatch()));
        });
    }

    /** The state's arrays, copied: h for every slot, then c for every slot of an LSTM. */
    static float[][] stateOf(RecurrentState s) {
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < s.slots(); i++) out.add(s.h(i).clone());
        if (s.hasCellState()) for (int i = 0; i < s.slots(); i++) out.add(s.c(i).clone());
        return out.toArray(float[][]::new);
    }

    static void setState(RecurrentState s, float[][] arrays) {
        for (int i = 0; i < s.slots(); i++) System.arraycopy(arrays[i], 0, s.h(i), 0, arrays[i].length);
        if (s.hasCellState()) {
            for (int i = 0; i < s.slots(); i++) System.arraycopy(arrays[s.slots() + i], 0, s.c(i), 0, arrays[s.slots() + i].length);
        }
    }
}
