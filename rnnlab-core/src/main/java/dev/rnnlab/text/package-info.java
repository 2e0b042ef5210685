/**
 * From a text file to token indices: the first stop on the data's path.
 *
 * <p>Design. A corpus can be several gigabytes, so it is never held as a {@code String}: {@link Corpus#load}
 * decodes the file chunk by chunk (UTF-8, malformed input reported with its byte offset, a NUL byte
 * rejected as binary, a BOM skipped), pushes the characters through a {@link Normalizer} and a
 * {@link Tokenizer}, and counts tokens in a first pass. The counts give the {@link Vocabulary}
 * (descending frequency, ties by first occurrence, as D2L 8.2 sorts its {@code Counter}); a second pass
 * encodes the file into one exactly-sized {@code int[]}. Characters flow as {@code char[]} chunks and
 * line ends; tokens as {@code String}s (one cached instance per code point for character tokens, so a
 * hash lookup is a pointer compare).
 *
 * <p>Every failure a user can cause (missing file, directory, empty, binary, invalid UTF-8, malformed
 * vocabulary JSON) is a one-line {@link dev.rnnlab.RnnlabException} naming the file.
 */
package dev.rnnlab.text;
