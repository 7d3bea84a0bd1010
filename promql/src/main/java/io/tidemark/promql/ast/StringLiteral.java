package io.tidemark.promql.ast;

import io.tidemark.index.matchers.PromQlQuoting;

/** A string literal, already unquoted: {@code value} holds the characters, not the escapes. */
public record StringLiteral(String value, PositionRange positionRange) implements Expr {
    @Override
    public ValueType type() {
        return ValueType.STRING;
    }

    @Override
    public String toString() {
        final StringBuilder out = new StringBuilder(value.length() + 2);
        PromQlQuoting.appendQuoted(out, value);
        return out.toString();
    }
}
