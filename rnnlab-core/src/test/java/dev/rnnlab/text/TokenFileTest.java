package dev.rnnlab.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnlab.RealCorpora;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.data.SyntheticCorpus;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {
    @TempDir
    Path dir;

    private static void assertSameTokens(TokenSequence a, int[] b) {
        assertThat(a.length()).isEqualTo(b.length);
        int[] copy = new int[b.length];
        a.copyTo(0, copy, 0, b.length);
        assertThat(copy).isEqualTo(b);
        for (int i = 0; i < b.length; i += 997) assertThat(a.get(i)).isEqualTo(b[i]);
    }

    @Test
    void aPreparedCorpusIsTheTextsCorpusTokenForToken() {
        Path book = RealCorpora.timemachine();
        for (Tokenizer t : Tokenizer.values()) {
            Path out = dir.resolve("tm-" + t.id());
            TokenFile.Description d = TokenFile.prepare(TokenFile.Request.of(List.of(book), Normalizer.D2L, t), out, false, null);
            Corpus fromText = Corpus.load(book, Normalizer.D2L, t);
            Corpus mapped = TokenFile.open(out);
            assertThat(mapped.vocabulary()).isEqualTo(fromText.vocabulary());
            assertThat(mapped.sha256()).isEqualTo(fromText.sha256());
            assertThat(mapped.name()).isEqualTo(fromText.name());
            assertThat(mapped.tokenizer()).isEqualTo(t);
            assertSameTokens(mapped.tokens(), fromText.indices());
            // the book's 28 characters fit a byte; its 4,580 words need two
            assertThat(d.width()).isEqualTo(t == Tokenizer.CHAR ? 1 : 2);
            assertThat(d.tokens()).isEqualTo(fromText.length());
        }
    }

    @Test
    void theWidthIsTheFewestBytesTheVocabularyNeeds() throws Exception {
        assertThat(TokenFile.width(2)).isEqualTo(1);
        assertThat(TokenFile.width(256)).isEqualTo(1);
        assertThat(TokenFile.width(257)).isEqualTo(2);
        assertThat(TokenFile.width(65_536)).isEqualTo(2);
        assertThat(TokenFile.width(65_537)).isEqualTo(4);
        // 70,000 distinct words: four bytes each, read back exactly
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 70_000; i++) text.append('w').append(i).append(' ');
        Path file = Files.writeString(dir.resolve("words.txt"), text);
        TokenFile.Description d = TokenFile.prepare(TokenFile.Request.of(List.of(file), Normalizer.RAW, Tokenizer.WORD),
                dir.resolve("w"), false, null);
        assertThat(d.width()).isEqualTo(4);
        assertThat(d.vocabularySize()).isGreaterThan(65_536);
        assertSameTokens(TokenFile.open(dir.resolve("w")).tokens(), Corpus.load(file, Normalizer.RAW, Tokenizer.WORD).indices());
        assertThat(Files.size(dir.resolve("w/tokens.bin"))).isEqualTo(4L * d.tokens());
    }

    @Test
    void severalFilesAreReadInOrderWithEachFilesChecksumAndTheWholesProgress() throws Exception {
        Path a = Files.writeString(dir.resolve("a.txt"), "the time machine\n");
        Path b = Files.writeString(dir.resolve("b.txt"), "by h g wells\n");
        List<Long> progress = new ArrayList<>();
        TokenFile.Description d = TokenFile.prepare(TokenFile.Request.of(List.of(a, b), Normalizer.D2L, Tokenizer.WORD),
                dir.resolve("ab"), false, progress::add);
        Corpus c = TokenFile.open(dir.resolve("ab"));
        assertThat(c.vocabulary().decode(c.indices())).containsExactly("the", "time", "machine", "by", "h", "g", "wells");
        assertThat(d.sources()).extracting(TokenFile.Source::bytes).containsExactly(17L, 13L);
        assertThat(d.sources().get(1).sha256()).isEqualTo(Corpus.load(b, Normalizer.D2L, Tokenizer.WORD).sha256());
        assertThat(c.name()).isEqualTo("ab");
        assertThat(progress.getLast()).isEqualTo(2 * (17L + 13L));
        assertThat(progress).isSorted();
    }

    @Test
    void badInputAndDamagedDirectoriesAreOneLineErrors() throws Exception {
        Path text = Files.writeString(dir.resolve("t.txt"), SyntheticCorpus.markov(1, 6, 0.3, 3000, 3).text());
        Path out = dir.resolve("out");
        TokenFile.Request request = TokenFile.Request.of(List.of(text), Normalizer.RAW, Tokenizer.CHAR);
        TokenFile.prepare(request, out, false, null);
        assertThatThrownBy(() -> TokenFile.prepare(request, out, false, null)).isInstanceOf(RnnlabException.class)
                .hasMessage("'" + out + "' holds a prepared corpus already: give another --out, or --overwrite to replace it");
        TokenFile.prepare(request, out, true, null);
        assertThatThrownBy(() -> TokenFile.prepare(TokenFile.Request.of(List.of(dir.resolve("missing.txt")), Normalizer.RAW,
                Tokenizer.CHAR), dir.resolve("m"), false, null)).hasMessageContaining("no such file");
        Path empty = Files.writeString(dir.resolve("punctuation.txt"), "!!! ... ???\n");
        assertThatThrownBy(() -> TokenFile.prepare(TokenFile.Request.of(List.of(empty), Normalizer.D2L, Tokenizer.CHAR),
                dir.resolve("e"), false, null)).hasMessage("no tokens in '" + empty + "' after d2l normalization");
        assertThat(Files.exists(dir.resolve("e/corpus.json"))).isFalse();

        assertThatThrownBy(() -> TokenFile.open(dir)).hasMessage("'" + dir + "' is not a prepared corpus (no corpus.json);"
                + " make one with rnnlab prepare FILE --out " + dir);
        // truncated token file
        try (RandomAccessFile f = new RandomAccessFile(out.resolve("tokens.bin").toFile(), "rw")) {
            f.setLength(f.length() - 1);
        }
        assertThatThrownBy(() -> TokenFile.open(out)).hasMessageStartingWith("cannot read prepared corpus file '"
                + out.resolve("tokens.bin") + "': 2,999 bytes, but corpus.json says 3,000 tokens").hasMessageNotContaining("\n");
        // a token outside the vocabulary
        try (RandomAccessFile f = new RandomAccessFile(out.resolve("tokens.bin").toFile(), "rw")) {
            f.setLength(3000);
            f.seek(1234);
            f.write(200);
        }
        assertThatThrownBy(() -> TokenFile.open(out)).hasMessageEndingWith("token 200 at position 1,234 is outside the vocabulary of 7;"
                + " prepare again");
        Files.writeString(out.resolve("corpus.json"), "{ not json");
        assertThatThrownBy(() -> TokenFile.open(out)).hasMessageStartingWith("cannot read prepared corpus file '"
                + out.resolve("corpus.json") + "': not a prepared-corpus description").hasMessageNotContaining("\n");
    }

    /**
     * A token file of 2^32 + 100 one-byte tokens, sparse on disk (4 GB that take no space), with known tokens
     * placed beyond 2^31: the samplers, slices, splits and n-gram counts must read them at 64-bit offsets.
     */
    @Test
    void tokensBeyondTwoToTheThirtyOneAreReadThroughTheSamplers() throws Exception {
        long length = (1L << 32) + 100;
        Path out = Files.createDirectory(dir.resolve("huge"));
        List<String> symbols = new ArrayList<>();
        symbols.add(Vocabulary.UNKNOWN);
        for (int i = 1; i < 256; i++) symbols.add("t" + i);  // 256 tokens: every byte is a valid index
        Vocabulary v = Vocabulary.ofTokens(symbols);
        v.save(out.resolve(TokenFile.VOCABULARY));
        // row 1 of a two-row sequential partition starts at offset + (length - offset - 1) / 2, a little past
        // 2^31 + 49 for any offset in [0, 20): the pattern covers that start whatever the offset
        long far = (length - 1) / 2 - 10;
        byte[] pattern = new byte[200];
        for (int i = 0; i < pattern.length; i++) pattern[i] = (byte) (1 + i);
        try (RandomAccessFile f = new RandomAccessFile(out.resolve(TokenFile.TOKENS).toFile(), "rw")) {
            f.setLength(length);
            f.seek(far);
            f.write(pattern);
            f.seek(length - pattern.length);
            f.write(pattern);
        }
        new ObjectMapper().writeValue(out.resolve(TokenFile.DESCRIPTION).toFile(), new TokenFile.Description("rnnlab-tokens", 1,
                "huge", length, 1, "little-endian", "raw", "word", 0, List.of(), "0".repeat(64), v.size(), v.sha256(),
                List.of(), "test"));
        Corpus c = TokenFile.open(out);
        TokenSequence tokens = c.tokens();
        assertThat(c.length()).isEqualTo(length);
        assertThat(tokens.get(far)).isEqualTo(1);
        assertThat(tokens.get(far + 199)).isEqualTo(200);
        assertThat(tokens.get(length - 1)).isEqualTo(200);
        assertThat(tokens.get(far - 1)).isZero();
        assertThat(far).isGreaterThan(1L << 31);
        assertThatThrownBy(() -> tokens.get(length)).isInstanceOf(IndexOutOfBoundsException.class);

        // sequential partitioning: 2 rows of (2^32 + 100 - offset - 1) / 2 tokens, so row 1 starts beyond 2^31
        int steps = 20;
        var sampler = new dev.rnnlab.data.SequentialPartitioner(tokens, 2, steps);
        var epoch = sampler.epoch(new dev.rnnlab.Rng(5));
        long rowLength = (length - epoch.offset() - 1) / 2;
        long row1 = epoch.offset() + rowLength;
        assertThat(row1).isGreaterThan(1L << 31);
        assertThat(epoch.batches()).isEqualTo((int) (rowLength / steps));
        var first = epoch.next();
        for (int t = 0; t < steps; t++) {
            assertThat(first.inputs()[t * 2 + 1]).isEqualTo((int) (1 + row1 - far + t));
            assertThat(first.targets()[t * 2 + 1]).isEqualTo((int) (2 + row1 - far + t));
            assertThat(first.inputs()[t * 2]).isZero();  // row 0 starts in the sparse zeros
        }

        // a split is a range of the file, not a copy: the validation part starts beyond 2^31 and reads the pattern
        var slices = dev.rnnlab.data.Split.parse("0.9,0.1").slice(tokens);
        long trainEnd = (long) Math.floor(length * 0.9);
        assertThat(slices.train().length()).isEqualTo(trainEnd);
        assertThat(slices.validation().get(slices.validation().length() - 1)).isEqualTo(200);
        TokenSequence window = tokens.slice(far - 10, far + 210);
        assertThat(window.get(10)).isEqualTo(1);
        // n-gram counts of a window beyond 2^31: 200 distinct bigrams in the pattern, plus the zeros around it
        var bigrams = dev.rnnlab.stats.NGramCounts.count(window, 256, 2);
        assertThat(bigrams.count(1, 2)).isEqualTo(1);
        assertThat(bigrams.count(0, 0)).isEqualTo(9 + 9);
        assertThat(bigrams.count(200, 0)).isEqualTo(1);
        assertThat(bigrams.distinct()).isEqualTo(1 + 199 + 1 + 1);  // 0 0, the pattern's 199, 0 1 and 200 0
        // whole-array readers refuse, in one line, rather than overflow
        assertThatThrownBy(c::indices).isInstanceOf(RnnlabException.class).hasMessageContaining("4,294,967,396 tokens do not fit");
    }
}
