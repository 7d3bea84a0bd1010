package io.tidemark.server.remote;

import io.tidemark.engine.db.TenantAppender;
import io.tidemark.index.series.LabelSetLayout;
import io.tidemark.index.series.SeriesKeyCache;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Walks a decompressed {@code prometheus.WriteRequest} in place, in two passes. {@link #decode} checks
 * the whole message's structure (every length against the bytes left, wire types of the known fields),
 * validates each series' labels and writes the canonical label bytes ({@link LabelSetLayout}) of the
 * good series with samples into a reusable off-heap buffer; a corrupt message throws before anything
 * is stored. A series whose leading label bytes the tenant's {@link SeriesKeyCache} holds takes none of the
 * label work: it keeps the id found, and only the rest of it is checked. {@link #appendSamples} then
 * resolves the other good series through the index, adds their label bytes to the cache, walks every good
 * series again and appends their samples.
 *
 * <pre>
 *   WriteRequest   { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 *   TimeSeries     { repeated Label labels = 1; repeated Sample samples = 2;
 *                    repeated Exemplar exemplars = 3; repeated Histogram histograms = 4; }
 *   Label          { string name = 1; string value = 2; }
 *   Sample         { double value = 1; int64 timestamp = 2; }
 *   MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }
 * </pre>
 * Unknown fields are skipped by wire type; exemplars and native histograms are skipped and counted.
 * Nothing is allocated per series or sample once the buffers and arrays have grown to the largest
 * request, except the first error message of a request with a bad series. Not thread-safe.
 */
final class WriteRequestDecoder implements AutoCloseable {
    static final int REQUEST_TIMESERIES = 1;
    static final int REQUEST_METADATA = 3;
    static final int SERIES_LABELS = 1;
    static final int SERIES_SAMPLES = 2;
    static final int SERIES_EXEMPLARS = 3;
    static final int SERIES_HISTOGRAMS = 4;
    static final int LABEL_NAME = 1;
    static final int LABEL_VALUE = 2;
    static final int SAMPLE_VALUE = 1;
    static final int SAMPLE_TIMESTAMP = 2;
    static final int METADATA_TYPE = 1;
    static final int METADATA_FAMILY_NAME = 2;
    static final int METADATA_HELP = 4;
    static final int METADATA_UNIT = 5;

    /** "__name__" read as a little-endian long, to spot the metric name label in one comparison. */
    private static final long METRIC_NAME_BYTES = MemorySegment.ofArray("__name__".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        .get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
    /** Names and values this short are copied as two longs. */
    private static final int SHORT_COPY = 16;
    private static final int INITIAL_SERIES = 64;
    private static final int NOT_FOUND = -1;
    private static final int LABELS_TAG = SERIES_LABELS << 3 | ProtoCursor.LENGTH_DELIMITED;
    private static final ValueLayout.OfLong LITTLE_ENDIAN_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final ProtoCursor cursor = new ProtoCursor();
    private final GrowableNativeBuffer labels;
    private final int maxLabelsPerSeries;

    private int series;
    /** The request's body, for adding keys to the cache in pass two. */
    private MemorySegment body;
    /** Finds series by their raw label bytes in the request's tenant's cache; {@code cached} false when there is none. */
    private final SeriesKeyCache.Lookup lookup = new SeriesKeyCache.Lookup();
    private boolean cached;
    private int cacheHits;
    /** Good series of the request that pass two resolves through the index (the cache did not know them). */
    private int misses;
    /** Exemplars and histograms {@link #otherField} met in the series being scanned (rare: fields, not locals). */
    private long scanExemplars;
    private long scanHistograms;
    /**
     * Per good series (20 bytes, what a series the cache knew needs): where its samples start and its end, and its id
     * (the cache's, or {@code NOT_FOUND} until pass two resolves it).
     */
    private long[] seriesStart;
    private long[] seriesEnd;
    private int[] ids;
    /**
     * Per miss (a good series the cache did not know; 40 bytes with the scratch): its series, its canonical labels in
     * {@link #labels}, where its key starts in the body and its length (0: not to be cached), and its id from pass two.
     */
    private int[] missSeries;
    private long[] labelOffsets;
    private int[] labelLengths;
    private long[] keyAt;
    private int[] keyLength;
    private int[] missIds;
    private int[] resolveScratch;
    private long labelBytes;

    private long samplesToStore;
    private long samplesRejected;
    private int seriesSkipped;
    /** Series of the last request that its tenant's series limit refused in {@link #appendSamples}, and their samples. */
    private int seriesLimited;
    private long samplesLimited;
    private long exemplarsSkipped;
    private long histogramsSkipped;
    private int metadataCount;
    private String firstError;

    WriteRequestDecoder(final NativeAllocator allocator, final int maxLabelsPerSeries) {
        this.labels = new GrowableNativeBuffer(allocator);
        this.maxLabelsPerSeries = maxLabelsPerSeries;
        startArrays();
    }

    /** Per-series and per-miss arrays for {@link #INITIAL_SERIES} of each; {@link #growSeries} and {@link #growMisses} double them. */
    private void startArrays() {
        seriesStart = new long[INITIAL_SERIES];
        seriesEnd = new long[INITIAL_SERIES];
        ids = new int[INITIAL_SERIES];
        missSeries = new int[INITIAL_SERIES];
        labelOffsets = new long[INITIAL_SERIES];
        labelLengths = new int[INITIAL_SERIES];
        keyAt = new long[INITIAL_SERIES];
        keyLength = new int[INITIAL_SERIES];
        missIds = new int[INITIAL_SERIES];
        resolveScratch = new int[2 * INITIAL_SERIES + 1];
    }

    /**
     * Pass one over {@code length} bytes of {@code body}: structure, label validation, canonical labels. A series
     * whose raw label bytes {@code cache} holds (null: no cache) keeps its id and skips the label work.
     *
     * @throws RemoteWriteFormatException if the message is corrupt; nothing is then to be stored
     */
    void decode(final MemorySegment body, final long length, final SeriesKeyCache cache) {
        this.body = body;
        cached = cache != null;
        if (cached) {
            lookup.begin(cache);
        }
        cacheHits = 0;
        misses = 0;
        series = 0;
        labelBytes = 0;
        samplesToStore = 0;
        samplesRejected = 0;
        seriesSkipped = 0;
        seriesLimited = 0;
        samplesLimited = 0;
        exemplarsSkipped = 0;
        histogramsSkipped = 0;
        metadataCount = 0;
        firstError = null;
        final ProtoCursor in = cursor;
        in.reset(body, 0);
        while (in.position() < length) {
            final int tag = in.tag(length);
            switch (tag >>> 3) {
                case REQUEST_TIMESERIES -> {
                    in.expectWireType(tag, ProtoCursor.LENGTH_DELIMITED);
                    final long end = in.delimitedEnd(length);
                    scanSeries(body, in.position(), end);
                    in.position(end);
                }
                case REQUEST_METADATA -> {
                    in.expectWireType(tag, ProtoCursor.LENGTH_DELIMITED);
                    final long end = in.delimitedEnd(length);
                    scanMetadata(end);
                    metadataCount++;
                }
                default -> in.skip(tag & 7, length);
            }
        }
    }

    private void scanSeries(final MemorySegment body, final long start, final long end) {
        if (cached && findCached(body, start, end)) {
            return;
        }
        final ProtoCursor in = cursor;
        in.position(start);
        final long countAt = labelBytes;
        long write = countAt + LabelSetLayout.LENGTH_BYTES;
        labels.ensureCapacityKeeping(write, countAt);
        int seen = 0;
        int written = 0;
        int problem = InvalidSeries.NONE;
        boolean metricName = false;
        long previousName = -1;
        long previousNameLength = 0;
        long samples = 0;
        long firstSample = -1;
        startScan();
        // the key: the labels' bytes, if they all come before any other field (keyEnd: where the first other starts)
        long keyEnd = -1;
        boolean leading = true;
        while (in.position() < end) {
            final long tagAt = in.position();
            final int tag = in.tag(end);
            if (tag >>> 3 != SERIES_LABELS && keyEnd < 0) {
                keyEnd = tagAt;
            }
            switch (tag >>> 3) {
                case SERIES_LABELS -> {
                    leading &= keyEnd < 0;
                    in.expectWireType(tag, ProtoCursor.LENGTH_DELIMITED);
                    final long labelEnd = in.delimitedEnd(end);
                    long name = in.position();
                    long nameLength = 0;
                    long value = name;
                    long valueLength = 0;
                    while (in.position() < labelEnd) {
                        final int field = in.tag(labelEnd);
                        if (field >>> 3 == LABEL_NAME || field >>> 3 == LABEL_VALUE) {
                            in.expectWireType(field, ProtoCursor.LENGTH_DELIMITED);
                            final long stringEnd = in.delimitedEnd(labelEnd);
                            if (field >>> 3 == LABEL_NAME) {
                                name = in.position();
                                nameLength = stringEnd - name;
                            } else {
                                value = in.position();
                                valueLength = stringEnd - value;
                            }
                            in.position(stringEnd);
                        } else {
                            in.skip(field & 7, labelEnd);
                        }
                    }
                    seen++;
                    if (problem != InvalidSeries.NONE) {
                        continue;
                    }
                    problem = InvalidSeries.check(body, name, nameLength, value, valueLength, previousName, previousNameLength,
                        seen, maxLabelsPerSeries);
                    if (problem != InvalidSeries.NONE) {
                        continue;
                    }
                    if (valueLength > 0) {
                        metricName |= nameLength == Long.BYTES && body.get(LITTLE_ENDIAN_LONG, name) == METRIC_NAME_BYTES;
                        final MemorySegment out = labels.ensureCapacityKeeping(write + 2L * LabelSetLayout.LENGTH_BYTES
                            + nameLength + valueLength + SHORT_COPY, write);
                        out.set(LabelSetLayout.U16, write, (short) nameLength);
                        copy(body, name, out, write + LabelSetLayout.LENGTH_BYTES, nameLength);
                        write += LabelSetLayout.LENGTH_BYTES + nameLength;
                        out.set(LabelSetLayout.U16, write, (short) valueLength);
                        copy(body, value, out, write + LabelSetLayout.LENGTH_BYTES, valueLength);
                        write += LabelSetLayout.LENGTH_BYTES + valueLength;
                        written++;
                    }
                    previousName = name;
                    previousNameLength = nameLength;
                }
                default -> {
                    if (otherField(tag, end)) {
                        firstSample = firstSample < 0 ? tagAt : firstSample;
                        samples++;
                    }
                }
            }
        }
        exemplarsSkipped += scanExemplars;
        histogramsSkipped += scanHistograms;
        if (problem == InvalidSeries.NONE && !metricName) {
            problem = seen == 0 ? InvalidSeries.EMPTY_LABEL_SET : InvalidSeries.NO_METRIC_NAME;
        }
        if (problem != InvalidSeries.NONE) {
            seriesSkipped++;
            samplesRejected += samples;
            if (firstError == null) {
                firstError = InvalidSeries.message(problem, body, start, end, maxLabelsPerSeries);
            }
            return;
        }
        if (samples == 0) {
            return;
        }
        labels.segment().set(LabelSetLayout.U16, countAt, (short) written);
        if (series == ids.length) {
            growSeries();
        }
        if (misses == missSeries.length) {
            growMisses();
        }
        if (keyEnd < 0) {
            keyEnd = end;
        }
        // Pass two starts at the first sample: the labels before it need not be walked again.
        seriesStart[series] = firstSample;
        seriesEnd[series] = end;
        ids[series] = NOT_FOUND;
        missSeries[misses] = series;
        labelOffsets[misses] = countAt;
        labelLengths[misses] = (int) (write - countAt);
        keyAt[misses] = start;
        keyLength[misses] = leading && keyEnd - start >= SeriesKeyCache.MIN_KEY_BYTES && keyEnd - start <= SeriesKeyCache.MAX_KEY_BYTES
            ? (int) (keyEnd - start) : 0;
        misses++;
        series++;
        labelBytes = write;
        samplesToStore += samples;
    }

    /**
     * The cache's way for the series at {@code [start, end)}: its leading labels' bytes looked up (first at the entry
     * after the last one found, as series come in the same order each request, then by hash), and on a hit the rest of
     * the series scanned as the slow way would and the series recorded with its id. False when the slow way must
     * take the series: not in the cache, removed from the index since, or with a label after another field.
     */
    private boolean findCached(final MemorySegment body, final long start, final long end) {
        final ProtoCursor in = cursor;
        int id = SeriesKeyCache.MISS;
        long keyEnd = start;
        // The guess first: if the entry after the last one found begins the series and its labels end there (the next
        // byte starts no label), that is the key, and the label fields need not be walked to find where they end.
        final int guessed = lookup.guessedLength(body, start, end - start);
        if (guessed > 0 && (start + guessed == end || body.get(ValueLayout.JAVA_BYTE, start + guessed) != LABELS_TAG)) {
            id = lookup.takeGuess();
            keyEnd = start + guessed;
        }
        if (id == SeriesKeyCache.MISS) {
            keyEnd = start;
            while (keyEnd < end && body.get(ValueLayout.JAVA_BYTE, keyEnd) == LABELS_TAG) {
                in.position(keyEnd + 1);
                keyEnd = in.delimitedEnd(end);
            }
            id = keyEnd - start > SeriesKeyCache.MAX_KEY_BYTES ? SeriesKeyCache.MISS : lookup.find(body, start, (int) (keyEnd - start));
            if (id == SeriesKeyCache.MISS) {
                return false;
            }
        }
        in.position(keyEnd);
        startScan();
        long samples = 0;
        long firstSample = -1;
        while (in.position() < end) {
            final long tagAt = in.position();
            final int tag = in.tag(end);
            if (tag >>> 3 == SERIES_LABELS) {
                return false; // a label after another field: not the cached label set
            }
            if (otherField(tag, end)) {
                firstSample = firstSample < 0 ? tagAt : firstSample;
                samples++;
            }
        }
        cacheHits++;
        exemplarsSkipped += scanExemplars;
        histogramsSkipped += scanHistograms;
        if (samples == 0) {
            return true;
        }
        if (series == ids.length) {
            growSeries();
        }
        seriesStart[series] = firstSample;
        seriesEnd[series] = end;
        ids[series] = id;
        series++;
        samplesToStore += samples;
        return true;
    }

    private void startScan() {
        scanExemplars = 0;
        scanHistograms = 0;
    }

    /** A field of a series other than a label: checked and skipped; true if it was a sample, which the caller counts. */
    private boolean otherField(final int tag, final long end) {
        final ProtoCursor in = cursor;
        switch (tag >>> 3) {
            case SERIES_SAMPLES -> {
                in.expectWireType(tag, ProtoCursor.LENGTH_DELIMITED);
                scanSample(in.delimitedEnd(end));
                return true;
            }
            case SERIES_EXEMPLARS -> {
                in.expectWireType(tag, ProtoCursor.LENGTH_DELIMITED);
                in.position(in.delimitedEnd(end));
                scanExemplars++;
            }
            case SERIES_HISTOGRAMS -> {
                in.expectWireType(tag, ProtoCursor.LENGTH_DELIMITED);
                in.position(in.delimitedEnd(end));
                scanHistograms++;
            }
            default -> in.skip(tag & 7, end);
        }
        return false;
    }

    /**
     * Copies a label name or value; one of {@link #SHORT_COPY} bytes or less as two wide moves when the
     * source has that many readable bytes (the output keeps that much free past what is written).
     */
    private static void copy(final MemorySegment from, final long at, final MemorySegment to, final long into, final long length) {
        if (length <= SHORT_COPY && at <= from.byteSize() - SHORT_COPY) {
            to.set(ValueLayout.JAVA_LONG_UNALIGNED, into, from.get(ValueLayout.JAVA_LONG_UNALIGNED, at));
            to.set(ValueLayout.JAVA_LONG_UNALIGNED, into + Long.BYTES, from.get(ValueLayout.JAVA_LONG_UNALIGNED, at + Long.BYTES));
        } else {
            MemorySegment.copy(from, at, to, into, length);
        }
    }

    private void scanSample(final long end) {
        final ProtoCursor in = cursor;
        while (in.position() < end) {
            final int tag = in.tag(end);
            switch (tag >>> 3) {
                case SAMPLE_VALUE -> {
                    in.expectWireType(tag, ProtoCursor.FIXED64);
                    in.fixed64(end);
                }
                case SAMPLE_TIMESTAMP -> {
                    in.expectWireType(tag, ProtoCursor.VARINT);
                    in.varint(end);
                }
                default -> in.skip(tag & 7, end);
            }
        }
    }

    private void scanMetadata(final long end) {
        final ProtoCursor in = cursor;
        while (in.position() < end) {
            final int tag = in.tag(end);
            switch (tag >>> 3) {
                case METADATA_TYPE -> {
                    in.expectWireType(tag, ProtoCursor.VARINT);
                    in.varint(end);
                }
                case METADATA_FAMILY_NAME, METADATA_HELP, METADATA_UNIT -> {
                    in.expectWireType(tag, ProtoCursor.LENGTH_DELIMITED);
                    in.position(in.delimitedEnd(end));
                }
                default -> in.skip(tag & 7, end);
            }
        }
    }

    private void growSeries() {
        final int capacity = ids.length * 2;
        seriesStart = java.util.Arrays.copyOf(seriesStart, capacity);
        seriesEnd = java.util.Arrays.copyOf(seriesEnd, capacity);
        ids = java.util.Arrays.copyOf(ids, capacity);
    }

    private void growMisses() {
        final int capacity = missSeries.length * 2;
        missSeries = java.util.Arrays.copyOf(missSeries, capacity);
        labelOffsets = java.util.Arrays.copyOf(labelOffsets, capacity);
        labelLengths = java.util.Arrays.copyOf(labelLengths, capacity);
        keyAt = java.util.Arrays.copyOf(keyAt, capacity);
        keyLength = java.util.Arrays.copyOf(keyLength, capacity);
        missIds = new int[capacity];
        resolveScratch = new int[2 * capacity + 1];
    }

    /**
     * Pass two: resolves the good series the cache did not know through {@code appender} (misses overlapped), adds
     * their keys to {@code cache} (null: none), and appends every good series' samples. A new series that the
     * tenant's series limit refuses ({@link TenantAppender#SERIES_LIMITED}) is neither cached nor appended: its
     * samples are counted ({@link #samplesLimited}).
     */
    long appendSamples(final TenantAppender appender, final SeriesKeyCache cache) {
        final int count = series;
        if (count == 0) {
            return 0;
        }
        if (misses > 0) {
            appender.seriesAll(labels.segment(), labelOffsets, labelLengths, misses, missIds, resolveScratch);
            for (int m = 0; m < misses; m++) {
                ids[missSeries[m]] = missIds[m];
                if (missIds[m] == TenantAppender.SERIES_LIMITED) {
                    seriesLimited++;
                } else if (cache != null && keyLength[m] > 0) {
                    cache.add(body, keyAt[m], keyLength[m], missIds[m]);
                }
            }
        }
        final ProtoCursor in = cursor;
        long appended = 0;
        long limited = 0;
        for (int s = 0; s < count; s++) {
            final int id = ids[s];
            if (id == TenantAppender.SERIES_LIMITED) {
                limited += countSamples(in, seriesStart[s], seriesEnd[s]);
                continue;
            }
            final long end = seriesEnd[s];
            in.position(seriesStart[s]);
            while (in.position() < end) {
                final int tag = in.tag(end);
                if (tag >>> 3 != SERIES_SAMPLES) {
                    in.skip(tag & 7, end);
                    continue;
                }
                final long sampleEnd = in.delimitedEnd(end);
                long bits = 0;
                long timestamp = 0;
                while (in.position() < sampleEnd) {
                    final int field = in.tag(sampleEnd);
                    switch (field >>> 3) {
                        case SAMPLE_VALUE -> bits = in.fixed64(sampleEnd);
                        case SAMPLE_TIMESTAMP -> timestamp = in.varint(sampleEnd);
                        default -> in.skip(field & 7, sampleEnd);
                    }
                }
                appender.append(id, timestamp, Double.longBitsToDouble(bits));
                appended++;
            }
        }
        samplesLimited = limited;
        return appended;
    }

    /** The samples of the series at {@code [start, end)} of the body. */
    private static long countSamples(final ProtoCursor in, final long start, final long end) {
        long samples = 0;
        in.position(start);
        while (in.position() < end) {
            final int tag = in.tag(end);
            if (tag >>> 3 == SERIES_SAMPLES) {
                samples++;
            }
            in.skip(tag & 7, end);
        }
        return samples;
    }

    /** Hands each metadata entry of the last decoded request to {@code sink}; allocates its strings. */
    void forEachMetadata(final String tenant, final MetadataSink sink, final long length) {
        if (metadataCount == 0) {
            return;
        }
        MetadataReader.read(cursor, length, tenant, sink);
    }

    long samplesToStore() {
        return samplesToStore;
    }

    long samplesRejected() {
        return samplesRejected;
    }

    int seriesSkipped() {
        return seriesSkipped;
    }

    /** Series of the last {@link #appendSamples} that the tenant's series limit refused. */
    int seriesLimited() {
        return seriesLimited;
    }

    /** Their samples. */
    long samplesLimited() {
        return samplesLimited;
    }

    long exemplarsSkipped() {
        return exemplarsSkipped;
    }

    long histogramsSkipped() {
        return histogramsSkipped;
    }

    int metadataCount() {
        return metadataCount;
    }

    /** Series of the last decoded request found by their raw label bytes in the cache. */
    int cacheHits() {
        return cacheHits;
    }

    /** Series with samples of the last request that {@link #appendSamples} resolved through the index. */
    int slowSeries() {
        return misses;
    }

    String firstError() {
        return firstError;
    }

    @Override
    public void close() {
        labels.close();
    }

    /**
     * After an unusually large request: frees the label buffer if it grew past {@code keepBytes} and goes back to small
     * per-series arrays if they grew past {@code keepSeries}, so that one such request does not keep its memory.
     */
    public void trim(final long keepBytes, final int keepSeries) {
        labels.trim(keepBytes);
        if (ids.length > keepSeries || missSeries.length > keepSeries) {
            startArrays();
        }
    }
}
