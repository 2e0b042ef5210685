package dev.rnnlab.generate;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.text.Vocabulary;
import java.util.List;
import java.util.function.Consumer;

/** Turns prompt text into token indices the way the model's corpus was read, and tokens back into text. */
public final class Prompt {
    private Prompt() {}

    /**
     * Normalizes and tokenizes {@code text} as the corpus was; tokens outside the vocabulary become
     * {@code <unk>} with a warning. A prompt with no known token at all is an error.
     */
    public static int[] encode(String text, Normalizer normalizer, Tokenizer tokenizer, Vocabulary vocab, Consumer<String> warn) {
        List<String> tokens = tokenizer.tokenize(text, normalizer);
        if (tokens.isEmpty()) {
            throw new RnnlabException("prefix '" + text + "' is empty after " + normalizer.id() + " normalization");
        }
        int[] ids = new int[tokens.size()];
        int unknown = 0;
        StringBuilder missing = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocab.indexOf(tokens.get(i));
            if (ids[i] == 0 && !tokens.get(i).equals(Vocabulary.UNKNOWN)) {
                unknown++;
                if (missing.length() < 60) missing.append(missing.length() == 0 ? "" : ", ").append('\'').append(tokens.get(i)).append('\'');
            }
        }
        if (unknown == ids.length) {
            throw new RnnlabException("prefix '" + text + "' has no token in the model's vocabulary (" + missing
                    + "); use text like the training corpus");
        }
        if (unknown > 0 && warn != null) {
            warn.accept("prefix has " + unknown + " token(s) not in the vocabulary (" + missing + "); they are read as <unk>");
        }
        return ids;
    }

    /** The text of one generated token, with the separator its tokenization needs before it. */
    public static String render(int token, Tokenizer tokenizer, Vocabulary vocab) {
        String s = vocab.tokenOf(token);
        return tokenizer == Tokenizer.WORD ? " " + s : s;
    }
}
