package io.touchpoint.jobs.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.catalog.Channels;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every fault in the manifest is really in its file and row, and rows not listed are clean. */
class GeneratorDefectsTest {
  static final Charset GBK = Charset.forName("GBK");
  static final ObjectMapper JSON = new ObjectMapper();
  static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  static final DateTimeFormatter WITH_OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssXXX");
  static final long YEAR_2090_MICROS = 3_786_825_600_000_000L;

  @TempDir static Path tmp;
  static Path out;
  static List<List<String>> manifest;

  @BeforeAll
  static void generate() throws IOException {
    out = tmp.resolve("exports");
    ExportGenerator.generate(GeneratorConfig.of(out, 1_000, 10, LocalDate.of(2026, 3, 1), 11).withDefects(0.05, 4));
    List<String> lines = Files.readAllLines(out.resolve("_defects/manifest.csv"));
    assertThat(lines.get(0)).isEqualTo("source,file,row,kind");
    manifest = lines.subList(1, lines.size()).stream().map(ExportFiles::fields).toList();
  }

  @Test
  void everyKindIsInjected() {
    Set<String> kinds = new TreeSet<>();
    manifest.forEach(m -> kinds.add(m.get(3)));
    assertThat(kinds).containsExactlyInAnyOrder("malformed_line", "duplicate_row", "negative_amount",
        "non_numeric_amount", "unknown_channel", "bad_timestamp", "wrong_encoding", "missing_column");
    assertThat(manifest.stream().filter(m -> m.get(2).isEmpty()).count()).as("file-level faults").isEqualTo(4);
  }

  @Test
  void rowFaultsSitAtTheStatedRow() throws IOException {
    Set<String> fileFaulted = new HashSet<>();
    manifest.stream().filter(m -> m.get(2).isEmpty()).forEach(m -> fileFaulted.add(m.get(1)));
    int checked = 0;
    Map<String, List<Group>> parquet = new HashMap<>();
    Map<String, List<String>> text = new HashMap<>();
    for (List<String> m : manifest) {
      if (m.get(2).isEmpty()) {
        continue;
      }
      String source = m.get(0);
      String file = m.get(1);
      int row = Integer.parseInt(m.get(2));
      String kind = m.get(3);
      assertThat(fileFaulted).as("row faults stay out of file-faulted files").doesNotContain(file);
      String what = kind + " at " + file + " row " + row;
      if (source.equals("touchpoints")) {
        checkTouch(parquet.computeIfAbsent(file, k -> ExportFiles.parquet(out.resolve(k))), row, kind, what);
      } else if (source.equals("webshop")) {
        checkWebshop(text.computeIfAbsent(file, k -> ExportFiles.lines(out.resolve(k), StandardCharsets.UTF_8)), row,
            kind, what);
      } else {
        checkCsv(source, file, text.computeIfAbsent(file, k -> ExportFiles.lines(out.resolve(k), charset(k))), row, kind,
            what);
      }
      checked++;
    }
    assertThat(checked).isGreaterThan(100);
  }

  @Test
  void unlistedPosRowsAreClean() {
    Map<String, Set<Integer>> listed = new HashMap<>();
    manifest.forEach(m -> listed.computeIfAbsent(m.get(1), k -> new HashSet<>())
        .add(m.get(2).isEmpty() ? -1 : Integer.parseInt(m.get(2))));
    LocalDate.of(2026, 3, 1).datesUntil(LocalDate.of(2026, 3, 11)).forEach(date -> {
      String file = "pos/" + date + "/tickets.csv";
      if (listed.getOrDefault(file, Set.of()).contains(-1)) {
        return;
      }
      List<String> lines = ExportFiles.lines(out.resolve(file), StandardCharsets.UTF_8);
      for (int row = 1; row < lines.size(); row++) {
        if (listed.getOrDefault(file, Set.of()).contains(row)) {
          continue;
        }
        List<String> f = ExportFiles.fields(lines.get(row));
        assertThat(f).as(file + " row " + row).hasSize(10);
        BigDecimal amount = new BigDecimal(f.get(6));
        assertThat(amount.signum()).isEqualTo(f.get(9).isEmpty() ? 1 : -1);
        OffsetDateTime.parse(f.get(3), WITH_OFFSET);
      }
    });
  }

  @Test
  void fileFaultsBreakTheWholeFile() {
    for (List<String> m : manifest) {
      if (!m.get(2).isEmpty()) {
        continue;
      }
      Path file = out.resolve(m.get(1));
      if (m.get(3).equals("wrong_encoding")) {
        boolean unreadable;
        try {
          String text = ExportFiles.decode(file, charset(m.get(1)));
          unreadable = !text.replace("\uFEFF", "").startsWith(expectedHeader(m.get(1)).get(0));
        } catch (java.nio.charset.CharacterCodingException e) {
          unreadable = true;
        }
        assertThat(unreadable).as("wrong_encoding " + m.get(1)).isTrue();
      } else {
        List<String> header = ExportFiles.fields(ExportFiles.lines(file, charset(m.get(1))).get(0));
        assertThat(header).as("missing_column " + m.get(1)).hasSize(expectedHeader(m.get(1)).size() - 1);
        assertThat(expectedHeader(m.get(1))).containsAll(header);
      }
    }
  }

