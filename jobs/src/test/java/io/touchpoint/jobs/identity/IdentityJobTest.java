package io.touchpoint.jobs.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.jobs.ingest.IngestJob;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import io.touchpoint.jobs.support.TinyExports;
import io.touchpoint.pii.Pii;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hand-drawn identity graph over three days:
 * <pre>
 * day 1: touch (device d_1)            pos ticket (phone P2)        CRM member M2 + phone P3
 * day 2: CRM member M1 + phone P1      web order M1 + device d_1    tmall buyer B1 alone
 * day 3: pos ticket M2 + phone P2      binding M1 ↔ tmall B1
 * </pre>
 * Expected: day 2 attaches M1 and P1 to d_1's customer (d_1 is older); day 3 merges P2's customer
 * into M2's (same first day, "member:M2" &lt; "phone:…") and B1's (day 2) into d_1's (day 1). Two
 * customers remain, and a one-pass backfill of the three days gives the same map.
 */
class IdentityJobTest {
  static final LocalDate D1 = LocalDate.of(2026, 1, 5);
  static final LocalDate D2 = LocalDate.of(2026, 1, 6);
  static final LocalDate D3 = LocalDate.of(2026, 1, 7);
  static final Pii PII = Pii.demo();
  static final Set<String> SOURCES = Set.of("pos", "webshop", "marketplace", "touchpoints", "crm");

  @TempDir static Path tmp;

  static Warehouse daily;
  static Warehouse backfill;

  @BeforeAll
  static void runBothWays() {
    TinyExports x = new TinyExports(tmp.resolve("exports")).day(D1).day(D2).day(D3);
    long d1Micros = Instant.parse("2026-01-05T03:00:00Z").getEpochSecond() * 1_000_000L;
    x.touches(D1, List.of(new TinyExports.Touch("e1", "impression", "display", "d_1", null, null, d1Micros)));
    x.write("pos", D1, "tickets.csv", TinyExports.POS_HEADER + "\nT1,S001,1,2026-01-05 12:00:00+08:00,,13800000002,10.00,1,cash,\n", StandardCharsets.UTF_8);
    x.write("crm", D1, "members.csv", TinyExports.MEMBERS_HEADER
        + "\nM2,13800000003,,2025-03-01 10:00:00+08:00,S001,store,regular,2026-01-05 10:00:00+08:00\n", StandardCharsets.UTF_8);
    x.write("crm", D2, "members.csv", TinyExports.MEMBERS_HEADER
        + "\nM1,13800000001,Li@Example.com,2026-01-06 10:00:00+08:00,,app,regular,2026-01-06 10:00:00+08:00\n", StandardCharsets.UTF_8);
    x.write("webshop", D2, "orders.jsonl", "{\"order_id\":\"W1\",\"type\":\"order\",\"channel\":\"app\",\"member_id\":\"M1\",\"device_id\":\"d_1\","
        + "\"created_at\":\"2026-01-06T02:00:00Z\",\"total\":50}\n", StandardCharsets.UTF_8);
    x.write("marketplace", D2, "tmall.csv", TinyExports.MARKET_HEADERS.get(0) + "\nTM1,buyer_b1,30.00,交易成功,138****0001,2026-01-06 20:00:00,0\n",
        Charset.forName("GBK"));
    x.write("pos", D3, "tickets.csv", TinyExports.POS_HEADER + "\nT2,S001,1,2026-01-07 12:00:00+08:00,M2,13800000002,10.00,1,cash,\n", StandardCharsets.UTF_8);
    x.write("crm", D3, "bindings.csv", TinyExports.BINDINGS_HEADER + "\nM1,tmall,buyer_b1,2026-01-07 09:00:00+08:00\n", StandardCharsets.UTF_8);

    daily = warehouse("daily");
    for (LocalDate d : List.of(D1, D2, D3)) {
      run(daily, List.of(d));
    }
    backfill = warehouse("backfill");
    run(backfill, List.of(D1, D2, D3));
  }

