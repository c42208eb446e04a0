package io.touchpoint.jobs.support;

import io.touchpoint.ingest.BronzeTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/** Writes hand-made export folders for tests: every source's day folder with header-only defaults. */
public final class TinyExports {
  public static final String POS_HEADER = "ticket_id,store_id,terminal_id,ticket_time,member_id,phone,amount_cny,items,payment_method,original_ticket_id";
  public static final String SPEND_HEADER = "spend_date,channel,campaign_id,spend_cny,impressions,clicks";
  public static final String MEMBERS_HEADER = "member_id,phone,email,registered_at,registration_store_id,registration_channel,tier,updated_at";
  public static final String BINDINGS_HEADER = "member_id,identifier_type,identifier_value,bound_at";
  public static final List<String> MARKET_HEADERS = List.of(
      "订单编号,买家会员名,买家实际支付金额,订单状态,收货人手机号,订单创建时间,退款金额",
      "订单号,下单帐号,应付金额,订单状态,联系电话,下单时间,退款金额",
      "订单号,用户昵称,实收金额,订单状态,手机号,成交时间,退款金额",
      "主订单编号,买家昵称,订单应付金额,订单状态,收件人手机号,订单提交时间,退款金额");
  static final MessageType TOUCH_SCHEMA = MessageTypeParser.parseMessageType(
      "message touch { required binary event_id (STRING); required binary event_type (STRING); required binary channel (STRING);"
          + " optional binary campaign_id (STRING); optional binary device_id (STRING); optional binary member_id (STRING);"
          + " optional binary phone_hash (STRING); required int64 event_time (TIMESTAMP(MICROS,true)); }");

  /** A touch row: event id, type, channel, device, member, phone hash, epoch micros. */
  public record Touch(String id, String type, String channel, String device, String member, String phoneHash, long micros) {}

  private final Path root;

  public TinyExports(Path root) {
    this.root = root;
  }

  /** Creates every file of the day with only its header (and no touches). */
  public TinyExports day(LocalDate d) {
    write("pos", d, "tickets.csv", POS_HEADER + "\n", StandardCharsets.UTF_8);
    write("webshop", d, "orders.jsonl", "", StandardCharsets.UTF_8);
    List<String> platforms = List.of("tmall", "jd", "pinduoduo", "douyin_shop");
    for (int i = 0; i < platforms.size(); i++) {
      write("marketplace", d, platforms.get(i) + ".csv", MARKET_HEADERS.get(i) + "\n",
          Charset.forName(BronzeTable.defaultEncoding(platforms.get(i))));
    }
    touches(d, List.of());
    write("ad_spend", d, "spend.csv", SPEND_HEADER + "\n", StandardCharsets.UTF_8);
    write("crm", d, "members.csv", MEMBERS_HEADER + "\n", StandardCharsets.UTF_8);
    write("crm", d, "bindings.csv", BINDINGS_HEADER + "\n", StandardCharsets.UTF_8);
    return this;
  }

  public TinyExports write(String source, LocalDate d, String file, String content, Charset cs) {
    try {
      Path dir = root.resolve(source).resolve(d.toString());
      Files.createDirectories(dir);
      Files.write(dir.resolve(file), content.getBytes(cs));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public TinyExports touches(LocalDate d, List<Touch> touches) {
    try {
      Path dir = root.resolve("touchpoints").resolve(d.toString());
      Files.createDirectories(dir);
      Path file = dir.resolve("touches.parquet");
      Files.deleteIfExists(file);
      SimpleGroupFactory f = new SimpleGroupFactory(TOUCH_SCHEMA);
      try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
          .withType(TOUCH_SCHEMA).withConf(new Configuration()).build()) {
        for (Touch t : touches) {
          Group g = f.newGroup().append("event_id", t.id()).append("event_type", t.type()).append("channel", t.channel())
              .append("campaign_id", "c1");
          if (t.device() != null) {
            g.append("device_id", t.device());
          }
          if (t.member() != null) {
            g.append("member_id", t.member());
          }
          if (t.phoneHash() != null) {
            g.append("phone_hash", t.phoneHash());
          }
          g.append("event_time", t.micros());
          w.write(g);
        }
      }
      Files.deleteIfExists(dir.resolve(".touches.parquet.crc"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }
}
