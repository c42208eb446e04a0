package io.touchpoint.jobs.ingest;

import static io.touchpoint.ingest.RejectReason.ABSURD_AMOUNT;
import static io.touchpoint.ingest.RejectReason.BAD_TIMESTAMP;
import static io.touchpoint.ingest.RejectReason.DUPLICATE_KEY;
import static io.touchpoint.ingest.RejectReason.DUPLICATE_ROW;
import static io.touchpoint.ingest.RejectReason.FIELD_TOO_LONG;
import static io.touchpoint.ingest.RejectReason.FUTURE_TIMESTAMP;
import static io.touchpoint.ingest.RejectReason.MALFORMED_LINE;
import static io.touchpoint.ingest.RejectReason.MISSING_COLUMN;
import static io.touchpoint.ingest.RejectReason.MISSING_REFERENCE;
import static io.touchpoint.ingest.RejectReason.MISSING_VALUE;
import static io.touchpoint.ingest.RejectReason.NEGATIVE_AMOUNT;
import static io.touchpoint.ingest.RejectReason.NON_NUMERIC_AMOUNT;
import static io.touchpoint.ingest.RejectReason.UNDECODABLE_FILE;
import static io.touchpoint.ingest.RejectReason.UNDECODABLE_LINE;
import static io.touchpoint.ingest.RejectReason.UNKNOWN_CHANNEL;
import static io.touchpoint.ingest.RejectReason.UNKNOWN_VALUE;
import static io.touchpoint.ingest.RejectReason.WRONG_DATE;
import static io.touchpoint.ingest.RejectReason.WRONG_FIELD_COUNT;
import static io.touchpoint.jobs.ingest.BadInput.file;
import static io.touchpoint.jobs.ingest.BadInput.run;
import static io.touchpoint.jobs.ingest.BadInput.silver;
import static io.touchpoint.jobs.ingest.ValidExports.GBK;
import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.errors.Errors;
import io.touchpoint.jobs.support.DenyingFileSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;

/**
 * The bad-input catalogue as executable cases. docs/BAD_INPUT.md lists exactly these ids with
 * the outcome each asserts ({@code BadInputCatalogueTest.theDocumentListsExactlyTheseCases}).
 */
final class BadInputCatalogue {
  private BadInputCatalogue() {}

  static final String HUGE = "X".repeat(100_000);

  static List<BadInput> all() {
    List<BadInput> all = new ArrayList<>();
    all.addAll(csv());
    all.addAll(jsonLines());
    all.addAll(marketplace());
    all.addAll(parquet());
    all.addAll(runs());
    all.addAll(acrossFiles());
    return all;
  }

  // ---------------------------------------------------------------- CSV (POS tickets unless said)

