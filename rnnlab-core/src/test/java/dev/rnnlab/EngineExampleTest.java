package dev.rnnlab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rnnlab.data.Batch;
import dev.rnnlab.data.SequentialPartitioner;
import dev.rnnlab.data.SyntheticCorpus;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.RecurrentLanguageModel;
import dev.rnnlab.nn.RecurrentState;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.text.Vocabulary;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's engine example, line for line, on a synthetic corpus. */
class EngineExampleTest {
    @Test
    void theReadmesEngineExampleRunsAndTheLossFalls() {
        Corpus corpus = Corpus.fromText("m", SyntheticCorpus.markov(1, 6, 0.3, 20_000, 1).text(), Normalizer.RAW, Tokenizer.CHAR, 0, List.of());
        Vocabulary vocab = corpus.vocabulary();
        Batch batch = new SequentialPartitioner(corpus.indices(), 32, 35).epoch(new Rng(1)).next();

        Gemm gemm = Gemm.create(Gemm.Backend.AUTO, 1, true);                 // oneDNN via FFM, else OpenBLAS, else Java
        var model = new RecurrentLanguageModel(new ModelConfig(CellType.LSTM, vocab.size(), 0, 256, 2, false, 0f), gemm);
        model.initPyTorchDefault(new Rng(42));
        RecurrentState state = model.zeroState(32);
        double loss = model.forward(batch.inputs(), batch.targets(), 35, 32, state);  // mean cross-entropy
        model.backward();                            // dL/dtheta into model.parameters().grads()
        model.finalState(state);                     // carry it into the next batch

        assertThat(loss).isCloseTo(Math.log(vocab.size()), org.assertj.core.data.Offset.offset(0.2));
        // one SGD step along the gradient lowers the loss on the same batch
        float[] w = model.parameters().values(), g = model.parameters().grads();
        for (int i = 0; i < w.length; i++) w[i] -= 0.5f * g[i];
        assertThat(model.forward(batch.inputs(), batch.targets(), 35, 32, model.zeroState(32))).isLessThan(loss);
    }
}
