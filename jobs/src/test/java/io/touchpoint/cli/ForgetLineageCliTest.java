package io.touchpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The options of forget, lineage and nightly --reprocess-from, checked without starting Spark (--dry-run). */
class ForgetLineageCliTest {
  @Test
  void reprocessFromWidensTheNightlyRunToTheRange() {
    CliTest.Run r = CliTest.run("--dry-run", "nightly", "--run-date", "2026-01-07", "--reprocess-from", "2026-01-05");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("2026-01-05..2026-01-07 (3 days)");
    CliTest.Run after = CliTest.run("--dry-run", "nightly", "--run-date", "2026-01-05", "--reprocess-from", "2026-01-07");
    assertThat(after.code()).isEqualTo(2);
    assertThat(after.err()).contains("--reprocess-from is after --run-date", "on or before 2026-01-05");
  }

  @Test
  void forgetNeedsExactlyOnePersonAndNeverPrintsTheValue() {
    CliTest.Run none = CliTest.run("--dry-run", "forget");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("no person was named", "--member-id");
    CliTest.Run two = CliTest.run("--dry-run", "forget", "--member-id", "M123456789", "--phone-hash", "abc");
    assertThat(two.code()).isEqualTo(2);
    CliTest.Run plan = CliTest.run("--dry-run", "forget", "--member-id", "M123456789", "--vacuum-now");
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.out()).contains("member_id (value not printed)", "now, zero retention", "ops.forget_log")
        .doesNotContain("M123456789");
    CliTest.Run negative = CliTest.run("--dry-run", "forget", "--customer-id", "C0", "--retention-hours", "-1");
    assertThat(negative.code()).isEqualTo(2);
  }

  @Test
  void lineageNeedsATable() {
    CliTest.Run r = CliTest.run("lineage");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--table");
    assertThat(CliTest.run("--help").out()).contains("forget", "lineage");
  }
}
