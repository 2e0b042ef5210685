package dev.rnnlab.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rnnlab.RnnlabException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {
    @TempDir
    Path dir;

    @Test
    void ordersByDescendingFrequencyWithTiesInFirstOccurrenceOrder() {
        Vocabulary v = Vocabulary.of(List.of("b", "c", "a", "a", "c", "d"), 0, List.of());
        // a and c tie at 2: c came first; b and d tie at 1: b came first
        assertThat(v.tokens()).containsExactly("<unk>", "c", "a", "b", "d");
        assertThat(v.count(1)).isEqualTo(2);
    }

    @Test
    void reservedTokensFollowUnkAndUnknownTokensMapToZero() {
        Vocabulary v = Vocabulary.of(List.of("x", "y", "x"), 0, List.of("<pad>", "<bos>", "<eos>"));
        assertThat(v.tokens()).containsExactly("<unk>", "<pad>", "<bos>", "<eos>", "x", "y");
        assertThat(v.reserved()).containsExactly("<pad>", "<bos>", "<eos>");
        assertThat(v.indexOf("x")).isEqualTo(4);
        assertThat(v.indexOf("never seen")).isZero();
        assertThat(v.tokenOf(5)).isEqualTo("y");
        assertThat(v.size()).isEqualTo(6);
    }

    @Test
    void tokensBelowMinFreqGoToUnk() {
        Vocabulary v = Vocabulary.of(List.of("a", "a", "b", "c", "c", "c"), 2, List.of());
        assertThat(v.tokens()).containsExactly("<unk>", "c", "a");
        assertThat(v.indexOf("b")).isZero();
        assertThat(v.count(0)).isEqualTo(1);
    }

    @Test
    void savesAndLoadsAsJson() {
        Vocabulary v = Vocabulary.of(List.of("the", "time", "the", " ", "\n"), 0, List.of("<eos>"));
        Path file = dir.resolve("vocab.json");
        v.save(file);
        Vocabulary back = Vocabulary.load(file);
        assertThat(back).isEqualTo(v);
        assertThat(back.indexOf("\n")).isEqualTo(v.indexOf("\n"));
    }

    @Test
    void malformedFilesAreOneLineErrorsNamingTheFile() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.json"), "{not json");
        assertThatThrownBy(() -> Vocabulary.load(garbage)).isInstanceOf(RnnlabException.class)
                .hasMessageStartingWith("cannot read vocabulary '" + garbage + "': not a vocabulary JSON file")
                .hasMessageNotContaining("\n");
        Path noUnk = Files.writeString(dir.resolve("nounk.json"),
                "{\"format\":\"rnnlab-vocabulary\",\"version\":1,\"tokens\":[\"a\"],\"counts\":[1],\"reserved\":0}");
        assertThatThrownBy(() -> Vocabulary.load(noUnk))
                .hasMessage("cannot read vocabulary '" + noUnk + "': \"tokens\" must start with <unk>");
        Path badCounts = Files.writeString(dir.resolve("counts.json"),
                "{\"format\":\"rnnlab-vocabulary\",\"version\":1,\"tokens\":[\"<unk>\",\"a\"],\"counts\":[1],\"reserved\":0}");
        assertThatThrownBy(() -> Vocabulary.load(badCounts))
                .hasMessage("cannot read vocabulary '" + badCounts + "': \"counts\" must have one entry per token (2)");
        Path other = Files.writeString(dir.resolve("other.json"), "{\"format\":\"something\",\"version\":1}");
        assertThatThrownBy(() -> Vocabulary.load(other))
                .hasMessage("cannot read vocabulary '" + other + "': \"format\" is not \"rnnlab-vocabulary\"");
        Path missing = dir.resolve("missing.json");
        assertThatThrownBy(() -> Vocabulary.load(missing))
                .hasMessage("cannot read vocabulary '" + missing + "': no such file");
    }
}
