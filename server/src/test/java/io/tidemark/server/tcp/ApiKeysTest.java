package io.tidemark.server.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {
    private static final String ANY = "k-any-tenant-0123456789";
    private static final String ACME = "k-acme-only-0123456789";

    @TempDir
    Path dir;

    private Path file(final String text) throws IOException {
        return Files.writeString(dir.resolve("keys-" + text.hashCode()), text);
    }

    @Test
    void shouldTakeOnlyItsKeysAndEachOnlyForItsTenants() throws IOException {
        final ApiKeys keys = ApiKeys.load(file("# keys of the binary protocol\n\n" + ANY + "\n  " + ACME + "   acme,acme-eu  \n"));
        assertThat(keys.open()).isFalse();
        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.allows(ANY, "default")).isTrue();
        assertThat(keys.allows(ANY, "acme")).isTrue();
        assertThat(keys.allows(ACME, "acme")).isTrue();
        assertThat(keys.allows(ACME, "acme-eu")).isTrue();
        assertThat(keys.allows(ACME, "default")).as("a key bound to tenants").isFalse();
        assertThat(keys.allows("", "default")).isFalse();
        assertThat(keys.allows(ANY + "x", "default")).isFalse();
        assertThat(keys.allows(ANY.substring(1), "default")).isFalse();
        assertThat(ApiKeys.OPEN.open()).isTrue();
        assertThat(ApiKeys.OPEN.allows("", "anything")).isTrue();
    }

    @Test
    void shouldRefuseAFileThatWouldLeaveThePortOpenOrIsMalformedNamingTheLine() throws IOException {
        assertThatThrownBy(() -> ApiKeys.load(file("# only a comment\n\n"))).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("no API key");
        assertThatThrownBy(() -> ApiKeys.load(file(ANY + "\nshort\n"))).hasMessageContaining("line 2: a key is 16 to 4096");
        assertThatThrownBy(() -> ApiKeys.load(file(ANY + " acme extra\n"))).hasMessageContaining("line 1: expected");
        assertThatThrownBy(() -> ApiKeys.load(file(ANY + "\n" + ANY + "\n"))).hasMessageContaining("line 2: the key is given twice");
        assertThatThrownBy(() -> ApiKeys.load(file(ANY + " acme,,b\n"))).hasMessageContaining("empty tenant name");
        assertThatThrownBy(() -> ApiKeys.load(file("k\u00e9y-with-accent-0123456789\n"))).hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> ApiKeys.load(dir.resolve("missing"))).isInstanceOf(IOException.class);
    }
}
