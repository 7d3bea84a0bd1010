package io.tidemark.server.tcp;

import io.tidemark.client.protocol.ErrorCode;
import io.tidemark.client.protocol.ErrorFrame;
import io.tidemark.client.protocol.FrameReader;
import io.tidemark.client.protocol.FrameWriter;
import io.tidemark.client.protocol.MessageType;
import io.tidemark.client.protocol.Protocol;
import io.tidemark.client.protocol.ProtocolException;
import io.tidemark.client.protocol.RegisteredFrame;
import io.tidemark.client.protocol.WriteAckFrame;
import io.tidemark.client.protocol.WriteFrame;
import io.tidemark.engine.db.DiskFullException;
import io.tidemark.engine.db.SeriesLimitException;
import io.tidemark.engine.db.TenantAppender;
import io.tidemark.engine.head.HeadShard;
import io.tidemark.index.series.LabelSetLayout;
import io.tidemark.ingest.BatchListener;
import io.tidemark.ingest.RingFullException;
import io.tidemark.memory.NativeMemoryLimitException;
import io.tidemark.server.remote.InvalidSeries;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.collections.Int2IntHashMap;

/**
 * A connection's writes: the handle table that REGISTER fills, WRITE turned into ring batches in place, and the
 * writes in flight until the {@link Acknowledger} sees them applied or durable.
 *
 * <p>Threads: {@link #register}, {@link #write} and {@link #writeAnswers} run on the connection's event loop;
 * {@link #advance} on the acknowledger thread; {@link #refused} and {@link #applied} on shard threads. The ring of
 * {@link PendingWrite}s is published by the volatile {@link #tail} (event loop); an APPLIED write is due once the
 * shards have applied all its batches (the shard applying the last one asks the event loop to answer, with no other
 * thread in between), a DURABLE one once the acknowledger has moved the volatile {@link #completed} past it; the event
 * loop answers in order and frees entries from {@link #head}.
 *
 * <p>A WRITE of known handles allocates nothing: the columns are read in place, the series ids come from an
 * {@code int[]}, and the entry and its arrays are reused.
 */
final class TcpWrites implements BatchListener {
    private static final int NOT_BOUND = -1;
    private static final byte[] METRIC_NAME = "__name__".getBytes(StandardCharsets.US_ASCII);
    private static final MemorySegment METRIC_NAME_SEGMENT = MemorySegment.ofArray(METRIC_NAME);

    private final TenantAppender appender;
    private final TcpLimits limits;
    private final TcpMetrics metrics;
    private final PendingWrite[] ring;
    private final int mask;
    private int[] handleToSeries = new int[64];
    /** Series id to the handle bound to it last; event loop only (acknowledgements name handles). */
    private final Int2IntHashMap seriesToHandle = new Int2IntHashMap(NOT_BOUND);
    private MemorySegment labels = MemorySegment.ofArray(new byte[256]);
    private long head;
    private volatile long tail;
    private volatile long completed;
    private long credits;
    /** Asks the event loop to send the answers that became due (a shard thread applied a write's last batch). */
    private final Runnable onApplied;
    /** DURABLE writes not yet answered: the acknowledger watches the watermarks only while there are some. */
    private volatile int durablePending;

    TcpWrites(final TenantAppender appender, final TcpLimits limits, final TcpMetrics metrics, final Runnable onApplied) {
        this.appender = appender;
        this.onApplied = onApplied;
        this.limits = limits;
        this.metrics = metrics;
        final int size = Integer.highestOneBit(Math.max(1, limits.maxInFlightWrites() - 1)) << 1;
        this.ring = new PendingWrite[size];
        for (int i = 0; i < size; i++) {
            ring[i] = new PendingWrite(appender.shards());
        }
        this.mask = size - 1;
        this.credits = limits.credits();
        Arrays.fill(handleToSeries, NOT_BOUND);
    }

    /** Writes in flight: taken and not yet answered. */
    int inFlight() {
        return (int) (tail - head);
    }

