/**
 * The PromQL parser: {@link io.tidemark.promql.parser.PromQlParser} turns query text into the immutable tree of
 * {@code io.tidemark.promql.ast}, with Prometheus 3's grammar, type rules and error messages.
 *
 * <p>Inside: a byte-level lexer ported from Prometheus' state machine, a recursive-descent parser that makes the same
 * choices as Prometheus' yacc grammar, and the type checker. All of it is heap-only, per call, and thread-confined;
 * it is not on a hot path.
 */
package io.tidemark.promql.parser;
