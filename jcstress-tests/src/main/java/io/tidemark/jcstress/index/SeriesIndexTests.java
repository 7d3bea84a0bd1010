package io.tidemark.jcstress.index;

import static io.tidemark.jcstress.index.PreparedSeries.NOT_SEEN;
import static io.tidemark.jcstress.index.PreparedSeries.SEEN_WHOLE;
import static io.tidemark.jcstress.index.PreparedSeries.THREW;
import static io.tidemark.jcstress.index.PreparedSeries.equal;
import static io.tidemark.jcstress.index.PreparedSeries.idsAre;
import static io.tidemark.jcstress.index.PreparedSeries.selector;

import io.tidemark.index.SeriesIndex;
import io.tidemark.index.matchers.LabelMatcher;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Concurrency scenarios for {@link SeriesIndex}: creators take the registry's write lock and make a
 * series visible (a release store of the id watermark) only after its record and postings are
 * written; readers never lock and ignore ids at or above the watermark; removal marks ids removed,
 * replaces the postings lists they were on and frees the old lists through reader epochs.
 *
 * <p>Each state uses a {@link SharedSeriesIndexes} lease: a small index shared with other states and
 * labels of its own, made unique by the lease's serial (a metric name, an {@code instance} value or
 * a label name), so a state's outcome depends only on its own actors. Labels every state shares
 * ({@code __name__} of a family, {@code job="node"}) make the postings lists the selections
 * intersect long and shared, as in a real index. Ids differ from state to state, so actors keep
 * them in fields and the arbiter records only whether they agree.
 *
 * <p>Reader codes in the results are {@link PreparedSeries}'s: {@code 0} not seen, {@code 1} seen
 * with the right id and labels, {@code 2} a wrong id or labels, {@code 3} more than one id,
 * {@code -1} the read threw (for instance "postings list is closed").
 *
 * <p>The scenario classes are not final because the jcstress annotation processor refuses final
 * {@link State} classes.
 */
public final class SeriesIndexTests {
    private static final String NAME = SeriesIndex.METRIC_NAME;
    /** Leases per index for scenarios that only create: creating costs about the same whatever the index holds. */
    private static final int CREATING_STATES_PER_INDEX = 1024;
    /** Leases per index where each state adds a label name: names grow past 64 and 128, and listing them stays cheap. */
    private static final int ENUMERATING_STATES_PER_INDEX = 128;
    /** Leases per index for scenarios that remove: a removal rebuilds lists as long as the index. */
    private static final int REMOVING_STATES_PER_INDEX = 128;

    private SeriesIndexTests() {
    }

    static int getOrCreateOrThrew(final PreparedSeries series, final SeriesIndex index) {
        try {
            return series.getOrCreate(index);
        } catch (final RuntimeException threw) {
            return THREW;
        }
    }

    static int removeOrThrew(final SeriesIndex index, final int id) {
        try {
            return index.remove(new int[] {id});
        } catch (final RuntimeException threw) {
            return THREW;
        }
    }

    /**
     * Two threads create the same new label set at once. The lock-free lookup misses for both (or
     * meets the id being created, which it does not return); under the write lock the second finds
     * the first's series. Both get one id and the index holds one series for the metric. That the
     * whole index grew by exactly one series per state ({@link SeriesIndex#size()}) is checked when
     * the last state on it finishes ({@link SharedSeriesIndexes}): while states run, other states'
     * creators change it.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 1", expect = Expect.ACCEPTABLE,
        desc = "both creators got the same id; one series under the metric name; find returns that id")
    @Outcome(id = "0, .*", expect = Expect.FORBIDDEN, desc = "the creators got different ids for one label set")
    @Outcome(id = "1, 2, .*", expect = Expect.FORBIDDEN, desc = "one id, but two series indexed under the metric name")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a creator threw, find disagrees, or a wrong series count")
    @State
    public static class SameLabelSetCreatedTwiceGetsOneId {
        private static final SharedSeriesIndexes INDEXES = new SharedSeriesIndexes(CREATING_STATES_PER_INDEX, 1);

        private final SharedSeriesIndexes.Lease lease = INDEXES.take();
        private final SeriesIndex index = lease.index();
        private final String metric = "created_twice_" + lease.serial();
        private final PreparedSeries series = PreparedSeries.of(NAME, metric, "job", "node");
        private int idOne;
        private int idTwo;

        @Actor
        public void creatorOne() {
            idOne = getOrCreateOrThrew(series, index);
        }

        @Actor
        public void creatorTwo() {
            idTwo = getOrCreateOrThrew(series, index);
        }

        @Arbiter
        public void recordAndGiveBack(final III_Result result) {
            try {
                result.r1 = idOne == THREW || idTwo == THREW ? THREW : idOne == idTwo ? 1 : 0;
                result.r2 = index.seriesWithMetricName(metric);
                result.r3 = series.find(index) == idOne ? 1 : 0;
            } finally {
                lease.giveBack();
            }
        }
    }

    /**
     * A reader looks a series up by its labels while a creator makes it. If the lock-free lookup
     * returns an id, the series is whole: its labels read back, and a selection on every one of its
     * labels (an intersection of each pair's postings) returns it.
     */
    @JCStressTest
    @Outcome(id = "0, 0, 0, 0", expect = Expect.ACCEPTABLE, desc = "looked up before the series was visible: NOT_FOUND")
    @Outcome(id = "1, 1, 1, 1", expect = Expect.ACCEPTABLE,
        desc = "found the creator's id, with its labels, on the postings of every label")
    @Outcome(id = "1, 0, .*", expect = Expect.FORBIDDEN, desc = "found an id whose labels are not (yet) the series' labels")
    @Outcome(id = "1, 1, 0, .*", expect = Expect.FORBIDDEN,
        desc = "found an id that a selection on the series' labels misses: postings not (yet) written")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a read threw, or the id found is not the one the creator got")
    @State
    public static class SeriesFoundWhileCreatedHasLabelsAndPostings {
        private static final SharedSeriesIndexes INDEXES = new SharedSeriesIndexes(CREATING_STATES_PER_INDEX, 1);

