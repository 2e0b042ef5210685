package dev.rnnlab.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.stats.NGramCounts;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model from counts made elsewhere is the model trained on the tokens: the same ARPA file, byte for byte. */
class MGramCountsTest {
    @TempDir
    Path dir;

    static MGramCounts countsOf(int[] tokens, int v, int order) {
        List<long[]> keys = new ArrayList<>(), counts = new ArrayList<>();
        for (int m = 1; m <= order; m++) {
            NGramCounts c = NGramCounts.count(tokens, v, m);
            long[] k = new long[c.distinct()], n = new long[c.distinct()];
            int[] i = {0};
            int width = m;
            c.forEach((position, count) -> {  // in order of first occurrence
                long key = 0;
                for (int j = 0; j < width; j++) key = key * v + tokens[(int) position + j];
                k[i[0]] = key;
                n[i[0]++] = count;
            });
            keys.add(k);
            counts.add(n);
        }
        return new MGramCounts(order, v, tokens.length, java.util.Arrays.copyOf(tokens, Math.min(order, tokens.length)), keys, counts);
    }

    @Test
    void modelsFromCountsWriteTheArpaFileOfModelsTrainedOnTheTokens() throws IOException {
        Corpus c = Corpus.fromText("t", "the time machine by h g wells the time traveller for so it will be convenient", Normalizer.D2L,
                Tokenizer.CHAR, 0, List.of());
        int[] t = c.indices();
        MGramCounts counts = countsOf(t, c.vocabulary().size(), 3);
        Path a = dir.resolve("a.arpa"), b = dir.resolve("b.arpa");
        new ArpaFile(KneserNeyModel.train(t, c.vocabulary(), 3).toBackoff(), Tokenizer.CHAR, Normalizer.D2L, Map.of()).write(a);
        new ArpaFile(KneserNeyModel.fromCounts(counts, c.vocabulary()).toBackoff(), Tokenizer.CHAR, Normalizer.D2L, Map.of()).write(b);
        assertThat(Files.mismatch(a, b)).isEqualTo(-1L);
        new ArpaFile(AdditiveSmoothingModel.train(t, c.vocabulary(), 3, 0.1).toBackoff(), Tokenizer.CHAR, Normalizer.D2L, Map.of()).write(a);
        new ArpaFile(AdditiveSmoothingModel.fromCounts(counts, c.vocabulary(), 0.1).toBackoff(), Tokenizer.CHAR, Normalizer.D2L, Map.of()).write(b);
        assertThat(Files.mismatch(a, b)).isEqualTo(-1L);
    }

    @Test
    void countsThatCannotBeAStreamsAreRefused() {
        Corpus c = Corpus.fromText("t", "abcabc", Normalizer.D2L, Tokenizer.CHAR, 0, List.of());
        MGramCounts good = countsOf(c.indices(), c.vocabulary().size(), 2);
        long[] twice = {good.keys().get(0)[0], good.keys().get(0)[0]};
        MGramCounts repeated = new MGramCounts(2, good.vocabularySize(), good.tokens(), good.head(),
                List.of(twice, good.keys().get(1)), List.of(new long[] {1, 1}, good.counts().get(1)));
        assertThatThrownBy(() -> KneserNeyModel.fromCounts(repeated, c.vocabulary())).isInstanceOf(RnnlabException.class)
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> new MGramCounts(2, 4, 6, new int[] {1}, good.keys(), good.counts())).isInstanceOf(RnnlabException.class)
                .hasMessageContaining("head");
    }
}
