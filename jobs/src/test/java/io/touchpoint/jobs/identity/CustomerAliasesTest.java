package io.touchpoint.jobs.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.identity.CustomerAliases;
import io.touchpoint.jobs.support.SparkTestSupport;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The absorbed-id lookup that lets the touch log keep the ids of when each touch landed. */
class CustomerAliasesTest {
  static final StructType MERGES = new StructType()
      .add("merged_customer_id", DataTypes.StringType)
      .add("surviving_customer_id", DataTypes.StringType)
      .add("merged_by_run_id", DataTypes.StringType);

  static Dataset<Row> merges(String... pairs) {
    List<Row> rows = new java.util.ArrayList<>();
    for (String p : pairs) {
      String[] s = p.split("->");
      rows.add(RowFactory.create(s[0], s[1], "run"));
    }
    return SparkTestSupport.spark().createDataFrame(rows, MERGES);
  }

  static Dataset<Row> aliases(String... pairs) {
    List<Row> rows = new java.util.ArrayList<>();
    for (String p : pairs) {
      String[] s = p.split("->");
      rows.add(RowFactory.create(s[0], s[1]));
    }
    return SparkTestSupport.spark().createDataFrame(rows, CustomerAliases.SCHEMA);
  }

  static List<String> pairs(Dataset<Row> aliases) {
    return aliases.collectAsList().stream().map(r -> r.getString(0) + "->" + r.getString(1)).sorted().toList();
  }

  @Test
  void aLaterMergeRepointsTheIdsAbsorbedEarlierSoOneLookupGivesTheCurrentId() {
    // Day 1: X and Y were absorbed into A, Z into D. Day 2: A and B are absorbed into C.
    Dataset<Row> day1 = aliases("X->A", "Y->A", "Z->D");
    Dataset<Row> day2 = CustomerAliases.extend(day1, merges("A->C", "B->C"));
    assertThat(pairs(day2)).containsExactly("A->C", "B->C", "X->C", "Y->C", "Z->D");
    // A rerun of day 2 (a crash before the identity map was written) changes nothing.
    assertThat(pairs(CustomerAliases.extend(day2, merges("A->C", "B->C")))).isEqualTo(pairs(day2));
    // The first merge ever starts from an empty table.
    Dataset<Row> none = SparkTestSupport.spark().createDataFrame(List.of(), CustomerAliases.SCHEMA);
    assertThat(pairs(CustomerAliases.extend(none, merges("P->Q")))).containsExactly("P->Q");
  }

  @Test
  void resolvingReplacesOnlyAbsorbedIdsAndKeepsEveryRowAndColumn() {
    StructType touches = new StructType()
        .add("event_id", DataTypes.StringType)
        .add("customer_id", DataTypes.StringType)
        .add("channel", DataTypes.StringType);
    Dataset<Row> t = SparkTestSupport.spark().createDataFrame(List.of(
        RowFactory.create("e1", "X", "search"),
        RowFactory.create("e2", "C", "social"),
        RowFactory.create("e3", null, "display"),
        RowFactory.create("e4", "B", "email"),
        RowFactory.create("e5", "X", "email")), touches);
    Dataset<Row> resolved = CustomerAliases.resolve(t, aliases("A->C", "B->C", "X->C"), "customer_id");
    assertThat(resolved.columns()).containsExactly("event_id", "customer_id", "channel");
    assertThat(SparkTestSupport.content(resolved)).containsExactly(
        "[e1,C,search]", "[e2,C,social]", "[e3,null,display]", "[e4,C,email]", "[e5,C,email]");
  }
}