        private final SharedSeriesIndexes.Lease lease = INDEXES.take();
        private final SeriesIndex index = lease.index();
        private final PreparedSeries series =
            PreparedSeries.of(NAME, "jcstress_found", "instance", "i" + lease.serial(), "job", "node");
        private int createdId;
        private int foundId = SeriesIndex.NOT_FOUND;

        @Actor
        public void creator() {
            createdId = getOrCreateOrThrew(series, index);
        }

        @Actor
        public void reader(final IIII_Result result) {
            try {
                final int id = series.find(index);
                foundId = id;
                if (id != SeriesIndex.NOT_FOUND) {
                    result.r1 = 1;
                    result.r2 = series.isLabelsOf(index, id) ? 1 : 0;
                    result.r3 = idsAre(index.select(series.everyLabel()), id) ? 1 : 0;
                }
            } catch (final RuntimeException threw) {
                result.r1 = THREW;
            }
        }

        @Arbiter
        public void recordAndGiveBack(final IIII_Result result) {
            result.r4 = foundId != SeriesIndex.NOT_FOUND && foundId == createdId ? 1 : 0;
            lease.giveBack();
        }
    }

    /**
     * A reader looks a series up through {@link SeriesIndex#findExpected}, expecting the id the index
     * will give next (read just before: the creator's id unless another state on the shared index
     * created first), while a creator makes it. The guess skips the hash table, so the id found must
     * be whole by the visible-id watermark alone: its labels read back and a selection on every one
     * of its labels returns it.
     */
    @JCStressTest
    @Outcome(id = "0, 0, 0, 0", expect = Expect.ACCEPTABLE, desc = "looked up before the series was visible: NOT_FOUND")
    @Outcome(id = "1, 1, 1, 1", expect = Expect.ACCEPTABLE,
        desc = "found the creator's id, with its labels, on the postings of every label")
    @Outcome(id = "1, 0, .*", expect = Expect.FORBIDDEN, desc = "found an id whose labels are not (yet) the series' labels")
    @Outcome(id = "1, 1, 0, .*", expect = Expect.FORBIDDEN,
        desc = "found an id that a selection on the series' labels misses: postings not (yet) written")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a read threw, or the id found is not the one the creator got")
    @State
    public static class SeriesFoundByExpectedIdWhileCreatedIsWhole {
        private static final SharedSeriesIndexes INDEXES = new SharedSeriesIndexes(CREATING_STATES_PER_INDEX, 1);

        private final SharedSeriesIndexes.Lease lease = INDEXES.take();
        private final SeriesIndex index = lease.index();
        private final PreparedSeries series =
            PreparedSeries.of(NAME, "jcstress_expected", "instance", "i" + lease.serial(), "job", "node");
        private int createdId;
        private int foundId = SeriesIndex.NOT_FOUND;

        @Actor
        public void creator() {
            createdId = getOrCreateOrThrew(series, index);
        }