  static List<BadInput> csv() {
    return List.of(
        file("csv.malformed-quote", "a quote opened and never closed",
            () -> ValidExports.pos().row(2, l -> l.replace(",T1,2026", ",T1,\"2026"))).accepts(2).rejects(MALFORMED_LINE, 2)
            .detail("unterminated quoted field"),
        file("csv.stray-quote", "a quote inside an unquoted value", () -> ValidExports.pos().row(2, l -> l.replace(",S001,", ",S0\"01,")))
            .accepts(2).rejects(MALFORMED_LINE, 2).detail("stray quote"),
        file("csv.field-count", "a line with an extra field, a line cut to half its fields",
            () -> ValidExports.pos().row(1, l -> l + ",#ERR").row(2, l -> String.join(",", Arrays.copyOf(l.split(",", -1), 5))))
            .accepts(1).rejects(WRONG_FIELD_COUNT, 1, 2).detail("11 fields where the header has 10"),
        file("csv.truncated-file", "the file cut off in the middle of its last line",
            () -> ValidExports.pos().bytes(cutEnd(12))).accepts(2).rejects(MALFORMED_LINE, 3).detail("cut off"),
        file("csv.truncated-last-value", "the file cut inside its last value, leaving a line that still splits",
            () -> ValidExports.spend().bytes(cutEnd(2))).accepts(1).rejects(MALFORMED_LINE, 2).detail("no line break"),
        file("csv.empty-file", "a 0-byte file (not even the header)", () -> ValidExports.pos().lines(l -> List.of()).noFinalEol())
            .fails(Errors.EXIT_INPUT, "tickets.csv", "is empty", "only the header line"),
        file("csv.header-only", "only the header: a day without rows", () -> ValidExports.pos().lines(l -> List.of(l.get(0))))
            .accepts(0),
        file("csv.blank-lines", "blank and whitespace-only lines between and after rows",
            () -> ValidExports.pos().lines(l -> List.of(l.get(0), "", l.get(1), "  \t", l.get(2), l.get(3), "", ""))).accepts(3).sameValues(),
        file("csv.bom", "a UTF-8 byte-order mark before the header", () -> ValidExports.pos().bom(true)).accepts(3).sameValues(),
        file("csv.crlf", "Windows line ends (CRLF)", () -> ValidExports.pos().eol("\r\n")).accepts(3).sameValues(),
        file("csv.cr-only", "classic Mac line ends (CR only, Excel's \"CSV (Macintosh)\")", () -> ValidExports.pos().eol("\r"))
            .accepts(3).sameValues(),
        file("csv.mixed-line-ends", "LF and CRLF mixed in one file", () -> ValidExports.pos().row(1, l -> l + "\r"))
            .accepts(3).sameValues(),
        file("csv.foreign-encoding-line", "one line in GBK inside a UTF-8 file",
            () -> ValidExports.pos().row(2, l -> l.replace(",T1,", ",T9,"))
                .bytes(replace("T9".getBytes(StandardCharsets.UTF_8), "收银台".getBytes(GBK))))
            .accepts(2).rejects(UNDECODABLE_LINE, 2).detail("not valid UTF-8"),
        file("csv.utf16-file", "the whole file in UTF-16 (Excel's \"Unicode text\")", () -> ValidExports.pos().charset(StandardCharsets.UTF_16))
            .accepts(0).rejects(UNDECODABLE_FILE, 1, 2, 3).detail("UTF-16 byte-order mark"),
        file("csv.huge-field", "a 100,000-character value", () -> ValidExports.pos().row(2, l -> l.replace(",T1,", ",T" + HUGE + ",")))
            .accepts(2).rejects(FIELD_TOO_LONG, 2).detail("terminal_id holds 100001 characters"),
        file("csv.duplicate-row", "a line repeated exactly", () -> ValidExports.pos().add(ValidExports.pos().data().get(0)))
            .accepts(3).rejects(DUPLICATE_ROW, 4),
        file("csv.duplicate-key", "the same ticket id twice with different content",
            () -> ValidExports.pos().add(ValidExports.pos().data().get(0).replace("199.90", "19.90")))
            .accepts(3).rejects(DUPLICATE_KEY, 4).detail("already on row 1"),
        file("csv.repeated-header", "the header line again inside the file (two exports joined)",
            () -> ValidExports.pos().add(ValidExports.POS_HEADER, "S001-T1-20260105-000004,S001,T1,2026-01-05 18:00:00+08:00,,,10.00,1,cash,"))
            .accepts(4).rejects(MALFORMED_LINE, 4).detail("header line again"),
        file("csv.non-numeric-amount", "amounts with a currency sign or unit, N/A, a thousands separator",
            () -> ValidExports.pos().row(1, l -> l.replace("199.90", "¥199.90")).row(2, l -> l.replace("58.00", "N/A"))
                .add("S001-T1-20260105-000004,S001,T1,2026-01-05 18:00:00+08:00,,,\"1,234.50\",1,cash,"))
            .accepts(1).rejects(NON_NUMERIC_AMOUNT, 1, 2, 4).detail("is not a plain decimal number"),
        file("csv.negative-amount", "a negative sale, a positive refund ticket",
            () -> ValidExports.pos().row(1, l -> l.replace("199.90", "-199.90")).row(3, l -> l.replace("-99.95", "99.95")))
            .accepts(1).rejects(NEGATIVE_AMOUNT, 1, 3),
        file("csv.absurd-amount", "an amount of ¥99,999,999 and an item count of 100,000",
            () -> ValidExports.pos().row(1, l -> l.replace("199.90", "99999999.00")).row(2, l -> l.replace(",58.00,1,", ",58.00,100000,")))
            .accepts(1).rejects(ABSURD_AMOUNT, 1, 2).detail("exceeds the bound 1000000", "not a plausible item count"),
        file("csv.retyped-column", "item counts written as decimals",
            () -> ValidExports.pos().row(1, l -> l.replace(",199.90,2,", ",199.90,2.0,")).row(2, l -> l.replace(",58.00,1,", ",58.00,1.5,")))
            .accepts(1).rejects(NON_NUMERIC_AMOUNT, 1, 2).detail("is not a whole number"),
        file("csv.unknown-value", "a payment method outside the contract", () -> ValidExports.pos().row(2, l -> l.replace(",cash,", ",bitcoin,")))
            .accepts(2).rejects(UNKNOWN_VALUE, 2).detail("payment_method 'bitcoin'"),
        file("csv.missing-value", "an empty ticket id, an empty store id",
            () -> ValidExports.pos().row(1, l -> l.substring(l.indexOf(','))).row(2, l -> l.replace(",S001,", ",,")))
            .accepts(1).rejects(MISSING_VALUE, 1, 2).detail("ticket_id is empty", "store_id is empty"),
        file("csv.bad-timestamp", "an impossible date, a time before 2000",
            () -> ValidExports.pos().row(1, l -> l.replace("2026-01-05 10:15:00+08:00", "2026-13-45 27:61:00"))
                .row(2, l -> l.replace("2026-01-05 11:20:00+08:00", "1999-12-31 11:20:00+08:00")))
            .accepts(1).rejects(BAD_TIMESTAMP, 1, 2).detail("is not a timestamp", "before 2000-01-01"),
        file("csv.future-timestamp", "a ticket dated 2099", () -> ValidExports.pos().row(1, l -> l.replace("2026-01-05 10:15", "2099-01-05 10:15")))
            .accepts(2).rejects(FUTURE_TIMESTAMP, 1),
        file("csv.timezone-less", "a local time without its UTC offset", () -> ValidExports.pos().row(1, l -> l.replace("10:15:00+08:00", "10:15:00")))
            .accepts(2).rejects(BAD_TIMESTAMP, 1).detail("has no UTC offset"),
        file("csv.wrong-date-row", "a ticket of the day before and one of the day after",
            () -> ValidExports.pos().row(1, l -> l.replace("2026-01-05 10:15", "2026-01-06 00:05"))
                .row(2, l -> l.replace("2026-01-05 11:20", "2026-01-04 23:50")))
            .accepts(1).rejects(WRONG_DATE, 1, 2).detail("not the export date 2026-01-05"),
        file("csv.wrong-date-file", "yesterday's export delivered in today's folder",
            () -> ValidExports.pos().lines(l -> l.stream().map(x -> x.replace("2026-01-05 ", "2026-01-04 ")).collect(Collectors.toList())))
            .accepts(0).rejects(WRONG_DATE, 1, 2, 3).note("another day's export"),
        file("csv.extra-column", "a column the contract does not have", () -> ValidExports.pos()
            .lines(l -> l.stream().map(x -> x + (x.startsWith("ticket_id") ? ",cashier_id" : ",C07")).collect(Collectors.toList())))
            .accepts(3).sameValues().note("extra column(s) ignored: [cashier_id]"),
        file("csv.reordered-columns", "columns in another order", () -> ValidExports.pos().lines(l -> l.stream()
            .map(x -> swapFields(x, 0, 1)).collect(Collectors.toList()))).accepts(3).sameValues(),
        file("csv.missing-column", "the amount column dropped", () -> ValidExports.pos().lines(l -> l.stream()
            .map(x -> dropField(x, 6)).collect(Collectors.toList())))
            .accepts(0).rejects(MISSING_COLUMN, 1, 2, 3).detail("lacks required column(s) [amount_cny]").note("[amount_cny]"),
        file("csv.renamed-column", "a column renamed (amount_cny → amount)", () -> ValidExports.pos().header(h -> h.replace("amount_cny", "amount")))
            .accepts(0).rejects(MISSING_COLUMN, 1, 2, 3).detail("has unexpected [amount] (renamed?)"),
        file("csv.repeated-column", "a required column twice in the header", () -> ValidExports.pos()
            .lines(l -> l.stream().map(x -> x + (x.startsWith("ticket_id") ? ",amount_cny" : ",0.00")).collect(Collectors.toList())))
            .accepts(0).rejects(MISSING_COLUMN, 1, 2, 3).detail("header repeats column(s) [amount_cny]"),
        file("csv.headerless", "the header line missing", () -> ValidExports.pos().lines(l -> l.subList(1, l.size())))
            .accepts(0).rejects(MISSING_COLUMN, 1, 2, 3).detail("no header line"),
        file("spend.negative-count", "negative impressions", () -> ValidExports.spend().row(1, l -> l.replace(",1406,", ",-1406,")))
            .accepts(1).rejects(NEGATIVE_AMOUNT, 1).detail("impressions -1406 is negative"),
        file("spend.wrong-date", "spend of another day in the day's file", () -> ValidExports.spend().row(2, l -> l.replace("2026-01-05", "2026-01-04")))
            .accepts(1).rejects(WRONG_DATE, 2),
        file("spend.unknown-channel", "spend on a channel not in the catalogue", () -> ValidExports.spend().row(1, l -> l.replace("search_ads", "tv_ads")))
            .accepts(1).rejects(UNKNOWN_CHANNEL, 1),
        file("crm.unknown-channel", "a registration channel not in the catalogue", () -> ValidExports.members().row(2, l -> l.replace(",app,", ",fax,")))
            .accepts(1).rejects(UNKNOWN_CHANNEL, 2),
        file("crm.unknown-tier", "a member tier outside the contract", () -> ValidExports.members().row(1, l -> l.replace(",gold,", ",diamond,")))
            .accepts(1).rejects(UNKNOWN_VALUE, 1).detail("tier 'diamond'"),
        file("crm.old-registration", "a member registered years before the export (not a fault)", ValidExports::members).accepts(2).sameValues(),
        file("crm.bindings-unknown-type", "a binding to an account type outside the contract, with a buyer name",
            () -> ValidExports.bindings().row(2, l -> l.replace(",tmall,", ",weibo,")))
            .accepts(2).rejects(UNKNOWN_VALUE, 2).detail("identifier_type '***' is not one of"),
        file("crm.bindings-missing-column", "member_id dropped from the bindings", () -> ValidExports.bindings()
            .lines(l -> l.stream().map(x -> dropField(x, 0)).collect(Collectors.toList())))
            .accepts(0).rejects(MISSING_COLUMN, 1, 2, 3).detail("[member_id]"));
  }

