/**
 * From a text file to token indices: the first stop on the data's path.
 *
 * <p>Design. A corpus can be several gigabytes, so it is never held as a {@code String}: {@link Corpus#load}
 * decodes the file chunk by chunk (UTF-8, malformed input reported with its byte offset, a NUL byte
 * rejected as binary, a BOM skipped), pushes the characters through a {@link Normalizer} and a
 * {@link Tokenizer}, and counts tokens in a first pass. The counts give the {@link Vocabulary}
 * (descending frequency, ties by first occurrence, as D2L 8.2 sorts its {@code Counter}); a second pass
 * encodes the file into one exactly-sized {@code int[]} (at most 2^31 tokens; beyond, prepare a token file). Characters flow as {@code char[]} chunks and
 * line ends; tokens as {@code String}s (one cached instance per code point for character tokens, so a
 * hash lookup is a pointer compare).
 *
 * <p>Tokens are read through a {@link TokenSequence}: a length and a token at each 64-bit position, an int
 * array for a text loaded into memory, or a memory-mapped token file for a corpus larger than memory.
 * Slices and vocabulary remappings are views, never copies, so a split of a 10 GB token file costs nothing.
 *
 * <p>Corpora larger than memory. {@link TokenFile#prepare} streams text files once to count tokens and once
 * more to write {@code tokens.bin}: every token as an unsigned little-endian integer of 1, 2 or 4 bytes,
 * the fewest the vocabulary's size allows. Beside it go {@code vocab.json} (the {@link Vocabulary}) and
 * {@code corpus.json} (format, width, token count, normalization and tokenization, and each source file
 * with its size and sha256). Memory stays bounded by the vocabulary and the I/O buffers: no pass holds
 * the text or the tokens. {@link TokenFile#open} maps {@code tokens.bin} with the FFM API
 * ({@link java.lang.foreign.MemorySegment}), which maps files far beyond 2 GB, checks its size against
 * {@code corpus.json}, and returns an ordinary {@link Corpus}: the samplers, evaluation and statistics read
 * it through the same {@link TokenSequence} as an in-memory text, so a model trained from the token file
 * equals one trained from the text.
 *
 * <p>Every failure a user can cause (missing file, directory, empty, binary, invalid UTF-8, malformed
 * vocabulary JSON) is a one-line {@link dev.rnnlab.RnnlabException} naming the file.
 */
package dev.rnnlab.text;
