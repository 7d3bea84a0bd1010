package io.tidemark.server.remote;

/**
 * What one {@link RemoteWriteIngest#ingest} call did. One instance per {@link RemoteWriteIngest},
 * overwritten by its next call: read it (or copy what you need) before ingesting again.
 */
public final class RemoteWriteResult {
    /** How the request ended, and what HTTP should answer. */
    public enum Outcome {
        /** Every series was valid and its samples were committed: 204. */
        STORED(204, false),
        /** Some series broke the label rules and were skipped; every good series was committed: 400 (do not retry). */
        INVALID_SERIES(400, true),
        /** New series were refused by the tenant's series limit; every other good series was committed: 400 (do not
         * retry: the limit holds until series leave the head, and a retry would hold up the sender's queue). */
        SERIES_LIMIT(400, true),
        /** The body is corrupt or truncated (snappy or protobuf); nothing was stored: 400. */
        MALFORMED(400, true),
        /** The body declares a decompressed size over the limit; refused before decompressing, nothing stored: 400. */
        TOO_LARGE(400, true),
        /** The database could not take the writes now (disk full, ingest ring full, memory limit); nothing of the
         * request was committed, the sender should retry: 503. */
        UNAVAILABLE(503, false),
        /** A fault of ours; nothing of the request was committed: 500. */
        INTERNAL_ERROR(500, false);

        private final int httpStatus;
        private final boolean clientError;

        Outcome(final int httpStatus, final boolean clientError) {
            this.httpStatus = httpStatus;
            this.clientError = clientError;
        }

        /** The HTTP status the remote-write endpoint answers. */
        public int httpStatus() {
            return httpStatus;
        }

        /** Whether the request is at fault (4xx: the sender must not retry it) rather than we (5xx: it should). */
        public boolean clientError() {
            return clientError;
        }
    }

    private Outcome outcome = Outcome.STORED;
    private long samplesStored;
    private long samplesRefused;
    private int seriesSkipped;
    private long exemplarsSkipped;
    private long histogramsSkipped;
    private int metadata;
    private String error;

    void reset() {
        outcome = Outcome.STORED;
        samplesStored = 0;
        samplesRefused = 0;
        seriesSkipped = 0;
        exemplarsSkipped = 0;
        histogramsSkipped = 0;
        metadata = 0;
        error = null;
    }

    void decoded(final WriteRequestDecoder decoder) {
        samplesRefused = decoder.samplesRejected();
        seriesSkipped = decoder.seriesSkipped();
        exemplarsSkipped = decoder.exemplarsSkipped();
        histogramsSkipped = decoder.histogramsSkipped();
        metadata = decoder.metadataCount();
        if (decoder.firstError() != null) {
            fail(Outcome.INVALID_SERIES, decoder.firstError());
        }
    }

    void stored(final long samples) {
        samplesStored = samples;
    }

    /** Counts the series and samples the tenant's series limit refused; says so unless another error came first. */
    void limited(final int series, final long samples, final String message) {
        seriesSkipped += series;
        samplesRefused += samples;
        if (outcome == Outcome.STORED) {
            fail(Outcome.SERIES_LIMIT, samples + " samples of " + series + " new series refused, the rest stored: " + message);
        }
    }

    void fail(final Outcome failure, final String message) {
        outcome = failure;
        error = message;
    }

    /** How the request ended. */
    public Outcome outcome() {
        return outcome;
    }

    /** The HTTP status to answer: {@code outcome().httpStatus()}. */
    public int httpStatus() {
        return outcome.httpStatus();
    }

    /** Whether the error, if any, is the client's (4xx) rather than ours (5xx); false when stored. */
    public boolean clientError() {
        return outcome.clientError();
    }

    /** Samples committed to the database (out-of-order ones are refused later by the head and counted there). */
    public long samplesStored() {
        return samplesStored;
    }

    /** Samples of skipped series: refused by validation or by the tenant's series limit. */
    public long samplesRefused() {
        return samplesRefused;
    }

    /** Series skipped because their labels broke a rule, or their tenant's series limit refused them. */
    public int seriesSkipped() {
        return seriesSkipped;
    }

    /** Exemplars skipped: Tidemark does not store them. */
    public long exemplarsSkipped() {
        return exemplarsSkipped;
    }

    /** Native histogram samples skipped: Tidemark does not store them. */
    public long histogramsSkipped() {
        return histogramsSkipped;
    }

    /** Metadata entries in the request (handed to the sink, if any). */
    public int metadata() {
        return metadata;
    }

    /** The first error's message (the first bad series, the corruption, the refusal), or null. */
    public String error() {
        return error;
    }

    @Override
    public String toString() {
        return "RemoteWriteResult[outcome=" + outcome + " samplesStored=" + samplesStored + " samplesRefused=" + samplesRefused
            + " seriesSkipped=" + seriesSkipped + " exemplarsSkipped=" + exemplarsSkipped + " histogramsSkipped="
            + histogramsSkipped + " metadata=" + metadata + " error=" + error + "]";
    }
}
