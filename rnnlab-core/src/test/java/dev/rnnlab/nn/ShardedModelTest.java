package dev.rnnlab.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rnnlab.Rng;
import dev.rnnlab.tensor.Gemm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sharding the batch across replicas on threads changes nothing but the order of float sums. */
class ShardedModelTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void shardsGiveTheUnshardedLossGradientsStatesAndLogits(int shards) {
        Gemm gemm = Gemm.create(Gemm.Backend.AUTO, 1, false);
        ModelConfig c = new ModelConfig(CellType.LSTM, 7, 4, 6, 2, false, 0f);
        RecurrentLanguageModel single = new RecurrentLanguageModel(c, gemm);
        single.initPyTorchDefault(new Rng(1));
        try (ShardedModel sharded = new ShardedModel(c, gemm, shards)) {
            System.arraycopy(single.parameters().values(), 0, sharded.parameters().values(), 0, single.parameters().size());
            int steps = 6, batch = 5;
            Rng rng = new Rng(2);
            int[] x = FiniteDifferenceTest.randomTokens(steps * batch, 7, rng), y = FiniteDifferenceTest.randomTokens(steps * batch, 7, rng);
            y[3] = LanguageModel.IGNORE;
            RecurrentState h0 = FiniteDifferenceTest.randomState(single, batch, rng);

            double l1 = single.forward(x, y, steps, batch, h0), l2 = sharded.forward(x, y, steps, batch, h0);
            assertThat(l2).isCloseTo(l1, within(1e-6));
            float[] scale = {1, 0.5f, 1, 0, 1, 1};
            single.parameters().zeroGrads();
            RecurrentState d1 = single.zeroState(batch), d2 = single.zeroState(batch);
            single.backward(d1, null, scale, 0.7f);
            sharded.backward(d2, null, scale, 0.7f);
            ScratchRnnTest.assertClose(sharded.parameters().grads(), single.parameters().grads(), single.parameters().size(), "grads");
            for (int s = 0; s < d1.slots(); s++) {
                ScratchRnnTest.assertClose(d2.h(s), d1.h(s), batch * 6, "dh0");
                ScratchRnnTest.assertClose(d2.c(s), d1.c(s), batch * 6, "dc0");
            }
            RecurrentState e1 = single.zeroState(batch), e2 = single.zeroState(batch);
            single.finalState(e1);
            sharded.finalState(e2);
            for (int s = 0; s < e1.slots(); s++) ScratchRnnTest.assertClose(e2.h(s), e1.h(s), batch * 6, "final h");
            ScratchRnnTest.assertClose(sharded.logits(), single.logits(), steps * batch * 7, "logits");

            // a second batch of the same shape reuses the shards' arrays; without targets nothing is scored
            int[] x2 = FiniteDifferenceTest.randomTokens(steps * batch, 7, rng);
            assertThat(single.forward(x2, null, steps, batch, null)).isNaN();
            assertThat(sharded.forward(x2, null, steps, batch, null)).isNaN();
            ScratchRnnTest.assertClose(sharded.logits(), single.logits(), steps * batch * 7, "logits, second batch");
        }
    }

    /**
     * Embedding dropout drops rows for the whole batch, so every shard must drop the same ones: the sharded
     * model's gradient equals the unsharded one's with the same row mask. AR and TAR are per-token means,
     * weighted by each shard's share of the tokens like the loss.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void shardsDropTheSameEmbeddingRowsAndWeighTheActivationPenalties(int shards) {
        Gemm gemm = Gemm.create(Gemm.Backend.AUTO, 1, false);
        ModelConfig c = new ModelConfig(CellType.GRU, 7, 4, 6, 2, false, 0f, Regularization.builder().embeddingDropout(0.5f).weightDrop(0.5f)
                .activation(2f).temporalActivation(1f).build());
        RecurrentLanguageModel single = new RecurrentLanguageModel(c, gemm);
        single.initPyTorchDefault(new Rng(1));
        try (ShardedModel sharded = new ShardedModel(c, gemm, shards)) {
            System.arraycopy(single.parameters().values(), 0, sharded.parameters().values(), 0, single.parameters().size());
            int steps = 5, batch = 6;
            Rng data = new Rng(3);
            int[] x = FiniteDifferenceTest.randomTokens(steps * batch, 7, data), y = FiniteDifferenceTest.randomTokens(steps * batch, 7, data);
            // the row mask the shards draw: the first long of the stream they are given
            long rowSeed = new Rng(6).nextLong();
            single.setTraining(true, new Rng(9), new Rng(rowSeed));
            sharded.setTraining(true, new Rng(6));
            single.parameters().zeroGrads();
            single.forward(x, y, steps, batch, null);
            sharded.forward(x, y, steps, batch, null);
            single.backward(null, null, null, 1f);
            sharded.backward(null, null, null, 1f);
            ScratchRnnTest.assertClose(sharded.parameters().grads(), single.parameters().grads(), single.parameters().size(), "grads");
            Parameters.Tensor e = single.parameters().tensor("embedding.weight");
            int zeroRows = 0;
            for (int v = 0; v < 7; v++) {
                boolean zero = true;
                for (int j = 0; j < 4; j++) zero &= single.parameters().grads()[e.offset() + v * 4 + j] == 0f;
                if (zero) zeroRows++;
            }
            assertThat(zeroRows).as("rows dropped (p = 0.5 over 7 tokens)").isBetween(1, 6);
        }
    }
}
