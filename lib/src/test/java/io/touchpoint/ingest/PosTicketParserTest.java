package io.touchpoint.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.catalog.Channels;
import io.touchpoint.pii.Pii;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PosTicketParserTest {
  static final String HEADER = "ticket_id,store_id,terminal_id,ticket_time,member_id,phone,amount_cny,items,payment_method,original_ticket_id";
  static final ParseContext CTX = ParseContext.of(LocalDate.of(2026, 1, 5), Pii.demo(), Channels.defaults());

  static CollectingSink parse(String text) {
    CollectingSink sink = new CollectingSink();
    BronzeTable.POS_TICKETS.parser("tickets.csv", Map.of())
        .parse("pos/2026-01-05/tickets.csv", text.getBytes(StandardCharsets.UTF_8), CTX, sink);
    return sink;
  }

  @Test
  void saleWithMemberAndPhoneIsHashedAndTyped() {
    CollectingSink s = parse(HEADER + "\nT1,S001,3,2026-01-05 14:23:11+08:00,M000000001,138 1234 5678,199.90,2,wechat_pay,\n");
    assertThat(s.rejected).isEmpty();
    Object[] v = s.accepted.get(0).values();
    assertThat(v[0]).isEqualTo("T1");
    assertThat(v[3]).as("local time with offset is stored as the UTC instant").isEqualTo(Instant.parse("2026-01-05T06:23:11Z"));
    assertThat(v[5]).as("phone replaced by its HMAC").isEqualTo(Pii.demo().phoneHash("+8613812345678"));
    assertThat(v[6]).isEqualTo(new BigDecimal("199.90"));
    assertThat(v[7]).isEqualTo(2);
  }

  @Test
  void refundTicketMayBeNegativeButASaleMayNot() {
    CollectingSink s = parse(HEADER
        + "\nT2,S001,3,2026-01-05 15:00:00+08:00,,,-50.00,-1,cash,T1"
        + "\nT3,S001,3,2026-01-05 15:01:00+08:00,,,-50.00,1,cash,\n");
    assertThat(s.accepted).extracting(CollectingSink.Accepted::row).containsExactly(1L);
    assertThat(s.reasonAt(2)).isEqualTo(RejectReason.NEGATIVE_AMOUNT);
  }

  @Test
  void everyRowDefectHasItsReasonAndRowsAreConserved() {
    String text = HEADER
        + "\nT1,S001,3,2026-01-05 14:23:11+08:00,,,10.00,1,cash,"          // 1 ok
        + "\nT1,S001,3,2026-01-05 14:23:11+08:00,,,10.00,1,cash,"          // 2 exact duplicate
        + "\nT1,S001,4,2026-01-05 14:25:11+08:00,,,11.00,1,cash,"          // 3 same ticket id, other content
        + "\nT4,S001,3,2026-01-05 14:23:11+08:00,,,ten,1,cash,"            // 4 non-numeric amount
        + "\nT5,S001,3,2026-01-05 25:61:00+08:00,,,10.00,1,cash,"          // 5 bad timestamp
        + "\nT6,S001,3,2026-01-05 14:23:11,,,10.00,1,cash,"                // 6 no offset
        + "\nT7,S001,3,2031-01-05 14:23:11+08:00,,,10.00,1,cash,"          // 7 future
        + "\nT8,S001,3,\"2026-01-05 14:23:11+08:00,,,10.00,1,cash,"        // 8 broken quoting
        + "\nT9,S001,3,2026-01-05 14:23:11+08:00,,,10.00,1"                // 9 too few fields
        + "\nT10,S001,3,2026-01-05 14:23:11+08:00,,,99999999.00,1,cash,"   // 10 absurd amount
        + "\nT11,S001,3,2026-01-05 14:23:11+08:00,,,10.00,1,bitcoin,"      // 11 unknown payment method
        + "\n,S001,3,2026-01-05 14:23:11+08:00,,,10.00,1,cash,"            // 12 missing ticket id
        + "\nT13,S001,3,2026-01-05 14:23:11+08:00,,,¥10.00,1,cash,"        // 13 currency sign
        + "\n";
    CollectingSink s = parse(text);
    assertThat(s.accepted.size() + s.rejected.size()).as("rows read = accepted + rejected").isEqualTo(13);
    assertThat(s.accepted).extracting(CollectingSink.Accepted::row).containsExactly(1L);
    assertThat(s.reasonAt(2)).isEqualTo(RejectReason.DUPLICATE_ROW);
    assertThat(s.reasonAt(3)).isEqualTo(RejectReason.DUPLICATE_KEY);
    assertThat(s.reasonAt(4)).isEqualTo(RejectReason.NON_NUMERIC_AMOUNT);
    assertThat(s.reasonAt(5)).isEqualTo(RejectReason.BAD_TIMESTAMP);
    assertThat(s.reasonAt(6)).isEqualTo(RejectReason.BAD_TIMESTAMP);
    assertThat(s.rejected.stream().filter(r -> r.row() == 6).findFirst().orElseThrow().detail()).contains("no UTC offset");
    assertThat(s.reasonAt(7)).isEqualTo(RejectReason.FUTURE_TIMESTAMP);
    assertThat(s.reasonAt(8)).isEqualTo(RejectReason.MALFORMED_LINE);
    assertThat(s.reasonAt(9)).isEqualTo(RejectReason.WRONG_FIELD_COUNT);
    assertThat(s.reasonAt(10)).isEqualTo(RejectReason.ABSURD_AMOUNT);
    assertThat(s.reasonAt(11)).isEqualTo(RejectReason.UNKNOWN_VALUE);
    assertThat(s.reasonAt(12)).isEqualTo(RejectReason.MISSING_VALUE);
    assertThat(s.reasonAt(13)).isEqualTo(RejectReason.NON_NUMERIC_AMOUNT);
  }

  @Test
  void rejectedRawRowsHaveTheirPhoneMasked() {
    CollectingSink s = parse(HEADER + "\nT1,S001,3,2026-01-05 14:23:11+08:00,,13812345678,ten,1,cash,\n");
    assertThat(s.rejected.get(0).raw()).as("the phone column of a line that splits is masked whole")
        .doesNotContain("13812345678").isEqualTo("T1,S001,3,2026-01-05 14:23:11+08:00,,***,ten,1,cash,");
    CollectingSink broken = parse(HEADER + "\nT1,S001,3,\"2026-01-05 14:23:11+08:00,,138 1234 5678,ten,1,cash,\n");
    assertThat(broken.rejected.get(0).raw()).as("a line that does not split is masked by pattern")
        .doesNotContain("138 1234 5678").contains("138******78");
  }

  @Test
  void crlfAndBomAndBlankLinesAreTolerated() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    String body = HEADER + "\r\nT1,S001,3,2026-01-05 14:23:11+08:00,,,10.00,1,cash,\r\n\r\nT2,S001,3,2026-01-05 14:24:11+08:00,,,12.00,1,cash,\r\n";
    byte[] text = body.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[bom.length + text.length];
    System.arraycopy(bom, 0, all, 0, 3);
    System.arraycopy(text, 0, all, 3, text.length);
    CollectingSink s = new CollectingSink();
    BronzeTable.POS_TICKETS.parser("tickets.csv", Map.of()).parse("f", all, CTX, s);
    assertThat(s.rejected).isEmpty();
    assertThat(s.accepted).extracting(CollectingSink.Accepted::row).containsExactly(1L, 3L);
    assertThat(s.accepted.get(1).values()[9]).as("no stray CR in the last field").isNull();
  }

  @Test
  void aMissingRequiredColumnQuarantinesEveryRowOfTheFile() {
    String header = HEADER.replace(",amount_cny", "");
    CollectingSink s = parse(header + "\nT1,S001,3,2026-01-05 14:23:11+08:00,,,1,cash,\nT2,S001,3,2026-01-05 14:23:11+08:00,,,1,cash,\n");
    assertThat(s.accepted).isEmpty();
    assertThat(s.rejected).hasSize(2).allSatisfy(r -> {
      assertThat(r.reason()).isEqualTo(RejectReason.MISSING_COLUMN);
      assertThat(r.detail()).contains("amount_cny");
    });
  }

  @Test
  void extraColumnsAndReorderedColumnsStillParse() {
    String header = "store_id,ticket_id,terminal_id,ticket_time,member_id,phone,amount_cny,items,payment_method,original_ticket_id,cashier";
    CollectingSink s = parse(header + "\nS001,T1,3,2026-01-05 14:23:11+08:00,,,10.00,1,cash,,Li\n");
    assertThat(s.rejected).isEmpty();
    assertThat(s.accepted.get(0).values()[0]).isEqualTo("T1");
  }

  @Test
  void aHeaderOnlyFileHasNoRows() {
    CollectingSink s = parse(HEADER + "\n");
    assertThat(s.accepted).isEmpty();
    assertThat(s.rejected).isEmpty();
  }
}
