package io.tidemark.index.matchers;

/**
 * A label value as {@link java.util.regex.Matcher} sees it: every {@link #charAt} spends one read of a budget, and
 * the read past the budget throws {@link RegexTooExpensive#READ_BUDGET}. A backtracking step that examines the value
 * reads a char, so the budget bounds the match's work except for steps that read nothing, which
 * {@link ZeroReadSteps} bounds per regex. One instance per match; not thread-safe.
 */
final class BudgetedCharSequence implements CharSequence {
    // Initializes RegexTooExpensive here, before a match, not at the first throw deep in the engine's recursion,
    // where a stack overflow during class initialization would leave the class unusable.
    private static final RegexTooExpensive OVER_BUDGET = RegexTooExpensive.READ_BUDGET;

    private final String value;
    private long readsLeft;

    BudgetedCharSequence(final String value, final long readBudget) {
        this.value = value;
        this.readsLeft = readBudget;
    }

    @Override
    public char charAt(final int index) {
        if (--readsLeft < 0) {
            throw OVER_BUDGET;
        }
        return value.charAt(index);
    }

    @Override
    public int length() {
        return value.length();
    }

    /** Not used by {@link java.util.regex.Matcher#matches()}; unbudgeted. */
    @Override
    public CharSequence subSequence(final int start, final int end) {
        return value.subSequence(start, end);
    }

    @Override
    public String toString() {
        return value;
    }
}