        @Actor
        public void reader(final IIII_Result result) {
            try {
                final int id = series.findExpected(index, index.registry().idLimit());
                foundId = id;
                if (id != SeriesIndex.NOT_FOUND) {
                    result.r1 = 1;
                    result.r2 = series.isLabelsOf(index, id) ? 1 : 0;
                    result.r3 = idsAre(index.select(series.everyLabel()), id) ? 1 : 0;
                }
            } catch (final RuntimeException threw) {
                result.r1 = THREW;
            }
        }

        @Arbiter
        public void recordAndGiveBack(final IIII_Result result) {
            result.r4 = foundId != SeriesIndex.NOT_FOUND && foundId == createdId ? 1 : 0;
            lease.giveBack();
        }
    }

    /**
     * A reader selects a series by a label only it has while a creator makes it. A selection that
     * returns the id returns the whole series: its labels read back, and the lock-free lookup, which
     * runs after the selection, finds the same id.
     */
    @JCStressTest
    @Outcome(id = "0, 0, 0", expect = Expect.ACCEPTABLE, desc = "selected before the series was visible: no ids")
    @Outcome(id = "1, 1, 1", expect = Expect.ACCEPTABLE,
        desc = "selected the creator's id with its labels; the lookup after it finds the same id")
    @Outcome(id = "1, 0, .*", expect = Expect.FORBIDDEN, desc = "the selection returned the series but the later lookup did not")
    @Outcome(id = "2, .*", expect = Expect.FORBIDDEN, desc = "the selection returned an id whose labels are not the series'")
    @Outcome(id = "3, .*", expect = Expect.FORBIDDEN, desc = "the selection returned more than one id for a unique label")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the selection threw, or returned an id the creator did not get")
    @State
    public static class SelectRacingCreatorSeesOnlyWholeSeries {
        private static final SharedSeriesIndexes INDEXES = new SharedSeriesIndexes(CREATING_STATES_PER_INDEX, 1);

        private final SharedSeriesIndexes.Lease lease = INDEXES.take();
        private final SeriesIndex index = lease.index();
        private final String instance = "i" + lease.serial();
        private final PreparedSeries series = PreparedSeries.of(NAME, "jcstress_selected", "instance", instance, "job", "node");
        private final List<LabelMatcher> byInstance = selector(equal("instance", instance));
        private int createdId;
        private int seenId = SeriesIndex.NOT_FOUND;

        @Actor
        public void creator() {
            createdId = getOrCreateOrThrew(series, index);
        }

        @Actor
        public void reader(final III_Result result) {
            try {
                final int[] ids = index.select(byInstance);
                result.r1 = series.codeOf(index, ids, SeriesIndex.NOT_FOUND);
                if (result.r1 == SEEN_WHOLE) {
                    seenId = ids[0];
                    result.r2 = series.find(index) == ids[0] ? 1 : 0;
                }
            } catch (final RuntimeException threw) {
                result.r1 = THREW;
            }
        }

        @Arbiter
        public void recordAndGiveBack(final III_Result result) {
            result.r3 = seenId != SeriesIndex.NOT_FOUND && seenId == createdId ? 1 : 0;
            lease.giveBack();
        }
    }

    /**
     * A reader enumerates label names, then the values of a label name only this series has, then
     * selects by that label, while a creator makes the series. What is listed belongs to a visible
     * series, so each later read finds it too: a listed name has its value listed, a listed value
     * its series selected. The names of an index are an array that is copied to grow (at 64, 128,
     * ... names); each index here takes 128 states, each adding a name, so some creators grow it
     * while the reader enumerates.
     */
    @JCStressTest
    @Outcome(id = "0, 0, 0", expect = Expect.ACCEPTABLE, desc = "all three reads ran before the series was visible")
    @Outcome(id = {"0, 0, 1", "0, 1, 1"}, expect = Expect.ACCEPTABLE,
        desc = "the series became visible between the reads: listed or selected only by the later ones")
    @Outcome(id = "1, 1, 1", expect = Expect.ACCEPTABLE, desc = "name and value listed, and the selection found the whole series")
    @Outcome(id = "1, 0, .*", expect = Expect.FORBIDDEN, desc = "a listed label name whose value the later read does not list")
    @Outcome(id = ".*, 1, 0", expect = Expect.FORBIDDEN, desc = "a listed value whose series the later selection misses")
    @Outcome(id = "-1, .*", expect = Expect.FORBIDDEN, desc = "a read threw, e.g. enumerating names while their array grew")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a wrong value listed or a wrong series selected")
    @State
    public static class LabelEnumerationRacingCreatorListsOnlySelectableSeries {
        private static final SharedSeriesIndexes INDEXES = new SharedSeriesIndexes(ENUMERATING_STATES_PER_INDEX, 1);

