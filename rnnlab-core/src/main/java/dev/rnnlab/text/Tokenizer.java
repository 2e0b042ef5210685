package dev.rnnlab.text;

import dev.rnnlab.RnnlabException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How normalized text is cut into tokens ({@code --tokens char|word}). */
public enum Tokenizer {
    /** One token per Unicode code point (D2L's {@code tokenize(lines, 'char')}, char-rnn's characters). */
    CHAR {
        @Override
        TextSink wrap(TokenSink out) {
            return new CodePointSplitter(out);
        }

        @Override
        public String join(List<String> tokens) {
            return String.join("", tokens);
        }
    },
    /**
     * Words: runs of non-whitespace, never across a line end. For D2L text this is D2L's
     * {@code tokenize(lines, 'word')}, {@code line.split()} per line, concatenated over lines.
     */
    WORD {
        @Override
        TextSink wrap(TokenSink out) {
            return new WhitespaceSplitter(out);
        }

        @Override
        public String join(List<String> tokens) {
            return String.join(" ", tokens);
        }
    };

    /** A sink that cuts text into tokens and passes them on to {@code out}. */
    abstract TextSink wrap(TokenSink out);

    /** Text from tokens: characters side by side, words separated by one space. */
    public abstract String join(List<String> tokens);

    /** The name used on the command line and in provenance records. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The tokenizer named {@code id} ({@code char} or {@code word}). */
    public static Tokenizer parse(String id) {
        for (Tokenizer t : values()) if (t.id().equalsIgnoreCase(id.strip())) return t;
        throw new RnnlabException("unknown tokenization '" + id + "': use char or word");
    }

    /** The tokens of an in-memory text after {@code normalizer}. */
    /**
     * Streams the tokens of {@code chars[offset, offset + length)} to {@code out}, normalized as a file is:
     * the same tokens, in the same order, as {@code rnnlab} reads from a file of those characters. Text that
     * ends at a line end can be fed in pieces (line-aligned chunks of a large file, as a cluster reads it):
     * normalization and tokenization start afresh at every line, so the pieces' tokens, concatenated, are
     * the whole text's.
     */
    public void forEachToken(char[] chars, int offset, int length, Normalizer normalizer, java.util.function.Consumer<String> out) {
        TextSink sink = normalizer.wrap(wrap(out::accept));
        sink.append(chars, offset, length);
        sink.end();
    }

    public List<String> tokenize(String text, Normalizer normalizer) {
        List<String> tokens = new ArrayList<>();
        InMemoryText.feed(text, normalizer.wrap(wrap(tokens::add)));
        return tokens;
    }

    private static final class CodePointSplitter implements TextSink {
        // one String per BMP code point, so every occurrence of a character is the same instance
        private static final String[] BMP = new String[1 << 16];
        private final TokenSink out;
        private char pendingHigh; // a high surrogate whose low half is in the next chunk

        CodePointSplitter(TokenSink out) {
            this.out = out;
        }

        @Override
        public void append(char[] chars, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                char c = chars[i];
                if (pendingHigh != 0) {
                    char high = pendingHigh;
                    pendingHigh = 0;
                    if (Character.isLowSurrogate(c)) {
                        out.accept(Character.toString(Character.toCodePoint(high, c)));
                        continue;
                    }
                    out.accept(bmp(high));
                }
                if (Character.isHighSurrogate(c)) pendingHigh = c;
                else out.accept(bmp(c));
            }
        }

        private static String bmp(char c) {
            String s = BMP[c];
            if (s == null) {
                s = String.valueOf(c);
                BMP[c] = s; // benign race: at worst two equal instances
            }
            return s;
        }

        @Override
        public void endLine() {}

        @Override
        public void end() {
            if (pendingHigh != 0) out.accept(bmp(pendingHigh));
            pendingHigh = 0;
        }
    }

    private static final class WhitespaceSplitter implements TextSink {
        private final TokenSink out;
        private final StringBuilder word = new StringBuilder();

        WhitespaceSplitter(TokenSink out) {
            this.out = out;
        }

        @Override
        public void append(char[] chars, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                char c = chars[i];
                if (Character.isWhitespace(c) || Character.isSpaceChar(c)) flush();
                else word.append(c);
            }
        }

        private void flush() {
            if (!word.isEmpty()) {
                out.accept(word.toString());
                word.setLength(0);
            }
        }

        @Override
        public void endLine() {
            flush();
        }

        @Override
        public void end() {
            flush();
        }
    }
}
