package dev.rnnlab.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.Rng;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.RecurrentLanguageModel;
import dev.rnnlab.nn.Regularization;
import dev.rnnlab.tensor.Gemm;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weight tying in a checkpoint: the model has one matrix for the embedding and the output layer, and the file
 * holds it under both PyTorch names (what a tied module's state dict holds), with the tie in config.json.
 */
class TiedWeightsCheckpointTest {
    @TempDir
    Path dir;

    static final ModelConfig TIED = new ModelConfig(CellType.LSTM, 5, 6, 6, 1, false, 0f, Regularization.builder().tieWeights(true).build());

    @Test
    void aTiedModelCountsTheMatrixOnceAndSavesItUnderBothNames() throws Exception {
        RecurrentLanguageModel model = new RecurrentLanguageModel(TIED, Gemm.create(Gemm.Backend.JAVA, 1, false));
        model.initPyTorchDefault(new Rng(3));
        assertThat((long) model.parameters().size()).isEqualTo(TIED.parameterCount());
        assertThat(TIED.parameterCount()).isEqualTo(TIED.withRegularization(Regularization.NONE).parameterCount() - 5 * 6);
        assertThat(model.parameters().aliases()).containsExactly(Map.entry("linear.weight", "embedding.weight"));

        Checkpoint.write(dir, CheckpointTest.info(TIED), model, CheckpointTest.vocab(5), null, 0, null);
        SafeTensors.Contents file = SafeTensors.read(dir.resolve("model.safetensors"));
        assertThat(file.tensors().get("linear.weight").data()).containsExactly(file.tensors().get("embedding.weight").data());
        assertThat(java.nio.file.Files.readString(dir.resolve("config.json"))).contains("\"tieWeights\" : true");
        Checkpoint.Loaded back = Checkpoint.read(dir, Gemm.create(Gemm.Backend.JAVA, 1, false));
        assertThat(back.model().config()).isEqualTo(TIED);
        assertThat(back.model().parameters().values()).containsExactly(model.parameters().values());

        // a file whose two names disagree cannot be loaded into one matrix
        Map<String, SafeTensors.Tensor> edited = new LinkedHashMap<>(file.tensors());
        SafeTensors.Tensor w = edited.get("linear.weight");
        float[] changed = w.data().clone();
        changed[0] += 1f;
        edited.put("linear.weight", new SafeTensors.Tensor(w.shape(), changed));
        SafeTensors.write(dir.resolve("model.safetensors"), edited, file.metadata());
        assertThatThrownBy(() -> Checkpoint.read(dir, Gemm.create(Gemm.Backend.JAVA, 1, false))).isInstanceOf(RnnlabException.class)
                .hasMessageContaining("the model ties 'linear.weight' to 'embedding.weight', but the file holds different values for them");
    }
}
