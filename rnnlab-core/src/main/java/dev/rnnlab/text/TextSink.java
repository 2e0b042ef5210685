package dev.rnnlab.text;

/** Receives decoded text: characters in chunks, and line ends where the normalizer keeps them apart. */
interface TextSink {
    void append(char[] chars, int offset, int length);

    /** A line ended; D2L keeps lines apart for word tokenization but joins their characters. */
    void endLine();

    /** The text ended: flush anything pending. */
    void end();
}
