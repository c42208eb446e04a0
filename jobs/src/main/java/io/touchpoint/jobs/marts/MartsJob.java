package io.touchpoint.jobs.marts;

import io.touchpoint.errors.Errors;
import io.touchpoint.jobs.spark.TableWriter;
import io.touchpoint.jobs.spark.Warehouse;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The marts stage: runs the SQL models of {@code sql/} ({@link SqlModels}) in dependency order with
 * the run's parameters bound as Spark SQL named parameters ({@code :to_date}, {@code :margin}, ...
 * never spliced into the text). Staging models become session views; gold models are written
 * with one scoped write each: {@code replaceWhere} on the periods the run recomputes, or a whole
 * overwrite for the catalogue, so rerunning a date leaves the same rows.
 *
 * <p>Periods: a run over dates {@code from..to} recomputes every day, week (Monday start), month and
 * quarter holding a date of {@code from − restate_days .. to}, each up to {@code to} ("to date").
 * Restating the trailing days picks up late refunds and identity merges, and lets the 90-day
 * cohort repurchase rate mature.
 */
public final class MartsJob {
  private static final Logger LOG = LoggerFactory.getLogger(MartsJob.class);
  public static final List<String> PERIOD_TYPES = List.of("day", "week", "month", "quarter");
  public static final List<String> MODELS = List.of("markov", "first", "last", "linear", "time_decay", "position");

  /** Tables the earlier stages write that the models read; a missing one stops the run. */
  static final Map<String, String> REQUIRED = new LinkedHashMap<>();
  /**
   * Tables an earlier stage may not have written yet (the attribution stage has not run, the CLV
   * stage skipped a young warehouse): read as empty, with their columns, when absent.
   */
  static final Map<String, String> OPTIONAL = new LinkedHashMap<>();

  static {
    REQUIRED.put("silver.orders", "the silver stage");
    REQUIRED.put("silver.touchpoints", "the silver stage");
    REQUIRED.put("silver.ad_spend", "the silver stage");
    REQUIRED.put("silver.identification_rate", "the silver stage");
    REQUIRED.put("ops.ingestion_log", "the ingest stage");
    OPTIONAL.put("silver.customer_aliases", columns(io.touchpoint.identity.CustomerAliases.SCHEMA)); // the identity stage's own
    OPTIONAL.put("gold.attribution_daily", "run_date DATE, conversion_date DATE, sales_channel STRING, model STRING,"
        + " markov_order INT, channel STRING, conversions DOUBLE, revenue_cny DOUBLE");
    OPTIONAL.put("gold.attribution_journeys_daily", "run_date DATE, end_date DATE, channel STRING, journeys BIGINT,"
        + " converted_journeys BIGINT");
    OPTIONAL.put("restricted.first_purchase_credit", "run_date DATE, customer_id STRING, first_purchase_date DATE,"
        + " model STRING, markov_order INT, channel STRING, conversions DOUBLE, revenue_cny DOUBLE");
    OPTIONAL.put("restricted.customer_value", "run_date DATE, customer_id STRING, clv_12m_cny DOUBLE, p_alive DOUBLE,"
        + " lifecycle_segment STRING, is_high_value BOOLEAN, is_high_value_at_risk BOOLEAN");
  }