        private final SharedSeriesIndexes.Lease lease = INDEXES.take();
        private final SeriesIndex index = lease.index();
        private final String labelName = "label_" + lease.serial();
        private final PreparedSeries series = PreparedSeries.of(NAME, "jcstress_enumerated", labelName, "v");
        private final List<LabelMatcher> byLabel = selector(equal(labelName, "v"));

        @Actor
        public void creator() {
            getOrCreateOrThrew(series, index);
        }

        @Actor
        public void reader(final III_Result result) {
            try {
                result.r1 = index.labelNames(List.of()).contains(labelName) ? 1 : 0;
                final List<String> values = index.labelValues(labelName, List.of());
                result.r2 = values.isEmpty() ? 0 : values.equals(List.of("v")) ? 1 : 2;
                result.r3 = series.codeOf(index, index.select(byLabel), SeriesIndex.NOT_FOUND);
            } catch (final RuntimeException threw) {
                result.r1 = THREW;
            }
        }

        @Arbiter
        public void giveBack() {
            lease.giveBack();
        }
    }

    /**
     * Two threads create different series that share their metric name (a pair only these two
     * have) and {@code job="node"}. They get distinct ids, and the shared pair's postings list holds
     * both in increasing order: ids come in order under the write lock and each is appended there.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 1", expect = Expect.ACCEPTABLE,
        desc = "distinct ids; the shared pair's postings hold both, ascending; labels and count right")
    @Outcome(id = "0, .*", expect = Expect.FORBIDDEN, desc = "both series got the same id")
    @Outcome(id = "1, 2, .*", expect = Expect.FORBIDDEN, desc = "the shared pair's postings hold both ids, but descending")
    @Outcome(id = "1, 0, .*", expect = Expect.FORBIDDEN, desc = "the shared pair's postings miss an id or hold another")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a creator threw, a series' labels are wrong, or the metric's count is not 2")
    @State
    public static class CreatorsSharingALabelPairGetDistinctSortedIds {
        private static final SharedSeriesIndexes INDEXES = new SharedSeriesIndexes(CREATING_STATES_PER_INDEX, 2);

        private final SharedSeriesIndexes.Lease lease = INDEXES.take();
        private final SeriesIndex index = lease.index();
        private final String metric = "shared_pair_" + lease.serial();
        private final PreparedSeries first = PreparedSeries.of(NAME, metric, "instance", "a", "job", "node");
        private final PreparedSeries second = PreparedSeries.of(NAME, metric, "instance", "b", "job", "node");
        private final List<LabelMatcher> byMetric = selector(equal(NAME, metric));
        private int firstId;
        private int secondId;

        @Actor
        public void firstCreator() {
            firstId = getOrCreateOrThrew(first, index);
        }

        @Actor
        public void secondCreator() {
            secondId = getOrCreateOrThrew(second, index);
        }

        @Arbiter
        public void recordAndGiveBack(final III_Result result) {
            try {
                if (firstId == THREW || secondId == THREW) {
                    result.r1 = THREW;
                    return;
                }
                result.r1 = firstId != secondId ? 1 : 0;
                final int low = Math.min(firstId, secondId);
                final int high = Math.max(firstId, secondId);
                final int[] shared = index.select(byMetric); // the pair's list as stored: one matcher, no merge
                result.r2 = idsAre(shared, low, high) ? 1 : idsAre(shared, high, low) ? 2 : 0;
                result.r3 = first.isLabelsOf(index, firstId) && second.isLabelsOf(index, secondId)
                    && index.seriesWithMetricName(metric) == 2 ? 1 : 0;
            } finally {
                lease.giveBack();
            }
        }
    }

    /**
     * A series made before the race is removed while a reader selects it by a label only it has. The
     * remover then frees what the removal replaced ({@link SeriesIndex#reclaimRemoved()}) and creates
     * another series, whose postings take blocks from the free lists the old lists went back to.
     *
     * <p>The reader sees the series whole (it read before the removal mark) or not at all. A reader
     * that could still hold a freed list would find it closed, read a free-list link as an id, or
     * read another series' id; reader epochs defer the freeing until it has left. Afterwards the
     * series is neither selected nor found, its labels still read back by id (removed records stay),
     * and the new series is whole.
     */
    @JCStressTest
    @Outcome(id = "0, 1, 1", expect = Expect.ACCEPTABLE, desc = "selected after the removal mark: not seen")
    @Outcome(id = "1, 1, 1", expect = Expect.ACCEPTABLE, desc = "selected before the removal mark: seen with its id and labels")
    @Outcome(id = "2, .*", expect = Expect.FORBIDDEN, desc = "the reader saw another id or wrong labels, e.g. from a freed block another list took")
    @Outcome(id = "-1, .*", expect = Expect.FORBIDDEN,
        desc = "the reader threw: a postings list closed under it, or a free-list link read as an id")
    @Outcome(expect = Expect.FORBIDDEN,
        desc = "more than one id, the removal did not count the series, or it is still found or selected afterwards")
    @State
    public static class SelectRacingRemovalSeesSeriesWholeOrNotAtAll {
        private static final SharedSeriesIndexes INDEXES = new SharedSeriesIndexes(REMOVING_STATES_PER_INDEX, 1);

