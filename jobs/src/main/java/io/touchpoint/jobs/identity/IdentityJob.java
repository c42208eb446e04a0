package io.touchpoint.jobs.identity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.substring_index;
import static org.apache.spark.sql.functions.when;

import io.touchpoint.identity.ConnectedComponents;
import io.touchpoint.identity.CustomerAliases;
import io.touchpoint.identity.CustomerIds;
import io.touchpoint.identity.IdentityEdges;
import io.touchpoint.ingest.BronzeTable;
import io.touchpoint.jobs.spark.DateSpan;
import io.touchpoint.jobs.spark.TableWriter;
import io.touchpoint.jobs.spark.Warehouse;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves one customer across channels, incrementally: only the identifiers seen in the run's
 * export dates and the customers they touch enter the graph. Existing customers are graph nodes
 * labelled by their oldest identifier, so a merge keeps the oldest id; merges are recorded in
 * {@code silver.identity_merges}. {@code silver.orders} is re-keyed; the touch log is not: it keeps
 * each touch's id as resolved when it landed, and its readers map absorbed ids through {@code
 * silver.customer_aliases} ({@link CustomerAliases}), so a merge does not rewrite the history.
 *
 * <p>Tables: {@code silver.identity_map} (one row per identifier: identifier, identifier_type,
 * customer_id, first_seen_date), {@code silver.identity_merges} (one row per absorbed customer, with
 * the customer that absorbed it then) and {@code silver.customer_aliases} (one row per absorbed
 * customer, with the customer it answers to now).
 */
public final class IdentityJob {
  private static final Logger LOG = LoggerFactory.getLogger(IdentityJob.class);
  public static final String MAP = "identity_map";
  public static final String MERGES = "identity_merges";
  public static final String ALIASES = "customer_aliases";
  static final StructType MAP_SCHEMA = new StructType()
      .add("identifier", DataTypes.StringType, false)
      .add("identifier_type", DataTypes.StringType, false)
      .add("customer_id", DataTypes.StringType, false)
      .add("first_seen_date", DataTypes.DateType, false);

  /** Outcome of one identity run. */
  public record Result(long newIdentifiers, long merges) {}

  private final Warehouse warehouse;
  private final TableWriter writer;

  public IdentityJob(Warehouse warehouse, String runId) {
    this.warehouse = warehouse;
    this.writer = new TableWriter(warehouse, runId, "identity");
  }

  /**
   * {@code silver.touchpoints} as its readers must see it: each touch's customer id mapped to the
   * customer it answers to now (the log keeps the id of when the touch landed). Filters on the touch
   * log's own columns, such as its {@code _export_date} partitions, still prune its files.
   */
  public static Dataset<Row> touches(Warehouse warehouse) {
    return CustomerAliases.resolve(warehouse.read("silver", "touchpoints"),
        warehouse.readOrEmpty("silver", ALIASES, CustomerAliases.SCHEMA), "customer_id");
  }