  // ---------------------------------------------------------------- JSON lines (web shop)

  static List<BadInput> jsonLines() {
    return List.of(
        file("jsonl.truncated-line", "a line cut in half", () -> ValidExports.webshop().row(2, l -> l.substring(0, l.length() / 2)))
            .accepts(2).rejects(MALFORMED_LINE, 2).detail("not one complete JSON object"),
        file("jsonl.truncated-file", "the file cut off in the middle of its last line", () -> ValidExports.webshop().bytes(cutEnd(30)))
            .accepts(2).rejects(MALFORMED_LINE, 3).detail("cut off"),
        file("jsonl.no-final-line-break", "a complete last object without a line break (not a fault)",
            () -> ValidExports.webshop().noFinalEol()).accepts(3).sameValues(),
        file("jsonl.empty-file", "a 0-byte file: a day without orders (not a fault)", () -> ValidExports.webshop().lines(l -> List.of()))
            .accepts(0),
        file("jsonl.not-an-object", "a line that is an array, a line that is not JSON",
            () -> ValidExports.webshop().row(2, l -> "[\"W1000000002\", 89.00]").add("order W1000000009 89.00"))
            .accepts(2).rejects(MALFORMED_LINE, 2, 4),
        file("jsonl.joined-lines", "two objects on one line (a lost line break)",
            () -> ValidExports.webshop().lines(l -> new ArrayList<>(List.of(l.get(0), l.get(1) + l.get(2))))).accepts(1).rejects(MALFORMED_LINE, 2),
        file("jsonl.repeated-field", "a field twice in one object", () -> ValidExports.webshop().row(1, l -> l.replace(",\"coupon\":null}", ",\"total\":999,\"coupon\":null}")))
            .accepts(2).rejects(MALFORMED_LINE, 1).detail("a field appears twice"),
        file("jsonl.bom", "a UTF-8 byte-order mark", () -> ValidExports.webshop().bom(true)).accepts(3).sameValues(),
        file("jsonl.crlf", "Windows line ends", () -> ValidExports.webshop().eol("\r\n")).accepts(3).sameValues(),
        file("jsonl.invalid-utf8", "a line with GBK bytes", () -> ValidExports.webshop()
            .bytes(replace("NY2026".getBytes(StandardCharsets.UTF_8), "新年".getBytes(GBK))))
            .accepts(2).rejects(UNDECODABLE_LINE, 2),
        file("jsonl.huge-field", "a 100,000-character coupon", () -> ValidExports.webshop().row(2, l -> l.replace("NY2026", HUGE)))
            .accepts(2).rejects(FIELD_TOO_LONG, 2).detail("field 'coupon' holds 100000 characters"),
        file("jsonl.duplicate-row", "a line repeated exactly", () -> ValidExports.webshop().add(ValidExports.webshop().data().get(1)))
            .accepts(3).rejects(DUPLICATE_ROW, 4),
        file("jsonl.duplicate-key", "the same order twice with different content",
            () -> ValidExports.webshop().add(ValidExports.webshop().data().get(1).replace("89.00", "9.00"))).accepts(3).rejects(DUPLICATE_KEY, 4),
        file("jsonl.amount-as-text", "the total as a JSON string holding a plain number (not a fault)",
            () -> ValidExports.webshop().row(1, l -> l.replace("\"total\":120.50", "\"total\":\"120.50\""))).accepts(3).sameValues(),
        file("jsonl.non-numeric-amount", "a total with a currency sign, a total that is true",
            () -> ValidExports.webshop().row(1, l -> l.replace("\"total\":120.50", "\"total\":\"¥120.50\""))
                .row(2, l -> l.replace("\"total\":89.00", "\"total\":true")))
            .accepts(1).rejects(NON_NUMERIC_AMOUNT, 1, 2),
        file("jsonl.amount-as-object", "a total that is an object", () -> ValidExports.webshop()
            .row(1, l -> l.replace("\"total\":120.50", "\"total\":{\"value\":120.50,\"currency\":\"CNY\"}")))
            .accepts(2).rejects(MALFORMED_LINE, 1).detail("holds an object"),
        file("jsonl.negative-amount", "a negative order, a positive refund",
            () -> ValidExports.webshop().row(1, l -> l.replace("\"total\":120.50", "\"total\":-120.50"))
                .row(3, l -> l.replace("\"total\":-20.00", "\"total\":20.00")))
            .accepts(1).rejects(NEGATIVE_AMOUNT, 1, 3),
        file("jsonl.absurd-amount", "an order of ¥5,000,000", () -> ValidExports.webshop().row(2, l -> l.replace("\"total\":89.00", "\"total\":5000000")))
            .accepts(2).rejects(ABSURD_AMOUNT, 2),
        file("jsonl.missing-reference", "a refund that does not say which order it refunds",
            () -> ValidExports.webshop().row(3, l -> l.replace("\"original_order_id\":\"W1000000001\"", "\"original_order_id\":null")))
            .accepts(2).rejects(MISSING_REFERENCE, 3),
        file("jsonl.unknown-channel", "an order from a channel the contract does not have", () -> ValidExports.webshop().row(2, l -> l.replace("\"web\"", "\"h5\"")))
            .accepts(2).rejects(UNKNOWN_CHANNEL, 2),
        file("jsonl.unknown-type", "a record type other than order or refund", () -> ValidExports.webshop().row(2, l -> l.replace("\"type\":\"order\"", "\"type\":\"exchange\"")))
            .accepts(2).rejects(UNKNOWN_VALUE, 2),
        file("jsonl.null-required", "an order id that is null", () -> ValidExports.webshop().row(2, l -> l.replace("\"W1000000002\"", "null")))
            .accepts(2).rejects(MISSING_VALUE, 2).detail("order_id is empty"),
        file("jsonl.bad-timestamp", "an impossible time, a time in words",
            () -> ValidExports.webshop().row(1, l -> l.replace("2026-01-05T02:00:00Z", "2026-13-45T27:61:00Z"))
                .row(2, l -> l.replace("2026-01-04T17:30:00Z", "yesterday 8pm")))
            .accepts(1).rejects(BAD_TIMESTAMP, 1, 2),
        file("jsonl.timezone-less", "a time without Z or offset", () -> ValidExports.webshop().row(1, l -> l.replace("2026-01-05T02:00:00Z", "2026-01-05T02:00:00")))
            .accepts(2).rejects(BAD_TIMESTAMP, 1).detail("is not an ISO-8601 UTC timestamp"),
        file("jsonl.future-timestamp", "an order dated 2099", () -> ValidExports.webshop().row(1, l -> l.replace("2026-01-05T02", "2099-01-05T02")))
            .accepts(2).rejects(FUTURE_TIMESTAMP, 1),
        file("jsonl.wrong-date", "an order of the day before (18:00 in Shanghai)", () -> ValidExports.webshop()
            .row(2, l -> l.replace("2026-01-04T17:30:00Z", "2026-01-04T10:00:00Z"))).accepts(2).rejects(WRONG_DATE, 2),
        file("jsonl.renamed-field", "total renamed to amount on every line", () -> ValidExports.webshop()
            .lines(l -> l.stream().map(x -> x.replace("\"total\":", "\"amount\":")).collect(Collectors.toList())))
            .accepts(0).rejects(MISSING_VALUE, 1, 2, 3).detail("no field 'total' (the line has unexpected field(s) [amount]: renamed?)")
            .note("extra field(s) ignored: [amount]", "field(s) on no line of the file: [total]"),
        file("jsonl.extra-field", "a field the contract does not have", () -> ValidExports.webshop()
            .lines(l -> l.stream().map(x -> x.replace("{\"order_id\"", "{\"gift_wrap\":true,\"order_id\"")).collect(Collectors.toList())))
            .accepts(3).sameValues().note("extra field(s) ignored: [gift_wrap]"));
  }

