package io.tidemark.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedFileTest {

    @Test
    void shouldPersistWritesAndCountMappedBytes(@TempDir final Path dir) throws IOException {
        final NativeAllocator allocator = NativeAllocator.withLimit(1 << 20);
        final Path file = dir.resolve("data.bin");
        try (MappedFile mapped = MappedFile.openReadWrite(allocator, file, 4096)) {
            assertThat(allocator.bytesInUse(MemoryTag.MAPPED_FILES)).isEqualTo(4096);
            mapped.segment().set(ValueLayout.JAVA_LONG_UNALIGNED, 100, 0x1122334455667788L);
            mapped.force();
        }
        assertThat(allocator.totalBytesInUse()).isZero();
        assertThat(Files.size(file)).isEqualTo(4096);
        try (MappedFile mapped = MappedFile.openReadOnly(allocator, file)) {
            assertThat(mapped.segment().get(ValueLayout.JAVA_LONG_UNALIGNED, 100)).isEqualTo(0x1122334455667788L);
        }
        assertThat(allocator.totalBytesInUse()).isZero();
    }
}
