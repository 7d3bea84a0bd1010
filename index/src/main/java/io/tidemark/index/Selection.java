package io.tidemark.index;

import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.postings.Difference;
import io.tidemark.index.postings.Intersection;
import io.tidemark.index.postings.PostingsIterator;
import io.tidemark.index.postings.PostingsList;
import io.tidemark.index.postings.SortedIntsIterator;
import io.tidemark.index.postings.Union;
import io.tidemark.index.symbols.SymbolTable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the matchers of one selector into postings, as Prometheus' {@code PostingsForMatchers}
 * does. For each label name that some matcher requires to be set (a matcher that does not match the
 * empty string), matchers on it intersect with the series whose value they match; every other
 * matcher subtracts the series whose value it does not match, so series without the label stay. If
 * no matcher intersects, the start is every series.
 *
 * <p>Finding the values a matcher selects: {@code =} and {@code !=} compare symbol ids; a regex
 * that is a finite set of literals ({@code a|b|c}) looks each one up; anything else decodes and
 * tests every value of the label, skipping values without the regex's literal prefix by a byte
 * comparison. The lists of a few values are merged lazily; the lists of many values are
 * materialised into a bitmap of ids, which is linear in their total length, and iterated in place.
 *
 * <p>One use, inside a reader epoch of the index; not thread-safe.
 */
final class Selection {
    /** Up to this many lists are merged by a heap; more go through a bitmap. */
    private static final int LAZY_UNION_MAX = 8;

    private final SeriesIndex index;
    private final SymbolTable symbols;
    private final int limit;

    /** A selection over the series below {@code limit}. */
    Selection(final SeriesIndex index, final int limit) {
        this.index = index;
        this.symbols = index.symbols();
        this.limit = limit;
    }

    PostingsIterator postings(final List<LabelMatcher> matchers) {
        final Set<String> mustBeSet = new HashSet<>();
        for (final LabelMatcher matcher : matchers) {
            if (!matcher.matchesEmpty()) {
                mustBeSet.add(matcher.name());
            }
        }
        final List<PostingsIterator> include = new ArrayList<>();
        final List<PostingsList> exclude = new ArrayList<>();
        for (final LabelMatcher matcher : matchers) {
            final boolean negative = matcher.type() == LabelMatcher.Type.NOT_EQUAL || matcher.type() == LabelMatcher.Type.NOT_REGEX;
            if (mustBeSet.contains(matcher.name()) && !(negative && matcher.matchesEmpty())) {
                final List<PostingsList> lists = listsWhere(matcher, true);
                if (lists.isEmpty()) {
                    return empty();
                }
                include.add(union(lists));
            } else {
                exclude.addAll(listsWhere(matcher, false));
            }
        }
        if (include.isEmpty()) {
            include.add(index.allSeries().iterator());
        }
        final PostingsIterator included = include.size() == 1 ? include.getFirst()
            : new Intersection(include.toArray(PostingsIterator[]::new));
        return exclude.isEmpty() ? included : new Difference(included, union(exclude));
    }

    /** The lists of the values of the matcher's label for which {@code matches(value) == wanted}. */
    private List<PostingsList> listsWhere(final LabelMatcher matcher, final boolean wanted) {
        final LabelValues values = index.valuesOf(matcher.name());
        final List<PostingsList> lists = new ArrayList<>();
        if (values == null) {
            return lists;
        }
        final Set<String> literals = literalsOf(matcher);
        if (literals != null) {
            // The values the matcher's positive form matches are exactly these literals.
            final boolean positive = matcher.type() == LabelMatcher.Type.EQUAL || matcher.type() == LabelMatcher.Type.REGEX;
            final Set<Integer> symbolsOfLiterals = new HashSet<>();
            for (final String literal : literals) {
                final int symbol = symbols.find(literal);
                if (symbol != SymbolTable.NOT_FOUND) {
                    symbolsOfLiterals.add(symbol);
                }
            }
            if (positive == wanted) {
                for (final int symbol : symbolsOfLiterals) {
                    final int v = values.find(symbol);
                    if (v >= 0) {
                        lists.add(values.list(v));
                    }
                }
            } else {
                for (int v = 0; v < values.size(); v++) {
                    if (!symbolsOfLiterals.contains(values.valueSymbol(v))) {
                        lists.add(values.list(v));
                    }
                }
            }
            return lists;
        }
        final MemorySegment prefix = MemorySegment.ofArray(matcher.type() == LabelMatcher.Type.REGEX && wanted
            ? matcher.literalPrefix().getBytes(StandardCharsets.UTF_8) : new byte[0]);
        // One slice per value, decoded through a reused array: this loop runs once per value of the label.
        byte[] utf8 = new byte[64];
        for (int v = 0; v < values.size(); v++) {
            final int symbol = values.valueSymbol(v);
            final MemorySegment bytes = symbols.bytes(symbol);
            final int length = (int) bytes.byteSize();
            if (!startsWith(bytes, prefix)) {
                continue;
            }
            if (length > utf8.length) {
                utf8 = new byte[Math.max(length, 2 * utf8.length)];
            }
            MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, 0, utf8, 0, length);
            if (matcher.matches(new String(utf8, 0, length, StandardCharsets.UTF_8)) == wanted) {
                lists.add(values.list(v));
            }
        }
        return lists;
    }

    /** The literals a matcher's positive form matches, if finite and known, else null. */
    private static Set<String> literalsOf(final LabelMatcher matcher) {
        return switch (matcher.type()) {
            case EQUAL, NOT_EQUAL -> Set.of(matcher.value());
            case REGEX -> matcher.literalValues();
            case NOT_REGEX -> LabelMatcher.of(LabelMatcher.Type.REGEX, matcher.name(), matcher.value()).literalValues();
        };
    }

    private static boolean startsWith(final MemorySegment bytes, final MemorySegment prefix) {
        final long length = prefix.byteSize();
        return length == 0
            || bytes.byteSize() >= length && MemorySegment.mismatch(bytes, 0, length, prefix, 0, length) == -1;
    }

    private PostingsIterator union(final List<PostingsList> lists) {
        if (lists.isEmpty()) {
            return empty();
        }
        if (lists.size() == 1) {
            return lists.getFirst().iterator();
        }
        if (lists.size() <= LAZY_UNION_MAX) {
            final PostingsIterator[] inputs = new PostingsIterator[lists.size()];
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = lists.get(i).iterator();
            }
            return new Union(inputs);
        }
        final long[] bits = new long[(limit + Long.SIZE - 1) / Long.SIZE];
        for (final PostingsList list : lists) {
            list.orInto(bits, limit);
        }
        return new BitmapPostingsIterator(bits);
    }

    private static PostingsIterator empty() {
        return new SortedIntsIterator(new int[0]);
    }
}
