package io.touchpoint.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.pii.Pii;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code webshop/<date>/orders.jsonl}: own web shop, app and mini-program orders and refunds. */
final class JsonLinesParser implements FileParser {
  static final Map<String, String> SALES_CHANNEL = Map.of("web", "webshop", "app", "app", "mini_program", "mini_program");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public FileSummary parse(String file, byte[] bytes, ParseContext ctx, RecordSink sink) {
    DecodedText text = DecodedText.decode(bytes, StandardCharsets.UTF_8);
    if (text == null) {
      CsvFileParser.rejectAllLines(bytes, sink, RejectReason.UNDECODABLE_FILE, "file is not valid UTF-8; re-export it as UTF-8");
      return new FileSummary("undecodable", List.of("not valid UTF-8"));
    }
    Set<String> seenLines = new HashSet<>();
    Map<String, Long> seenKeys = new HashMap<>();
    List<String> lines = text.lines();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      long row = i + 1;
      try {
        if (!seenLines.add(line)) {
          throw new RowRejected(RejectReason.DUPLICATE_ROW, "same as an earlier line of this file");
        }
        Object[] values = map(line, ctx);
        Long first = seenKeys.putIfAbsent(values[0] + "|" + values[1], row);
        if (first != null) {
          throw new RowRejected(RejectReason.DUPLICATE_KEY, "order_id '" + values[0] + "' already on line " + first);
        }
        sink.accept(row, values);
      } catch (RowRejected r) {
        sink.reject(row, r.reason(), Pii.mask(r.getMessage()), Pii.mask(line));
      }
    }
    return new FileSummary("UTF-8", List.of());
  }

  private static Object[] map(String line, ParseContext ctx) throws RowRejected {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (Exception e) {
      throw new RowRejected(RejectReason.MALFORMED_LINE, "not a JSON object");
    }
    if (n == null || !n.isObject()) {
      throw new RowRejected(RejectReason.MALFORMED_LINE, "not a JSON object");
    }
    String orderId = Fields.required(text(n, "order_id"), "order_id");
    String type = Fields.oneOf(text(n, "type"), "type", Set.of("order", "refund"));
    String original = Fields.optional(text(n, "original_order_id"));
    String channel = Fields.required(text(n, "channel"), "channel");
    String salesChannel = SALES_CHANNEL.get(channel);
    if (salesChannel == null) {
      throw new RowRejected(RejectReason.UNKNOWN_CHANNEL, "channel '" + Fields.clip(channel) + "' is not one of " + SALES_CHANNEL.keySet());
    }
    BigDecimal total = Fields.amount(text(n, "total"), "total", ctx);
    if (type.equals("order") && total.signum() < 0) {
      throw new RowRejected(RejectReason.NEGATIVE_AMOUNT, "total " + total.toPlainString() + " is negative on an order");
    }
    if (type.equals("refund")) {
      if (original == null) {
        throw new RowRejected(RejectReason.MISSING_REFERENCE, "refund without original_order_id");
      }
      if (total.signum() > 0) {
        throw new RowRejected(RejectReason.NEGATIVE_AMOUNT, "refund total " + total.toPlainString() + " is positive");
      }
    }
    return new Object[] {
        orderId, type, original, salesChannel,
        Fields.optional(text(n, "member_id")),
        Fields.optional(text(n, "device_id")),
        ctx.pii().phoneHash(text(n, "phone")),
        Fields.utcTime(text(n, "created_at"), "created_at", ctx),
        total,
        Fields.optional(text(n, "coupon"))};
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
