/**
 * Label matchers ({@code =}, {@code !=}, {@code =~}, {@code !~}) with Prometheus' semantics: regexes
 * are RE2 syntax, fully anchored, with {@code .} matching newline, and a series that lacks a label is
 * matched as if the label were empty.
 *
 * <p>{@link io.tidemark.index.matchers.LabelMatcher} is immutable and thread-safe; it holds only heap
 * objects. RE2 syntax is validated and translated to {@link java.util.regex.Pattern} once, at
 * construction; common shapes (literals, alternations of literals, prefix/suffix/contains) never
 * reach the regex engine. Matches that do reach it run under a budget of char reads and throw
 * {@link io.tidemark.index.matchers.RegexBudgetExceededException} rather than run unbounded.
 */
package io.tidemark.index.matchers;