  private static void checkTouch(List<Group> rows, int row, String kind, String what) {
    Group g = rows.get(row - 1);
    switch (kind) {
      case "duplicate_row" -> assertThat(g.toString()).as(what).isEqualTo(rows.get(row - 2).toString());
      case "unknown_channel" -> assertThat(Channels.defaults().isMarketing(ExportFiles.string(g, "channel"))).as(what).isFalse();
      case "bad_timestamp" -> assertThat(g.getLong("event_time", 0)).as(what).isGreaterThan(YEAR_2090_MICROS);
      default -> throw new AssertionError("unexpected " + what);
    }
  }

  private static void checkWebshop(List<String> lines, int row, String kind, String what) throws IOException {
    String line = lines.get(row - 1);
    if (kind.equals("malformed_line")) {
      assertThatThrownBy(() -> JSON.readTree(line)).as(what).isInstanceOf(IOException.class);
      return;
    }
    if (kind.equals("duplicate_row")) {
      assertThat(line).as(what).isEqualTo(lines.get(row - 2));
      return;
    }
    JsonNode n = JSON.readTree(line);
    switch (kind) {
      case "negative_amount" -> {
        assertThat(n.get("type").asText()).as(what).isEqualTo("order");
        assertThat(n.get("total").decimalValue()).as(what).isNegative();
      }
      case "non_numeric_amount" -> assertThat(n.get("total").isNumber()).as(what).isFalse();
      case "unknown_channel" -> assertThat(n.get("channel").asText()).as(what).isNotIn("web", "app", "mini_program");
      case "bad_timestamp" -> assertThat(badTime(n.get("created_at").asText(), null)).as(what).isTrue();
      default -> throw new AssertionError("unexpected " + what);
    }
  }

  private static void checkCsv(String source, String file, List<String> lines, int row, String kind, String what) {
    List<String> header = ExportFiles.fields(lines.get(0));
    String line = lines.get(row);
    List<String> f = ExportFiles.fields(line);
    switch (kind) {
      case "malformed_line" -> assertThat(f.size()).as(what).isNotEqualTo(header.size());
      case "duplicate_row" -> assertThat(line).as(what).isEqualTo(lines.get(row - 1));
      case "negative_amount" -> {
        assertThat(new BigDecimal(f.get(amountColumn(source)))).as(what).isNegative();
        if (source.equals("pos")) {
          assertThat(f.get(9)).as(what + " is a sale").isEmpty();
        } else {
          assertThat(f.get(3)).as(what + " is a sale").isEqualTo("交易成功");
        }
      }
      case "non_numeric_amount" -> assertThatThrownBy(() -> new BigDecimal(f.get(amountColumn(source)))).as(what)
          .isInstanceOf(NumberFormatException.class);
      case "unknown_channel" -> {
        assertThat(source).isEqualTo("ad_spend");
        assertThat(Channels.defaults().isMarketing(f.get(1))).as(what).isFalse();
      }
      case "bad_timestamp" -> {
        int k = switch (source) {
          case "pos", "crm" -> 3;
          case "marketplace" -> 5;
          default -> throw new AssertionError("no time column in " + what);
        };
        assertThat(badTime(f.get(k), source.equals("marketplace") ? LOCAL : WITH_OFFSET)).as(what + ": " + f.get(k)).isTrue();
      }
      default -> throw new AssertionError("unexpected " + what);
    }
  }

  private static boolean badTime(String value, DateTimeFormatter format) {
    try {
      LocalDateTime t = format == null ? OffsetDateTime.parse(value).toLocalDateTime()
          : format == LOCAL ? LocalDateTime.parse(value, LOCAL) : OffsetDateTime.parse(value, format).toLocalDateTime();
      return t.getYear() >= 2090;
    } catch (java.time.format.DateTimeParseException e) {
      return true;
    }
  }

  private static int amountColumn(String source) {
    return switch (source) {
      case "pos" -> 6;
      case "marketplace" -> 2;
      case "ad_spend" -> 3;
      default -> throw new AssertionError(source);
    };
  }

  private static Charset charset(String file) {
    return file.endsWith("tmall.csv") || file.endsWith("pinduoduo.csv") ? GBK : StandardCharsets.UTF_8;
  }

  private static List<String> expectedHeader(String file) {
    String name = file.substring(file.lastIndexOf('/') + 1);
    String header = switch (name) {
      case "tickets.csv" -> "ticket_id,store_id,terminal_id,ticket_time,member_id,phone,amount_cny,items,payment_method,original_ticket_id";
      case "spend.csv" -> "spend_date,channel,campaign_id,spend_cny,impressions,clicks";
      case "members.csv" -> "member_id,phone,email,registered_at,registration_store_id,registration_channel,tier,updated_at";
      case "bindings.csv" -> "member_id,identifier_type,identifier_value,bound_at";
      case "tmall.csv" -> "订单编号,买家会员名,买家实际支付金额,订单状态,收货人手机号,订单创建时间,退款金额";
      case "jd.csv" -> "订单号,下单帐号,应付金额,订单状态,联系电话,下单时间,退款金额";
      case "pinduoduo.csv" -> "订单号,用户昵称,实收金额,订单状态,手机号,成交时间,退款金额";
      default -> "主订单编号,买家昵称,订单应付金额,订单状态,收件人手机号,订单提交时间,退款金额";
    };
    return ExportFiles.fields(header);
  }
}
