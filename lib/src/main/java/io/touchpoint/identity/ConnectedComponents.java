package io.touchpoint.identity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connected components by minimum-label propagation, entirely in Spark (nothing is collected to
 * the driver). Each iteration pushes every node's label to its neighbours and keeps the minimum;
 * it stops when no label changes, so the number of rounds is the graph's diameter (identity
 * graphs are star-like: 2–6 rounds). Unlike the pure transforms this is an algorithm: it runs one
 * count per round to test convergence and checkpoints locally to cut the lineage.
 */
public final class ConnectedComponents {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectedComponents.class);

  private ConnectedComponents() {}

  /**
   * @param edges {@code src, dst} (treated as undirected)
   * @param labels {@code node, label}: every node with its own initial label
   * @return {@code node, label}: the minimum initial label of the node's component
   */
  public static Dataset<Row> run(Dataset<Row> edges, Dataset<Row> labels, int maxRounds) {
    Dataset<Row> undirected = edges.select(col("src"), col("dst"))
        .union(edges.select(col("dst").as("src"), col("src").as("dst")))
        .filter(col("src").notEqual(col("dst")))
        .distinct()
        .localCheckpoint();
    Dataset<Row> current = labels.select(col("node"), col("label")).localCheckpoint();
    for (int round = 1; round <= maxRounds; round++) {
      Dataset<Row> pushed = undirected.join(current, undirected.col("src").equalTo(current.col("node")))
          .select(undirected.col("dst").as("node"), current.col("label"));
      Dataset<Row> next = current.union(pushed).groupBy("node").agg(min("label").as("label")).localCheckpoint();
      long changed = next.as("n").join(current.as("c"), "node")
          .filter(col("n.label").notEqual(col("c.label"))).count();
      current = next;
      LOG.debug("connected components round {}: {} label(s) changed", round, changed);
      if (changed == 0) {
        return current;
      }
    }
    throw new IllegalStateException("connected components did not converge in " + maxRounds
        + " rounds: an identity chain that long means a shared identifier (e.g. a store tablet's device id)"
        + " is linking unrelated people; inspect silver.identity_map for the largest customers");
  }
}
