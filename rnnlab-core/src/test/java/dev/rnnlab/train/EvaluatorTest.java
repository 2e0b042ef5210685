package dev.rnnlab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rnnlab.Rng;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.Parameters;
import dev.rnnlab.nn.RecurrentLanguageModel;
import dev.rnnlab.tensor.Gemm;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
    static final Gemm GEMM = Gemm.create(Gemm.Backend.AUTO, 1, false);

    @Test
    void aModelThatPredictsUniformlyHasPerplexityEqualToTheVocabulary() {
        RecurrentLanguageModel m = new RecurrentLanguageModel(ModelConfig.simple(CellType.GRU, 11, 8), GEMM);
        m.initPyTorchDefault(new Rng(1));
        Parameters p = m.parameters();
        for (String name : new String[] {"linear.weight", "linear.bias"}) {
            Parameters.Tensor t = p.tensor(name);
            Arrays.fill(p.values(), t.offset(), t.offset() + t.size(), 0f);  // every logit 0: uniform
        }
        int[] tokens = new int[1003];
        Rng rng = new Rng(2);
        for (int i = 0; i < tokens.length; i++) tokens[i] = rng.nextInt(11);
        Evaluator.Result r = Evaluator.evaluate(m, tokens, 4, 7);
        assertThat(r.perplexity()).isCloseTo(11.0, within(1e-4));
        assertThat(r.tokens()).isEqualTo(4 * ((1003 - 1) / 4));  // all but len mod batch
    }

    @Test
    void carryingTheStateAcrossChunksEqualsOneLongForward() {
        RecurrentLanguageModel m = new RecurrentLanguageModel(ModelConfig.simple(CellType.LSTM, 6, 8), GEMM);
        m.initPyTorchDefault(new Rng(3));
        int[] tokens = new int[301];
        Rng rng = new Rng(4);
        for (int i = 0; i < tokens.length; i++) tokens[i] = rng.nextInt(6);
        // one stream, chunks of 7 steps with the state carried, against one forward over all 300 steps
        double chunked = Evaluator.evaluate(m, tokens, 1, 7).meanLoss();
        double whole = m.forward(Arrays.copyOf(tokens, 300), Arrays.copyOfRange(tokens, 1, 301), 300, 1, null);
        assertThat(chunked).isCloseTo(whole, within(1e-5));
    }
}