  /**
   * The run's parameters (documented options of {@code touchpoint marts}; defaults from METRICS.md).
   *
   * @param from first run date; periods are recomputed from {@code from − restateDays}
   * @param to the run date: data up to it, periods "to date"
   * @param restateDays trailing days whose periods are recomputed too
   * @param margin gross margin for ROI
   * @param attributionModel the model behind the ROI family of gold.kpi and the channel value matrix
   * @param markovOrder the attribution order whose credits are used
   * @param periodTypes period types to compute
   */
  public record Options(LocalDate from, LocalDate to, int restateDays, double margin, String attributionModel,
      int markovOrder, List<String> periodTypes) {
    public static final int DEFAULT_RESTATE_DAYS = 90;
    public static final double DEFAULT_MARGIN = 0.30;

    public Options {
      if (from == null || to == null || to.isBefore(from)) {
        throw Errors.usage("run the marts for " + from + ".." + to, "the dates are missing or reversed",
            "Pass --run-date D, or --from D1 --to D2 with D1 <= D2");
      }
      if (restateDays < 0) {
        throw Errors.usage("use --restate-days " + restateDays, "it must be 0 or more", "e.g. --restate-days 90");
      }
      if (!(margin >= 0 && margin <= 1)) {
        throw Errors.usage("use --margin " + margin, "the margin is a share between 0 and 1", "e.g. --margin 0.30");
      }
      if (!MODELS.contains(attributionModel)) {
        throw Errors.unknownNames("attribution model", List.of(attributionModel), MODELS);
      }
      if (markovOrder < 1 || markovOrder > 4) {
        throw Errors.usage("use --markov-order " + markovOrder, "the order is 1 to 4", "e.g. --markov-order 1");
      }
      periodTypes = periodTypes.stream().map(p -> p.strip().toLowerCase(Locale.ROOT)).distinct().toList();
      List<String> unknown = periodTypes.stream().filter(p -> !PERIOD_TYPES.contains(p)).toList();
      if (!unknown.isEmpty()) {
        throw Errors.unknownNames("period type(s)", unknown, PERIOD_TYPES);
      }
      if (periodTypes.isEmpty()) {
        throw Errors.usage("use --period-types", "no period type was named", "e.g. --period-types day,week,month,quarter");
      }
    }

    public static Options defaults(LocalDate from, LocalDate to) {
      return new Options(from, to, DEFAULT_RESTATE_DAYS, DEFAULT_MARGIN, "markov", 1, PERIOD_TYPES);
    }

    public LocalDate recomputeFrom() {
      return from.minusDays(restateDays);
    }
  }

  /** What a run wrote: the gold tables in the order written, with the wall time of each. */
  public record Result(Map<String, Duration> times) {}

  private final Warehouse warehouse;
  private final TableWriter writer;

  public MartsJob(Warehouse warehouse, String runId) {
    this.warehouse = warehouse;
    this.writer = new TableWriter(warehouse, runId, "marts");
  }

