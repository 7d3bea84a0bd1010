package io.tidemark.server.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.server.remote.MetricMetadataStore.Entry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricMetadataStoreTest {
    @Test
    void shouldKeepEachFamilysDistinctEntriesNewestFirstPerTenant() {
        final MetricMetadataStore store = new MetricMetadataStore(100);
        store.metadata("a", 1, "http_requests_total", "Requests served.", "");
        store.metadata("a", 1, "http_requests_total", "Requests served.", ""); // a repeat changes nothing
        store.metadata("a", 2, "temperature", "Room temperature.", "celsius");
        store.metadata("a", 1, "http_requests_total", "Requests handled.", "");
        store.metadata("b", 5, "rpc_seconds", "RPC latency.", "seconds");
        store.metadata("a", 99, "odd", null, null);

        final Map<String, List<Entry>> a = store.read("a", null, -1, -1);
        assertThat(a.keySet()).containsExactly("http_requests_total", "odd", "temperature");
        assertThat(a.get("http_requests_total")).containsExactly(new Entry("counter", "Requests handled.", ""),
            new Entry("counter", "Requests served.", ""));
        assertThat(a.get("temperature")).containsExactly(new Entry("gauge", "Room temperature.", "celsius"));
        assertThat(a.get("odd")).as("an unknown type number").containsExactly(new Entry("unknown", "", ""));
        assertThat(store.read("b", "", -1, -1)).containsOnlyKeys("rpc_seconds");
        assertThat(store.read("b", null, -1, -1).get("rpc_seconds")).containsExactly(new Entry("summary", "RPC latency.", "seconds"));
        assertThat(store.read("nobody", null, -1, -1)).isEmpty();
        assertThat(store.stored()).isEqualTo(5);
        assertThat(store.families()).isEqualTo(4);

        // a repeat of an older entry makes it the newest again
        store.metadata("a", 1, "http_requests_total", "Requests served.", "");
        assertThat(store.read("a", "http_requests_total", -1, -1).get("http_requests_total").getFirst().help())
            .isEqualTo("Requests served.");
        assertThat(store.stored()).isEqualTo(5);
    }

    @Test
    void shouldReadWithPrometheusLimits() {
        final MetricMetadataStore store = new MetricMetadataStore(100);
        for (final String family : new String[] {"c", "a", "b"}) {
            store.metadata("t", 2, family, "one", "");
            store.metadata("t", 2, family, "two", "");
        }
        assertThat(store.read("t", null, 2, -1).keySet()).as("limit: the first families by name").containsExactly("a", "b");
        assertThat(store.read("t", null, 0, -1)).as("limit 0: none, as Prometheus").isEmpty();
        assertThat(store.read("t", null, -1, 1).get("c")).as("limit_per_metric").containsExactly(new Entry("gauge", "two", ""));
        assertThat(store.read("t", null, -1, 0).get("c")).as("limit_per_metric 0: no cap").hasSize(2);
        assertThat(store.read("t", "b", -1, -1)).containsOnlyKeys("b");
        assertThat(store.read("t", "missing", -1, -1)).isEmpty();
    }

    @Test
    void shouldBoundWhatBadInputCanMakeItHold() {
        final MetricMetadataStore store = new MetricMetadataStore(3);
        for (int i = 0; i < 5; i++) {
            store.metadata("t", 1, "family_" + i, "help", "");
        }
        assertThat(store.read("t", null, -1, -1)).hasSize(3);
        assertThat(store.droppedFamilies()).isEqualTo(2);
        store.metadata("other", 1, "family_9", "help", "");
        assertThat(store.read("other", null, -1, -1)).as("the bound is per tenant").hasSize(1);

        for (int i = 0; i < MetricMetadataStore.MAX_ENTRIES_PER_FAMILY + 3; i++) {
            store.metadata("t", 1, "family_0", "help " + i, "");
        }
        final List<Entry> entries = store.read("t", "family_0", -1, -1).get("family_0");
        assertThat(entries).hasSize(MetricMetadataStore.MAX_ENTRIES_PER_FAMILY);
        assertThat(entries.getFirst().help()).isEqualTo("help " + (MetricMetadataStore.MAX_ENTRIES_PER_FAMILY + 2));
        assertThat(store.replaced()).isEqualTo(4);

        store.metadata("t", 1, "family_1", "x".repeat(MetricMetadataStore.MAX_TEXT_CHARS + 10), "");
        assertThat(store.read("t", "family_1", -1, -1).get("family_1").getFirst().help()).hasSize(MetricMetadataStore.MAX_TEXT_CHARS);
        assertThat(store.cutTexts()).isEqualTo(1);
        store.metadata("t", 1, "", "no family name", "");
        assertThat(store.read("t", null, -1, -1)).hasSize(3);
        assertThatThrownBy(() -> new MetricMetadataStore(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNameTypesAsPrometheusDoes() {
        assertThat(MetricMetadataStore.typeName(4)).isEqualTo("gaugehistogram");
        assertThat(MetricMetadataStore.typeName(7)).isEqualTo("stateset");
        assertThat(MetricMetadataStore.typeName(-1)).isEqualTo("unknown");
        assertThat(MetricMetadataStore.typeNumber("untyped")).isZero();
        assertThat(MetricMetadataStore.typeNumber("histogram")).isEqualTo(3);
        assertThat(MetricMetadataStore.typeNumber("bogus")).isEqualTo(-1);
    }
}
