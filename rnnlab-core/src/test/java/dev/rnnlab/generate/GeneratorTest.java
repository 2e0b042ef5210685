package dev.rnnlab.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.RecurrentLanguageModel;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.text.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratorTest {
    static final Gemm GEMM = Gemm.create(Gemm.Backend.AUTO, 1, false);

    static RecurrentLanguageModel model() {
        RecurrentLanguageModel m = new RecurrentLanguageModel(ModelConfig.simple(CellType.GRU, 7, 8), GEMM);
        m.initPyTorchDefault(new Rng(2));
        // sharper logits so that sampling and argmax differ visibly
        for (int i = 0; i < m.parameters().values().length; i++) m.parameters().values()[i] *= 4;
        return m;
    }

    @Test
    void greedyGenerationFeedsEachArgmaxBackAfterWarmingUpOnThePrefix() {
        RecurrentLanguageModel m = model();
        int[] prefix = {1, 2, 3};
        int[] out = new Generator(m).generate(prefix, 6, TokenSampler.greedy(), new Rng(0), null);
        // the same by hand: run prefix + generated so far as one sequence; the last logits' argmax is the next token
        List<Integer> seq = new ArrayList<>(List.of(1, 2, 3));
        for (int i = 0; i < 6; i++) {
            int[] x = seq.stream().mapToInt(Integer::intValue).toArray();
            m.forward(x, null, x.length, 1, null);
            int next = TokenSampler.greedy().next(m.logits(), (x.length - 1) * 7, 7, null);
            assertThat(out[i]).as("token %d", i).isEqualTo(next);
            seq.add(next);
        }
    }

    @Test
    void samplingIsReproducibleFromItsSeedAndTopKOneIsGreedy() {
        RecurrentLanguageModel m = model();
        int[] a = new Generator(m).generate(new int[] {4}, 40, TokenSampler.sampling(1.0, 0, 1.0), new Rng(9), null);
        int[] b = new Generator(m).generate(new int[] {4}, 40, TokenSampler.sampling(1.0, 0, 1.0), new Rng(9), null);
        assertThat(a).containsExactly(b);
        int[] greedy = new Generator(m).generate(new int[] {4}, 40, TokenSampler.greedy(), new Rng(0), null);
        assertThat(new Generator(m).generate(new int[] {4}, 40, TokenSampler.sampling(1.0, 1, 1.0), new Rng(5), null)).containsExactly(greedy);
        assertThat(new Generator(m).generate(new int[] {4}, 40, TokenSampler.sampling(1.0, 0, 1e-6), new Rng(5), null)).containsExactly(greedy);
        assertThat(a).isNotEqualTo(greedy);
    }

    @Test
    void samplingFrequenciesFollowTheSoftmax() {
        float[] logits = {0f, (float) Math.log(2), (float) Math.log(7)};  // probabilities 0.1, 0.2, 0.7
        TokenSampler s = TokenSampler.sampling(1.0, 0, 1.0);
        Rng rng = new Rng(1);
        int[] counts = new int[3];
        int n = 100_000;
        for (int i = 0; i < n; i++) counts[s.next(logits, 0, 3, rng)]++;
        // binomial standard deviations are at most 0.0015; allow 5 of them
        assertThat(counts[0] / (double) n).isBetween(0.1 - 0.0075, 0.1 + 0.0075);
        assertThat(counts[2] / (double) n).isBetween(0.7 - 0.0075, 0.7 + 0.0075);
        // top-p 0.75 keeps {0.7, 0.2}: renormalised 7/9 and 2/9, never the 0.1 token
        TokenSampler nucleus = TokenSampler.sampling(1.0, 0, 0.75);
        int zero = 0;
        for (int i = 0; i < 10_000; i++) if (nucleus.next(logits, 0, 3, rng) == 0) zero++;
        assertThat(zero).isZero();
    }

    @Test
    void aBidirectionalModelRefusesToGenerate() {
        RecurrentLanguageModel bi = new RecurrentLanguageModel(new ModelConfig(CellType.LSTM, 5, 0, 4, 1, true, 0f), GEMM);
        assertThatThrownBy(() -> new Generator(bi)).isInstanceOf(RnnlabException.class).hasMessageContaining("cannot generate");
    }

    @Test
    void promptTokensOutsideTheVocabularyBecomeUnknownWithAWarningAndAllUnknownIsAnError() {
        Vocabulary v = Vocabulary.of(List.of("a", "b", " "), 0, List.of());
        List<String> warnings = new ArrayList<>();
        int[] ids = Prompt.encode("abz", Normalizer.RAW, Tokenizer.CHAR, v, warnings::add);
        assertThat(ids[2]).isZero();
        assertThat(warnings).singleElement().asString().contains("'z'");
        assertThatThrownBy(() -> Prompt.encode("xyz", Normalizer.RAW, Tokenizer.CHAR, v, null))
                .isInstanceOf(RnnlabException.class).hasMessageContaining("no token in the model's vocabulary");
    }
}
