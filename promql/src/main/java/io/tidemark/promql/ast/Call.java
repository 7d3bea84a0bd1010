package io.tidemark.promql.ast;

import java.util.List;

/** A function call, {@code name(args...)}; {@code function} is the entry of {@link Functions} that was called. */
public record Call(Function function, List<Expr> args, PositionRange positionRange) implements Expr {
    /** Copies the argument list, which is immutable from here on. */
    public Call {
        args = List.copyOf(args);
    }

    @Override
    public ValueType type() {
        return function.returnType();
    }

    @Override
    public String toString() {
        final StringBuilder out = new StringBuilder(function.name()).append('(');
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(args.get(i));
        }
        return out.append(')').toString();
    }
}