  static Warehouse warehouse(String name) {
    return new Warehouse(SparkTestSupport.spark(), tmp.resolve(name).toString());
  }

  static void run(Warehouse w, List<LocalDate> dates) {
    var config = SparkTestSupport.config(Path.of(w.root()), tmp.resolve("exports"));
    new IngestJob(w, config, "ingest-" + dates.get(0), Instant.parse("2026-01-08T00:00:00Z")).run(dates, SOURCES);
    new IdentityJob(w, "identity-" + dates.get(0)).run(dates);
  }

  static String customerId(String seedIdentifier) throws Exception {
    byte[] h = MessageDigest.getInstance("SHA-256").digest(seedIdentifier.getBytes(StandardCharsets.UTF_8));
    return "C" + HexFormat.of().formatHex(h).substring(0, 16);
  }

  static Map<String, String> map(Warehouse w) {
    return w.read("silver", "identity_map").collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getString(2)));
  }

  @Test
  void chainsAndMergesAcrossDaysKeepTheOldestId() throws Exception {
    String deviceCustomer = customerId("device:d_1");
    String memberCustomer = customerId("member:M2");
    Map<String, String> m = map(daily);
    assertThat(m).containsEntry("device:d_1", deviceCustomer)
        .containsEntry("member:M1", deviceCustomer)
        .containsEntry("phone:" + PII.phoneHash("13800000001"), deviceCustomer)
        .containsEntry("email:" + PII.emailHash("li@example.com"), deviceCustomer)
        .containsEntry("tmall:" + PII.identifierHash("buyer:tmall", "buyer_b1"), deviceCustomer)
        .containsEntry("member:M2", memberCustomer)
        .containsEntry("phone:" + PII.phoneHash("13800000003"), memberCustomer)
        .containsEntry("phone:" + PII.phoneHash("13800000002"), memberCustomer)
        .hasSize(8);
    assertThat(Set.copyOf(m.values())).hasSize(2);
  }

  @Test
  void mergesAreRecordedWithTheSurvivor() throws Exception {
    List<Row> merges = daily.read("silver", "identity_merges").orderBy("merged_customer_id").collectAsList();
    assertThat(merges).extracting(r -> r.getString(0) + "->" + r.getString(1)).containsExactlyInAnyOrder(
        customerId("phone:" + PII.phoneHash("13800000002")) + "->" + customerId("member:M2"),
        customerId("tmall:" + PII.identifierHash("buyer:tmall", "buyer_b1")) + "->" + customerId("device:d_1"));
  }

  @Test
  void theAbsorbedIdsAnswerToTheirSurvivorInTheAliases() throws Exception {
    assertThat(daily.read("silver", IdentityJob.ALIASES).collectAsList())
        .extracting(r -> r.getString(0) + "->" + r.getString(1)).containsExactlyInAnyOrder(
        customerId("phone:" + PII.phoneHash("13800000002")) + "->" + customerId("member:M2"),
        customerId("tmall:" + PII.identifierHash("buyer:tmall", "buyer_b1")) + "->" + customerId("device:d_1"));
    assertThat(daily.liveFiles("silver", IdentityJob.ALIASES)).as("rewritten whole as one file").isEqualTo(1);
  }

  @Test
  void aOnePassBackfillGivesTheSameIdentityMap() {
    assertThat(SparkTestSupport.content(backfill.read("silver", "identity_map")))
        .isEqualTo(SparkTestSupport.content(daily.read("silver", "identity_map")));
  }

  @Test
  void rerunningADayChangesNothing() {
    List<String> before = SparkTestSupport.content(daily.read("silver", "identity_map"));
    new IdentityJob(daily, "identity-rerun").run(List.of(D3));
    assertThat(SparkTestSupport.content(daily.read("silver", "identity_map"))).isEqualTo(before);
    assertThat(daily.read("silver", "identity_merges").count()).isEqualTo(2);
    assertThat(daily.read("silver", IdentityJob.ALIASES).count()).isEqualTo(2);
  }
}
