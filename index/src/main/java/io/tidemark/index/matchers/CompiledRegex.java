package io.tidemark.index.matchers;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One RE2 regex, validated and compiled once, matched against whole label values. Shapes that need no regex engine are
 * matched with string operations; everything else runs a {@link Pattern} of the {@link Re2Translator} translation,
 * under a budget of char reads ({@link #readBudget}) and with stack overflow caught, both reported as
 * {@link RegexTooExpensive}. A regex whose {@link ZeroReadSteps} exceed {@link #MAX_ZERO_READ_STEPS} is refused at
 * compile time, since those steps escape the read budget. Immutable and thread-safe.
 */
final class CompiledRegex {
    /** How {@link #matches} decides. */
    enum Shape { EMPTY, ANY, NON_EMPTY, LITERAL, LITERAL_SET, PREFIX, SUFFIX, CONTAINS, FOLDED_LITERAL, PATTERN }

    /** Char reads every match may spend, whatever the value's length; see {@link #readBudget}. */
    static final long BASE_READS = 10_000;
    /** Char reads per char of the value, whatever the regex. */
    static final long READS_PER_VALUE_CHAR = 1_000;
    /** Further char reads per char of the value and per char of the regex. */
    static final long READS_PER_VALUE_CHAR_PER_REGEX_CHAR = 4;
    /** Regexes whose {@link ZeroReadSteps} bound exceeds this are refused; a million steps take a few ms. */
    static final long MAX_ZERO_READ_STEPS = 1_000_000;

    private static final String ANY = ".*";
    private static final String FOLD_CASE = "(?i)";

    private final Shape shape;
    private final String literal;
    private final Set<String> literals;
    private final Pattern pattern;
    private final String prefix;
    private final long readsPerValueChar;

    private CompiledRegex(final Shape shape, final String literal, final Set<String> literals, final Pattern pattern,
                          final String prefix, final int regexLength) {
        this.shape = shape;
        this.literal = literal;
        this.literals = literals;
        this.pattern = pattern;
        this.prefix = prefix;
        this.readsPerValueChar = Math.min(Integer.MAX_VALUE,
            READS_PER_VALUE_CHAR + READS_PER_VALUE_CHAR_PER_REGEX_CHAR * regexLength);
    }

    private CompiledRegex(final Shape shape, final String literal, final Set<String> literals, final String prefix) {
        this(shape, literal, literals, null, prefix, 0);
    }

    /**
     * Compiles {@code source}; throws {@link Re2SyntaxError} if Go's RE2 parser would reject it, and
     * {@link RegexTooExpensive#ZERO_READ_STEPS} if it needs the regex engine and its {@link ZeroReadSteps} bound
     * exceeds {@link #MAX_ZERO_READ_STEPS}.
     */
    static CompiledRegex compile(final String source) {
        final Re2Translator.Translation translation = Re2Translator.translateMeasured(source);
        if (source.isEmpty()) {
            return new CompiledRegex(Shape.EMPTY, "", Set.of(""), "");
        }
        if (source.equals(ANY)) {
            return new CompiledRegex(Shape.ANY, "", null, "");
        }
        if (source.equals(".+")) {
            return new CompiledRegex(Shape.NON_EMPTY, "", null, "");
        }
        final String literal = RegexShape.literal(source);
        if (literal != null) {
            return new CompiledRegex(Shape.LITERAL, literal, Set.of(literal), literal);
        }
        final List<String> alternatives = RegexShape.literalAlternatives(source);
        if (alternatives != null) {
            return new CompiledRegex(Shape.LITERAL_SET, "", Set.copyOf(alternatives), commonPrefix(alternatives));
        }
        final CompiledRegex wildcard = wildcardShape(source);
        if (wildcard != null) {
            return wildcard;
        }
        if (source.startsWith(FOLD_CASE)) {
            final String folded = RegexShape.literal(source.substring(FOLD_CASE.length()));
            if (folded != null && RegexShape.isFoldableAscii(folded)) {
                return new CompiledRegex(Shape.FOLDED_LITERAL, folded, null, "");
            }
        }
        if (translation.zeroReadSteps() > MAX_ZERO_READ_STEPS) {
            throw RegexTooExpensive.ZERO_READ_STEPS;
        }
        return new CompiledRegex(Shape.PATTERN, "", null, Pattern.compile(translation.java()),
            RegexShape.leadingLiteral(source), source.length());
    }

    /** {@code foo.*}, {@code .*foo} and {@code .*foo.*} with a non-empty literal foo. */
    private static CompiledRegex wildcardShape(final String source) {
        final boolean leading = source.startsWith(ANY);
        final boolean trailing = source.endsWith(ANY);
        if ((!leading && !trailing) || (leading && trailing && source.length() < 2 * ANY.length())) {
            return null;
        }
        final String middle = source.substring(leading ? ANY.length() : 0,
            source.length() - (trailing ? ANY.length() : 0));
        final String literal = RegexShape.literal(middle);
        if (literal == null || literal.isEmpty()) {
            return null;
        }
        if (leading && trailing) {
            return new CompiledRegex(Shape.CONTAINS, literal, null, "");
        }
        return leading ? new CompiledRegex(Shape.SUFFIX, literal, null, "")
            : new CompiledRegex(Shape.PREFIX, literal, null, literal);
    }

    private static String commonPrefix(final List<String> values) {
        String prefix = values.getFirst();
        for (final String value : values) {
            int length = 0;
            while (length < prefix.length() && length < value.length() && prefix.charAt(length) == value.charAt(length)) {
                length++;
            }
            if (length > 0 && Character.isHighSurrogate(prefix.charAt(length - 1))) {
                length--;
            }
            prefix = prefix.substring(0, length);
        }
        return prefix;
    }

    /**
     * True if the whole of {@code value} matches. Throws {@link RegexTooExpensive#READ_BUDGET} if the regex engine
     * would read the value more than {@link #readBudget} times, {@link RegexTooExpensive#STACK_OVERFLOW} if it
     * recursed past the end of the stack.
     */
    boolean matches(final String value) {
        return switch (shape) {
            case EMPTY -> value.isEmpty();
            case ANY -> true;
            case NON_EMPTY -> !value.isEmpty();
            case LITERAL -> value.equals(literal);
            case LITERAL_SET -> literals.contains(value);
            case PREFIX -> value.startsWith(literal);
            case SUFFIX -> value.endsWith(literal);
            case CONTAINS -> value.contains(literal);
            case FOLDED_LITERAL -> RegexShape.equalsFoldingAscii(value, literal);
            case PATTERN -> patternMatches(value);
        };
    }

    private boolean patternMatches(final String value) {
        // A new budget per call: the matcher is shared across threads.
        final BudgetedCharSequence budgeted = new BudgetedCharSequence(value, readBudget(value.length()));
        try {
            return pattern.matcher(budgeted).matches();
        } catch (final StackOverflowError overflow) {
            // java.util.regex recurses once per iteration of a repeated group, as in (a|b)* on a long value. The
            // stack is unwound to here and only the per-call Matcher saw the error: Pattern initialized its node
            // classes at compile time, and BudgetedCharSequence initialized RegexTooExpensive before the match.
            throw RegexTooExpensive.STACK_OVERFLOW;
        }
    }

    /**
     * The char reads a match of a value of {@code valueLength} chars may spend:
     * {@code 10,000 + valueLength * (1,000 + 4 * regexLength)}. Ordinary regexes read each char of the value a few
     * times ({@code [a-z]+-[0-9]+} once or twice, {@code .*(a|b|...).*} about once per 7 chars of regex), far below
     * it; the term in the regex length keeps large alternations within budget, as RE2's own cost grows with the regex
     * times the value. Quadratic backtracking, as {@code .*a.*b} on a long value of {@code a}s, can exceed it. A
     * regex that spends it all, such as {@code (?:(?:a*)*)*b}, backtracks at about 20-30 ns a read on JDK 25: it is
     * cut off after about 1 ms on a 40-char value and 2 s on a 64 KiB one.
     */
    long readBudget(final int valueLength) {
        return BASE_READS + valueLength * readsPerValueChar;
    }

    /** Why a match of a value of {@code valueLength} chars raised {@code signal}, worded for an error message. */
    String tooExpensiveReason(final RegexTooExpensive signal, final int valueLength) {
        final String value = "on a value of " + valueLength + " chars: ";
        if (signal == RegexTooExpensive.STACK_OVERFLOW) {
            return value + "java.util.regex ran out of stack";
        }
        return value + "more than " + readBudget(valueLength) + " char reads";
    }

    /** Why {@link #compile} raised {@link RegexTooExpensive#ZERO_READ_STEPS}, worded for an error message. */
    static String zeroReadStepsReason() {
        return "on any value: it can backtrack more than " + MAX_ZERO_READ_STEPS
            + " steps that read no char (alternatives that match the empty string multiply)";
    }

    Shape shape() {
        return shape;
    }

    /** The finite set of values this regex matches, or null if not known to be finite. */
    Set<String> literalValues() {
        return literals;
    }

    /** A prefix every matching value starts with; "" if none is known. */
    String literalPrefix() {
        return prefix;
    }
}