  // ---------------------------------------------------------------- marketplace CSV (GBK / UTF-8)

  static List<BadInput> marketplace() {
    return List.of(
        file("gbk.delivered-as-utf8", "a GBK platform's file written in UTF-8", () -> ValidExports.tmall().charset(StandardCharsets.UTF_8))
            .accepts(3).sameValues().encoding(StandardCharsets.UTF_8).note("declared GBK but the file is UTF-8"),
        file("gbk.delivered-as-utf8-with-bom", "a GBK platform's file in UTF-8 with a byte-order mark",
            () -> ValidExports.tmall().charset(StandardCharsets.UTF_8).bom(true))
            .accepts(3).sameValues().encoding(StandardCharsets.UTF_8).note("declared GBK but the file is UTF-8"),
        file("gbk.utf8-platform-delivered-as-gbk", "a UTF-8 platform's file written in GBK", () -> ValidExports.jd().charset(GBK).bom(false))
            .accepts(2).sameValues().encoding(GBK).note("declared UTF-8 but the file is GBK"),
        file("gbk.utf8-line-in-gbk-file", "one line in UTF-8 inside a GBK file", () -> ValidExports.tmall()
            .bytes(replace("阳光君".getBytes(GBK), "阳光君".getBytes(StandardCharsets.UTF_8))))
            .accepts(2).rejects(UNDECODABLE_LINE, 3).detail("not valid GBK"),
        file("gbk.undecodable-header", "a header that is no text in any expected encoding", () -> ValidExports.tmall()
            .bytes(b -> {
              byte[] c = b.clone();
              c[0] = (byte) 0xFF;
              return c;
            }))
            .accepts(0).rejects(UNDECODABLE_FILE, 1, 2, 3).detail("the header line is not valid [GBK, UTF-8]"),
        file("gbk.truncated-inside-a-character", "a GBK file cut between the two bytes of a character", () -> ValidExports.tmall()
            .bytes(b -> cutAfter(b, "4100000000000000003,".getBytes(GBK), 1)))
            .accepts(2).rejects(MALFORMED_LINE, 3).detail("cut off"),
        file("market.unknown-status", "an order status outside the contract", () -> ValidExports.tmall().row(1, l -> l.replace("交易成功", "待发货")))
            .accepts(2).rejects(UNKNOWN_VALUE, 1).detail("订单状态 '***' is not one of"),
        file("market.shifted-values", "buyer and status swapped on a line (the name lands in the status)",
            () -> ValidExports.tmall().row(1, l -> swapFields(l, 1, 3))).accepts(2).rejects(UNKNOWN_VALUE, 1).detail("订单状态 '***'"),
        file("market.field-count", "a line missing a field, next to a buyer name", () -> ValidExports.tmall().row(1, l -> dropField(l, 4)))
            .accepts(2).rejects(WRONG_FIELD_COUNT, 1),
        file("market.negative-amount", "a negative amount paid on a sale", () -> ValidExports.tmall().row(1, l -> l.replace(",299.00,", ",-299.00,")))
            .accepts(2).rejects(NEGATIVE_AMOUNT, 1),
        file("market.refund-above-paid", "a refund larger than the amount paid", () -> ValidExports.tmall().row(2, l -> l.replace(",20.00", ",150.00")))
            .accepts(2).rejects(ABSURD_AMOUNT, 2).detail("exceeds the amount paid"),
        file("market.time-with-offset", "an order time with an explicit +08:00 (unambiguous, accepted)",
            () -> ValidExports.tmall().row(1, l -> l.replace("2026-01-05 21:10:00", "2026-01-05 21:10:00+08:00"))).accepts(3).sameValues(),
        file("market.refund-of-older-order", "a refund row repeating the order's older creation time (not a fault)", ValidExports::tmall)
            .accepts(3).sameValues(),
        file("market.wrong-date-sale", "a sale created on the day before", () -> ValidExports.tmall().row(3, l -> l.replace("2026-01-05 08:30", "2026-01-04 08:30")))
            .accepts(2).rejects(WRONG_DATE, 3),
        file("market.missing-column", "the amount column dropped", () -> ValidExports.tmall().lines(l -> l.stream()
            .map(x -> dropField(x, 2)).collect(Collectors.toList())))
            .accepts(0).rejects(MISSING_COLUMN, 1, 2, 3).detail("[买家实际支付金额]"));
  }

