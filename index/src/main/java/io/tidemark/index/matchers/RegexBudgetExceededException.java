package io.tidemark.index.matchers;

/**
 * A regex matcher that is too expensive to evaluate with the backtracking engine behind it, where Prometheus' RE2
 * would finish in time linear in the value. Thrown by {@link LabelMatcher#matches} when a match would exceed its step
 * budget or the thread's stack on that value, and by {@link LabelMatcher#of} when the regex alone can make every match
 * too expensive. The message names the matcher in PromQL form and says why, for example
 * {@code l=~"(?:(?:a*)*)*b": regex too expensive to evaluate on a value of 40 chars: more than 52080 char reads}.
 * A caller serving queries reports it as a client error; the matcher is not invalid, only refused.
 */
public final class RegexBudgetExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RegexBudgetExceededException(final String matcher, final String why) {
        super(matcher + ": regex too expensive to evaluate " + why);
    }
}
