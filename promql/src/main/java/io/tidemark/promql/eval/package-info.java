/**
 * The PromQL evaluator: {@link io.tidemark.promql.eval.PromQlEngine} runs instant and range queries over an
 * {@link io.tidemark.engine.query.Queryable} with Prometheus 3 semantics (or Prometheus 2's closed ranges). Every
 * intermediate result is columnar: one {@code double[]} of step values per series with a presence mask, so the hot
 * loops run over primitive arrays. All memory is on the heap and belongs to one query.
 */
package io.tidemark.promql.eval;
