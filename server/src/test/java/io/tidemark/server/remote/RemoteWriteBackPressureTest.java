package io.tidemark.server.remote;

import static io.tidemark.server.remote.RemoteWriteTestDatabase.TENANT;
import static io.tidemark.server.remote.RemoteWriteTestDatabase.good;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.engine.wal.Durability;
import io.tidemark.engine.wal.WalConfig;
import io.tidemark.ingest.IngestConfig;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteWriteBackPressureTest {
    @TempDir
    Path data;

    @Test
    void shouldAnswerUnavailableWhenTheIngestRingIsFull() throws Exception {
        // One shard with a ring of two one-sample batches that refuses at once: a request of thousands of
        // samples fills it long before the shard thread (fsyncing its WAL) drains it.
        final TidemarkConfig config = TidemarkConfig.defaults(data)
            .withIngest(new IngestConfig(1, 2, 1, IngestConfig.BackPressure.REFUSE, 0, IngestConfig.Idle.SLEEP))
            .withWal(WalConfig.defaults().withDurability(Durability.FSYNC).withSegmentBytes(1 << 20));
        final WriteRequests request = new WriteRequests();
        for (int i = 0; i < 500; i++) {
            request.add(good(i, 10));
        }
        final byte[] body = request.body();
        final NativeAllocator allocator = NativeAllocator.withLimit(NativeAllocator.UNLIMITED);
        try (Tidemark db = Tidemark.open(config);
             RemoteWriteIngest ingest = new RemoteWriteIngest(db, RemoteWriteLimits.DEFAULT, allocator, null)) {
            final RemoteWriteResult result = ingest.ingest(TENANT, MemorySegment.ofArray(body), 0, body.length);

            assertThat(result.outcome()).as(result.toString()).isEqualTo(RemoteWriteResult.Outcome.UNAVAILABLE);
            assertThat(result.httpStatus()).isEqualTo(503);
            assertThat(result.clientError()).isFalse();
            assertThat(result.error()).contains("ring").contains("full");
        }
        allocator.assertNoLeaks();
    }
}
