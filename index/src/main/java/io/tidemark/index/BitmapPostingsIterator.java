package io.tidemark.index;

import io.tidemark.index.postings.PostingsIterator;

/**
 * A {@link PostingsIterator} over the set bits of a bitmap of ids ({@code id >>> 6} is the word,
 * {@code id & 63} the bit), for a selection that unions many postings lists: iterating the bitmap
 * in place skips turning it into a sorted array, and {@link #seek(int)} goes straight to the
 * target's word, so intersecting it with a short list costs about one word scan per seek.
 *
 * <p>Not thread-safe. Holds the bitmap it is given (no copy); allocates nothing.
 */
final class BitmapPostingsIterator implements PostingsIterator {
    private final long[] words;
    private int current = -1;

    /** The ids whose bits are set in {@code words}; the iterator stands before the first. */
    BitmapPostingsIterator(final long[] words) {
        this.words = words;
    }

    @Override
    public int next() {
        if (current == NO_MORE) {
            return NO_MORE;
        }
        return current = firstAtOrAfter(current + 1);
    }

    @Override
    public int seek(final int target) {
        final int from = Math.max(target, 0);
        if (current >= from) {
            return current;
        }
        return current = firstAtOrAfter(from);
    }

    @Override
    public int current() {
        return current;
    }

    /** The first set bit at or after {@code from}, or {@link #NO_MORE}. */
    private int firstAtOrAfter(final int from) {
        int word = from >>> 6;
        if (word >= words.length) {
            return NO_MORE;
        }
        long bits = words[word] & -1L << from; // a shift by from uses only its low 6 bits
        while (bits == 0) {
            if (++word == words.length) {
                return NO_MORE;
            }
            bits = words[word];
        }
        return word << 6 | Long.numberOfTrailingZeros(bits);
    }
}
