package io.touchpoint.jobs.clv;

import io.touchpoint.jobs.support.SparkTestSupport;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Hand-made {@code silver.orders} rows: only the columns the customer value stage reads. */
final class ClvOrders {
  static final StructType SCHEMA = new StructType()
      .add("order_id", DataTypes.StringType, false)
      .add("sales_channel", DataTypes.StringType, false)
      .add("ordered_at", DataTypes.TimestampType, false)
      .add("order_date", DataTypes.DateType, false)
      .add("customer_id", DataTypes.StringType, true)
      .add("net_cny", DataTypes.createDecimalType(18, 2), false)
      .add("is_refunded", DataTypes.BooleanType, false);

  private ClvOrders() {}

  /**
   * An order at {@code hourUtc} on {@code day} (the business date is the same day for hours 0-15
   * UTC); a net of 0 means it was fully refunded.
   */
  static Row order(String orderId, String customerId, String channel, LocalDate day, int hourUtc, String netCny) {
    return row(orderId, customerId, channel, day, hourUtc, netCny, new BigDecimal(netCny).signum() <= 0);
  }

  /** An order that was not refunded, whatever its value (CDNOW has zero-value purchases). */
  static Row sale(String orderId, String customerId, String channel, LocalDate day, int hourUtc, String netCny) {
    return row(orderId, customerId, channel, day, hourUtc, netCny, false);
  }

  private static Row row(String orderId, String customerId, String channel, LocalDate day, int hourUtc, String netCny,
      boolean refunded) {
    return RowFactory.create(orderId, channel, Timestamp.valueOf(LocalDateTime.of(day, java.time.LocalTime.of(hourUtc, 0))),
        Date.valueOf(day), customerId, new BigDecimal(netCny), refunded);
  }

  static Dataset<Row> frame(List<Row> rows) {
    return SparkTestSupport.spark().createDataFrame(rows, SCHEMA);
  }
}
