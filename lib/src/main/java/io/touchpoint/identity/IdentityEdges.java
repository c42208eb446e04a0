package io.touchpoint.identity;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Identifier links from bronze rows. An identifier is {@code <type>:<value>}: {@code member},
 * {@code phone} and {@code email} (HMAC), {@code device}, and a marketplace buyer
 * {@code <platform>:<HMAC>}. Identifiers on one row (an order, a member record, a login, a
 * binding) are linked: each row yields edges from its first identifier to every identifier
 * (a self-edge registers a lone identifier). Output: {@code identifier_a, identifier_b, seen_date}.
 */
public final class IdentityEdges {
  private IdentityEdges() {}

  public static Column identifier(String type, Column value) {
    return when(value.isNotNull().and(value.notEqual("")), concat(lit(type + ":"), value));
  }

  /** Edges of any bronze frame given the identifier expressions of one row. */
  public static Dataset<Row> fromRows(Dataset<Row> rows, Column... identifiers) {
    Column ids = array_distinct(filter(array(identifiers), Column::isNotNull));
    return rows.select(ids.as("ids"), col("_export_date").as("seen_date"))
        .filter(org.apache.spark.sql.functions.size(col("ids")).gt(0))
        .select(element_at(col("ids"), 1).as("identifier_a"), explode(col("ids")).as("identifier_b"), col("seen_date"));
  }

  public static Dataset<Row> posTickets(Dataset<Row> b) {
    return fromRows(b, identifier("member", col("member_id")), identifier("phone", col("phone_hash")));
  }

  public static Dataset<Row> webshopOrders(Dataset<Row> b) {
    return fromRows(b, identifier("member", col("member_id")), identifier("phone", col("phone_hash")),
        identifier("device", col("device_id")));
  }

  public static Dataset<Row> marketplaceOrders(Dataset<Row> b) {
    return b.select(concat(col("platform"), lit(":"), col("buyer_hash")).as("identifier_a"),
            col("_export_date").as("seen_date"))
        .select(col("identifier_a"), col("identifier_a").as("identifier_b"), col("seen_date"));
  }

  public static Dataset<Row> touchEvents(Dataset<Row> b) {
    return fromRows(b, identifier("member", col("member_id")), identifier("phone", col("phone_hash")),
        identifier("device", col("device_id")));
  }

  public static Dataset<Row> crmMembers(Dataset<Row> b) {
    return fromRows(b, identifier("member", col("member_id")), identifier("phone", col("phone_hash")),
        identifier("email", col("email_hash")));
  }

  public static Dataset<Row> crmBindings(Dataset<Row> b) {
    return fromRows(b, identifier("member", col("member_id")),
        concat(col("identifier_type"), lit(":"), col("identifier_value")));
  }
}
