package io.tidemark.index.matchers;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One RE2 regex, validated and compiled once, matched against whole label values. Shapes that need no regex engine are
 * matched with string operations; everything else runs a {@link Pattern} of the {@link Re2Translator} translation.
 * Immutable and thread-safe.
 */
final class CompiledRegex {
    /** How {@link #matches} decides. */
    enum Shape { EMPTY, ANY, NON_EMPTY, LITERAL, LITERAL_SET, PREFIX, SUFFIX, CONTAINS, FOLDED_LITERAL, PATTERN }

    private static final String ANY = ".*";
    private static final String FOLD_CASE = "(?i)";

    private final Shape shape;
    private final String literal;
    private final Set<String> literals;
    private final Pattern pattern;
    private final String prefix;

    private CompiledRegex(final Shape shape, final String literal, final Set<String> literals, final Pattern pattern,
                          final String prefix) {
        this.shape = shape;
        this.literal = literal;
        this.literals = literals;
        this.pattern = pattern;
        this.prefix = prefix;
    }

    /** Compiles {@code source}; throws {@link Re2SyntaxError} if Go's RE2 parser would reject it. */
    static CompiledRegex compile(final String source) {
        final String java = Re2Translator.translate(source);
        if (source.isEmpty()) {
            return new CompiledRegex(Shape.EMPTY, "", Set.of(""), null, "");
        }
        if (source.equals(ANY)) {
            return new CompiledRegex(Shape.ANY, "", null, null, "");
        }
        if (source.equals(".+")) {
            return new CompiledRegex(Shape.NON_EMPTY, "", null, null, "");
        }
        final String literal = RegexShape.literal(source);
        if (literal != null) {
            return new CompiledRegex(Shape.LITERAL, literal, Set.of(literal), null, literal);
        }
        final List<String> alternatives = RegexShape.literalAlternatives(source);
        if (alternatives != null) {
            return new CompiledRegex(Shape.LITERAL_SET, "", Set.copyOf(alternatives), null,
                commonPrefix(alternatives));
        }
        final CompiledRegex wildcard = wildcardShape(source);
        if (wildcard != null) {
            return wildcard;
        }
        if (source.startsWith(FOLD_CASE)) {
            final String folded = RegexShape.literal(source.substring(FOLD_CASE.length()));
            if (folded != null && RegexShape.isFoldableAscii(folded)) {
                return new CompiledRegex(Shape.FOLDED_LITERAL, folded, null, null, "");
            }
        }
        return new CompiledRegex(Shape.PATTERN, "", null, Pattern.compile(java), RegexShape.leadingLiteral(source));
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
            return new CompiledRegex(Shape.CONTAINS, literal, null, null, "");
        }
        return leading ? new CompiledRegex(Shape.SUFFIX, literal, null, null, "")
            : new CompiledRegex(Shape.PREFIX, literal, null, null, literal);
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
            case PATTERN -> pattern.matcher(value).matches();
        };
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
