package io.tidemark.index.matchers;

/**
 * Signal from inside a regex match (or compile) that it is too expensive; {@link LabelMatcher} turns it into a
 * {@link RegexBudgetExceededException} naming the matcher. Stackless singletons: they are thrown from deep inside
 * {@link java.util.regex}'s recursion, where a stack trace would be long, slow to fill and useless.
 */
final class RegexTooExpensive extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The match read the value more times than {@link CompiledRegex#readBudget} allows. */
    static final RegexTooExpensive READ_BUDGET = new RegexTooExpensive();
    /** The match recursed past the end of the thread's stack. */
    static final RegexTooExpensive STACK_OVERFLOW = new RegexTooExpensive();
    /** The regex can take too many steps that read no char; see {@link ZeroReadSteps}. */
    static final RegexTooExpensive ZERO_READ_STEPS = new RegexTooExpensive();

    private RegexTooExpensive() {
        super(null, null, false, false);
    }
}
