package io.tidemark.engine.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.tiering.block.BlockFileSystem;
import io.tidemark.tiering.block.BlockId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeletionsFileTest {
    @TempDir
    Path directory;

    private static Deletions sample() {
        return new Deletions(List.of(
            new Deletion(List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "job", "node"),
                LabelMatcher.of(LabelMatcher.Type.REGEX, "instance", "host-[0-9]+|ünïcödé")), -5, 1_000,
                Set.of(BlockId.of(1, 2), BlockId.of(3, 4))),
            new Deletion(List.of(LabelMatcher.of(LabelMatcher.Type.NOT_REGEX, "__name__", ".*_bucket"),
                LabelMatcher.of(LabelMatcher.Type.NOT_EQUAL, "a", "")), Long.MIN_VALUE, Long.MAX_VALUE, Set.of())));
    }

    private static byte[] bytes(final Deletions deletions) {
        final ByteBuffer buffer = DeletionsFile.encode(deletions);
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    @Test
    void shouldRoundTripThroughTheFileAndReplaceItWhole() throws IOException {
        final Path file = directory.resolve(DeletionsFile.NAME);
        assertThat(DeletionsFile.read(file)).as("no file: none").isSameAs(Deletions.EMPTY);
        DeletionsFile.write(BlockFileSystem.DEFAULT, file, sample());
        final Deletions read = DeletionsFile.read(file);
        assertThat(read.list()).isEqualTo(sample().list());
        assertThat(read.deleted(new String[] {"a", "x", "instance", "host-7", "job", "node"}))
            .containsExactly(Long.MIN_VALUE, Long.MAX_VALUE);
        assertThat(read.deleted(new String[] {"instance", "host-7", "job", "node"})).as("a is missing: a!=\"\" fails").containsExactly(-5, 1_000);
        DeletionsFile.write(BlockFileSystem.DEFAULT, file, Deletions.EMPTY);
        assertThat(DeletionsFile.read(file).list()).isEmpty();
        assertThat(directory.resolve(DeletionsFile.NAME + ".tmp")).doesNotExist();
    }

    @Test
    void shouldDeleteALeftOverTemporaryFileOnRead() throws IOException {
        final Path file = directory.resolve(DeletionsFile.NAME);
        Files.write(directory.resolve(DeletionsFile.NAME + ".tmp"), new byte[] {1, 2, 3});
        assertThat(DeletionsFile.read(file)).isSameAs(Deletions.EMPTY);
        assertThat(directory.resolve(DeletionsFile.NAME + ".tmp")).doesNotExist();
    }

    @Test
    void shouldNameTheFileAndAnOffsetForEveryDamagedByteAndEveryTruncation() {
        final Path file = directory.resolve(DeletionsFile.NAME);
        final byte[] good = bytes(sample());
        for (int i = 0; i < good.length; i++) {
            final byte[] bad = good.clone();
            bad[i] ^= 0x40;
            assertThatThrownBy(() -> DeletionsFile.decode(file, bad)).as("byte %d flipped", i)
                .isInstanceOf(IOException.class).hasMessageContaining(file.toString()).hasMessageContaining("damaged at offset");
        }
        for (int length = 0; length < good.length; length++) {
            final byte[] cut = Arrays.copyOf(good, length);
            assertThatThrownBy(() -> DeletionsFile.decode(file, cut)).as("cut to %d bytes", length)
                .isInstanceOf(IOException.class).hasMessageContaining("damaged at offset");
        }
    }

    @Test
    void shouldRetirePendingBlocksThatAreGoneAndDeletionsSealedPast() {
        final Deletions deletions = sample();
        assertThat(deletions.retire(Set.of(BlockId.of(1, 2), BlockId.of(3, 4)), 2_000)).as("blocks still there").isSameAs(deletions);
        final Deletions one = deletions.retire(Set.of(BlockId.of(3, 4)), 2_000);
        assertThat(one.list()).hasSize(2);
        assertThat(one.list().getFirst().pending()).containsExactly(BlockId.of(3, 4));
        final Deletions sealed = deletions.retire(Set.of(), 1_001);
        assertThat(sealed.list()).as("the first is applied everywhere; the second reaches to the end of time").hasSize(1);
        assertThat(sealed.list().getFirst().maxTime()).isEqualTo(Long.MAX_VALUE);
        assertThat(deletions.retire(Set.of(), 1_000).list()).as("sealed through 1000 means t < 1000: not yet past 1000").hasSize(2);
    }
}