    /** Handles REGISTER (the reader stands at its body) and writes REGISTERED. Registration may allocate. */
    void register(final FrameReader in, final FrameWriter out) {
        final long requestId = in.i64();
        final int count = in.u32Max(in.remaining() / 6, "REGISTER entry count");
        int registered = 0;
        List<RegisteredFrame.Refusal> refusals = null;
        for (int i = 0; i < count; i++) {
            final long handle = in.u32();
            final String problem = canonicalLabels(in);
            final String refusal;
            final int code;
            if (handle >= limits.maxSeriesHandles()) {
                code = ErrorCode.HANDLE_OUT_OF_RANGE;
                refusal = "handle " + handle + " is not below maxSeriesHandles " + limits.maxSeriesHandles();
            } else if (problem != null) {
                code = ErrorCode.INVALID_LABELS;
                refusal = problem;
                bind((int) handle, NOT_BOUND);
            } else {
                int id;
                String limited = null;
                try {
                    id = appender.series(labels, 0, labelsLength);
                } catch (final SeriesLimitException e) {
                    id = NOT_BOUND;
                    limited = e.getMessage();
                }
                bind((int) handle, id);
                if (limited != null) {
                    code = ErrorCode.SERIES_LIMIT;
                    refusal = limited;
                } else {
                    code = 0;
                    refusal = null;
                    registered++;
                }
            }
            if (refusal != null) {
                if (refusals == null) {
                    refusals = new ArrayList<>();
                }
                refusals.add(new RegisteredFrame.Refusal((int) handle, code, refusal));
            }
        }
        in.expectEnd();
        new RegisteredFrame(requestId, registered, refusals == null ? List.of() : refusals).encode(out);
    }

    private int labelsLength;

