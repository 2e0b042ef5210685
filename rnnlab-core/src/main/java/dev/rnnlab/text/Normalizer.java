package dev.rnnlab.text;

import dev.rnnlab.RnnlabException;
import java.util.Locale;

/** How raw text is cleaned before tokenization ({@code --normalize d2l|raw}). */
public enum Normalizer {
    /**
     * D2L 8.2's {@code read_time_machine}: per line, {@code re.sub('[^A-Za-z]+', ' ', line).strip().lower()},
     * then the lines joined with nothing between them (170,580 characters for The Time Machine).
     */
    D2L {
        @Override
        TextSink wrap(TextSink out) {
            return new D2lLineNormalizer(out);
        }
    },
    /** Every character kept, newlines and punctuation included, as char-rnn reads its input. */
    RAW {
        @Override
        TextSink wrap(TextSink out) {
            return out;
        }
    };

    /** A sink that normalizes text and passes it on to {@code out}. */
    abstract TextSink wrap(TextSink out);

    /** The name used on the command line and in provenance records. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The normalizer named {@code id} ({@code d2l} or {@code raw}). */
    public static Normalizer parse(String id) {
        for (Normalizer n : values()) if (n.id().equalsIgnoreCase(id.strip())) return n;
        throw new RnnlabException("unknown normalization '" + id + "': use d2l or raw");
    }

    /** Normalizes a whole string (for small texts and tests). */
    public String apply(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        TextSink sink = wrap(new TextSink() {
            @Override
            public void append(char[] chars, int offset, int length) {
                sb.append(chars, offset, length);
            }

            @Override
            public void endLine() {}

            @Override
            public void end() {}
        });
        InMemoryText.feed(text, sink);
        return sb.toString();
    }

    /**
     * Streaming form of the D2L regex: a run of non-letters becomes one space only when a letter follows
     * it on the same line and one preceded it (that is the strip), letters are lowercased.
     */
    private static final class D2lLineNormalizer implements TextSink {
        private final TextSink out;
        private final char[] buf = new char[1 << 14];
        private boolean letterSeen;   // a letter was emitted on this line
        private boolean gapPending;   // non-letters since the last emitted letter
        private boolean afterCr;      // last char was '\r': a following '\n' belongs to the same line end

        D2lLineNormalizer(TextSink out) {
            this.out = out;
        }

        @Override
        public void append(char[] chars, int offset, int length) {
            int n = 0;
            for (int i = offset; i < offset + length; i++) {
                char c = chars[i];
                if (n >= buf.length - 2) {
                    out.append(buf, 0, n);
                    n = 0;
                }
                // Python's text mode splits lines at \n, \r\n and a lone \r (universal newlines)
                if (c == '\n' || c == '\r') {
                    if (!(c == '\n' && afterCr)) {
                        if (n > 0) out.append(buf, 0, n);
                        n = 0;
                        out.endLine();
                        letterSeen = false;
                        gapPending = false;
                    }
                    afterCr = c == '\r';
                    continue;
                }
                afterCr = false;
                boolean upper = c >= 'A' && c <= 'Z';
                if (upper || (c >= 'a' && c <= 'z')) {
                    if (gapPending && letterSeen) buf[n++] = ' ';
                    buf[n++] = upper ? (char) (c + ('a' - 'A')) : c;
                    letterSeen = true;
                    gapPending = false;
                } else {
                    gapPending = true;
                }
            }
            if (n > 0) out.append(buf, 0, n);
        }

        @Override
        public void endLine() {
            out.endLine();
            letterSeen = false;
            gapPending = false;
        }

        @Override
        public void end() {
            out.end();
        }
    }
}
