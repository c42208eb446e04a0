package io.touchpoint.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.touchpoint.catalog.Channels;
import io.touchpoint.pii.Pii;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Touch logs (Parquet), ad spend and CRM: each contract check on a tiny named fixture. */
class OtherSourcesParserTest {
  static final LocalDate DAY = LocalDate.of(2026, 1, 5);
  static final ParseContext CTX = ParseContext.of(DAY, Pii.demo(), Channels.defaults());
  static final long NOON_MICROS = Instant.parse("2026-01-05T04:00:00Z").getEpochSecond() * 1_000_000L;

  @TempDir Path tmp;

  static CollectingSink parse(BronzeTable table, String file, byte[] bytes) {
    CollectingSink s = new CollectingSink();
    table.parser(file, Map.of()).parse(file, bytes, CTX, s);
    return s;
  }

  byte[] touches(String schema, Object[]... rows) throws IOException {
    MessageType type = MessageTypeParser.parseMessageType(schema);
    Path f = tmp.resolve("t" + System.nanoTime() + ".parquet");
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(f.toUri()))
        .withType(type).withConf(new Configuration()).build()) {
      SimpleGroupFactory g = new SimpleGroupFactory(type);
      for (Object[] r : rows) {
        Group group = g.newGroup();
        for (int i = 0; i < r.length; i += 2) {
          if (r[i + 1] instanceof Long l) {
            group.append((String) r[i], l);
          } else if (r[i + 1] != null) {
            group.append((String) r[i], (String) r[i + 1]);
          }
        }
        w.write(group);
      }
    }
    return Files.readAllBytes(f);
  }

  static final String TOUCH_SCHEMA = "message t { required binary event_id (STRING); required binary event_type (STRING);"
      + " required binary channel (STRING); optional binary campaign_id (STRING); optional binary device_id (STRING);"
      + " optional binary member_id (STRING); optional binary phone_hash (STRING); optional int64 event_time (TIMESTAMP(MICROS,true)); }";

  static Object[] touch(String id, String type, String channel, String phoneHash, Long micros) {
    return new Object[] {"event_id", id, "event_type", type, "channel", channel, "campaign_id", "c1",
        "device_id", "d_1", "phone_hash", phoneHash, "event_time", micros};
  }

  @Test
  void touchLogRowsAreCheckedOneByOne() throws IOException {
    String hash = Pii.demo().phoneHash("13800000001");
    byte[] file = touches(TOUCH_SCHEMA,
        touch("e1", "click", "search_ads", hash, NOON_MICROS),                  // 1 ok
        touch("e2", "click", "tv_ads", null, NOON_MICROS),                      // 2 unknown channel
        touch("e3", "click", "sms", "13800000001", NOON_MICROS),                // 3 clear phone in phone_hash
        touch("e4", "click", "sms", null, NOON_MICROS + 400L * 86_400_000_000L), // 4 future
        touch("e5", "click", "sms", null, null),                                // 5 no time
        touch("e1", "open", "email", null, NOON_MICROS),                        // 6 event id again
        touch("e7", "purchase", "email", null, NOON_MICROS));                   // 7 unknown event type
    CollectingSink s = parse(BronzeTable.TOUCHPOINT_EVENTS, "touches.parquet", file);
    assertThat(s.accepted).extracting(CollectingSink.Accepted::row).containsExactly(1L);
    assertThat(s.accepted.get(0).values()[7]).isEqualTo(Instant.parse("2026-01-05T04:00:00Z"));
    assertThat(s.reasonAt(2)).isEqualTo(RejectReason.UNKNOWN_CHANNEL);
    assertThat(s.reasonAt(3)).isEqualTo(RejectReason.UNKNOWN_VALUE);
    assertThat(s.rejected.stream().filter(r -> r.row() == 3).findFirst().orElseThrow().raw()).doesNotContain("13800000001");
    assertThat(s.reasonAt(4)).isEqualTo(RejectReason.FUTURE_TIMESTAMP);
    assertThat(s.reasonAt(5)).isEqualTo(RejectReason.BAD_TIMESTAMP);
    assertThat(s.reasonAt(6)).isEqualTo(RejectReason.DUPLICATE_KEY);
    assertThat(s.reasonAt(7)).isEqualTo(RejectReason.UNKNOWN_VALUE);
  }

  @Test
  void aTouchLogWithoutARequiredColumnQuarantinesAllItsRows() throws IOException {
    byte[] file = touches("message t { required binary event_id (STRING); required binary event_type (STRING);"
        + " optional int64 event_time (TIMESTAMP(MICROS,true)); }",
        new Object[] {"event_id", "e1", "event_type", "click", "event_time", NOON_MICROS},
        new Object[] {"event_id", "e2", "event_type", "click", "event_time", NOON_MICROS});
    CollectingSink s = parse(BronzeTable.TOUCHPOINT_EVENTS, "touches.parquet", file);
    assertThat(s.rejected).hasSize(2).allSatisfy(r -> {
      assertThat(r.reason()).isEqualTo(RejectReason.MISSING_COLUMN);
      assertThat(r.detail()).contains("channel");
    });
  }

  @Test
  void aFileThatIsNotParquetIsAClearError() {
    assertThatThrownBy(() -> parse(BronzeTable.TOUCHPOINT_EVENTS, "touches.parquet", "id,channel\n".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(UnreadableFileException.class).hasMessageContaining("not a readable Parquet file");
  }

  @Test
  void adSpendMustBeForTheFolderDateAndAMarketingChannel() {
    String csv = "spend_date,channel,campaign_id,spend_cny,impressions,clicks\n"
        + "2026-01-05,search_ads,c1,1200.50,10000,300\n"
        + "2026-01-04,search_ads,c2,10,1,1\n"
        + "2026-01-05,store,c3,10,1,1\n"
        + "2026-01-05,display,c4,-5,1,1\n"
        + "2026-01-05,search_ads,c1,99,1,1\n";
    CollectingSink s = parse(BronzeTable.AD_SPEND, "spend.csv", csv.getBytes(StandardCharsets.UTF_8));
    assertThat(s.accepted).hasSize(1);
    assertThat(s.accepted.get(0).values()[3]).isEqualTo(new BigDecimal("1200.50"));
    assertThat(s.reasonAt(2)).isEqualTo(RejectReason.WRONG_DATE);
    assertThat(s.reasonAt(3)).isEqualTo(RejectReason.UNKNOWN_CHANNEL);
    assertThat(s.reasonAt(4)).isEqualTo(RejectReason.NEGATIVE_AMOUNT);
    assertThat(s.reasonAt(5)).isEqualTo(RejectReason.DUPLICATE_KEY);
  }

  @Test
  void crmMembersAreHashedAndOldRegistrationsAccepted() {
    String csv = "member_id,phone,email,registered_at,registration_store_id,registration_channel,tier,updated_at\n"
        + "M1,13812345678,A@B.cn,2019-03-01 10:00:00+08:00,S001,store,gold,2026-01-05 10:00:00+08:00\n"
        + "M2,,,2025-03-01 10:00:00+08:00,,app,diamond,2026-01-05 10:00:00+08:00\n"
        + "M3,,,2025-03-01 10:00:00+08:00,,fax,regular,2026-01-05 10:00:00+08:00\n";
    CollectingSink s = parse(BronzeTable.CRM_MEMBERS, "members.csv", csv.getBytes(StandardCharsets.UTF_8));
    assertThat(s.accepted).hasSize(1);
    Object[] v = s.accepted.get(0).values();
    assertThat(v[1]).isEqualTo(Pii.demo().phoneHash("13812345678"));
    assertThat(v[2]).isEqualTo(Pii.demo().emailHash("a@b.cn"));
    assertThat(s.reasonAt(2)).isEqualTo(RejectReason.UNKNOWN_VALUE);
    assertThat(s.reasonAt(3)).isEqualTo(RejectReason.UNKNOWN_CHANNEL);
  }

  @Test
  void bindingsHashMarketplaceBuyersButKeepDeviceIds() {
    String csv = "member_id,identifier_type,identifier_value,bound_at\n"
        + "M1,device,d_abc,2026-01-05 10:00:00+08:00\n"
        + "M1,jd,jd_nick,2026-01-05 10:00:00+08:00\n"
        + "M1,weibo,x,2026-01-05 10:00:00+08:00\n";
    CollectingSink s = parse(BronzeTable.CRM_BINDINGS, "bindings.csv", csv.getBytes(StandardCharsets.UTF_8));
    assertThat(s.accepted).hasSize(2);
    assertThat(s.accepted.get(0).values()[2]).isEqualTo("d_abc");
    assertThat(s.accepted.get(1).values()[2]).isEqualTo(Pii.demo().identifierHash("buyer:jd", "jd_nick"));
    assertThat(s.reasonAt(3)).isEqualTo(RejectReason.UNKNOWN_VALUE);
  }
}
