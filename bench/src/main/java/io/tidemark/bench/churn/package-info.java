/**
 * {@code ./tidemark bench churn}: what series that come and go (pods) cost the database while it runs, once they
 * have left the head, against what the live ones cost.
 */
package io.tidemark.bench.churn;