        private final SharedSeriesIndexes.Lease lease = INDEXES.take();
        private final SeriesIndex index = lease.index();
        private final PreparedSeries removed =
            PreparedSeries.of(NAME, "jcstress_removed", "instance", "i" + lease.serial(), "job", "node");
        private final PreparedSeries replacement = PreparedSeries.of(NAME, "jcstress_replacement", "instance", "r" + lease.serial());
        private final List<LabelMatcher> byInstance = selector(equal("instance", "i" + lease.serial()));
        private final int id = removed.getOrCreate(index);
        private int replacementId = SeriesIndex.NOT_FOUND;

        @Actor
        public void removerAndReclaimer(final III_Result result) {
            result.r2 = removeOrThrew(index, id);
            index.reclaimRemoved();
            replacementId = getOrCreateOrThrew(replacement, index);
        }

        @Actor
        public void reader(final III_Result result) {
            result.r1 = removed.seenBy(index, byInstance, id);
        }

        @Arbiter
        public void recordAndGiveBack(final III_Result result) {
            try {
                result.r3 = removed.seenBy(index, byInstance, id) == NOT_SEEN && removed.find(index) == SeriesIndex.NOT_FOUND
                    && removed.isLabelsOf(index, id) && replacementId >= 0 && replacement.isLabelsOf(index, replacementId) ? 1 : 0;
            } finally {
                lease.giveBack();
            }
        }
    }

    /**
     * A series made and removed before the race is created again by two threads at once (a writer resolving
     * the labels afresh and a shard resolving the removed id it was sent). Under the write lock the first finds
     * the removed series' hash slot and makes the next id on its shard, reserving the ids it skips; the second
     * finds that series. Both get one id, on the removed one's shard, found by its labels; the removed id's
     * labels still read back.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 1", expect = Expect.ACCEPTABLE, desc = "one new id, on the removed one's shard, found by the labels")
    @Outcome(id = "0, .*", expect = Expect.FORBIDDEN, desc = "the creators got different ids for one label set")
    @Outcome(id = "1, 0, .*", expect = Expect.FORBIDDEN, desc = "the new id is on another shard than the removed one")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a creator threw, find disagrees, or the removed id lost its labels")
    @State
    public static class RemovedLabelSetCreatedTwiceGetsOneIdOnItsShard {
        private static final SharedSeriesIndexes INDEXES = new SharedSeriesIndexes(CREATING_STATES_PER_INDEX, 1);

        private final SharedSeriesIndexes.Lease lease = INDEXES.take();
        private final SeriesIndex index = lease.index();
        private final PreparedSeries series = PreparedSeries.of(NAME, "jcstress_recreated", "instance", "i" + lease.serial());
        private final int removedId = removedAtOnce(series, index);
        private int idOne;
        private int idTwo;

        private static int removedAtOnce(final PreparedSeries series, final SeriesIndex index) {
            final int id = series.getOrCreate(index);
            index.markRemoved(new int[] {id}, 1);
            return id;
        }

        @Actor
        public void creatorOne() {
            idOne = getOrCreateOrThrew(series, index);
        }

        @Actor
        public void creatorTwo() {
            idTwo = getOrCreateOrThrew(series, index);
        }

        @Arbiter
        public void recordAndGiveBack(final III_Result result) {
            try {
                result.r1 = idOne == THREW || idTwo == THREW ? THREW : idOne == idTwo && idOne != removedId ? 1 : 0;
                result.r2 = idOne % SharedSeriesIndexes.SHARDS == removedId % SharedSeriesIndexes.SHARDS ? 1 : 0;
                result.r3 = series.find(index) == idOne && series.isLabelsOf(index, removedId) && index.isRemoved(removedId) ? 1 : 0;
            } finally {
                lease.giveBack();
            }
        }
    }
}
