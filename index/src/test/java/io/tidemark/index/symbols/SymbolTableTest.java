package io.tidemark.index.symbols;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.index.Concurrently;
import io.tidemark.memory.NativeAllocator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class SymbolTableTest {

    @Test
    void shouldInternOnceAndFindAgainAcrossResizesAndBlocks() {
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        try (SymbolTable symbols = new SymbolTable(allocator)) {
            final int n = 200_000;
            for (int i = 0; i < n; i++) {
                assertThat(symbols.intern("value-" + i + "-" + "x".repeat(i % 50))).isEqualTo(i);
            }
            assertThat(symbols.size()).isEqualTo(n);
            assertThat(symbols.nativeBytes()).isGreaterThan(SymbolTable.BLOCK_BYTES); // crossed a block boundary
            for (int i = 0; i < n; i += 997) {
                final String text = "value-" + i + "-" + "x".repeat(i % 50);
                assertThat(symbols.find(text)).isEqualTo(i);
                assertThat(symbols.intern(text)).isEqualTo(i);
                assertThat(symbols.string(i)).isEqualTo(text);
            }
            assertThat(symbols.find("absent")).isEqualTo(SymbolTable.NOT_FOUND);
            assertThat(symbols.intern("")).isEqualTo(n);
            assertThat(symbols.string(n)).isEmpty();
        }
        allocator.assertNoLeaks();
    }

    @Test
    void shouldCompareInUnsignedByteOrder() {
        try (SymbolTable symbols = new SymbolTable(NativeAllocator.withLimit(1L << 26))) {
            final int a = symbols.intern("a");
            final int ab = symbols.intern("ab");
            final int b = symbols.intern("b");
            final int accented = symbols.intern("é"); // 0xC3 0xA9: after every ASCII byte
            assertThat(symbols.compare(a, ab)).isNegative();
            assertThat(symbols.compare(ab, b)).isNegative();
            assertThat(symbols.compare(b, accented)).isNegative();
            assertThat(symbols.compare(b, b)).isZero();
        }
    }

    @Test
    void shouldRefuseSymbolsLongerThanTheLimit() {
        try (SymbolTable symbols = new SymbolTable(NativeAllocator.withLimit(1L << 26))) {
            assertThatThrownBy(() -> symbols.intern("y".repeat(SymbolTable.MAX_SYMBOL_BYTES + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max=65535");
            assertThat(symbols.intern("y".repeat(SymbolTable.MAX_SYMBOL_BYTES))).isZero();
        }
    }

    @Test
    void shouldGiveConcurrentInternersOfTheSameSymbolTheSameId() throws InterruptedException {
        try (SymbolTable symbols = new SymbolTable(NativeAllocator.withLimit(1L << 28))) {
            final Map<String, Integer> seen = new ConcurrentHashMap<>();
            final List<Throwable> failures = Concurrently.run(4, thread -> {
                final int offset = thread * 5_000;
                for (int i = 0; i < 40_000; i++) {
                    final String text = "s" + ((i + offset) % 30_000);
                    final int id = symbols.intern(text);
                    final Integer previous = seen.putIfAbsent(text, id);
                    if (previous != null && previous != id) {
                        throw new AssertionError(text + " got ids " + previous + " and " + id);
                    }
                    if (!symbols.string(id).equals(text)) {
                        throw new AssertionError("id " + id + " reads back " + symbols.string(id) + ", not " + text);
                    }
                }
            });
            assertThat(failures).isEmpty();
            assertThat(symbols.size()).isEqualTo(30_000);
            assertThat(seen.values()).doesNotHaveDuplicates();
        }
    }
}