  public Result run(Options o) {
    SparkSession spark = warehouse.spark();
    List<SqlModel> models = SqlModels.order(SqlModels.load(), sources());
    for (Map.Entry<String, String> t : REQUIRED.entrySet()) {
      String[] p = t.getKey().split("\\.");
      if (!warehouse.exists(p[0], p[1])) {
        throw Errors.missingTable("run the marts for " + o.to(), t.getKey(),
            "Run " + t.getValue() + " first (touchpoint nightly --run-date " + o.to() + ")");
      }
    }
    for (String t : REQUIRED.keySet()) {
      bind(t, true);
    }
    // Delta 4.3.1's SQL parser drops the parameters of spark.sql(text, args) on Spark 4.1
    // (delta-io/delta#7640: DeltaSqlParser does not override parsePlanWithParameters); Spark's
    // legacy substitution binds them before that parser runs. Parameters stay constants-only.
    String legacy = "spark.sql.legacy.parameterSubstitution.constantsOnly";
    String legacyBefore = spark.conf().get(legacy, null);
    spark.conf().set(legacy, "true");
    List<String> standIns = new ArrayList<>();
    Map<String, Duration> times = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, String> t : OPTIONAL.entrySet()) {
        if (!bind(t.getKey(), false)) {
          LOG.warn("marts: {} does not exist yet; read as empty", t.getKey());
          spark.sql("CREATE OR REPLACE VIEW " + t.getKey() + " AS SELECT * FROM VALUES (" + nulls(t.getValue()) + ") AS t("
              + columnNames(t.getValue()) + ") WHERE false");
          standIns.add(t.getKey());
        }
      }
      for (SqlModel m : models) {
        if (!m.isView()) {
          bind(m.name(), false);
        }
      }
      Map<String, Object> args = arguments(o);
      for (SqlModel m : models) {
        Instant t0 = Instant.now();
        spark.sparkContext().setJobGroup("marts", "marts " + o.to() + ": " + m.name(), false);
        Dataset<Row> df = spark.sql(m.sql(), args);
        if (m.isView()) {
          // Several marts read each staging view: cache it for the run (dropped in the finally below),
          // instead of reading silver and recomputing its windows once per mart.
          df.createOrReplaceTempView(m.name());
          spark.catalog().cacheTable(m.name());
          continue;
        }
        if (m.write() == SqlModel.Write.OVERWRITE) {
          writer.overwrite(df.coalesce(1), m.schema(), m.table());
        } else {
          writer.replaceWhere(df.coalesce(1), m.schema(), m.table(), scope(o, m, args), List.of());
        }
        bind(m.name(), true);
        times.put(m.name(), Duration.between(t0, Instant.now()));
      }
    } finally {
      if (legacyBefore == null) {
        spark.conf().unset(legacy);
      } else {
        spark.conf().set(legacy, legacyBefore);
      }
      for (String v : standIns) {
        spark.sql("DROP VIEW IF EXISTS " + v);
      }
      for (SqlModel m : models) {
        if (m.isView() && spark.catalog().tableExists(m.name())) {
          spark.catalog().uncacheTable(m.name());
          spark.catalog().dropTempView(m.name());
        }
      }
    }
    LOG.info("marts {}..{} (periods from {}) written: {}", o.from(), o.to(), o.recomputeFrom(), times.keySet());
    return new Result(times);
  }

  /**
   * Makes {@code schema.table} in the session's catalog name this warehouse's table (the models read
   * tables by name; an entry left by another warehouse of the same JVM is re-pointed without
   * reading its snapshot, so a deleted warehouse's entry does no harm). Returns false, with no entry
   * left, when the table does not exist here.
   */
  private boolean bind(String name, boolean required) {
    String[] p = name.split("\\.");
    if (warehouse.exists(p[0], p[1])) {
      warehouse.register(p[0], p[1]);
      return true;
    }
    if (required) {
      throw new IllegalStateException(name + " was just written but does not exist at " + warehouse.path(p[0], p[1]));
    }
    warehouse.unregister(p[0], p[1]);
    return false;
  }

  /** Tables of earlier stages a model may read. */
  static Set<String> sources() {
    Set<String> s = new TreeSet<>(REQUIRED.keySet());
    s.addAll(OPTIONAL.keySet());
    return s;
  }

  static Map<String, Object> arguments(Options o) {
    Map<String, Object> args = new HashMap<>();
    args.put("from_date", o.recomputeFrom());
    args.put("to_date", o.to());
    args.put("period_types", o.periodTypes().toArray(new String[0]));
    args.put("margin", o.margin());
    args.put("attribution_model", o.attributionModel());
    args.put("markov_order", o.markovOrder());
    return args;
  }

  /**
   * The replaceWhere predicate of a per-period table: for each period type, the starts of the
   * periods holding a recomputed date, plus the model's scope columns equal to the parameters.
   */
  static String scope(Options o, SqlModel m, Map<String, Object> args) {
    List<String> perType = new ArrayList<>();
    for (String type : o.periodTypes()) {
      perType.add("(period_type = '" + type + "' AND period_start BETWEEN DATE'" + periodStart(type, o.recomputeFrom())
          + "' AND DATE'" + periodStart(type, o.to()) + "')");
    }
    String predicate = "(" + String.join(" OR ", perType) + ")";
    for (String column : m.scope()) {
      Object value = args.get(column);
      if (!(value instanceof Number)) {
        throw Errors.badSqlModel(m.resource(), "its write scope names '" + column + "', which is not a numeric parameter",
            "Scope only on :markov_order");
      }
      predicate += " AND " + column + " = " + value;
    }
    return predicate;
  }

  /** First day of the period of the given type holding {@code day} (ISO weeks start on Monday). */
  public static LocalDate periodStart(String type, LocalDate day) {
    return switch (type) {
      case "day" -> day;
      case "week" -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case "month" -> day.withDayOfMonth(1);
      case "quarter" -> day.withDayOfMonth(1).withMonth(((day.getMonthValue() - 1) / 3) * 3 + 1);
      default -> throw new IllegalArgumentException(type);
    };
  }

  /** A schema as the stand-ins' column list ({@code name TYPE, ...}; nullability dropped: a stand-in holds no row). */
  static String columns(org.apache.spark.sql.types.StructType schema) {
    return java.util.Arrays.stream(schema.fields()).map(f -> f.name() + " " + f.dataType().sql()).collect(Collectors.joining(", "));
  }

  private static String nulls(String columns) {
    return java.util.Arrays.stream(columns.split(",")).map(String::strip)
        .map(c -> "CAST(NULL AS " + c.substring(c.indexOf(' ') + 1) + ")").collect(Collectors.joining(", "));
  }

  private static String columnNames(String columns) {
    return java.util.Arrays.stream(columns.split(",")).map(String::strip).map(c -> c.substring(0, c.indexOf(' ')))
        .collect(Collectors.joining(", "));
  }
}
