package dev.rnnlab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rnnlab.data.Batch;
import dev.rnnlab.data.Epoch;
import dev.rnnlab.data.SequenceSampler;
import dev.rnnlab.data.SequentialPartitioner;
import dev.rnnlab.data.Split;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.text.Vocabulary;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's library example, run as written (apart from where the file comes from). */
class LibraryExampleTest {
    @Test
    void textToVocabularyToBatches() {
        Path file = RealCorpora.timemachine(); // README: DataCache.locate(null).fetch(Dataset.TIMEMACHINE)
        Corpus corpus = Corpus.load(file, Normalizer.D2L, Tokenizer.CHAR, 0, List.of());
        Vocabulary vocab = corpus.vocabulary();
        Split.Parts parts = Split.parse("0.9,0.1").apply(corpus.indices());
        SequenceSampler sampler = new SequentialPartitioner(parts.train(), 32, 35);
        Rng rng = new Rng(42);
        Epoch epoch = sampler.epoch(rng);
        int batches = 0;
        for (Batch batch : epoch) {
            String firstStream = vocab.tokenOf(batch.input(0, 0)); // time-major: inputs[t * 32 + b]
            assertThat(firstStream).isNotEmpty();
            batches++;
        }
        assertThat(vocab.size()).isEqualTo(28);
        assertThat(parts.train()).hasSize(153_522);
        assertThat(batches).isEqualTo(epoch.batches()).isEqualTo(137);
    }
}
