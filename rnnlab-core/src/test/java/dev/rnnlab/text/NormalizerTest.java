package dev.rnnlab.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rnnlab.RnnlabException;
import org.junit.jupiter.api.Test;

class NormalizerTest {
    @Test
    void d2lReplacesRunsOfNonLettersWithOneSpaceStripsLowercasesAndJoinsLines() {
        String text = "The Time Machine, by H. G. Wells [1898]\n\n\n\n\nI\n  --  The Time-Traveller! \r\nx";
        // Python: "".join(re.sub('[^A-Za-z]+', ' ', l).strip().lower() for l in lines)
        assertThat(Normalizer.D2L.apply(text))
                .isEqualTo("the time machine by h g wellsithe time travellerx");
    }

    @Test
    void d2lTreatsNonAsciiLettersAsNonLetters() {
        assertThat(Normalizer.D2L.apply("café au lait")).isEqualTo("caf au lait");
    }

    @Test
    void d2lTreatsALoneCarriageReturnAsALineEndLikePythonTextMode() {
        assertThat(Normalizer.D2L.apply("ab \rcd")).isEqualTo("abcd");
    }

    @Test
    void rawKeepsEveryCharacter() {
        String text = "First Citizen:\nBefore we proceed, hear me speak.\n";
        assertThat(Normalizer.RAW.apply(text)).isEqualTo(text);
    }

    @Test
    void parseAcceptsCliNamesAndRejectsOthersWithTheChoices() {
        assertThat(Normalizer.parse("d2l")).isEqualTo(Normalizer.D2L);
        assertThat(Normalizer.parse("RAW")).isEqualTo(Normalizer.RAW);
        assertThatThrownBy(() -> Normalizer.parse("nfc")).isInstanceOf(RnnlabException.class)
                .hasMessage("unknown normalization 'nfc': use d2l or raw");
    }
}
