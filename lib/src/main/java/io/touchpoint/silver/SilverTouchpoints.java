package io.touchpoint.silver;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_date;

import io.touchpoint.identity.IdentityEdges;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code silver.touchpoints}: one row per marketing touch (event_id), with the resolved customer
 * (member, else phone, else device). A touch delivered twice keeps its first delivery.
 */
public final class SilverTouchpoints {
  private SilverTouchpoints() {}

  public static Dataset<Row> build(Dataset<Row> events, Dataset<Row> identityMap) {
    Dataset<Row> first = events.groupBy("event_id").agg(min_by(struct(col("event_type"), col("channel"),
            col("campaign_id"), col("event_at"), col("_export_date"),
            coalesce(IdentityEdges.identifier("member", col("member_id")), IdentityEdges.identifier("phone", col("phone_hash")),
                IdentityEdges.identifier("device", col("device_id"))).as("identifier")),
        struct(col("_export_date"), col("_source_file"), col("_row_number"))).as("e"))
        .select(col("event_id"), col("e.*"));
    return first.join(identityMap.select("identifier", "customer_id"), "identifier", "left")
        .select(col("event_id"), col("event_type"), col("channel"), col("campaign_id"), col("event_at"),
            to_date(from_utc_timestamp(col("event_at"), SilverOrders.ZONE)).as("event_date"),
            col("customer_id"), col("customer_id").isNotNull().as("is_identified"), col("_export_date"));
  }
}
