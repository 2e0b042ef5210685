package dev.rnnlab.nn;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.tensor.Gemm;
import org.junit.jupiter.api.Test;

/** Bad shapes and mismatched vocabularies are one clear error that names the shapes. */
class ModelInputErrorsTest {
    final RecurrentLanguageModel m = new RecurrentLanguageModel(new ModelConfig(CellType.LSTM, 5, 0, 4, 2, false, 0f),
            Gemm.create(Gemm.Backend.JAVA, 1, false));

    @Test
    void aTokenOutsideTheVocabularyNamesItsPlaceAndTheVocabularySize() {
        assertThatThrownBy(() -> m.forward(new int[] {1, 2, 7, 0}, new int[] {1, 1, 1, 1}, 2, 2, null))
                .isInstanceOf(RnnlabException.class)
                .hasMessage("token index 7 at step 1, stream 0 is outside the model's vocabulary of 5 (data and model use different vocabularies?)");
    }

    @Test
    void aStateOfTheWrongShapeNamesBothShapes() {
        RecurrentState wrong = RecurrentState.zeros(new ModelConfig(CellType.LSTM, 5, 0, 4, 1, false, 0f), 2);
        assertThatThrownBy(() -> m.forward(new int[] {1, 2, 3, 0}, new int[] {1, 1, 1, 1}, 2, 2, wrong))
                .isInstanceOf(RnnlabException.class)
                .hasMessage("initial state has shape [1 x 2 x 4] with cell state but the model needs [2 x 2 x 4] with cell state");
    }

    @Test
    void tooFewTokensForTheShapeIsAnError() {
        assertThatThrownBy(() -> m.forward(new int[] {1, 2, 3}, null, 2, 2, null))
                .isInstanceOf(RnnlabException.class)
                .hasMessage("inputs hold 3 tokens, fewer than steps x batch = 2 x 2");
        assertThatThrownBy(() -> new ModelConfig(CellType.GRU, 0, 0, 4, 1, false, 0f))
                .isInstanceOf(RnnlabException.class).hasMessageContaining("vocabulary size must be >= 1");
    }
}