  public Result run(List<LocalDate> dates) {
    warehouse.spark().sparkContext().setJobGroup("identity", "identity " + DateSpan.of(dates), false);
    String inDates = "_export_date IN (" + dates.stream().map(d -> "DATE'" + d + "'").collect(Collectors.joining(",")) + ")";
    Dataset<Row> edges = null;
    Map<BronzeTable, UnaryOperator<Dataset<Row>>> extractors = Map.of(
        BronzeTable.POS_TICKETS, IdentityEdges::posTickets,
        BronzeTable.WEBSHOP_ORDERS, IdentityEdges::webshopOrders,
        BronzeTable.MARKETPLACE_ORDERS, IdentityEdges::marketplaceOrders,
        BronzeTable.TOUCHPOINT_EVENTS, IdentityEdges::touchEvents,
        BronzeTable.CRM_MEMBERS, IdentityEdges::crmMembers,
        BronzeTable.CRM_BINDINGS, IdentityEdges::crmBindings);
    for (BronzeTable t : BronzeTable.values()) {
      if (!extractors.containsKey(t) || !warehouse.exists("bronze", t.tableName())) {
        continue;
      }
      Dataset<Row> e = extractors.get(t).apply(warehouse.read("bronze", t.tableName()).where(inDates));
      edges = edges == null ? e : edges.unionByName(e);
    }
    if (edges == null) {
      LOG.info("identity: no bronze tables yet, nothing to resolve");
      return new Result(0, 0);
    }
    // Millions of touch rows carry the same few links: keep each link once, with its first sighting.
    edges = edges.groupBy("identifier_a", "identifier_b").agg(min("seen_date").as("seen_date")).localCheckpoint();
    Dataset<Row> existing = warehouse.readOrEmpty("silver", MAP, MAP_SCHEMA);

    // Nodes of this batch: each identifier with its first sighting.
    Dataset<Row> batchNodes = edges.select(col("identifier_b").as("identifier"), col("seen_date"))
        .groupBy("identifier").agg(min("seen_date").as("batch_first_seen"));
    Dataset<Row> nodes = batchNodes.join(existing.select("identifier", "customer_id", "first_seen_date"), "identifier", "left")
        .select(col("identifier"), col("customer_id"),
            org.apache.spark.sql.functions.least(col("first_seen_date"), col("batch_first_seen")).as("first_seen_date"),
            when(col("customer_id").isNotNull(), concat(lit("cust:"), col("customer_id"))).otherwise(col("identifier")).as("node"))
        .localCheckpoint();
    Dataset<Row> touched = nodes.filter(col("customer_id").isNotNull()).select("customer_id").distinct();

    // The identifiers of the existing customers the batch touches: only they can label a component,
    // be re-keyed by a merge (a merged customer is a touched one) or be re-dated (a batch identifier's
    // customer is touched). Taken once, so the map is scanned once here, not once per use (issue 9).
    // Late data (an export re-delivered for a past date) can show a known identifier earlier than
    // it was first seen: its first sighting moves back, as if the export had come on time.
    Dataset<Row> corrected = existing.join(touched, "customer_id", "left_semi").join(batchNodes, "identifier", "left")
        .select(col("identifier"), col("identifier_type"), col("customer_id"),
            org.apache.spark.sql.functions.least(col("first_seen_date"), col("batch_first_seen")).as("first_seen_date"),
            col("batch_first_seen").lt(col("first_seen_date")).as("redated"))
        .localCheckpoint();

    // Existing customers touched by the batch are labelled by their oldest identifier overall.
    Dataset<Row> customerLabels = corrected
        .groupBy("customer_id").agg(min(CustomerIds.label(col("first_seen_date"), col("identifier"))).as("label"))
        .select(concat(lit("cust:"), col("customer_id")).as("node"), col("label"));
    Dataset<Row> newLabels = nodes.filter(col("customer_id").isNull())
        .select(col("node"), CustomerIds.label(col("first_seen_date"), col("identifier")).as("label"));
    Dataset<Row> labels = customerLabels.unionByName(newLabels);

    Dataset<Row> nodeOf = nodes.select("identifier", "node");
    Dataset<Row> superEdges = edges.join(nodeOf.withColumnRenamed("identifier", "identifier_a").withColumnRenamed("node", "src"), "identifier_a")
        .join(nodeOf.withColumnRenamed("identifier", "identifier_b").withColumnRenamed("node", "dst"), "identifier_b")
        .select("src", "dst");
    Dataset<Row> components = ConnectedComponents.run(superEdges, labels, 50)
        .select(col("node"), CustomerIds.fromLabel(col("label")).as("resolved_id"));

    Dataset<Row> merges = components.filter(col("node").startsWith("cust:"))
        .select(substring_index(col("node"), "cust:", -1).as("merged_customer_id"), col("resolved_id").as("surviving_customer_id"))
        .filter(col("merged_customer_id").notEqual(col("surviving_customer_id")))
        .localCheckpoint();
    long mergeCount = merges.count();

    Dataset<Row> resolvedNodes = nodes.join(components, "node");
    Dataset<Row> newIdentifiers = resolvedNodes.filter(col("customer_id").isNull())
        .select(col("identifier"), substring_index(col("identifier"), ":", 1).as("identifier_type"),
            col("resolved_id").as("customer_id"), col("first_seen_date"));
    Dataset<Row> rekeyed = corrected.join(merges, corrected.col("customer_id").equalTo(merges.col("merged_customer_id")))
        .select(col("identifier"), col("identifier_type"), col("surviving_customer_id").as("customer_id"), col("first_seen_date"));
    Dataset<Row> redated = corrected.filter(col("redated"))
        .join(merges, corrected.col("customer_id").equalTo(merges.col("merged_customer_id")), "left_anti")
        .select(col("identifier"), col("identifier_type"), col("customer_id"), col("first_seen_date"));
    Dataset<Row> upserts = newIdentifiers.unionByName(rekeyed).unionByName(redated).localCheckpoint();
    long newCount = newIdentifiers.count();

    // The identity map is written last: it is what makes a later run see this batch's identifiers as
    // known, so a run killed before it recomputes the same merges from the same map and redoes the
    // writes before it (each idempotent). Written first, a kill after it lost the merges for good:
    // the rerun found nothing new to merge (CrashRecoveryTest, killed between identity's commits).
    if (mergeCount > 0) {
      Dataset<Row> log = merges.withColumn("merged_by_run_id", lit(writer.runId()));
      writer.upsert(log, "silver", MERGES, List.of("merged_customer_id"), List.of());
      // Checkpointed (the new version reads the old one it replaces), then one file: a small lookup table that is
      // rewritten whole, which as one file per shuffle partition left 27 files at 10^6 customers.
      writer.overwrite(CustomerAliases.extend(warehouse.readOrEmpty("silver", ALIASES, CustomerAliases.SCHEMA), merges)
          .localCheckpoint().coalesce(1), "silver", ALIASES);
      // Orders are re-keyed: a few percent of the rows, read by every stage after this one. An absorbed
      // customer's orders are dated no earlier than the first sighting of its oldest identifier (a sale
      // is held to its export date, and seen_date is that date), so the MERGE looks only there. The
      // touch log (95 % of the rows) is not re-keyed: re-keying rewrote every file holding an absorbed
      // id's touch, usually back to the start of the history, so identity's cost grew with it (issue 9).
      LocalDate since = (LocalDate) corrected.join(merges, corrected.col("customer_id").equalTo(merges.col("merged_customer_id")))
          .agg(min("first_seen_date")).first().get(0);
      String ordersSince = since == null ? null : "t.order_date >= DATE'" + since + "'";
      writer.rekey(merges, "merged_customer_id", "surviving_customer_id", "silver", "orders", "customer_id", ordersSince);
    }
    writer.upsert(upserts, "silver", MAP, List.of("identifier"), List.of());
    LOG.info("identity: {} new identifier(s), {} merge(s)", newCount, mergeCount);
    return new Result(newCount, mergeCount);
  }
}
