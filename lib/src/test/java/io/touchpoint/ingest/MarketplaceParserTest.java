package io.touchpoint.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.catalog.Channels;
import io.touchpoint.pii.Pii;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarketplaceParserTest {
  static final ParseContext CTX = ParseContext.of(LocalDate.of(2026, 1, 5), Pii.demo(), Channels.defaults());
  static final Charset GBK = Charset.forName("GBK");
  static final String TMALL = "订单编号,买家会员名,买家实际支付金额,订单状态,收货人手机号,订单创建时间,退款金额\n"
      + "TM1,小明爱购物,299.00,交易成功,138****5678,2026-01-05 21:10:00,0\n"
      + "TM2,阿花,120.00,部分退款,139****0000,2026-01-05 21:11:00,20.00\n"
      + "TM3,阿花,120.00,待发货,139****0000,2026-01-05 21:12:00,0\n";

  static CollectingSink parse(String platform, byte[] bytes) {
    CollectingSink sink = new CollectingSink();
    FileParser.FileSummary summary = BronzeTable.MARKETPLACE_ORDERS.parser(platform + ".csv", Map.of())
        .parse("marketplace/2026-01-05/" + platform + ".csv", bytes, CTX, sink);
    sink.accepted.forEach(a -> { });
    lastSummary = summary;
    return sink;
  }

  static FileParser.FileSummary lastSummary;

  @Test
  void tmallGbkExportWithChineseHeadersParses() {
    CollectingSink s = parse("tmall", TMALL.getBytes(GBK));
    assertThat(s.accepted).hasSize(2);
    Object[] v = s.accepted.get(0).values();
    assertThat(v[0]).isEqualTo("tmall");
    assertThat(v[2]).as("buyer name hashed, never in clear").isEqualTo(Pii.demo().identifierHash("buyer:tmall", "小明爱购物"));
    assertThat(v[5]).as("Beijing time without offset").isEqualTo(Instant.parse("2026-01-05T13:10:00Z"));
    assertThat(s.accepted.get(1).values()[4]).isEqualTo("partly_refunded");
    assertThat(s.accepted.get(1).values()[6]).isEqualTo(new BigDecimal("20.00"));
    assertThat(s.reasonAt(3)).isEqualTo(RejectReason.UNKNOWN_VALUE);
    assertThat(lastSummary.encoding()).isEqualTo("GBK");
  }

  @Test
  void aGbkPlatformDeliveredAsUtf8IsDetectedAndNoted() {
    CollectingSink s = parse("tmall", TMALL.getBytes(StandardCharsets.UTF_8));
    assertThat(s.accepted).hasSize(2);
    assertThat(lastSummary.encoding()).isEqualTo("UTF-8");
    assertThat(lastSummary.notes()).anySatisfy(n -> assertThat(n).contains("declared GBK"));
  }

  @Test
  void jdUtf8WithBomParses() {
    String jd = "\uFEFF订单号,下单帐号,应付金额,订单状态,联系电话,下单时间,退款金额\nJD1,jd_buyer,88.50,已退款,137****1111,2026-01-05 09:00:00,88.50\n";
    CollectingSink s = parse("jd", jd.getBytes(StandardCharsets.UTF_8));
    assertThat(s.accepted).hasSize(1);
    assertThat(s.accepted.get(0).values()[4]).isEqualTo("refunded");
  }

  @Test
  void refundAboveTheAmountPaidIsAbsurd() {
    String pdd = "订单号,用户昵称,实收金额,订单状态,手机号,成交时间,退款金额\nP1,u,10.00,已退款,136****2222,2026-01-05 09:00:00,11.00\n";
    CollectingSink s = parse("pinduoduo", pdd.getBytes(GBK));
    assertThat(s.reasonAt(1)).isEqualTo(RejectReason.ABSURD_AMOUNT);
  }
}
