package dev.rnnlab.text;

import dev.rnnlab.RnnlabException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A read-only sequence of token indices with 64-bit positions: an {@code int[]} for a text in memory, or a
 * memory-mapped token file ({@link TokenFile}) for one larger than memory. {@link #slice} and
 * {@link #remap} are views that copy nothing.
 */
public sealed interface TokenSequence permits TokenSequence.OfArray, TokenSequence.Mapped, TokenSequence.Remapped {
    /** The most tokens one Java array can hold (the JDK reserves a few header words). */
    long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** Number of tokens. */
    long length();

    /** The token at {@code position}, in [0, {@link #length()}). */
    int get(long position);

    /** Tokens [from, to) as a view. */
    TokenSequence slice(long from, long to);

    /** Copies tokens [from, from + n) into {@code into} at {@code at}. */
    default void copyTo(long from, int[] into, int at, int n) {
        Objects.checkFromIndexSize(from, n, length());
        for (int i = 0; i < n; i++) into[at + i] = get(from + i);
    }

    /**
     * The tokens as one array (for the in-memory n-gram models); the array itself when this views a whole
     * array, so do not change it. Beyond {@link #MAX_ARRAY} tokens a one-line error says so.
     */
    default int[] toArray() {
        if (length() > MAX_ARRAY) {
            throw new RnnlabException(String.format(java.util.Locale.ROOT, "%,d tokens do not fit in one Java array (at most %,d);"
                    + " this command reads the corpus into memory: use the first part of it (--max-tokens)", length(), MAX_ARRAY));
        }
        int[] all = new int[(int) length()];
        copyTo(0, all, 0, all.length);
        return all;
    }

    /** The same positions with every token t read as {@code table[t]} (a view: a new vocabulary's indices). */
    default TokenSequence remap(int[] table) {
        return new Remapped(this, table.clone());
    }

    /** A view of {@code tokens} (not copied: do not change them while it is in use). */
    static TokenSequence of(int[] tokens) {
        return new OfArray(tokens, 0, tokens.length);
    }

    private static void checkRange(long from, long to, long length) {
        if (from < 0 || to < from || to > length) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + length + " tokens");
        }
    }

    /** Tokens [from, from + length) of an array. */
    final class OfArray implements TokenSequence {
        private final int[] tokens;
        private final int from, length;

        OfArray(int[] tokens, int from, int length) {
            this.tokens = tokens;
            this.from = from;
            this.length = length;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public int get(long position) {
            Objects.checkIndex(position, length);
            return tokens[from + (int) position];
        }

        @Override
        public TokenSequence slice(long sliceFrom, long sliceTo) {
            checkRange(sliceFrom, sliceTo, length);
            return new OfArray(tokens, from + (int) sliceFrom, (int) (sliceTo - sliceFrom));
        }

        @Override
        public void copyTo(long position, int[] into, int at, int n) {
            Objects.checkFromIndexSize(position, n, length);
            System.arraycopy(tokens, from + (int) position, into, at, n);
        }

        @Override
        public int[] toArray() {
            return from == 0 && length == tokens.length ? tokens : Arrays.copyOfRange(tokens, from, from + length);
        }
    }

    /** Tokens of 1, 2 or 4 unsigned little-endian bytes each in a mapped file (see {@link TokenFile}). */
    final class Mapped implements TokenSequence {
        private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private final MemorySegment bytes;
        private final int width;
        private final long from, length;

        Mapped(MemorySegment bytes, int width, long from, long length) {
            if (width != 1 && width != 2 && width != 4) throw new IllegalArgumentException("token width " + width);
            this.bytes = bytes;
            this.width = width;
            this.from = from;
            this.length = length;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public int get(long position) {
            Objects.checkIndex(position, length);
            long at = (from + position) * width;
            return switch (width) {
                case 1 -> Byte.toUnsignedInt(bytes.get(ValueLayout.JAVA_BYTE, at));
                case 2 -> Short.toUnsignedInt(bytes.get(U16, at));
                default -> bytes.get(U32, at);
            };
        }

        @Override
        public TokenSequence slice(long sliceFrom, long sliceTo) {
            checkRange(sliceFrom, sliceTo, length);
            return new Mapped(bytes, width, from + sliceFrom, sliceTo - sliceFrom);
        }

        /** Bytes per token. */
        public int width() {
            return width;
        }
    }

    /** Another sequence read through a table of new indices. */
    final class Remapped implements TokenSequence {
        private final TokenSequence base;
        private final int[] table;

        Remapped(TokenSequence base, int[] table) {
            this.base = base;
            this.table = table;
        }

        @Override
        public long length() {
            return base.length();
        }

        @Override
        public int get(long position) {
            return table[base.get(position)];
        }

        @Override
        public TokenSequence slice(long from, long to) {
            return new Remapped(base.slice(from, to), table);
        }

        @Override
        public void copyTo(long from, int[] into, int at, int n) {
            base.copyTo(from, into, at, n);
            for (int i = at; i < at + n; i++) into[i] = table[into[i]];
        }

        @Override
        public TokenSequence remap(int[] next) {
            int[] composed = new int[table.length];
            for (int t = 0; t < table.length; t++) composed[t] = next[table[t]];
            return new Remapped(base, composed);
        }
    }
}