  // ---------------------------------------------------------------- Parquet (touch logs)

  static final String STRING_ID_SCHEMA = ValidExports.TOUCH_SCHEMA.replace("required binary event_id (STRING)", "required int64 event_id");
  static final String TEXT_TIME_SCHEMA = ValidExports.TOUCH_SCHEMA.replace("required int64 event_time (TIMESTAMP(MICROS,true))",
      "required binary event_time (STRING)");

  static List<BadInput> parquet() {
    return List.of(
        file("parquet.not-parquet", "a CSV file named touches.parquet",
            () -> ValidExports.touches().bytes(b -> "event_id,channel\nE1,sms\n".getBytes(StandardCharsets.UTF_8)))
            .fails(Errors.EXIT_INPUT, "touches.parquet", "not a readable Parquet file"),
        file("parquet.truncated-file", "the file cut off (no footer)", () -> ValidExports.touches().bytes(cutEnd(100)))
            .fails(Errors.EXIT_INPUT, "not a readable Parquet file", "re-deliver"),
        file("parquet.empty-file", "a 0-byte file", () -> ValidExports.touches().bytes(b -> new byte[0])).fails(Errors.EXIT_INPUT, "is empty"),
        file("parquet.no-rows", "a valid file with no rows: a day without touches (not a fault)",
            () -> ValidExports.touches().records(r -> List.of())).accepts(0),
        file("parquet.missing-column", "the channel column dropped", () -> ValidExports.touches()
            .schema(ValidExports.TOUCH_SCHEMA.replace(" required binary channel (STRING);", "")))
            .accepts(0).rejects(MISSING_COLUMN, 1, 2, 3).detail("required column(s) [channel]"),
        file("parquet.renamed-column", "channel renamed to channel_name", () -> ValidExports.touches()
            .schema(ValidExports.TOUCH_SCHEMA.replace("binary channel (STRING)", "binary channel_name (STRING)"))
            .records(r -> rename(r, "channel", "channel_name")))
            .accepts(0).rejects(MISSING_COLUMN, 1, 2, 3).detail("unexpected [channel_name]: renamed?"),
        file("parquet.retyped-string", "event_id written as a number", () -> ValidExports.touches().schema(STRING_ID_SCHEMA)
            .records(r -> {
              for (int i = 0; i < r.size(); i++) {
                r.get(i).put("event_id", (long) i + 1);
              }
              return r;
            }))
            .accepts(0).rejects(MISSING_COLUMN, 1, 2, 3).detail("event_id as a string (found required int64 event_id)"),
        file("parquet.retyped-time", "event_time written as text", () -> ValidExports.touches().schema(TEXT_TIME_SCHEMA)
            .records(r -> {
              r.forEach(x -> x.put("event_time", "2026-01-05T02:00:00Z"));
              return r;
            }))
            .accepts(0).rejects(MISSING_COLUMN, 1, 2, 3).detail("event_time as an INT64 timestamp adjusted to UTC"),
        file("parquet.timezone-less", "event_time as a local timestamp (not adjusted to UTC)", () -> ValidExports.touches()
            .schema(ValidExports.TOUCH_SCHEMA.replace("TIMESTAMP(MICROS,true)", "TIMESTAMP(MICROS,false)")))
            .accepts(0).rejects(MISSING_COLUMN, 1, 2, 3).detail("adjusted to UTC"),
        file("parquet.time-without-unit", "event_time as a plain INT64 (no unit)", () -> ValidExports.touches()
            .schema(ValidExports.TOUCH_SCHEMA.replace(" (TIMESTAMP(MICROS,true))", "")))
            .accepts(0).rejects(MISSING_COLUMN, 1, 2, 3),
        file("parquet.millis", "event_time in milliseconds (converted)", () -> ValidExports.touches()
            .schema(ValidExports.TOUCH_SCHEMA.replace("TIMESTAMP(MICROS,true)", "TIMESTAMP(MILLIS,true)"))
            .records(r -> {
              r.forEach(x -> x.put("event_time", (Long) x.get("event_time") / 1000));
              return r;
            }))
            .accepts(3).sameValues(),
        file("parquet.nanos", "event_time in nanoseconds (converted)", () -> ValidExports.touches()
            .schema(ValidExports.TOUCH_SCHEMA.replace("TIMESTAMP(MICROS,true)", "TIMESTAMP(NANOS,true)"))
            .records(r -> {
              r.forEach(x -> x.put("event_time", (Long) x.get("event_time") * 1000));
              return r;
            }))
            .accepts(3).sameValues(),
        file("parquet.extra-column", "a column the contract does not have", () -> ValidExports.touches()
            .schema(ValidExports.TOUCH_SCHEMA.replace(" }", " optional binary creative_id (STRING); }"))
            .records(r -> {
              r.forEach(x -> x.put("creative_id", "CR9"));
              return r;
            }))
            .accepts(3).sameValues().note("extra column(s) ignored: [creative_id]"),
        file("parquet.duplicate-row", "a row repeated exactly", () -> ValidExports.touches().records(r -> {
          r.add(r.get(0));
          return r;
        })).accepts(3).rejects(DUPLICATE_ROW, 4),
        file("parquet.duplicate-key", "an event id twice with different content", () -> ValidExports.touches().records(r -> {
          Map<String, Object> again = new java.util.LinkedHashMap<>(r.get(0));
          again.put("event_type", "visit");
          r.add(again);
          return r;
        })).accepts(3).rejects(DUPLICATE_KEY, 4),
        file("parquet.unknown-channel", "a touch on a channel not in the catalogue", () -> ValidExports.touches().record(1, r -> put(r, "channel", "tv_ads")))
            .accepts(2).rejects(UNKNOWN_CHANNEL, 1),
        file("parquet.unknown-event-type", "an event type outside the contract", () -> ValidExports.touches().record(1, r -> put(r, "event_type", "purchase")))
            .accepts(2).rejects(UNKNOWN_VALUE, 1),
        file("parquet.phone-in-clear", "a phone number in clear in phone_hash", () -> ValidExports.touches().record(2, r -> put(r, "phone_hash", "13812345678")))
            .accepts(2).rejects(UNKNOWN_VALUE, 2).detail("not a 64-character hex HMAC"),
        file("parquet.null-time", "an empty event_time", () -> ValidExports.touches()
            .schema(ValidExports.TOUCH_SCHEMA.replace("required int64 event_time", "optional int64 event_time"))
            .record(1, r -> put(r, "event_time", null)))
            .accepts(2).rejects(BAD_TIMESTAMP, 1).detail("event_time is empty"),
        file("parquet.future-timestamp", "a touch 70 years ahead", () -> ValidExports.touches()
            .record(1, r -> put(r, "event_time", (Long) r.get("event_time") + 70L * 365 * 86_400 * 1_000_000)))
            .accepts(2).rejects(FUTURE_TIMESTAMP, 1),
        file("parquet.wrong-date", "a touch of the day before", () -> ValidExports.touches()
            .record(3, r -> put(r, "event_time", ValidExports.micros("2026-01-04T08:00:00Z")))).accepts(2).rejects(WRONG_DATE, 3),
        file("parquet.huge-field", "a 100,000-character campaign id", () -> ValidExports.touches().record(1, r -> put(r, "campaign_id", HUGE)))
            .accepts(2).rejects(FIELD_TOO_LONG, 1).detail("campaign_id holds 100000 characters"),
        file("parquet.invalid-utf8", "a string column holding bytes that are not UTF-8", () -> ValidExports.touches()
            .record(1, r -> put(r, "campaign_id", new byte[] {(byte) 0xFF, (byte) 0xFE, 0x41})))
            .accepts(2).rejects(UNDECODABLE_LINE, 1).detail("campaign_id is not valid UTF-8"));
  }

