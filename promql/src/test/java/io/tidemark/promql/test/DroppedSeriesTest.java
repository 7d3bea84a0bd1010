package io.tidemark.promql.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.promql.eval.Labels;
import org.junit.jupiter.api.Test;

class DroppedSeriesTest {

    @Test
    void shouldSkipAnEvalWhoseSelectorsCouldReadADroppedSeriesAnywhereInTheQuery() {
        final DroppedSeries dropped = new DroppedSeries();
        dropped.add(SeriesDescription.labelsOf("http_requests{job=\"api\", instance=\"h1\"} {{schema:0 sum:1 count:1}}"),
            DroppedSeries.HISTOGRAMS);
        assertThat(dropped.reasonSelected("http_requests")).isEqualTo(DroppedSeries.HISTOGRAMS);
        assertThat(dropped.reasonSelected("{__name__=~\"http_.+\"}")).isEqualTo(DroppedSeries.HISTOGRAMS);
        assertThat(dropped.reasonSelected("sum by (job) (rate(http_requests{job!=\"x\"}[5m]))"))
            .isEqualTo(DroppedSeries.HISTOGRAMS);
        assertThat(dropped.reasonSelected("max_over_time(http_requests[10m:1m])")).isEqualTo(DroppedSeries.HISTOGRAMS);
        assertThat(dropped.reasonSelected("topk(scalar(http_requests{instance=\"h1\"}), other)"))
            .isEqualTo(DroppedSeries.HISTOGRAMS);
        assertThat(dropped.reasonSelected("other / on(job) http_requests")).isEqualTo(DroppedSeries.HISTOGRAMS);
    }

    @Test
    void shouldRunAnEvalNoneOfWhoseSelectorsMatchesADroppedSeries() {
        final DroppedSeries dropped = new DroppedSeries();
        dropped.add(SeriesDescription.labelsOf("http_requests{job=\"api\", instance=\"h1\"} {{count:1}}"),
            DroppedSeries.HISTOGRAMS);
        assertThat(dropped.reasonSelected("http_requests{instance!=\"h1\"}")).isNull();
        assertThat(dropped.reasonSelected("http_requests{missing=\"x\"}")).isNull();
        assertThat(dropped.reasonSelected("sum(other) + 1")).isNull();
        assertThat(dropped.reasonSelected("vector(1)")).isNull();
    }

    @Test
    void shouldDropTheCustomBucketHistogramsThatLoadWithNhcbDerives() {
        final DroppedSeries dropped = new DroppedSeries();
        dropped.addCustomBucketHistogramOf(Labels.of("__name__", "lat_bucket", "le", "0.1", "job", "a"));
        dropped.addCustomBucketHistogramOf(Labels.of("__name__", "lat_count", "job", "a"));
        dropped.addCustomBucketHistogramOf(Labels.of("__name__", "other", "job", "a"));
        assertThat(dropped.reasonSelected("lat")).isEqualTo(DroppedSeries.HISTOGRAMS);
        assertThat(dropped.reasonSelected("lat{le=\"\"}")).isEqualTo(DroppedSeries.HISTOGRAMS);
        assertThat(dropped.reasonSelected("histogram_quantile(0.5, lat_bucket)")).isNull();
        assertThat(dropped.reasonSelected("lat_count")).isNull();
        assertThat(dropped.reasonSelected("other")).isNull();
    }

    @Test
    void shouldReadTheLabelsOfStartTimestampLines() {
        assertThat(SeriesDescription.kind("m{a=\"b\"}@st _ _ -1mx3")).isEqualTo(SeriesDescription.Kind.START_TIMESTAMPS);
        assertThat(SeriesDescription.labelsOf("m{a=\"b\"}@st _ _ -1mx3")).isEqualTo(Labels.of("__name__", "m", "a",
            "b"));
        assertThat(SeriesDescription.kind("m 1 2 {{count:1}}")).isEqualTo(SeriesDescription.Kind.NATIVE_HISTOGRAMS);
        assertThat(SeriesDescription.kind("m{a=\"{{\"} 1 2")).isEqualTo(SeriesDescription.Kind.FLOATS);
    }
}
