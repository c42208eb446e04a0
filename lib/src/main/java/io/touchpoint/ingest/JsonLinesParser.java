package io.touchpoint.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code webshop/<date>/orders.jsonl}: own web shop, app and mini-program orders and refunds, one
 * JSON object per line (UTF-8). A JSON object says where it ends, so a last line without a line
 * break is read like any other; an empty file is a day without orders. Each line must be exactly
 * one object with no repeated field.
 */
final class JsonLinesParser implements FileParser {
  static final Map<String, String> SALES_CHANNEL = Map.of("web", "webshop", "app", "app", "mini_program", "mini_program");
  static final Set<String> FIELDS = Set.of("order_id", "type", "original_order_id", "channel", "member_id", "device_id",
      "phone", "created_at", "total", "coupon");
  static final List<String> REQUIRED = List.of("order_id", "type", "channel", "created_at", "total");
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Pattern PHONE_FIELD = Pattern.compile("(\"phone\"\\s*:\\s*)\"[^\"]*\"?");

  @Override
  public FileSummary parse(String file, byte[] bytes, ParseContext ctx, RecordSink out) {
    TextLines lines = TextLines.split(bytes);
    FileTally sink = new FileTally(out);
    Set<String> seenLines = new HashSet<>();
    Map<String, Long> seenKeys = new HashMap<>();
    Set<String> extraFields = new TreeSet<>();
    Set<String> seenFields = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.blank(i)) {
        continue;
      }
      long row = i + 1;
      String line = lines.decode(i, StandardCharsets.UTF_8);
      try {
        if (line == null) {
          throw new RowRejected(RejectReason.UNDECODABLE_LINE, "the line is not valid UTF-8; re-export the file as UTF-8");
        }
        if (!seenLines.add(line)) {
          throw new RowRejected(RejectReason.DUPLICATE_ROW, "same as an earlier line of this file");
        }
        JsonNode n = object(line, i == lines.size() - 1 && lines.lastLineCut());
        List<String> unexpected = new ArrayList<>();
        for (Iterator<String> names = n.fieldNames(); names.hasNext(); ) {
          String name = names.next();
          seenFields.add(name);
          if (!FIELDS.contains(name)) {
            unexpected.add(name);
          }
        }
        extraFields.addAll(unexpected.subList(0, Math.min(unexpected.size(), 10)));
        Object[] values = map(n, unexpected, ctx);
        Long first = seenKeys.putIfAbsent(values[0] + "|" + values[1], row);
        if (first != null) {
          throw new RowRejected(RejectReason.DUPLICATE_KEY, "order_id '" + values[0] + "' already on line " + first);
        }
        sink.accept(row, values);
      } catch (RowRejected r) {
        String text = line != null ? line : lines.lenient(i, StandardCharsets.UTF_8);
        sink.reject(row, r.reason(), Quarantine.detail(r.getMessage()),
            Quarantine.raw(PHONE_FIELD.matcher(text).replaceAll("$1\"" + Quarantine.MASK + "\"")));
      }
    }
    List<String> notes = new ArrayList<>();
    if (!extraFields.isEmpty()) {
      notes.add(Quarantine.detail("extra field(s) ignored: " + extraFields));
    }
    if (sink.rows() > 0) {
      Set<String> absent = new TreeSet<>(FIELDS);
      absent.removeAll(seenFields);
      if (!absent.isEmpty()) {
        notes.add("field(s) on no line of the file: " + absent);
      }
    }
    sink.addNotes(notes, ctx);
    return new FileSummary("UTF-8", notes);
  }

  private static JsonNode object(String line, boolean cut) throws RowRejected {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (Exception e) {
      String why = e.getMessage() != null && e.getMessage().contains("Duplicate field")
          ? "a field appears twice in the object" : "not one complete JSON object";
      throw new RowRejected(RejectReason.MALFORMED_LINE,
          why + (cut ? " (the file ends inside this line: it was cut off; ask for it to be re-delivered)" : ""));
    }
    if (n == null || !n.isObject()) {
      throw new RowRejected(RejectReason.MALFORMED_LINE, "not a JSON object");
    }
    return n;
  }

  private static Object[] map(JsonNode n, List<String> unexpected, ParseContext ctx) throws RowRejected {
    for (String required : REQUIRED) {
      if (!n.has(required)) {
        throw new RowRejected(RejectReason.MISSING_VALUE, "no field '" + required + "'"
            + (unexpected.isEmpty() ? "" : " (the line has unexpected field(s) " + unexpected + ": renamed?)"));
      }
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
        Fields.onExportDay(Fields.utcTime(text(n, "created_at"), "created_at", ctx), "created_at", ctx),
        total,
        Fields.optional(text(n, "coupon"))};
  }

  /**
   * A field's value as text: a number keeps its digits, a string its characters; an object or
   * array is not a value.
   */
  private static String text(JsonNode n, String field) throws RowRejected {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isContainerNode()) {
      throw new RowRejected(RejectReason.MALFORMED_LINE, "field '" + field + "' holds " + (v.isArray() ? "an array" : "an object")
          + ", not a single value");
    }
    String s = v.asText();
    if (s.length() > MAX_FIELD_CHARS) {
      throw new RowRejected(RejectReason.FIELD_TOO_LONG, "field '" + field + "' holds " + s.length()
          + " characters (at most " + MAX_FIELD_CHARS + ")");
    }
    return s;
  }
}