  // ---------------------------------------------------------------- folders and files, through the real ingest job

  /** The files read by the rows.conserved run (pos, webshop, marketplace), before its faults. */
  static final List<ValidExports.Export> ROWS_CONSERVED_FILES = List.of(ValidExports.pos(), ValidExports.webshop(),
      ValidExports.tmall(), ValidExports.jd(), ValidExports.pinduoduo(), ValidExports.douyin());

  static List<BadInput> runs() {
    String pos = "pos/" + ValidExports.DAY;
    return List.of(
        run("dir.missing-exports-root", "the exports folder does not exist", exports -> exports.resolve("nowhere").toString())
            .fails(Errors.EXIT_INPUT, "the exports folder does not exist", "--exports"),
        run("dir.missing-source-folder", "a source's folder for the day was not delivered", exports -> {
          ValidExports.writeDay(exports);
          delete(exports.resolve(pos));
          return exports.toString();
        }).fails(Errors.EXIT_INPUT, "Cannot ingest source 'pos' for 2026-01-05", "no export folder"),
        run("dir.missing-file", "an expected file is absent from the day folder", exports -> {
          ValidExports.writeDay(exports);
          delete(exports.resolve(pos + "/tickets.csv"));
          return exports.toString();
        }).fails(Errors.EXIT_INPUT, "has no tickets.csv", "re-deliver"),
        run("dir.unreadable-folder", "a day folder the job may not list (permissions)", exports -> {
          ValidExports.writeDay(exports);
          DenyingFileSystem.deny(exports.resolve(pos));
          return DenyingFileSystem.uri(exports);
        }).fails(Errors.EXIT_INPUT, "Cannot ingest source 'pos' for 2026-01-05", "exists but cannot be listed", "AccessControlException",
            "permissions"),
        run("dir.unreadable-file", "a file the job may not read (permissions)", exports -> {
          ValidExports.writeDay(exports);
          DenyingFileSystem.deny(exports.resolve(pos + "/tickets.csv"));
          return DenyingFileSystem.uri(exports);
        }).fails(Errors.EXIT_INPUT, "Cannot read pos/2026-01-05/tickets.csv", "cannot be read", "may read it"),
        run("dir.folder-is-a-file", "the day 'folder' is a file", exports -> {
          ValidExports.writeDay(exports);
          delete(exports.resolve(pos));
          write(exports.resolve(pos), "ticket_id\n".getBytes(StandardCharsets.UTF_8));
          return exports.toString();
        }).fails(Errors.EXIT_INPUT, "is a file, not a folder"),
        run("dir.unexpected-file", "a file the contract does not name (tickets_v2.csv)", exports -> {
          ValidExports.writeDay(exports);
          write(exports.resolve(pos + "/tickets_v2.csv"), ValidExports.pos().bytes());
          return exports.toString();
        }).sources("pos").accepts(ValidExports.pos().rows())
            .then(o -> {
              assertThat(o.log()).as("the ignored file is named in a warning").contains("unexpected file tickets_v2.csv ignored");
              assertThat(o.warehouse().read("ops", IngestJob.LOG_TABLE).select("source_file").as(org.apache.spark.sql.Encoders.STRING())
                  .collectAsList()).containsExactly("pos/2026-01-05/tickets.csv");
            }),
        run("file.empty-through-ingest", "a 0-byte CSV in a day folder", exports -> {
          ValidExports.writeDay(exports, ValidExports.pos().lines(l -> List.of()).noFinalEol());
          return exports.toString();
        }).fails(Errors.EXIT_INPUT, "Cannot read pos/2026-01-05/tickets.csv", "is empty"),
        run("file.corrupt-parquet-through-ingest", "a truncated Parquet file in a day folder", exports -> {
          ValidExports.writeDay(exports, ValidExports.touches().bytes(cutEnd(100)));
          return exports.toString();
        }).fails(Errors.EXIT_INPUT, "Cannot read touchpoints/2026-01-05/touches.parquet", "not a readable Parquet file"),
        run("file.wrong-day-gate", "yesterday's POS export (600 tickets) in today's folder", exports -> {
          List<String> rows = new ArrayList<>();
          for (int i = 0; i < 600; i++) {
            rows.add(String.format("S001-T1-20260104-%06d,S001,T1,2026-01-04 12:00:00+08:00,,,10.00,1,cash,", i));
          }
          ValidExports.writeDay(exports, ValidExports.pos().lines(l -> {
            List<String> x = new ArrayList<>(List.of(l.get(0)));
            x.addAll(rows);
            return x;
          }));
          return exports.toString();
        }).sources("pos").fails(Errors.EXIT_QUALITY_GATE, "pos__tickets accepted 0 of 600 rows", "pos/2026-01-05/tickets.csv: 600 of 600 rows rejected,"
            + " mostly WRONG_DATE (600)", "ops.rejects")
            .then(o -> assertThat(o.warehouse().read("ops", IngestJob.LOG_TABLE).where("status = 'failed_gate'")
                .select("notes").first().getString(0)).contains("another day's export")),
        run("rows.conserved", "a day with faults in several files: every row is accounted for", exports -> {
          ValidExports.writeDay(exports,
              ValidExports.pos().row(2, l -> l.replace("58.00", "N/A")).add("S001-T1-20260105-000009,S001,T1,\"2026"),
              ValidExports.webshop().row(2, l -> l.substring(0, 40)),
              ValidExports.tmall().charset(StandardCharsets.UTF_8).row(1, l -> dropField(l, 4)));
          return exports.toString();
        }).sources("pos", "webshop", "marketplace").accepts(ROWS_CONSERVED_FILES.stream().mapToInt(ValidExports.Export::rows).sum() - 3)
            .rejectsIn("pos/2026-01-05/tickets.csv", NON_NUMERIC_AMOUNT, 2).rejectsIn("pos/2026-01-05/tickets.csv", MALFORMED_LINE, 4)
            .rejectsIn("webshop/2026-01-05/orders.jsonl", MALFORMED_LINE, 2)
            .rejectsIn("marketplace/2026-01-05/tmall.csv", WRONG_FIELD_COUNT, 1)
            .then(o -> {
              List<Row> log = o.warehouse().read("ops", IngestJob.LOG_TABLE).collectAsList();
              assertThat(log).as("one log row per file").hasSize(ROWS_CONSERVED_FILES.size());
              long read = 0;
              for (Row r : log) {
                assertThat(r.<Long>getAs("rows_read")).as("read = accepted + rejected for " + r.getAs("source_file"))
                    .isEqualTo(r.<Long>getAs("rows_accepted") + r.<Long>getAs("rows_rejected"));
                read += r.<Long>getAs("rows_read");
              }
              assertThat(read).as("every data row of the day").isEqualTo(ROWS_CONSERVED_FILES.stream().mapToInt(ValidExports.Export::rows).sum() + 1);
              Row tmall = o.warehouse().read("ops", IngestJob.LOG_TABLE).where("source_file LIKE '%tmall.csv'").first();
              assertThat(tmall.<String>getAs("encoding")).isEqualTo("UTF-8");
              assertThat(tmall.<String>getAs("notes")).contains("declared GBK but the file is UTF-8");
            }));
  }

