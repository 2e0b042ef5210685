package dev.rnnlab;

/**
 * The one source of randomness in rnnlab: xoshiro256** (Blackman and Vigna 2018) seeded through SplitMix64.
 * Every random choice of a run flows from one seed, and the whole state is four longs, so a checkpoint can
 * store it and a resumed run continues the exact same stream ({@link #state()}, {@link #fromState}).
 * Not thread-safe; give each thread its own {@link #split()}.
 */
public final class Rng {
    private long s0, s1, s2, s3;

    /** A generator seeded with {@code seed}, expanded into the four state words by SplitMix64. */
    public Rng(long seed) {
        long x = seed;
        s0 = splitMix(x += 0x9E3779B97F4A7C15L);
        s1 = splitMix(x += 0x9E3779B97F4A7C15L);
        s2 = splitMix(x += 0x9E3779B97F4A7C15L);
        s3 = splitMix(x + 0x9E3779B97F4A7C15L);
    }

    private Rng(long[] state) {
        if (state.length != 4) throw new IllegalArgumentException("Rng state has 4 words, got " + state.length);
        s0 = state[0];
        s1 = state[1];
        s2 = state[2];
        s3 = state[3];
        if (s0 == 0 && s1 == 0 && s2 == 0 && s3 == 0) throw new IllegalArgumentException("Rng state is all zero");
    }

    /** The generator whose stream continues from {@code state} (as returned by {@link #state()}). */
    public static Rng fromState(long[] state) {
        return new Rng(state);
    }

    /** The four state words: all there is to this generator. */
    public long[] state() {
        return new long[] {s0, s1, s2, s3};
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The next 64 random bits of the xoshiro256** stream. */
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** A new generator seeded from this one's stream, for an independent sub-task. */
    public Rng split() {
        return new Rng(nextLong());
    }

    /** Uniform in [0, bound), without modulo bias (Lemire's multiply-and-reject). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /**
     * An index drawn with probability {@code p[i]} (the p sum to 1): the first i whose cumulative sum exceeds a
     * uniform u, and, when rounding leaves u above the total, the last i with {@code p[i] > 0}. One draw of
     * {@link #nextDouble()}, so a seeded stream gives the same sequence everywhere it is used.
     */
    public int categorical(double[] p) {
        double u = nextDouble(), cumulative = 0;
        for (int i = 0; i < p.length; i++) {
            cumulative += p[i];
            if (u < cumulative) return i;
        }
        for (int i = p.length - 1; i >= 0; i--) if (p[i] > 0) return i;
        throw new IllegalStateException("empty distribution");
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /**
     * Standard normal, by the Marsaglia polar method. The method's second variate is dropped so that the
     * four state words stay the whole state (a checkpoint taken anywhere resumes the same stream).
     */
    public double nextGaussian() {
        double u, v, s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }

    /** Shuffles {@code a} in place (Fisher-Yates). */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
