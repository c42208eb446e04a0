package io.touchpoint.jobs.privacy;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.touchpoint.errors.Errors;
import io.touchpoint.jobs.identity.IdentityJob;
import io.touchpoint.jobs.ingest.IngestJob;
import io.touchpoint.jobs.spark.TableWriter;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.pii.Pii;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The right to be forgotten (PIPL art. 47): removes one person from every table that holds them,
 * bronze included, records an audit row without PII in {@code ops.forget_log}, and vacuums the
 * files that still hold their rows once the retention period has passed (or at once with
 * {@code vacuumNow}).
 *
 * <p>The tables are not listed by hand: every table of the warehouse is searched by its columns
 * ({@link #COLUMNS}: customer ids, identity-graph identifiers, member and device ids, identifier
 * hashes, and the raw text of rejected rows), so a table a later stage adds is covered as soon as
 * it has such a column.
 *
 * <p>Deletes are a MERGE … WHEN MATCHED THEN DELETE against a small frame of the person's values,
 * so the Delta commit records the join condition, never a value. Vacuuming also checkpoints the
 * table and removes the log files before that checkpoint: older commits carry per-file column
 * statistics (min/max values), which may be the person's.
 */
public final class ForgetJob {
  private static final Logger LOG = LoggerFactory.getLogger(ForgetJob.class);
  public static final String LOG_TABLE = "forget_log";
  /** Delta's own default for {@code delta.deletedFileRetentionDuration}: 7 days. */
  public static final long DEFAULT_RETENTION_HOURS = 168;

  /** How a person is named in a request. */
  public enum Key {
    CUSTOMER_ID, MEMBER_ID, PHONE_HASH;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The kinds of values a person has; each column of {@link #COLUMNS} holds one kind. */
  enum Kind { CUSTOMER, IDENTIFIER, MEMBER, PHONE, EMAIL, DEVICE, BUYER, RAW_TOKEN }

  /**
   * The columns that hold a person, by name: a table with any of them is searched. A column whose
   * name ends in {@code customer_id} (customer_id, merged_customer_id, ...) holds customer ids.
   */
  public static final Map<String, String> COLUMNS = columnsDoc();

  private static Map<String, String> columnsDoc() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("*customer_id", "the person's customer ids (with the ids merged into theirs)");
    m.put("identifier", "their identity-graph identifiers (member:, phone:, email:, device:, <platform>:)");
    m.put("member_id", "their CRM member ids");
    m.put("phone_hash", "their phone HMACs");
    m.put("email_hash", "their e-mail HMACs");
    m.put("device_id", "their device ids");
    m.put("buyer_hash", "their marketplace buyer HMACs");
    m.put("identifier_value", "their bound device ids and buyer HMACs (CRM bindings)");
    m.put("raw_row", "a rejected row holding one of their member or device ids as a field");
    return java.util.Collections.unmodifiableMap(m);
  }

  static Kind kindOf(String column) {
    String c = column.toLowerCase(Locale.ROOT);
    if (c.endsWith("customer_id")) {
      return Kind.CUSTOMER;
    }
    return switch (c) {
      case "identifier" -> Kind.IDENTIFIER;
      case "member_id" -> Kind.MEMBER;
      case "phone_hash" -> Kind.PHONE;
      case "email_hash" -> Kind.EMAIL;
      case "device_id" -> Kind.DEVICE;
      case "buyer_hash" -> Kind.BUYER;
      case "identifier_value" -> Kind.DEVICE; // and BUYER: see matchSql
      case "raw_row" -> Kind.RAW_TOKEN;
      default -> null;
    };
  }

  /** A table that can hold a person, and its columns that do. */
  public record PersonalTable(String table, List<String> columns) {}

  /** Who is forgotten: their customer ids and identifiers (values, kept in memory only). */
  public record Person(Set<String> customerIds, Set<String> identifiers) {
    Set<String> values(Kind kind) {
      return switch (kind) {
        case CUSTOMER -> customerIds;
        case IDENTIFIER -> identifiers;
        case MEMBER -> valuesOf(Set.of("member"));
        case PHONE -> valuesOf(Set.of("phone"));
        case EMAIL -> valuesOf(Set.of("email"));
        case DEVICE -> valuesOf(Set.of("device"));
        case BUYER -> identifiers.stream().filter(i -> !Set.of("member", "phone", "email", "device").contains(type(i)))
            .map(ForgetJob::value).collect(Collectors.toCollection(TreeSet::new));
        case RAW_TOKEN -> valuesOf(Set.of("member", "device"));
      };
    }

    private Set<String> valuesOf(Set<String> types) {
      return identifiers.stream().filter(i -> types.contains(type(i))).map(ForgetJob::value)
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** What a request did: rows deleted per table, the export files that held the person, whether files were vacuumed. */
  public record Result(String forgetId, int customers, int identifiers, Map<String, Long> deleted, List<String> exportFiles,
      List<String> vacuumed, Instant vacuumAfter) {
    public long rowsDeleted() {
      return deleted.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  static final StructType LOG_SCHEMA = new StructType()
      .add("forget_id", DataTypes.StringType, false)
      .add("requested_at", DataTypes.TimestampType, false)
      .add("key_kind", DataTypes.StringType, false)
      .add("request_hash", DataTypes.StringType, false)
      .add("customers", DataTypes.IntegerType, false)
      .add("identifiers", DataTypes.IntegerType, false)
      .add("tables", DataTypes.StringType, false)
      .add("rows_deleted", DataTypes.LongType, false)
      .add("retention_hours", DataTypes.LongType, false)
      .add("vacuum_after", DataTypes.TimestampType, false)
      .add("vacuumed_at", DataTypes.TimestampType, true);

  private final Warehouse warehouse;
  private final Pii pii;
  private final String forgetId;
  private final TableWriter writer;

  public ForgetJob(Warehouse warehouse, Pii pii, String forgetId) {
    if (warehouse.sandbox().isPresent()) {
      throw Errors.usage("forget a person in " + warehouse.sandbox().get().schema(), "forget works on the whole warehouse",
          "Run it without --output-schema: it covers the sandbox schemas too");
    }
    this.warehouse = warehouse;
    this.pii = pii;
    this.forgetId = forgetId;
    this.writer = new TableWriter(warehouse, forgetId, "forget");
  }

  /** Every table of the warehouse with a column of {@link #COLUMNS}, found by its schema. */
  public List<PersonalTable> personalTables() {
    List<PersonalTable> out = new ArrayList<>();
    for (String name : warehouse.tables()) {
      String[] p = name.split("\\.", 2);
      List<String> cols = new ArrayList<>();
      for (StructField f : warehouse.read(p[0], p[1]).schema().fields()) {
        if (f.dataType().equals(DataTypes.StringType) && kindOf(f.name()) != null) {
          cols.add(f.name());
        }
      }
      if (!cols.isEmpty()) {
        out.add(new PersonalTable(name, List.copyOf(cols)));
      }
    }
    return out;
  }

  /**
   * The person a request names: their customer ids (and every id merged into them, from
   * silver.identity_merges) and all the identifiers the identity map links to those ids, plus the
   * requested identifier itself (a person the map never identified still has rows under it).
   */
  public Person resolve(Key key, String value) {
    String v = value.strip();
    if (v.isEmpty()) {
      throw Errors.usage("forget --" + key.label().replace('_', '-'), "the value is empty", "Pass the person's " + key.label());
    }
    Set<String> identifiers = new TreeSet<>();
    Set<String> customers = new TreeSet<>();
    boolean hasMap = warehouse.exists("silver", IdentityJob.MAP);
    switch (key) {
      case CUSTOMER_ID -> customers.add(v);
      case MEMBER_ID, PHONE_HASH -> {
        String identifier = (key == Key.MEMBER_ID ? "member:" : "phone:") + v;
        identifiers.add(identifier);
        if (hasMap) {
          warehouse.read("silver", IdentityJob.MAP).where(col("identifier").equalTo(lit(identifier)))
              .select("customer_id").collectAsList().forEach(r -> customers.add(r.getString(0)));
        }
      }
    }
    if (warehouse.exists("silver", IdentityJob.MERGES) && !customers.isEmpty()) {
      List<Row> merges = warehouse.read("silver", IdentityJob.MERGES)
          .select("merged_customer_id", "surviving_customer_id").collectAsList();
      boolean grew = true;
      while (grew) {
        grew = false;
        for (Row m : merges) {
          if (customers.contains(m.getString(1)) && customers.add(m.getString(0))) {
            grew = true;
          }
        }
      }
    }
    if (hasMap && !customers.isEmpty()) {
      warehouse.read("silver", IdentityJob.MAP).where(col("customer_id").isin(customers.toArray()))
          .select("identifier").collectAsList().forEach(r -> identifiers.add(r.getString(0)));
    }
    return new Person(customers, identifiers);
  }

  /**
   * Deletes the person from every personal table, logs the request in {@code ops.forget_log}, and
   * with {@code vacuumNow} vacuums every personal table at zero retention at once.
   */
  public Result run(Key key, String value, boolean vacuumNow, long retentionHours) {
    Instant at = Instant.now();
    Person person = resolve(key, value);
    Dataset<Row> values = valuesFrame(person);
    Map<String, Long> deleted = new LinkedHashMap<>();
    Set<String> files = new TreeSet<>();
    List<PersonalTable> personal = personalTables();
    for (PersonalTable t : personal) {
      String[] p = t.table().split("\\.", 2);
      if (p[0].equals(IngestJob.OPS) && p[1].equals(LOG_TABLE)) {
        continue;
      }
      Dataset<Row> rows = warehouse.read(p[0], p[1]);
      Dataset<Row> theirs = rows.as("t").join(values.as("s"), org.apache.spark.sql.functions.expr(matchSql(t.columns())),
          "left_semi");
      if (theirs.isEmpty()) {
        continue; // no commit on a table that holds nothing of theirs
      }
      if (List.of(rows.columns()).contains("_source_file")) {
        theirs.select("_source_file").distinct().collectAsList().forEach(r -> files.add(r.getString(0)));
      }
      long n = writer.deleteMatching(values, p[0], p[1], matchSql(t.columns()));
      if (n > 0) {
        deleted.put(t.table(), n);
      }
    }
    Instant vacuumAfter = at.plus(Duration.ofHours(vacuumNow ? 0 : retentionHours));
    // Every personal table, not only those deleted from now: older files of any of them (rows a rerun
    // replaced, snapshots overwritten) may hold the person too.
    List<String> vacuumed = vacuumNow ? vacuum(names(personal), 0) : List.of();
    String tables = deleted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    Row audit = RowFactory.create(forgetId, Timestamp.from(at), key.label(), requestHash(key, value),
        person.customerIds().size(), person.identifiers().size(), tables,
        deleted.values().stream().mapToLong(Long::longValue).sum(), vacuumNow ? 0L : retentionHours,
        Timestamp.from(vacuumAfter), vacuumNow ? Timestamp.from(Instant.now()) : null);
    writer.append(warehouse.spark().createDataFrame(List.of(audit), LOG_SCHEMA), IngestJob.OPS, LOG_TABLE);
    LOG.info("forget {}: {} row(s) deleted from {} table(s)", forgetId, deleted.values().stream().mapToLong(Long::longValue).sum(),
        deleted.size());
    return new Result(forgetId, person.customerIds().size(), person.identifiers().size(), deleted, List.copyOf(files),
        vacuumed, vacuumAfter);
  }

  private static Set<String> names(List<PersonalTable> tables) {
    return tables.stream().map(PersonalTable::table).collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** The keyed hash that stands for a request in the audit log: who asked can be checked, not read back. */
  public String requestHash(Key key, String value) {
    return pii.identifierHash("forget:" + key.label(), value.strip());
  }

  /**
   * Vacuums every personal table for the earlier requests whose retention has passed ({@code vacuum_after}
   * ≤ now, not yet vacuumed) with the request's retention, and marks the requests vacuumed.
   * Returns the tables vacuumed.
   */
  public List<String> vacuumDue(Instant now) {
    if (!warehouse.exists(IngestJob.OPS, LOG_TABLE)) {
      return List.of();
    }
    List<Row> due = warehouse.read(IngestJob.OPS, LOG_TABLE)
        .where(col("vacuumed_at").isNull().and(col("vacuum_after").leq(lit(Timestamp.from(now)))))
        .select("forget_id", "tables", "retention_hours").collectAsList();
    Set<String> done = new LinkedHashSet<>();
    for (Row r : due) {
      done.addAll(vacuum(names(personalTables()), r.getLong(2)));
      writer.update(IngestJob.OPS, LOG_TABLE, "forget_id = '" + r.getString(0).replace("'", "''") + "'",
          Map.of("vacuumed_at", "current_timestamp()"));
    }
    return List.copyOf(done);
  }

  /**
   * Purges deletion vectors (their base files still hold the rows), vacuums with the given
   * retention, then checkpoints and drops the log files before the checkpoint. Zero retention
   * turns Delta's retention check off for this call only.
   */
  List<String> vacuum(Set<String> tables, long retentionHours) {
    List<String> out = new ArrayList<>();
    var conf = warehouse.spark().conf();
    String check = "spark.databricks.delta.retentionDurationCheck.enabled";
    String before = conf.getOption(check).getOrElse(() -> null);
    for (String name : tables) {
      String[] p = name.split("\\.", 2);
      if (!warehouse.exists(p[0], p[1])) {
        continue;
      }
      String path = warehouse.path(p[0], p[1]);
      io.delta.tables.DeltaTable t = io.delta.tables.DeltaTable.forPath(warehouse.spark(), path);
      Row detail = t.detail().select("properties").first();
      scala.collection.Map<String, String> props = detail.getMap(0);
      if (props.contains("delta.enableDeletionVectors") && "true".equals(props.apply("delta.enableDeletionVectors"))) {
        warehouse.spark().sql("REORG TABLE delta.`" + path.replace("`", "``") + "` APPLY (PURGE)");
      }
      if (retentionHours == 0) {
        conf.set(check, "false");
      }
      try {
        t.vacuum(retentionHours);
      } finally {
        if (before == null) {
          conf.unset(check);
        } else {
          conf.set(check, before);
        }
      }
      compactLog(path);
      out.add(name);
    }
    return out;
  }

  /** Checkpoints the latest version and deletes the commits, checksums and checkpoints before it. */
  private void compactLog(String path) {
    org.apache.spark.sql.delta.DeltaLog log = org.apache.spark.sql.delta.DeltaLog.forTable(warehouse.spark(), path);
    org.apache.spark.sql.delta.Snapshot snapshot = log.update(false, scala.Option.empty(), scala.Option.empty());
    log.checkpoint(snapshot, scala.Option.empty());
    long version = snapshot.version();
    Path logDir = new Path(path, "_delta_log");
    try {
      FileSystem fs = logDir.getFileSystem(warehouse.spark().sparkContext().hadoopConfiguration());
      for (FileStatus f : fs.listStatus(logDir)) {
        String n = f.getPath().getName();
        if (f.isFile() && n.length() >= 20 && n.substring(0, 20).chars().allMatch(Character::isDigit)
            && Long.parseLong(n.substring(0, 20)) < version) {
          fs.delete(f.getPath(), false);
        }
        if (n.startsWith(".") && n.endsWith(".crc") && n.length() > 21 && n.substring(1, 21).chars().allMatch(Character::isDigit)
            && Long.parseLong(n.substring(1, 21)) < version) {
          fs.delete(f.getPath(), false);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One row per value: (kind, v, pattern), pattern being the regex that finds v as a field of a raw row. */
  private Dataset<Row> valuesFrame(Person person) {
    List<Row> rows = new ArrayList<>();
    for (Kind k : Kind.values()) {
      for (String v : person.values(k)) {
        rows.add(RowFactory.create(k.name(), v, "(^|[,;\\t\"{:\\s])" + Pattern.quote(v) + "($|[,;\\t\"}\\s])"));
      }
    }
    StructType schema = new StructType().add("kind", DataTypes.StringType, false).add("v", DataTypes.StringType, false)
        .add("pattern", DataTypes.StringType, false);
    return warehouse.spark().createDataFrame(rows, schema);
  }

  /** The MERGE condition over the table's personal columns (t = table, s = {@link #valuesFrame}). */
  static String matchSql(List<String> columns) {
    List<String> ors = new ArrayList<>();
    for (String c : columns) {
      Kind k = kindOf(c);
      String tc = "t.`" + c + "`";
      if (k == Kind.RAW_TOKEN) {
        ors.add("(s.kind = 'RAW_TOKEN' AND " + tc + " RLIKE s.pattern)");
      } else if (c.equalsIgnoreCase("identifier_value")) {
        ors.add("(s.kind IN ('DEVICE', 'BUYER') AND " + tc + " = s.v)");
      } else {
        ors.add("(s.kind = '" + k.name() + "' AND " + tc + " = s.v)");
      }
    }
    return String.join(" OR ", ors);
  }

  static String type(String identifier) {
    int i = identifier.indexOf(':');
    return i < 0 ? "" : identifier.substring(0, i);
  }

  static String value(String identifier) {
    return identifier.substring(identifier.indexOf(':') + 1);
  }
}