  // ---------------------------------------------------------------- duplicates across files

  static List<BadInput> acrossFiles() {
    return List.of(
        file("dup.redelivered-next-day", "a day's POS export delivered again in the next day's folder",
            ValidExports::pos).on(ValidExports.DAY.plusDays(1)).accepts(0).rejects(WRONG_DATE, 1, 2, 3).note("another day's export"),
        file("dup.touches-redelivered-next-day", "a day's touches delivered again in the next day's folder",
            ValidExports::touches).on(ValidExports.DAY.plusDays(1)).accepts(0).rejects(WRONG_DATE, 1, 2, 3),
        silver("dup.marketplace-rows-repeated", "a platform repeating a refund row and a sale row in the next day's export"));
  }

  // ---------------------------------------------------------------- helpers

  /** Cuts the last {@code n} bytes. */
  static UnaryOperator<byte[]> cutEnd(int n) {
    return b -> Arrays.copyOf(b, Math.max(0, b.length - n));
  }

  /** Replaces the first occurrence of {@code from} (which must be there) by {@code to}. */
  static UnaryOperator<byte[]> replace(byte[] from, byte[] to) {
    return b -> {
      int at = indexOf(b, from);
      if (at < 0) {
        throw new IllegalStateException("fixture does not contain the bytes to replace");
      }
      byte[] out = new byte[b.length - from.length + to.length];
      System.arraycopy(b, 0, out, 0, at);
      System.arraycopy(to, 0, out, at, to.length);
      System.arraycopy(b, at + from.length, out, at + to.length, b.length - at - from.length);
      return out;
    };
  }