    /**
     * Reads one entry's labels, checks them as remote write does ({@link InvalidSeries}) and writes their canonical
     * form ({@link LabelSetLayout}) into {@link #labels}; returns null, or what is wrong.
     */
    private String canonicalLabels(final FrameReader in) {
        final int count = in.u16();
        final MemorySegment frame = in.segment();
        int problem = InvalidSeries.NONE;
        long previousName = -1;
        long previousLength = 0;
        long write = LabelSetLayout.LENGTH_BYTES;
        int written = 0;
        boolean metricName = false;
        String firstName = null;
        for (int i = 1; i <= count; i++) {
            final long name = in.string16At();
            final int nameLength = in.lastLength();
            final long value = in.string16At();
            final int valueLength = in.lastLength();
            if (problem != InvalidSeries.NONE) {
                continue;
            }
            problem = InvalidSeries.check(frame, name, nameLength, value, valueLength, previousName, previousLength, i,
                limits.maxLabelsPerSeries());
            if (problem != InvalidSeries.NONE) {
                firstName = new String(frame.asSlice(name, nameLength).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
                continue;
            }
            if (valueLength > 0) {
                metricName |= nameLength == METRIC_NAME.length
                    && MemorySegment.mismatch(frame, name, name + nameLength, METRIC_NAME_SEGMENT, 0, nameLength) < 0;
                ensureLabels(write + 4L + nameLength + valueLength);
                labels.set(LabelSetLayout.U16, write, (short) nameLength);
                MemorySegment.copy(frame, name, labels, write + 2, nameLength);
                write += 2 + nameLength;
                labels.set(LabelSetLayout.U16, write, (short) valueLength);
                MemorySegment.copy(frame, value, labels, write + 2, valueLength);
                write += 2 + valueLength;
                written++;
            }
            previousName = name;
            previousLength = nameLength;
        }
        if (problem == InvalidSeries.NONE && !metricName) {
            problem = count == 0 ? InvalidSeries.EMPTY_LABEL_SET : InvalidSeries.NO_METRIC_NAME;
        }
        if (problem != InvalidSeries.NONE) {
            return describe(problem, firstName);
        }
        labels.set(LabelSetLayout.U16, 0, (short) written);
        labelsLength = (int) write;
        return null;
    }

    private static String describe(final int problem, final String name) {
        return switch (problem) {
            case InvalidSeries.EMPTY_LABEL_SET -> "no labels";
            case InvalidSeries.NO_METRIC_NAME -> "no __name__ label with a value";
            case InvalidSeries.EMPTY_NAME -> "a label with an empty name";
            case InvalidSeries.INVALID_UTF8 -> "label " + name + ": not valid UTF-8";
            case InvalidSeries.UNSORTED -> "labels not sorted by name: " + name + " comes too late";
            case InvalidSeries.DUPLICATE_NAME -> "duplicated label " + name;
            case InvalidSeries.TOO_MANY_LABELS -> "more labels than the limit";
            default -> "label " + name + " breaks a rule (" + problem + ")";
        };
    }

    private void ensureLabels(final long bytes) {
        if (bytes > labels.byteSize()) {
            final MemorySegment grown = MemorySegment.ofArray(new byte[(int) Math.max(bytes, labels.byteSize() * 2)]);
            MemorySegment.copy(labels, 0, grown, 0, labels.byteSize());
            labels = grown;
        }
    }

    private void bind(final int handle, final int series) {
        if (handle >= handleToSeries.length) {
            if (series == NOT_BOUND) {
                return;
            }
            final int size = (int) Math.min(limits.maxSeriesHandles(), Math.max((long) handle + 1, handleToSeries.length * 2L));
            final int old = handleToSeries.length;
            handleToSeries = Arrays.copyOf(handleToSeries, size);
            Arrays.fill(handleToSeries, old, size, NOT_BOUND);
        }
        handleToSeries[handle] = series;
        if (series != NOT_BOUND) {
            seriesToHandle.put(series, handle);
        }
    }

    /**
     * Handles WRITE (the reader stands at its body): checks it, appends its samples by handle, commits, and queues
     * its answer. Throws {@link ProtocolException} for what closes the connection; a refused batch (full ring, full
     * disk) is answered with ERROR in its turn.
     */
    void write(final FrameReader in, final Acknowledger acknowledger) {
        final long requestId = in.i64();
        final int durability = in.u8();
        in.reserved(3);
        final long n = in.u32();
        final long frame = in.frameStart();
        final MemorySegment bytes = in.segment();
        final long length = in.position() + in.remaining() - frame;
        if (n < 1 || n > Integer.MAX_VALUE / 32 || WriteFrame.frameBytes((int) n) != length) {
            throw FrameReader.malformed("WRITE: " + n + " samples do not make a " + length + "-byte frame");
        }
        final int count = (int) n;
        if (durability != WriteFrame.APPLIED && durability != WriteFrame.DURABLE) {
            throw FrameReader.malformed("WRITE: durability " + durability + " is neither 0 (applied) nor 1 (durable)");
        }
        if ((count & 1) != 0 && bytes.get(Protocol.U32, frame + WriteFrame.HANDLES + 4L * count) != 0) {
            throw FrameReader.malformed("WRITE: the padding after the handles must be 0");
        }
        if (count > credits) {
            throw new ProtocolException(ErrorCode.CREDITS_EXCEEDED, "WRITE of " + count + " samples with " + credits
                + " credits left");
        }
        if (inFlight() >= limits.maxInFlightWrites()) {
            throw new ProtocolException(ErrorCode.TOO_MANY_IN_FLIGHT, "more than " + limits.maxInFlightWrites()
                + " WRITEs unanswered");
        }
        final long slot = tail;
        final PendingWrite entry = ring[(int) (slot & mask)];
        entry.reset(slot, requestId, count, durability);
        credits -= count;
        metrics.samplesReceived.addAndGet(count);
        appender.reportRefusals(this, slot);
        final long batchesBefore = appender.batchesPublished();
        final long handles = frame + WriteFrame.HANDLES;
        final long timestamps = frame + WriteFrame.timestampsOffset(count);
        final long values = frame + WriteFrame.valuesOffset(count);
        final int[] table = handleToSeries;
        try {
            for (int i = 0; i < count; i++) {
                final int handle = bytes.get(Protocol.U32, handles + 4L * i);
                final long timestamp = bytes.get(Protocol.I64, timestamps + 8L * i);
                final int series = handle >= 0 && handle < table.length ? table[handle] : NOT_BOUND;
                if (series == NOT_BOUND) {
                    entry.refuse(~Integer.toUnsignedLong(handle), ErrorCode.REFUSED_UNKNOWN_HANDLE, timestamp);
                } else {
                    appender.append(series, timestamp, bytes.get(Protocol.F64, values + 8L * i));
                }
            }
            appender.commit();
        } catch (final RingFullException e) {
            appender.discard();
            entry.fail(ErrorCode.OVERLOADED, "the ingest ring stayed full; send the WRITE again later: " + e.getMessage());
        } catch (final DiskFullException | NativeMemoryLimitException e) {
            appender.discard();
            entry.fail(ErrorCode.UNAVAILABLE, e.getMessage());
        } catch (final RuntimeException e) {
            appender.discard();
            entry.fail(ErrorCode.INTERNAL, "write failed: " + e);
        }
        appender.published(entry.sequences);
        entry.expectedBatches = (int) (appender.batchesPublished() - batchesBefore);
        if (durability == WriteFrame.DURABLE) {
            durablePending++; // event loop only; volatile for the acknowledger
        }
        tail = slot + 1; // publishes the entry to the acknowledger
        if (durability == WriteFrame.DURABLE) {
            acknowledger.wake();
        }
    }

    /**
     * Acknowledger thread: marks as completed every write, in order, that is done: a DURABLE one once the shards'
     * durable watermarks have passed its batches, an APPLIED one once its batches are applied. Returns true if any was
     * completed.
     */
    boolean advance() {
        final long end = tail;
        final long from = completed;
        long done = from;
        while (done < end) {
            final PendingWrite entry = ring[(int) (done & mask)];
            if (entry.errorCode == 0) {
                if (entry.durability == WriteFrame.APPLIED) {
                    if (!entry.allApplied()) {
                        break;
                    }
                } else {
                    try {
                        if (!entry.allApplied() || !appender.reached(entry.sequences, true)) {
                            break;
                        }
                    } catch (final IllegalStateException stopped) {
                        entry.fail(ErrorCode.INTERNAL, stopped.getMessage());
                    }
                }
            }
            done++;
        }
        if (done == from) {
            return false;
        }
        completed = done;
        return true;
    }

    /** True while some DURABLE write waits for a watermark. */
    boolean waiting() {
        return durablePending > 0 && completed < tail;
    }

    /** True if the write at {@code index} (not yet answered) may be answered now. */
    private boolean due(final long index, final PendingWrite entry) {
        return index < completed || entry.errorCode != 0
            || entry.durability == WriteFrame.APPLIED && entry.allApplied();
    }

    /** Event loop: writes the answer of every completed write, in order, and gives its credits back; returns how many. */
    int writeAnswers(final FrameWriter out) {
        final long end = tail;
        int answered = 0;
        while (head < end) {
            final PendingWrite entry = ring[(int) (head & mask)];
            if (!due(head, entry)) {
                break;
            }
            if (entry.durability == WriteFrame.DURABLE) {
                durablePending--;
            }
            synchronized (entry) {
                if (entry.errorCode != 0) {
                    new ErrorFrame(entry.requestId, entry.errorCode, entry.errorMessage).encode(out);
                    metrics.writesFailed.incrementAndGet();
                } else {
                    WriteAckFrame.encodeHead(out, entry.requestId, entry.durability,
                        entry.truncated ? WriteAckFrame.DETAILS_TRUNCATED : 0, entry.details, entry.count - entry.refused,
                        entry.refused, entry.count);
                    for (int i = 0; i < entry.details; i++) {
                        final long key = entry.keys[i];
                        final int handle = key >= 0 ? seriesToHandle.get((int) key) : (int) ~key;
                        WriteAckFrame.encodeDetail(out, handle, entry.reasons[i], entry.samples[i], entry.firstTimestamps[i]);
                    }
                    out.end();
                    metrics.writesAcknowledged.incrementAndGet();
                    metrics.samplesRefused.addAndGet(entry.refused);
                }
                entry.tag = PendingWrite.FREE;
            }
            credits += entry.count;
            head++;
            answered++;
        }
        return answered;
    }

    /** Shard threads: a batch of the write tagged {@code tag} is applied; the last one of an APPLIED write answers it. */
    @Override
    public void applied(final long tag) {
        final PendingWrite entry = ring[(int) (tag & mask)];
        final boolean last;
        synchronized (entry) { // the check and the count together: the entry may be reused once answered (by an ERROR)
            if (entry.tag != tag) {
                return;
            }
            last = entry.appliedBatches.incrementAndGet() == entry.expectedBatches && entry.durability == WriteFrame.APPLIED;
        }
        if (last) {
            onApplied.run();
        }
    }

    /** Shard threads: a sample of the write tagged {@code tag} was refused. */
    @Override
    public void refused(final long tag, final int seriesId, final long timestamp, final int reason) {
        final PendingWrite entry = ring[(int) (tag & mask)];
        synchronized (entry) {
            if (entry.tag != tag) {
                metrics.lateRefusals.incrementAndGet();
                return;
            }
            entry.refuse(seriesId, reasonCode(reason), timestamp);
        }
    }

    private static int reasonCode(final int headResult) {
        return switch (headResult) {
            case HeadShard.OUT_OF_ORDER -> ErrorCode.REFUSED_OUT_OF_ORDER;
            case HeadShard.DUPLICATE_TIMESTAMP -> ErrorCode.REFUSED_DUPLICATE_TIMESTAMP;
            default -> ErrorCode.REFUSED_OUT_OF_BOUNDS;
        };
    }

    /** The type this handles, for dispatch. */
    static boolean handles(final int type) {
        return type == MessageType.WRITE || type == MessageType.REGISTER;
    }
}
