package dev.rnnlab.nn;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.tensor.Gemm;

/**
 * The one place language models are built: empty (to load weights into), initialised (to train), or
 * sharded over threads. Training, checkpoint loading and the benchmarks all come here, so a model of a
 * given kind, shape and seed is the same model whichever path built it.
 */
public final class Models {
    /** Mixed into the run's seed so the initial weights do not share a stream with the data's sampling. */
    private static final long INIT_STREAM = 0x5DEECE66DL;

    private Models() {}

    /** A model of this kind and shape with all parameters zero, ready for {@code Checkpoint} to load weights into. */
    public static LanguageModel empty(ModelKind kind, ModelConfig config, Gemm gemm) {
        return switch (kind) {
            case SCRATCH -> {
                requireScratchShape(config);
                yield new ScratchRnn(config.vocab(), config.hidden(), gemm);
            }
            case ENGINE -> new RecurrentLanguageModel(config, gemm);
        };
    }

    /**
     * A new model, initialised as {@code init} says from a stream derived from {@code seed}: the same
     * arguments give the same weights on every machine.
     */
    public static LanguageModel initialized(ModelKind kind, ModelConfig config, Initialization init, long seed, Gemm gemm) {
        Rng rng = new Rng(seed ^ INIT_STREAM);
        LanguageModel m = empty(kind, config, gemm);
        switch (m) {
            case ScratchRnn scratch -> {
                if (init == Initialization.PYTORCH) {
                    throw new RnnlabException("the pytorch initialisation is for the engine's models; the scratch model uses d2l");
                }
                scratch.initD2l(rng);
            }
            case RecurrentLanguageModel engine -> {
                if (init == Initialization.D2L) engine.initD2l(rng);
                else engine.initPyTorchDefault(rng);
            }
            default -> throw new IllegalStateException("unexpected model " + m.getClass());
        }
        return m;
    }

    /**
     * Whether a model of {@code config} on a GEMM of {@code threads} threads runs its recurrent layers' time
     * loops split over them at this batch (every layer has the same width, so all split or none do). When
     * it does not, sharding the batch is how to use the cores.
     */
    public static boolean splitsTimeLoops(ModelConfig config, int batch, int threads) {
        return RecurrentCell.splits(config.cell(), config.hidden(), batch, threads);
    }

    /**
     * The shard count to train a model of {@code config} at this batch on {@code gemm}: one when the GEMM has
     * no team (one thread) or the model splits its time loops over the team ({@link #splitsTimeLoops}: an
     * LSTM-256 and wider at batch 32) and its output layer is no larger than a recurrent layer's W_hh, else
     * one shard per thread of the team, at most one per stream.
     * Measured on two cores, splitting the units matched or beat two shards from LSTM-256 up (0.98-1.19x in
     * the rounds of bench/compare.sh) and lost at LSTM-128 (90 K against 121-146 K tokens/s), docs/BENCHMARKS.md.
     */
    public static int automaticShards(ModelConfig config, int batch, Gemm gemm) {
        dev.rnnlab.tensor.WorkerTeam team = gemm.team();
        if (team == null) return 1;
        // where the output layer outweighs a recurrent layer (a word model: 4,580 x 256 against 4 x 256 x 256
        // per token) shards won while the softmax ran on one thread (11,307 against 9,217 tokens/s); with its
        // rows split too the two tie (docs/BENCHMARKS.md), and shards keep the embedding's scatter split as well
        long output = (long) config.vocab() * config.directions() * config.hidden();
        long recurrent = (long) config.cell().gates * config.hidden() * config.hidden();
        if (splitsTimeLoops(config, batch, team.size()) && output <= recurrent) return 1;
        return Math.max(1, Math.min(team.size(), batch));
    }

    /**
     * The same model, with the same weights, whose batches are split over {@code shards} threads (data
     * parallelism); {@code shards == 1} returns {@code model} itself. The
     * replicas run on {@code gemm}'s one-thread form ({@link Gemm#serial()}): the shards are the parallelism.
     */
    public static LanguageModel sharded(LanguageModel model, int shards, Gemm gemm) {
        if (shards < 1) throw new RnnlabException("shards must be >= 1, got " + shards);
        if (shards == 1) return model;
        if (!(model instanceof RecurrentLanguageModel)) {
            throw new RnnlabException("sharding is for the engine's models, not the scratch model");
        }
        ShardedModel sharded = new ShardedModel(model.config(), gemm.serial(), shards);
        System.arraycopy(model.parameters().values(), 0, sharded.parameters().values(), 0, model.parameters().size());
        return sharded;
    }

    /**
     * A model that shares {@code model}'s weights (not copied: a change to one is a change to both) but has
     * its own activations and gradients, so several threads can run the replicas at once for inference,
     * each with its own {@code gemm}. The replica is of the plain kind even when {@code model} is sharded.
     */
    public static LanguageModel replica(LanguageModel model, Gemm gemm) {
        LanguageModel r = empty(kindOf(model), model.config(), gemm);
        r.parameters().shareValuesOf(model.parameters());
        return r;
    }

    /** The kind of a built model: what its checkpoint records. */
    public static ModelKind kindOf(LanguageModel model) {
        return model instanceof ScratchRnn ? ModelKind.SCRATCH : ModelKind.ENGINE;
    }

    private static void requireScratchShape(ModelConfig c) {
        if (c.cell() != CellType.RNN_TANH || c.layers() != 1 || c.embed() != 0 || c.bidirectional() || c.dropout() != 0) {
            throw new RnnlabException("the scratch model is D2L 8.5's: one tanh layer, one-hot, one direction, no dropout;"
                    + " use the engine's rnn for more");
        }
    }
}