  /** The bytes up to {@code extra} bytes after the first occurrence of {@code marker}. */
  static byte[] cutAfter(byte[] b, byte[] marker, int extra) {
    int at = indexOf(b, marker);
    return Arrays.copyOf(b, at + marker.length + extra);
  }

  static int indexOf(byte[] b, byte[] part) {
    outer:
    for (int i = 0; i + part.length <= b.length; i++) {
      for (int k = 0; k < part.length; k++) {
        if (b[i + k] != part[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static String swapFields(String line, int a, int b) {
    String[] f = line.split(",", -1);
    String t = f[a];
    f[a] = f[b];
    f[b] = t;
    return String.join(",", f);
  }

  static String dropField(String line, int k) {
    List<String> f = new ArrayList<>(Arrays.asList(line.split(",", -1)));
    f.remove(k);
    return String.join(",", f);
  }

  static Map<String, Object> put(Map<String, Object> r, String key, Object value) {
    r.put(key, value);
    return r;
  }

  static List<Map<String, Object>> rename(List<Map<String, Object>> rows, String from, String to) {
    for (Map<String, Object> r : rows) {
      r.put(to, r.remove(from));
    }
    return rows;
  }

  static void delete(Path p) {
    try (var s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(Path p, byte[] bytes) {
    try {
      Files.createDirectories(p.getParent());
      Files.write(p, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
