/**
 * The PromQL syntax tree: immutable records under the sealed {@link io.tidemark.promql.ast.Expr}, the value types
 * they evaluate to, the operators, and the table of functions. Printing a node ({@code toString}) gives PromQL text
 * in the form Prometheus' printer writes, which parses back to an equal tree.
 *
 * <p>Everything here is heap-only and thread-safe; the parser allocates trees freely, evaluation does not mutate them.
 */
package io.tidemark.promql.ast;
