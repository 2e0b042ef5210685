package dev.rnnlab.nn;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.tensor.Gemm;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A {@link RecurrentLanguageModel} whose batch is cut into shards of streams, each run by its own replica
 * on its own thread: data parallelism on the CPU's cores, above OpenBLAS (whose own threads lose on the
 * small per-step GEMMs here, docs/BENCHMARKS.md). The replicas share one block of weights and keep their
 * own gradients; each shard's backward is weighted by its share of the tokens, and the shards' gradients
 * are summed into the first replica's, which is {@link #parameters()}. The result equals the unsharded
 * model's up to float summation order.
 */
public final class ShardedModel implements LanguageModel, AutoCloseable {
    private final RecurrentLanguageModel[] replicas;
    private final ExecutorService pool;
    private final ModelConfig config;

    // the current batch's layout, kept while steps and batch stay the same so a batch allocates nothing
    private int steps = -1, batch = -1;
    private int[] from;           // first stream of each shard, and batch at the end
    private int[][] xs, ys;       // per-shard inputs and targets, [T][B_k]
    private RecurrentState[] initial, gradInitial, gradFinal, part;  // per shard, B_k streams
    private double[] losses;
    private final int[] counted;  // loss-bearing targets per shard
    private float[] logits = new float[0];

    /** A model of shape {@code config} run as {@code shards} replicas on {@code gemm} that share one set of weights. */
    public ShardedModel(ModelConfig config, Gemm gemm, int shards) {
        if (shards < 1) throw new RnnlabException("shards must be >= 1, got " + shards);
        this.config = config;
        replicas = new RecurrentLanguageModel[shards];
        for (int k = 0; k < shards; k++) {
            replicas[k] = new RecurrentLanguageModel(config, gemm);
            if (k > 0) replicas[k].parameters().shareValuesOf(replicas[0].parameters());
        }
        counted = new int[shards];
        pool = shards > 1 ? Executors.newFixedThreadPool(shards - 1, r -> {
            Thread t = new Thread(r, "rnnlab-shard");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /** The first replica: initialise its weights, read its config; every replica sees them. */
    public RecurrentLanguageModel primary() {
        return replicas[0];
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public Parameters parameters() {
        return replicas[0].parameters();
    }

    @Override
    public RecurrentState zeroState(int batch) {
        return RecurrentState.zeros(config, batch);
    }

    @Override
    public void setTraining(boolean training, Rng rng) {
        // masks over a whole batch (embedding rows, W_hh entries) must be the same in every shard: equal streams of their own
        boolean shared = rng != null && config.regularization().hasBatchMasks();
        long batchSeed = shared ? rng.nextLong() : 0;
        for (RecurrentLanguageModel r : replicas) {
            Rng own = rng == null ? null : rng.split();
            r.setTraining(training, own, shared ? new Rng(batchSeed) : own);
        }
    }

    private int shards(int batch) {
        return Math.min(replicas.length, batch);
    }

    @Override
    public double forward(int[] inputs, int[] targets, int steps, int batch, RecurrentState init) {
        if (steps < 1 || batch < 1 || inputs.length < steps * batch) {
            throw new RnnlabException("inputs hold " + inputs.length + " tokens, fewer than steps x batch = " + steps + " x " + batch);
        }
        layout(steps, batch);
        int n = from.length - 1;
        for (int k = 0; k < n; k++) {
            int bk = from[k + 1] - from[k];
            slice(inputs, steps, batch, from[k], bk, xs[k]);
            if (targets != null) slice(targets, steps, batch, from[k], bk, ys[k]);
            if (init != null) copyStreams(init, from[k], initial[k], 0, bk);
            else initial[k].fill(0f);
            counted[k] = targets == null ? 0 : SoftmaxCrossEntropy.counted(ys[k], steps * bk);
        }
        boolean scored = targets != null;  // without targets ys holds the previous batch's: not to be scored
        runAll(n, k -> losses[k] = replicas[k].forward(xs[k], scored ? ys[k] : null, steps, from[k + 1] - from[k], initial[k]));
        if (targets == null) return Double.NaN;
        double total = 0;
        int all = 0;
        for (int k = 0; k < n; k++) {
            total += losses[k] * counted[k];
            all += counted[k];
        }
        return all == 0 ? 0 : total / all;
    }

    @Override
    public void backward(RecurrentState gradInitial, RecurrentState gradFinal, float[] stepScale, float lossScale) {
        int n = xs.length, all = 0;
        for (int k = 0; k < n; k++) all += counted[k];
        int total = Math.max(all, 1);
        for (int k = 0; k < n; k++) {
            if (gradInitial != null) this.gradInitial[k].fill(0f);
            if (gradFinal != null) copyStreams(gradFinal, from[k], this.gradFinal[k], 0, from[k + 1] - from[k]);
        }
        RecurrentState[] gi = gradInitial == null ? null : this.gradInitial, gf = gradFinal == null ? null : this.gradFinal;
        float[] g0 = replicas[0].parameters().grads();
        for (int k = 1; k < n; k++) java.util.Arrays.fill(replicas[k].parameters().grads(), 0f);
        runAll(n, k -> replicas[k].backward(gi == null ? null : gi[k], gf == null ? null : gf[k], stepScale,
                lossScale * counted[k] / total));
        // sum the shards' gradients into the first one's, split across the threads by range
        int size = g0.length;
        runAll(n, part -> {
            int lo = part * size / n, hi = (part + 1) * size / n;
            for (int k = 1; k < n; k++) {
                float[] gk = replicas[k].parameters().grads();
                for (int i = lo; i < hi; i++) g0[i] += gk[i];
            }
        });
        if (gradInitial != null) for (int k = 0; k < n; k++) copyStreams(gi[k], 0, gradInitial, from[k], from[k + 1] - from[k]);
    }

    @Override
    public void finalState(RecurrentState into) {
        for (int k = 0; k < xs.length; k++) {
            replicas[k].finalState(part[k]);
            copyStreams(part[k], 0, into, from[k], from[k + 1] - from[k]);
        }
    }

    @Override
    public void stateAt(int t, RecurrentState into) {
        for (int k = 0; k < xs.length; k++) {
            replicas[k].stateAt(t, part[k]);
            copyStreams(part[k], 0, into, from[k], from[k + 1] - from[k]);
        }
    }

    @Override
    public float[] logits() {
        int v = config.vocab();
        if (logits.length < steps * batch * v) logits = new float[steps * batch * v];
        for (int k = 0; k < xs.length; k++) {
            int bk = from[k + 1] - from[k];
            float[] part = replicas[k].logits();
            for (int t = 0; t < steps; t++)
                System.arraycopy(part, t * bk * v, logits, (t * batch + from[k]) * v, bk * v);
        }
        return logits;
    }

    @Override
    public void probeGradientNorms(float[] perStep) {
        replicas[0].probeGradientNorms(perStep);  // the first shard's streams stand for the batch
    }

    @Override
    public long activationBytes(int steps, int batch) {
        return replicas[0].activationBytes(steps, batch);
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }

    private interface Shard {
        void run(int k) throws Exception;
    }

    /** Runs shards 1.. on the pool and shard 0 on this thread, then waits for all. */
    private void runAll(int n, Shard work) {
        List<Future<?>> pending = new ArrayList<>();
        for (int k = 1; k < n; k++) {
            int shard = k;
            pending.add(pool.submit(() -> {
                work.run(shard);
                return null;
            }));
        }
        try {
            work.run(0);
            for (Future<?> f : pending) f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Cuts the batch into shards of streams, reusing the previous batch's arrays when the shape is the same. */
    private void layout(int steps, int batch) {
        if (steps == this.steps && batch == this.batch) return;
        this.steps = steps;
        this.batch = batch;
        int n = shards(batch);
        from = new int[n + 1];
        for (int k = 0; k <= n; k++) from[k] = k * batch / n;
        xs = new int[n][];
        ys = new int[n][];
        initial = new RecurrentState[n];
        gradInitial = new RecurrentState[n];
        gradFinal = new RecurrentState[n];
        part = new RecurrentState[n];
        losses = new double[n];
        for (int k = 0; k < n; k++) {
            int bk = from[k + 1] - from[k];
            xs[k] = new int[steps * bk];
            ys[k] = new int[steps * bk];
            initial[k] = zeroState(bk);
            gradInitial[k] = zeroState(bk);
            gradFinal[k] = zeroState(bk);
            part[k] = zeroState(bk);
        }
    }

    private static void slice(int[] a, int steps, int batch, int b0, int bk, int[] out) {
        for (int t = 0; t < steps; t++) System.arraycopy(a, t * batch + b0, out, t * bk, bk);
    }

    /** Copies streams [fromB, fromB + n) of {@code src} to streams [toB, toB + n) of {@code dst}. */
    private static void copyStreams(RecurrentState src, int fromB, RecurrentState dst, int toB, int n) {
        int h = src.hidden();
        for (int s = 0; s < src.slots(); s++) {
            System.arraycopy(src.h(s), fromB * h, dst.h(s), toB * h, n * h);
            if (src.hasCellState()) System.arraycopy(src.c(s), fromB * h, dst.c(s), toB * h, n * h);
        }
    }
}
