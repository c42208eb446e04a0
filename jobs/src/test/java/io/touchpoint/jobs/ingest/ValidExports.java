package io.touchpoint.jobs.ingest;

import io.touchpoint.ingest.BronzeTable;
import io.touchpoint.jobs.support.PiiScan;
import io.touchpoint.pii.Pii;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * One tiny, valid export file per source for {@link #DAY}, each as the source system writes it
 * (docs/EXPORTS.md), and the personal data they hold. Bad-input cases and the fuzz test start
 * from these and break one thing. Every value here is invented.
 */
final class ValidExports {
  static final LocalDate DAY = LocalDate.of(2026, 1, 5);
  static final Charset GBK = Charset.forName("GBK");
  static final List<String> PHONES = List.of("13812345678", "13987654321", "15011112222", "18600001111");
  static final List<String> EMAILS = List.of("Li.Na@Example.com", "zhang_wei77@qq.com");
  static final List<String> NAMES = List.of("小明爱购物", "wangwei_8848", "糖果云朵购物6392", "pdd204418870021", "阳光君", "jd_4f2a90c1b7");
  static final PiiScan PII = new PiiScan(PHONES, EMAILS, NAMES);

  static final String POS_HEADER =
      "ticket_id,store_id,terminal_id,ticket_time,member_id,phone,amount_cny,items,payment_method,original_ticket_id";
  static final String TOUCH_SCHEMA = "message touch { required binary event_id (STRING); required binary event_type (STRING);"
      + " required binary channel (STRING); optional binary campaign_id (STRING); optional binary device_id (STRING);"
      + " optional binary member_id (STRING); optional binary phone_hash (STRING);"
      + " required int64 event_time (TIMESTAMP(MICROS,true)); }";

  private ValidExports() {}

  /** An export file ready to parse. */
  interface Export {
    BronzeTable table();

    String fileName();

    byte[] bytes();

    /** The number of data rows (what rows_read must come to when nothing breaks the count). */
    int rows();

    default String path() {
      return table().source() + "/" + DAY + "/" + fileName();
    }
  }

  static Text pos() {
    return Text.csv(BronzeTable.POS_TICKETS, "tickets.csv", StandardCharsets.UTF_8, POS_HEADER,
        "S001-T1-20260105-000001,S001,T1,2026-01-05 10:15:00+08:00,M000000001,13812345678,199.90,2,wechat_pay,",
        "S001-T1-20260105-000002,S001,T1,2026-01-05 11:20:00+08:00,,+86 139 8765 4321,58.00,1,cash,",
        "S001-T2-20260105-000003,S001,T2,2026-01-05 16:40:00+08:00,M000000001,138-1234-5678,-99.95,-1,wechat_pay,S001-T1-20260105-000001");
  }

  static Text webshop() {
    return Text.jsonl(
        "{\"order_id\":\"W1000000001\",\"type\":\"order\",\"original_order_id\":null,\"channel\":\"app\",\"member_id\":\"M000000002\","
            + "\"device_id\":\"d_00000000000000a1\",\"phone\":\"150-1111-2222\",\"created_at\":\"2026-01-05T02:00:00Z\",\"total\":120.50,\"coupon\":null}",
        "{\"order_id\":\"W1000000002\",\"type\":\"order\",\"original_order_id\":null,\"channel\":\"web\",\"member_id\":null,"
            + "\"device_id\":\"d_00000000000000a2\",\"phone\":\"+86 186 0000 1111\",\"created_at\":\"2026-01-04T17:30:00Z\",\"total\":89.00,\"coupon\":\"NY2026\"}",
        "{\"order_id\":\"W1000000003\",\"type\":\"refund\",\"original_order_id\":\"W1000000001\",\"channel\":\"app\",\"member_id\":\"M000000002\","
            + "\"device_id\":\"d_00000000000000a1\",\"phone\":\"150-1111-2222\",\"created_at\":\"2026-01-05T09:00:00Z\",\"total\":-20.00,\"coupon\":null}");
  }

  /** Tmall: GBK, Chinese header, buyer names, masked phones; a refund row repeats an older order's time. */
  static Text tmall() {
    return Text.csv(BronzeTable.MARKETPLACE_ORDERS, "tmall.csv", GBK,
        "订单编号,买家会员名,买家实际支付金额,订单状态,收货人手机号,订单创建时间,退款金额",
        "4100000000000000001,小明爱购物,299.00,交易成功,138****5678,2026-01-05 21:10:00,0.00",
        "4100000000000000002,wangwei_8848,120.00,部分退款,139****4321,2026-01-03 20:00:00,20.00",
        "4100000000000000003,阳光君,45.00,交易成功,150****2222,2026-01-05 08:30:00,0.00");
  }

  /** JD: UTF-8 with a byte-order mark. */
  static Text jd() {
    return Text.csv(BronzeTable.MARKETPLACE_ORDERS, "jd.csv", StandardCharsets.UTF_8,
        "订单号,下单帐号,应付金额,订单状态,联系电话,下单时间,退款金额",
        "298700000001,糖果云朵购物6392,351.90,交易成功,132****5865,2026-01-05 01:17:46,0.00",
        "298700000002,jd_4f2a90c1b7,88.50,已退款,137****1111,2026-01-05 09:00:00,88.50").bom(true);
  }

  static Text pinduoduo() {
    return Text.csv(BronzeTable.MARKETPLACE_ORDERS, "pinduoduo.csv", GBK,
        "订单号,用户昵称,实收金额,订单状态,手机号,成交时间,退款金额",
        "240105-0000001,pdd204418870021,19.90,交易成功,136****2222,2026-01-05 12:00:00,0.00");
  }

  static Text douyin() {
    return Text.csv(BronzeTable.MARKETPLACE_ORDERS, "douyin_shop.csv", StandardCharsets.UTF_8,
        "主订单编号,买家昵称,订单应付金额,订单状态,收件人手机号,订单提交时间,退款金额",
        "6900000000001,阳光君,66.00,交易成功,150****2222,2026-01-05 20:00:00,0.00");
  }

  static Text spend() {
    return Text.csv(BronzeTable.AD_SPEND, "spend.csv", StandardCharsets.UTF_8,
        "spend_date,channel,campaign_id,spend_cny,impressions,clicks",
        "2026-01-05,search_ads,SEA-AO-202601,304.04,1406,81",
        "2026-01-05,display,DIS-AO-202601,120.00,5000,20");
  }

  static Text members() {
    return Text.csv(BronzeTable.CRM_MEMBERS, "members.csv", StandardCharsets.UTF_8,
        "member_id,phone,email,registered_at,registration_store_id,registration_channel,tier,updated_at",
        "M000000001,13812345678,Li.Na@Example.com,2019-03-01 10:00:00+08:00,S001,store,gold,2026-01-05 10:00:00+08:00",
        "M000000002,150-1111-2222,zhang_wei77@qq.com,2026-01-05 09:00:00+08:00,,app,regular,2026-01-05 09:00:00+08:00");
  }

  static Text bindings() {
    return Text.csv(BronzeTable.CRM_BINDINGS, "bindings.csv", StandardCharsets.UTF_8,
        "member_id,identifier_type,identifier_value,bound_at",
        "M000000001,device,d_00000000000000a3,2026-01-05 10:05:00+08:00",
        "M000000001,tmall,小明爱购物,2026-01-05 10:06:00+08:00",
        "M000000002,jd,jd_4f2a90c1b7,2026-01-05 11:00:00+08:00");
  }

  static Touches touches() {
    String hash = Pii.demo().phoneHash("13812345678");
    return new Touches(TOUCH_SCHEMA, List.of(
        touch("E2026010500000001", "click", "search_ads", "d_00000000000000a1", null, null, "2026-01-05T02:00:00Z"),
        touch("E2026010500000002", "open", "sms", null, null, hash, "2026-01-05T03:00:00Z"),
        touch("E2026010500000003", "visit", "store_visit", "d_00000000000000a3", "M000000001", null, "2026-01-05T08:00:00Z")),
        List.of());
  }

  static Map<String, Object> touch(String id, String type, String channel, String device, String member, String phoneHash,
      String at) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event_id", id);
    m.put("event_type", type);
    m.put("channel", channel);
    m.put("campaign_id", "C1");
    m.put("device_id", device);
    m.put("member_id", member);
    m.put("phone_hash", phoneHash);
    m.put("event_time", micros(at));
    return m;
  }

  static long micros(String instant) {
    Instant t = Instant.parse(instant);
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }

  /** Every valid export: one per file of a day folder. */
  static List<Export> all() {
    return List.of(pos(), webshop(), tmall(), jd(), pinduoduo(), douyin(), touches(), spend(), members(), bindings());
  }

  /**
   * A text export: its lines (for CSV the header first), written in a charset with a line end,
   * optionally with a byte-order mark, then any byte-level change.
   */
  record Text(BronzeTable table, String fileName, Charset charset, boolean hasHeader, List<String> lines, String eol,
      boolean bomFlag, boolean finalEol, List<UnaryOperator<byte[]>> post) implements Export {

    static Text csv(BronzeTable table, String fileName, Charset charset, String header, String... rows) {
      List<String> lines = new ArrayList<>();
      lines.add(header);
      lines.addAll(Arrays.asList(rows));
      return new Text(table, fileName, charset, true, List.copyOf(lines), "\n", false, true, List.of());
    }

    static Text jsonl(String... rows) {
      return new Text(BronzeTable.WEBSHOP_ORDERS, "orders.jsonl", StandardCharsets.UTF_8, false, List.of(rows), "\n", false,
          true, List.of());
    }

    Text lines(UnaryOperator<List<String>> change) {
      return new Text(table, fileName, charset, hasHeader, List.copyOf(change.apply(new ArrayList<>(lines))), eol, bomFlag,
          finalEol, post);
    }

    /** Changes data row {@code row} (1-based, header excluded). */
    Text row(int row, UnaryOperator<String> change) {
      int at = hasHeader ? row : row - 1;
      return lines(l -> {
        l.set(at, change.apply(l.get(at)));
        return l;
      });
    }

    /** Adds data lines at the end. */
    Text add(String... rows) {
      return lines(l -> {
        l.addAll(Arrays.asList(rows));
        return l;
      });
    }

    Text header(UnaryOperator<String> change) {
      return lines(l -> {
        l.set(0, change.apply(l.get(0)));
        return l;
      });
    }

    /** The data rows only. */
    List<String> data() {
      return hasHeader ? lines.subList(1, lines.size()) : lines;
    }

    Text charset(Charset cs) {
      return new Text(table, fileName, cs, hasHeader, lines, eol, bomFlag, finalEol, post);
    }

    Text eol(String lineEnd) {
      return new Text(table, fileName, charset, hasHeader, lines, lineEnd, bomFlag, finalEol, post);
    }

    Text bom(boolean on) {
      return new Text(table, fileName, charset, hasHeader, lines, eol, on, finalEol, post);
    }

    Text noFinalEol() {
      return new Text(table, fileName, charset, hasHeader, lines, eol, bomFlag, false, post);
    }

    Text bytes(UnaryOperator<byte[]> change) {
      List<UnaryOperator<byte[]>> p = new ArrayList<>(post);
      p.add(change);
      return new Text(table, fileName, charset, hasHeader, lines, eol, bomFlag, finalEol, List.copyOf(p));
    }

    @Override
    public int rows() {
      return data().size();
    }

    @Override
    public byte[] bytes() {
      String text = String.join(eol, lines) + (finalEol && !lines.isEmpty() ? eol : "");
      byte[] b = text.getBytes(charset);
      if (bomFlag) {
        byte[] withBom = new byte[b.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(b, 0, withBom, 3, b.length);
        b = withBom;
      }
      for (UnaryOperator<byte[]> p : post) {
        b = p.apply(b);
      }
      return b;
    }
  }

  /** A touch log: a Parquet schema and its rows (values: String, Long, byte[] for raw binary). */
  record Touches(String schema, List<Map<String, Object>> records, List<UnaryOperator<byte[]>> post) implements Export {
    @Override
    public BronzeTable table() {
      return BronzeTable.TOUCHPOINT_EVENTS;
    }

    @Override
    public String fileName() {
      return "touches.parquet";
    }

    @Override
    public int rows() {
      return records.size();
    }

    Touches schema(String s) {
      return new Touches(s, records, post);
    }

    Touches records(UnaryOperator<List<Map<String, Object>>> change) {
      List<Map<String, Object>> copy = new ArrayList<>();
      records.forEach(r -> copy.add(new LinkedHashMap<>(r)));
      return new Touches(schema, List.copyOf(change.apply(copy)), post);
    }

    /** Changes row {@code row} (1-based). */
    Touches record(int row, UnaryOperator<Map<String, Object>> change) {
      return records(l -> {
        l.set(row - 1, change.apply(l.get(row - 1)));
        return l;
      });
    }

    Touches bytes(UnaryOperator<byte[]> change) {
      List<UnaryOperator<byte[]>> p = new ArrayList<>(post);
      p.add(change);
      return new Touches(schema, records, List.copyOf(p));
    }

    @Override
    public byte[] bytes() {
      MessageType type = MessageTypeParser.parseMessageType(schema);
      try {
        Path f = Files.createTempFile("touches", ".parquet");
        try {
          SimpleGroupFactory groups = new SimpleGroupFactory(type);
          try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(f)).withType(type)
              .withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build()) {
            for (Map<String, Object> r : records) {
              Group g = groups.newGroup();
              for (Map.Entry<String, Object> e : r.entrySet()) {
                if (!type.containsField(e.getKey()) || e.getValue() == null) {
                  continue;
                }
                Object v = e.getValue();
                if (v instanceof Long l) {
                  g.append(e.getKey(), l);
                } else if (v instanceof Integer i) {
                  g.append(e.getKey(), i);
                } else if (v instanceof byte[] raw) {
                  g.append(e.getKey(), Binary.fromConstantByteArray(raw));
                } else {
                  g.append(e.getKey(), v.toString());
                }
              }
              w.write(g);
            }
          }
          byte[] b = Files.readAllBytes(f);
          for (UnaryOperator<byte[]> p : post) {
            b = p.apply(b);
          }
          return b;
        } finally {
          Files.deleteIfExists(f);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Writes a whole valid day folder for {@link #DAY} under {@code root}, with one file replaced. */
  static void writeDay(Path root, Export... replacements) {
    Map<String, Export> byPath = new LinkedHashMap<>();
    all().forEach(e -> byPath.put(e.path(), e));
    for (Export r : replacements) {
      byPath.put(r.path(), r);
    }
    try {
      for (Export e : byPath.values()) {
        Path file = root.resolve(e.path());
        Files.createDirectories(file.getParent());
        Files.write(file, e.bytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
