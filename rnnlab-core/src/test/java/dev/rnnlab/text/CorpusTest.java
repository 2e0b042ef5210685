package dev.rnnlab.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rnnlab.RealCorpora;
import dev.rnnlab.RnnlabException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
    @TempDir
    Path dir;

    @Test
    void timeMachineCharactersMatchD2l() {
        Corpus c = Corpus.load(RealCorpora.timemachine(), Normalizer.D2L, Tokenizer.CHAR);
        assertThat(c.length()).isEqualTo(170_580);
        assertThat(c.vocabulary().size()).isEqualTo(28);
        assertThat(c.vocabulary().tokenOf(0)).isEqualTo("<unk>");
        // D2L 8.2: [('<unk>', 0), (' ', 1), ('e', 2), ('t', 3), ...]
        assertThat(c.vocabulary().tokens().subList(1, 4)).containsExactly(" ", "e", "t");
        assertThat(c.sha256()).isEqualTo("8424dbd9532ac81f7e5f0b6add90e6952baea29158309d7d1bf3884f4e12c516");
        assertThat(c.name()).isEqualTo("timemachine.txt");
    }

    @Test
    void timeMachineWordsMatchD2l() {
        Corpus c = Corpus.load(RealCorpora.timemachine(), Normalizer.D2L, Tokenizer.WORD);
        assertThat(c.length()).isEqualTo(32_775);
        assertThat(c.vocabulary().size()).isEqualTo(4_580);
        Vocabulary v = c.vocabulary();
        assertThat(v.tokens().subList(1, 6)).containsExactly("the", "i", "and", "of", "a");
        assertThat(new long[] {v.count(1), v.count(2), v.count(3), v.count(4), v.count(5)})
                .containsExactly(2261, 1267, 1245, 1155, 816);
    }

    @Test
    void streamingLoadEqualsInMemoryTokenization() throws Exception {
        String text = "Hello, World!\r\nsecond line -- with\tpunctuation\n\u00e9t\u00e9 \uD83D\uDE00 end";
        Path file = Files.writeString(dir.resolve("mixed.txt"), text);
        for (Normalizer n : Normalizer.values()) {
            for (Tokenizer t : Tokenizer.values()) {
                Corpus streamed = Corpus.load(file, n, t, 0, List.of("<eos>"));
                Corpus inMemory = Corpus.fromText("mixed.txt", text, n, t, 0, List.of("<eos>"));
                assertThat(streamed.indices()).as(n + "/" + t).isEqualTo(inMemory.indices());
                assertThat(streamed.vocabulary()).isEqualTo(inMemory.vocabulary());
                assertThat(streamed.sha256()).isEqualTo(inMemory.sha256());
            }
        }
    }

    @Test
    void multiByteCharactersAcrossChunkBoundariesDecodeWhole() throws Exception {
        // 3-byte characters from an odd offset cross every 64 KiB chunk boundary somewhere
        StringBuilder sb = new StringBuilder("x");
        for (int i = 0; i < 100_000; i++) sb.append(i % 7 == 0 ? "\uD83D\uDE00" : "\u20ac");
        Path file = Files.writeString(dir.resolve("euro.txt"), sb);
        Corpus c = Corpus.load(file, Normalizer.RAW, Tokenizer.CHAR);
        assertThat(c.length()).isEqualTo(100_001);
        assertThat(c.vocabulary().tokens()).containsExactly("<unk>", "\u20ac", "\uD83D\uDE00", "x");
    }

    @Test
    void aByteOrderMarkIsSkipped() throws Exception {
        Path file = dir.resolve("bom.txt");
        Files.write(file, concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "ab".getBytes(StandardCharsets.UTF_8)));
        assertThat(Corpus.load(file, Normalizer.RAW, Tokenizer.CHAR).vocabulary().tokens())
                .containsExactly("<unk>", "a", "b");
        Path onlyTheMark = Files.write(dir.resolve("mark.txt"), new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        assertThatThrownBy(() -> Corpus.load(onlyTheMark, Normalizer.RAW, Tokenizer.CHAR))
                .hasMessage("cannot read corpus '" + onlyTheMark + "': no tokens after raw normalization");
    }

    @Test
    void minFreqAndReservedTokensFlowThrough() throws Exception {
        Path file = Files.writeString(dir.resolve("small.txt"), "aab");
        Corpus c = Corpus.load(file, Normalizer.RAW, Tokenizer.CHAR, 2, List.of("<pad>"));
        assertThat(c.vocabulary().tokens()).containsExactly("<unk>", "<pad>", "a");
        assertThat(c.indices()).containsExactly(2, 2, 0);
    }

    @Test
    void aMissingFileIsAOneLineError() {
        Path missing = dir.resolve("nope.txt");
        assertThatThrownBy(() -> Corpus.load(missing, Normalizer.D2L, Tokenizer.CHAR))
                .isInstanceOf(RnnlabException.class).hasMessage("cannot read corpus '" + missing + "': no such file");
    }

    @Test
    void aDirectoryIsAOneLineError() {
        assertThatThrownBy(() -> Corpus.load(dir, Normalizer.D2L, Tokenizer.CHAR))
                .hasMessage("cannot read corpus '" + dir + "': it is a directory, not a text file (nor a corpus made by"
                        + " rnnlab prepare: no corpus.json)");
    }

    @Test
    void anEmptyFileIsAOneLineError() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        assertThatThrownBy(() -> Corpus.load(empty, Normalizer.D2L, Tokenizer.CHAR))
                .hasMessage("cannot read corpus '" + empty + "': the file is empty");
    }

    @Test
    void aFileWithNoTokensAfterNormalizationIsAOneLineError() throws Exception {
        Path digits = Files.writeString(dir.resolve("digits.txt"), "1234 -- 5678\n");
        assertThatThrownBy(() -> Corpus.load(digits, Normalizer.D2L, Tokenizer.WORD))
                .hasMessage("cannot read corpus '" + digits + "': no tokens after d2l normalization");
    }

    @Test
    void aBinaryFileIsRejectedAtItsFirstNulByte() throws Exception {
        byte[] bytes = new byte[200_000];
        Arrays.fill(bytes, (byte) 'a');
        bytes[150_001] = 0;
        Path binary = Files.write(dir.resolve("binary.bin"), bytes);
        assertThatThrownBy(() -> Corpus.load(binary, Normalizer.RAW, Tokenizer.CHAR))
                .hasMessage("cannot read corpus '" + binary + "': binary file (NUL byte at byte 150001); "
                        + "rnnlab reads UTF-8 text");
    }

    @Test
    void invalidUtf8IsReportedAtItsByteOffset() throws Exception {
        byte[] bytes = new byte[100_000];
        Arrays.fill(bytes, (byte) 'a');
        bytes[70_123] = (byte) 0xE9; // Latin-1 'é': a lead byte without continuation
        Path latin1 = Files.write(dir.resolve("latin1.txt"), bytes);
        assertThatThrownBy(() -> Corpus.load(latin1, Normalizer.D2L, Tokenizer.CHAR))
                .hasMessage("cannot read corpus '" + latin1 + "': not valid UTF-8 at byte 70123");
    }

    @Test
    void aTruncatedSequenceAtTheEndIsInvalidUtf8() throws Exception {
        Path truncated = Files.write(dir.resolve("cut.txt"), new byte[] {'a', 'b', (byte) 0xE2, (byte) 0x82});
        assertThatThrownBy(() -> Corpus.load(truncated, Normalizer.RAW, Tokenizer.CHAR))
                .hasMessage("cannot read corpus '" + truncated + "': not valid UTF-8 at byte 2");
    }

    @Test
    void utf16AndUtf32AreNamedWithTheCommandThatConvertsThemNotCalledBinary() throws Exception {
        String text = "the time machine\n";
        byte[] le = text.getBytes(StandardCharsets.UTF_16LE), be = text.getBytes(StandardCharsets.UTF_16BE);
        byte[] markLe = {(byte) 0xFF, (byte) 0xFE}, markBe = {(byte) 0xFE, (byte) 0xFF};
        Object[][] cases = {
            {"le-bom.txt", concat(markLe, le), "it is UTF-16 LE text (it starts with the byte-order mark FF FE)", "UTF-16"},
            {"be-bom.txt", concat(markBe, be), "it is UTF-16 BE text (it starts with the byte-order mark FE FF)", "UTF-16"},
            {"le.txt", le, "it looks like UTF-16 LE text (a NUL in every other byte)", "UTF-16LE"},
            {"be.txt", be, "it looks like UTF-16 BE text (a NUL in every other byte)", "UTF-16BE"},
            {"bom-only.txt", markLe, "it is UTF-16 LE text (it starts with the byte-order mark FF FE)", "UTF-16"},
            {"32.txt", concat(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0}, text.getBytes("UTF-32LE")),
                "it is UTF-32 LE text (it starts with the byte-order mark FF FE 00 00)", "UTF-32"},
        };
        for (Object[] c : cases) {
            Path file = Files.write(dir.resolve((String) c[0]), (byte[]) c[1]);
            assertThatThrownBy(() -> Corpus.load(file, Normalizer.RAW, Tokenizer.CHAR)).as((String) c[0])
                    .hasMessage("cannot read corpus '" + file + "': " + c[2] + ", and rnnlab reads UTF-8: convert it with iconv -f "
                            + c[3] + " -t UTF-8 " + file + " > " + file + ".utf8");
        }
        Path spaced = Files.write(dir.resolve("it's here.txt"), le);
        assertThatThrownBy(() -> Corpus.load(spaced, Normalizer.RAW, Tokenizer.CHAR))
                .hasMessageEndingWith(" -t UTF-8 '" + dir + "/it'\\''s here.txt' > '" + dir + "/it'\\''s here.txt.utf8'");
        // one NUL between two letters is too little to call UTF-16
        Path binary = Files.write(dir.resolve("b.bin"), new byte[] {'a', 0, 'b'});
        assertThatThrownBy(() -> Corpus.load(binary, Normalizer.RAW, Tokenizer.CHAR))
                .hasMessage("cannot read corpus '" + binary + "': binary file (NUL byte at byte 1); rnnlab reads UTF-8 text");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

}
