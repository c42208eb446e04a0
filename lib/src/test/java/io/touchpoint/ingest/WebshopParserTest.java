package io.touchpoint.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.catalog.Channels;
import io.touchpoint.pii.Pii;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebshopParserTest {
  static final ParseContext CTX = ParseContext.of(LocalDate.of(2026, 1, 5), Pii.demo(), Channels.defaults());

  static CollectingSink parse(String text) {
    CollectingSink sink = new CollectingSink();
    BronzeTable.WEBSHOP_ORDERS.parser("orders.jsonl", Map.of()).parse("webshop/2026-01-05/orders.jsonl",
        text.getBytes(StandardCharsets.UTF_8), CTX, sink);
    return sink;
  }

  @Test
  void ordersRefundsAndDefects() {
    String text = String.join("\n",
        "{\"order_id\":\"W1\",\"type\":\"order\",\"original_order_id\":null,\"channel\":\"web\",\"member_id\":null,\"device_id\":\"d_1\",\"phone\":\"+86 139 0000 1111\",\"created_at\":\"2026-01-05T06:00:00Z\",\"total\":99.5,\"coupon\":null}",
        "{\"order_id\":\"W2\",\"type\":\"refund\",\"original_order_id\":\"W0\",\"channel\":\"app\",\"member_id\":\"M1\",\"device_id\":null,\"phone\":null,\"created_at\":\"2026-01-05T07:00:00Z\",\"total\":-10,\"coupon\":null}",
        "{\"order_id\":\"W3\",\"type\":\"order\",\"channel\":\"tv_shop\",\"created_at\":\"2026-01-05T07:00:00Z\",\"total\":10}",
        "{\"order_id\":\"W4\",\"type\":\"order\",\"channel\":\"app\",\"created_at\":\"yesterday\",\"total\":10}",
        "{\"order_id\":\"W5\",\"type\":\"order\",\"channel\":\"app\",\"created_at\":\"2026-01-05T07:00:00Z\",\"tot",
        "{\"order_id\":\"W6\",\"type\":\"order\",\"channel\":\"app\",\"created_at\":\"2026-01-05T07:00:00Z\",\"total\":-3}",
        "{\"order_id\":\"W7\",\"type\":\"refund\",\"channel\":\"app\",\"created_at\":\"2026-01-05T07:00:00Z\",\"total\":-3}",
        "");
    CollectingSink s = parse(text);
    assertThat(s.accepted.size() + s.rejected.size()).isEqualTo(7);
    assertThat(s.accepted).extracting(CollectingSink.Accepted::row).containsExactly(1L, 2L);
    assertThat(s.accepted.get(0).values()[3]).as("web maps to the webshop sales channel").isEqualTo("webshop");
    assertThat(s.accepted.get(0).values()[6]).isEqualTo(Pii.demo().phoneHash("13900001111"));
    assertThat(s.reasonAt(3)).isEqualTo(RejectReason.UNKNOWN_CHANNEL);
    assertThat(s.reasonAt(4)).isEqualTo(RejectReason.BAD_TIMESTAMP);
    assertThat(s.reasonAt(5)).isEqualTo(RejectReason.MALFORMED_LINE);
    assertThat(s.reasonAt(6)).isEqualTo(RejectReason.NEGATIVE_AMOUNT);
    assertThat(s.reasonAt(7)).isEqualTo(RejectReason.MISSING_REFERENCE);
  }
}
