package io.tidemark.index.matchers;

/**
 * A label matcher or selector that Prometheus would reject: a regex that Go's RE2 parser does not
 * accept, or a selector whose matchers all match the empty string. The message names the matcher in
 * PromQL form and gives the reason in Prometheus' wording, for example
 * {@code job=~"(a": error parsing regexp: missing closing ): `(a`}.
 */
public final class InvalidMatcherException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /** {@code matcher} is the PromQL form of the rejected matcher, or null when no single matcher is at fault. */
    public InvalidMatcherException(final String matcher, final String reason) {
        super(matcher == null ? reason : matcher + ": " + reason);
        this.reason = reason;
    }

    /** Why the matcher was rejected, without the matcher: the text Prometheus itself would report. */
    public String reason() {
        return reason;
    }
}
