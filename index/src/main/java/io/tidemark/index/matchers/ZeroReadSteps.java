package io.tidemark.index.matchers;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An upper bound, computed while {@link Re2Translator} walks a regex, on the steps {@link java.util.regex.Pattern}
 * can take at one position of a value without reading a char: trying alternatives, optional parts and repeats that
 * match the empty string, and failing on the end of the value or on an anchor. {@link BudgetedCharSequence} cannot
 * count such steps, and they multiply: {@code (|)(|)...(|)x} with k groups takes 2^k steps at the end of every value
 * before it fails, {@code ((|)*)} repeated k times 3^k, without a single read. Refusing regexes with a large bound
 * keeps the steps the read budget cannot see to a bounded number per position tried.
 *
 * <p>The model follows JDK 25's engine ({@code Pattern.Loop}, {@code Pattern.GroupCurly}): a loop stops after an
 * iteration that read nothing, except that the minimum count of a counted repeat is always iterated. Per element, E
 * is the number of ways it matches without reading and T the steps it takes trying: a char or class has E = 0, T = 1;
 * an anchor E = 1, T = 3 (a multi-line anchor is a two-branch group). A sequence has E = E1 * E2 and
 * T = T1 + E1 * T2 (the rest is tried once per way the first part matched); an alternation sums, and a group adds a
 * step per branch; a repeat with minimum n adds a way if n = 0, and multiplies T by n + 1 if its body can match
 * without reading. The result is T + E of the whole regex; arithmetic saturates. This models the engine, meant to
 * over-estimate, and is tested against it; it is not a proof. Not thread-safe; one instance per walk.
 */
final class ZeroReadSteps {
    private static final long SATURATED = 1L << 40;

    /** One group being walked: its finished branches and the branch in progress. */
    private static final class Group {
        long branchesWays;
        long branchesSteps;
        long sequenceWays = 1;
        long sequenceSteps;
        long lastWays;
        long lastSteps;
        boolean hasLast;

        /** Appends the pending element to the sequence. */
        void flushLast() {
            if (hasLast) {
                sequenceSteps = add(sequenceSteps, multiply(sequenceWays, lastSteps));
                sequenceWays = multiply(sequenceWays, lastWays);
                hasLast = false;
            }
        }

        /** Ends the branch in progress, as at a {@code |} or {@code )}, and starts an empty one. */
        void endBranch() {
            flushLast();
            branchesWays = add(branchesWays, sequenceWays);
            branchesSteps = add(branchesSteps, add(1, sequenceSteps));
            sequenceWays = 1;
            sequenceSteps = 0;
        }

        void element(final long ways, final long steps) {
            flushLast();
            lastWays = ways;
            lastSteps = steps;
            hasLast = true;
        }
    }

    private final Deque<Group> open = new ArrayDeque<>();
    private Group current = new Group();

    /** A char, class or dot: it reads, so it never matches without reading; trying it is one step. */
    void readingAtom() {
        current.element(0, 1);
    }

    /** An anchor or word boundary: it may match without reading; trying it is up to three steps. */
    void zeroWidthAtom() {
        current.element(1, 3);
    }

    void openGroup() {
        open.push(current);
        current = new Group();
    }

    void alternate() {
        current.endBranch();
    }

    void closeGroup() {
        current.endBranch();
        final Group closed = current;
        current = open.pop();
        current.element(closed.branchesWays, add(1, closed.branchesSteps));
    }

    /** Applies a repeat with minimum count {@code min} to the last element; {@code *} and {@code ?} have min 0. */
    void repeat(final int min) {
        if (current.lastWays > 0) {
            current.lastSteps = multiply(current.lastSteps, min + 1L);
        }
        if (min == 0) {
            current.lastWays = add(current.lastWays, 1);
        }
    }

    /** The bound for the whole regex, including the final check each way of matching empty makes; call once. */
    long total() {
        current.endBranch();
        return add(current.branchesSteps, current.branchesWays);
    }

    private static long add(final long a, final long b) {
        return Math.min(SATURATED, a + b);
    }

    private static long multiply(final long a, final long b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return a > SATURATED / b ? SATURATED : Math.min(SATURATED, a * b);
    }
}
