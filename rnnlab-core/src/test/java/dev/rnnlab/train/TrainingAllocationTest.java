package dev.rnnlab.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rnnlab.Rng;
import dev.rnnlab.bptt.BpttStrategy;
import dev.rnnlab.data.SequentialPartitioner;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.RecurrentLanguageModel;
import dev.rnnlab.nn.ShardedModel;
import dev.rnnlab.tensor.Gemm;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The training loop allocates no buffers per batch: every array of the forward and backward passes, the
 * clipper and the optimizer is kept and reused. Measured with the JVM's allocation counters (all threads,
 * so a sharded model's workers count too) between consecutive batches of a real {@link Trainer} run, once
 * the buffers have grown to their size. What remains is the batch itself and the small wrappers the JDK's
 * FFM layer makes for each GEMM call (MemorySegment.ofArray(..).asSlice(..), about 100 bytes a call,
 * which the JIT does not scalar-replace across a downcall): a fixed amount per batch, the same at any
 * hidden size. A buffer allocated per batch or per step grows with the hidden size, so comparing two
 * sizes catches it.
 */
class TrainingAllocationTest {
    static final int BATCH = 32, STEPS = 35, VOCAB = 28;

    @ParameterizedTest
    @CsvSource({"LSTM, 1, 0, 1, 1", "GRU, 2, 0.2, 1, 1", "RNN_TANH, 1, 0, 1, 1", "LSTM, 2, 0, 2, 1", "LSTM, 2, 0, 1, 2", "GRU, 1, 0.2, 1, 2"})
    void aTrainingBatchAllocatesNoBuffers(CellType cell, int layers, float dropout, int shards, int threads) {
        // on a team both sizes must be wide enough to split (RecurrentCell.MIN_UNITS_PER_PART units a part)
        int smallHidden = threads > 1 ? 32 : 16, largeHidden = smallHidden + 48;
        bytesPerBatch(cell, layers, dropout, shards, threads, smallHidden);  // JIT warm-up: interpreted code allocates what C2 later scalar-replaces
        long small = bytesPerBatch(cell, layers, dropout, shards, threads, smallHidden);
        long large = bytesPerBatch(cell, layers, dropout, shards, threads, largeHidden);
        // a buffer made per batch grows with the hidden size (one of BATCH x 48 more floats is 6 KiB), so the larger
        // model would allocate more; leftovers of JIT warm-up go the other way (the smaller model runs first)
        assertThat(large - small).as("bytes per batch at hidden %d: %d, at %d: %d", smallHidden, small, largeHidden, large).isLessThan(1024);
        // the batch (two int[STEPS * BATCH]) and the GEMM calls' wrappers (a few per step, layer and shard:
        // 25 KB for one LSTM layer, 110 KB for two layers on two shards); far below one activation buffer
        // (STEPS x BATCH x 4 gates x 64 floats = 1.1 MB)
        assertThat(large).isLessThan(2L * 4 * STEPS * BATCH + 256 * 1024);
    }

    /**
     * The fewest bytes allocated by one batch among the last 40 of a 2-epoch run: what every batch allocates,
     * without the JIT's warm-up leftovers in some of them.
     */
    static long bytesPerBatch(CellType cell, int layers, float dropout, int shards, int threadCount, int hidden) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Gemm gemm = Gemm.create(Gemm.Backend.AUTO, threadCount, false);
        ModelConfig config = new ModelConfig(cell, VOCAB, 0, hidden, layers, false, dropout);
        LanguageModel model;
        if (shards > 1) {
            ShardedModel sharded = new ShardedModel(config, gemm, shards);
            sharded.primary().initPyTorchDefault(new Rng(1));
            model = sharded;
        } else {
            RecurrentLanguageModel m = new RecurrentLanguageModel(config, gemm);
            m.initPyTorchDefault(new Rng(1));
            model = m;
        }
        int[] tokens = new int[BATCH * STEPS * 45 + 1];  // 44 batches an epoch
        Rng rng = new Rng(2);
        for (int i = 0; i < tokens.length; i++) tokens[i] = 1 + rng.nextInt(VOCAB - 1);
        long[] allocatedAt = new long[200];
        int[] seen = {0};
        TrainingListener meter = new TrainingListener() {
            @Override
            public void batchEnded(int batch, double loss, double gradNorm) {
                if (seen[0] < allocatedAt.length) allocatedAt[seen[0]++] = threads.getTotalThreadAllocatedBytes();
            }
        };
        Trainer trainer = new Trainer(model, new SequentialPartitioner(tokens, BATCH, STEPS), null, TrainingConfig.d2l(2, 3),
                new Sgd(model.parameters().size(), 0.9, 0), BpttStrategy.perBatch()).addListener(meter);
        trainer.run();

        // batches within the last epoch (the epoch boundary draws a new offset and state): what one batch costs
        long fewest = Long.MAX_VALUE;
        int last = seen[0] - 1;
        for (int i = 0; i < 40; i++) fewest = Math.min(fewest, allocatedAt[last - i] - allocatedAt[last - i - 1]);
        if (model instanceof ShardedModel s) s.close();
        return fewest;
    }
}
