package io.touchpoint.identity;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.substring_index;

import org.apache.spark.sql.Column;

/**
 * How a customer id is born. A component's label is {@code <first_seen_date>|<identifier>} and
 * the smallest label wins; the customer id is derived from the identifier of that label
 * ({@code C} + 16 hex of its SHA-256). So the oldest identifier decides the id, a merge keeps the
 * older customer's id, and a one-pass backfill gives the same ids as a run per day.
 */
public final class CustomerIds {
  private CustomerIds() {}

  public static Column label(Column firstSeenDate, Column identifier) {
    return concat(firstSeenDate.cast("string"), lit("|"), identifier);
  }

  public static Column fromLabel(Column label) {
    Column seed = substring(label, 12, Integer.MAX_VALUE);
    return concat(lit("C"), substring(sha2(seed, 256), 1, 16));
  }

  public static Column seedOf(Column label) {
    return substring_index(label, "|", -1);
  }
}
