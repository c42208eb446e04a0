package io.touchpoint.ingest;

import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.DateType;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The source contracts: which files of an export folder belong to which bronze table, the
 * table's data columns, and the parser. Bronze tables are {@code bronze.<source>__<entity>}.
 */
public enum BronzeTable {
  POS_TICKETS("pos", "tickets", schema(
      "ticket_id", StringType, "store_id", StringType, "terminal_id", StringType, "ticket_at", TimestampType,
      "member_id", StringType, "phone_hash", StringType, "amount_cny", money(), "items", IntegerType,
      "payment_method", StringType, "original_ticket_id", StringType)),
  WEBSHOP_ORDERS("webshop", "orders", schema(
      "order_id", StringType, "record_type", StringType, "original_order_id", StringType,
      "sales_channel", StringType, "member_id", StringType, "device_id", StringType, "phone_hash", StringType,
      "created_at", TimestampType, "total_cny", money(), "coupon", StringType)),
  MARKETPLACE_ORDERS("marketplace", "orders", schema(
      "platform", StringType, "order_id", StringType, "buyer_hash", StringType, "amount_paid_cny", money(),
      "status", StringType, "ordered_at", TimestampType, "refund_cny", money())),
  TOUCHPOINT_EVENTS("touchpoints", "events", schema(
      "event_id", StringType, "event_type", StringType, "channel", StringType, "campaign_id", StringType,
      "device_id", StringType, "member_id", StringType, "phone_hash", StringType, "event_at", TimestampType)),
  AD_SPEND("ad_spend", "spend", schema(
      "spend_date", DateType, "channel", StringType, "campaign_id", StringType, "spend_cny", money(),
      "impressions", LongType, "clicks", LongType)),
  CRM_MEMBERS("crm", "members", schema(
      "member_id", StringType, "phone_hash", StringType, "email_hash", StringType, "registered_at", TimestampType,
      "registration_store_id", StringType, "registration_channel", StringType, "tier", StringType,
      "updated_at", TimestampType)),
  CRM_BINDINGS("crm", "bindings", schema(
      "member_id", StringType, "identifier_type", StringType, "identifier_value", StringType,
      "bound_at", TimestampType));

  /** Metadata columns every bronze row carries after its data columns. */
  public static final List<String> METADATA =
      List.of("_export_date", "_source_file", "_row_number", "_ingested_at", "_run_id");

  private final String source;
  private final String entity;
  private final StructType dataSchema;

  BronzeTable(String source, String entity, StructType dataSchema) {
    this.source = source;
    this.entity = entity;
    this.dataSchema = dataSchema;
  }

  public String source() {
    return source;
  }

  public String entity() {
    return entity;
  }

  /** Table name within the bronze layer, e.g. {@code pos__tickets}. */
  public String tableName() {
    return source + "__" + entity;
  }

  public StructType dataSchema() {
    return dataSchema;
  }

  /** Data columns followed by the metadata columns. */
  public StructType schema() {
    return dataSchema
        .add("_export_date", DateType, false)
        .add("_source_file", StringType, false)
        .add("_row_number", LongType, false)
        .add("_ingested_at", TimestampType, false)
        .add("_run_id", StringType, false);
  }

  /** True when a file in this source's day folder belongs to this table. */
  public boolean owns(String fileName) {
    return switch (this) {
      case POS_TICKETS -> fileName.equals("tickets.csv");
      case WEBSHOP_ORDERS -> fileName.equals("orders.jsonl");
      case MARKETPLACE_ORDERS -> fileName.endsWith(".csv");
      case TOUCHPOINT_EVENTS -> fileName.equals("touches.parquet");
      case AD_SPEND -> fileName.equals("spend.csv");
      case CRM_MEMBERS -> fileName.equals("members.csv");
      case CRM_BINDINGS -> fileName.equals("bindings.csv");
    };
  }

  /** The files this table expects in every day folder of its source (marketplace: one per platform). */
  public List<String> expectedFiles() {
    return switch (this) {
      case POS_TICKETS -> List.of("tickets.csv");
      case WEBSHOP_ORDERS -> List.of("orders.jsonl");
      case MARKETPLACE_ORDERS -> SourceMappers.PLATFORMS.stream().map(p -> p + ".csv").toList();
      case TOUCHPOINT_EVENTS -> List.of("touches.parquet");
      case AD_SPEND -> List.of("spend.csv");
      case CRM_MEMBERS -> List.of("members.csv");
      case CRM_BINDINGS -> List.of("bindings.csv");
    };
  }

  /**
   * The parser for one file of this table.
   *
   * @param encodings declared marketplace encodings by platform (defaults when absent)
   */
  public FileParser parser(String fileName, Map<String, String> encodings) {
    return switch (this) {
      case POS_TICKETS -> utf8Csv(SourceMappers.POS_COLUMNS, new SourceMappers.PosTickets());
      case WEBSHOP_ORDERS -> new JsonLinesParser();
      case MARKETPLACE_ORDERS -> {
        String platform = fileName.substring(0, fileName.length() - ".csv".length());
        if (!SourceMappers.MARKETPLACE_HEADERS.containsKey(platform)) {
          throw new UnreadableFileException(fileName, "'" + platform + "' is not a known marketplace platform "
              + SourceMappers.PLATFORMS, null);
        }
        Charset declared = Charset.forName(encodings.getOrDefault(platform, defaultEncoding(platform)));
        List<Charset> order = new ArrayList<>(List.of(declared));
        for (Charset alt : List.of(StandardCharsets.UTF_8, Charset.forName("GBK"))) {
          if (!order.contains(alt)) {
            order.add(alt);
          }
        }
        yield new CsvFileParser(order, SourceMappers.MARKETPLACE_HEADERS.get(platform),
            new SourceMappers.MarketplaceOrders(platform));
      }
      case TOUCHPOINT_EVENTS -> new TouchLogParser();
      case AD_SPEND -> utf8Csv(SourceMappers.SPEND_COLUMNS, new SourceMappers.AdSpend());
      case CRM_MEMBERS -> utf8Csv(SourceMappers.MEMBER_COLUMNS, new SourceMappers.CrmMembers());
      case CRM_BINDINGS -> utf8Csv(SourceMappers.BINDING_COLUMNS, new SourceMappers.CrmBindings());
    };
  }

  /** The declared encoding of a marketplace platform's export when the configuration says nothing. */
  public static String defaultEncoding(String platform) {
    return switch (platform) {
      case "tmall", "pinduoduo" -> "GBK";
      default -> "UTF-8";
    };
  }

  public static List<String> sources() {
    List<String> out = new ArrayList<>();
    for (BronzeTable t : values()) {
      if (!out.contains(t.source)) {
        out.add(t.source);
      }
    }
    return out;
  }

  private static FileParser utf8Csv(List<String> columns, CsvRowMapper mapper) {
    return new CsvFileParser(List.of(StandardCharsets.UTF_8), columns, mapper);
  }

  private static DecimalType money() {
    return DataTypes.createDecimalType(18, 2);
  }

  private static StructType schema(Object... nameTypePairs) {
    StructField[] fields = new StructField[nameTypePairs.length / 2];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = DataTypes.createStructField((String) nameTypePairs[2 * i],
          (org.apache.spark.sql.types.DataType) nameTypePairs[2 * i + 1], true);
    }
    return DataTypes.createStructType(fields);
  }
}
