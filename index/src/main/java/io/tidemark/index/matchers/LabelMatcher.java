package io.tidemark.index.matchers;

import java.util.Objects;
import java.util.Set;

/**
 * One label matcher of a PromQL selector, with Prometheus' semantics ({@code model/labels/matcher.go},
 * {@code regexp.go}):
 * <ul>
 *   <li>Regexes are RE2 syntax, matched against the whole value as {@code ^(?s:value)$}: {@code =~"a"} does not match
 *       {@code "ab"}, and {@code .} matches newline.</li>
 *   <li>A series without the label is matched as if its value were {@code ""}, so a matcher for which
 *       {@link #matchesEmpty()} is true also selects series that lack the label.</li>
 *   <li>{@link #of} rejects what Go's RE2 parser rejects, including Java-only syntax: backreferences, lookaround,
 *       atomic groups, possessive quantifiers, unknown escapes.</li>
 * </ul>
 *
 * <p>Known differences from Go, all confined to regexes: case-insensitive matching ({@code (?i)}) uses Java's Unicode
 * case folding, which agrees with RE2's simple folding for ASCII and most scripts but not for every code point (for
 * example Java folds U+0130 to {@code i}; RE2 does not), nor for negated classes under {@code (?i)}; Unicode classes
 * and scripts follow the JDK's Unicode version, not Go's, and Go script names Java spells differently (such as
 * {@code SignWriting}) are rejected; RE2's limit on nested repeat counts (1000 overall) and its program-size limit
 * are not enforced; a repeat directly after a {@code (?flags)} group is rejected, where Go repeats what came before;
 * and regexes too expensive for the fallback engine are refused (below), where RE2 would match them.
 *
 * <p>Regexes that string operations cannot decide run on {@link java.util.regex.Pattern}, a backtracking engine: a
 * regex with nested repeats such as {@code (?:(?:a*)*)*b} can take time exponential in the value's length, where RE2
 * is linear, and a repeated group such as {@code (a|b)*} recurses once per iteration. So every such match runs under a
 * budget of char reads that grows with the value and the regex (10,000 + value length &times; (1,000 + 4 &times;
 * regex length)), and a match that would exceed it, or overflow the stack, throws
 * {@link RegexBudgetExceededException} instead of answering. Steps that read no char escape that count; a regex that
 * could take more than a million of them at one position (many alternatives that match the empty string, as in
 * {@code (|)(|)(|)...x}) is refused by {@link #of} with the same exception. Equality matchers and the regex shapes
 * decided by string operations (literals, alternations of literals, prefix, suffix, contains) are never refused.
 *
 * <p>Immutable and thread-safe; the regex is validated and compiled once, here.
 */
public final class LabelMatcher {
    /** The four matcher operators of PromQL. */
    public enum Type {
        /** {@code =}: the value equals. */
        EQUAL("="),
        /** {@code !=}: the value differs. */
        NOT_EQUAL("!="),
        /** {@code =~}: the whole value matches the regex. */
        REGEX("=~"),
        /** {@code !~}: the whole value does not match the regex. */
        NOT_REGEX("!~");

        private final String operator;

        Type(final String operator) {
            this.operator = operator;
        }

        /** The PromQL operator, such as {@code =~}. */
        public String operator() {
            return operator;
        }
    }

    private final Type type;
    private final String name;
    private final String value;
    private final CompiledRegex regex;
    private final boolean matchesEmpty;

    private LabelMatcher(final Type type, final String name, final String value, final CompiledRegex regex) {
        this.type = type;
        this.name = name;
        this.value = value;
        this.regex = regex;
        this.matchesEmpty = matches("");
    }

    /**
     * A matcher of label {@code name}; for {@link Type#REGEX} and {@link Type#NOT_REGEX}, {@code value} is an RE2
     * regex, compiled here. Throws {@link InvalidMatcherException} naming the matcher and Go's parse error if RE2
     * rejects the regex, and {@link RegexBudgetExceededException} if the regex is too expensive for the backtracking
     * engine on any value (see the class comment).
     */
    public static LabelMatcher of(final Type type, final String name, final String value) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (type == Type.EQUAL || type == Type.NOT_EQUAL) {
            return new LabelMatcher(type, name, value, null);
        }
        final CompiledRegex regex;
        try {
            regex = CompiledRegex.compile(value);
        } catch (final Re2SyntaxError error) {
            throw new InvalidMatcherException(format(type, name, value), error.getMessage());
        } catch (final RegexTooExpensive signal) {
            throw new RegexBudgetExceededException(format(type, name, value), CompiledRegex.zeroReadStepsReason());
        }
        return new LabelMatcher(type, name, value, regex);
    }

    public Type type() {
        return type;
    }

    public String name() {
        return name;
    }

    public String value() {
        return value;
    }

    /**
     * True if a series whose label has {@code labelValue} is selected; pass "" for a series without the label.
     * Throws {@link RegexBudgetExceededException}, naming this matcher and the value's length, if a regex that needs
     * the backtracking engine would exceed its read budget or the stack on this value (see the class comment); it
     * never answers true or false for such a value. Equality and literal regex shapes never throw.
     */
    public boolean matches(final String labelValue) {
        return switch (type) {
            case EQUAL -> labelValue.equals(value);
            case NOT_EQUAL -> !labelValue.equals(value);
            case REGEX -> regexMatches(labelValue);
            case NOT_REGEX -> !regexMatches(labelValue);
        };
    }

    private boolean regexMatches(final String labelValue) {
        try {
            return regex.matches(labelValue);
        } catch (final RegexTooExpensive signal) {
            throw new RegexBudgetExceededException(toString(), regex.tooExpensiveReason(signal, labelValue.length()));
        }
    }

    /** {@code matches("")}, precomputed: true if this matcher also selects series that lack the label. */
    public boolean matchesEmpty() {
        return matchesEmpty;
    }

    /**
     * The finite set of values this matcher can match, for index lookups instead of scans: {@code {value}} for
     * {@link Type#EQUAL}, the alternatives of a literal regex such as {@code a|b|c}; null when the set is not known
     * to be finite (always for the negative types). The set is immutable.
     */
    public Set<String> literalValues() {
        return switch (type) {
            case EQUAL -> Set.of(value);
            case REGEX -> regex.literalValues();
            case NOT_EQUAL, NOT_REGEX -> null;
        };
    }

    /**
     * A literal prefix every value this matcher matches starts with, for prefix scans of sorted values; "" if none is
     * known (always for the negative types).
     */
    public String literalPrefix() {
        return switch (type) {
            case EQUAL -> value;
            case REGEX -> regex.literalPrefix();
            case NOT_EQUAL, NOT_REGEX -> "";
        };
    }

    /** Package-private for tests: how a regex matcher decides, or null for the equality types. */
    CompiledRegex.Shape regexShape() {
        return regex == null ? null : regex.shape();
    }

    /** The PromQL form, as Prometheus prints it: {@code job=~"api|web"}, value quoted and escaped like Go. */
    @Override
    public String toString() {
        return format(type, name, value);
    }

    private static String format(final Type type, final String name, final String value) {
        final StringBuilder out = new StringBuilder(name.length() + value.length() + 6);
        PromQlQuoting.appendName(out, name);
        out.append(type.operator());
        PromQlQuoting.appendQuoted(out, value);
        return out.toString();
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof LabelMatcher that && type == that.type && name.equals(that.name)
            && value.equals(that.value);
    }

    @Override
    public int hashCode() {
        return (type.hashCode() * 31 + name.hashCode()) * 31 + value.hashCode();
    }
}
