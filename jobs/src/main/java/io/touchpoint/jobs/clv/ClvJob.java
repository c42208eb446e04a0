package io.touchpoint.jobs.clv;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.touchpoint.clv.BgNbd;
import io.touchpoint.clv.ClvSettings;
import io.touchpoint.clv.Fit;
import io.touchpoint.clv.FrequencyModel;
import io.touchpoint.clv.GammaGamma;
import io.touchpoint.clv.ModifiedBgNbd;
import io.touchpoint.clv.WeightedRows;
import io.touchpoint.customervalue.ClvFeatures;
import io.touchpoint.customervalue.ClvParameters;
import io.touchpoint.customervalue.ClvScoring;
import io.touchpoint.errors.Errors;
import io.touchpoint.errors.TouchpointException;
import io.touchpoint.jobs.spark.TableWriter;
import io.touchpoint.jobs.spark.Warehouse;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Customer value for a run date, idempotently (replaceWhere on run_date):
 * <ul>
 *   <li>{@code restricted.customer_value} — one row per customer with a purchase up to the run date;</li>
 *   <li>{@code gold.clv_model} — the fitted parameters, long format, plus the CLV settings used;</li>
 *   <li>{@code gold.ltv_by_acquisition_channel} — customers and CLV per acquisition channel.</li>
 * </ul>
 * Features and sufficient statistics are computed in Spark; only the statistics (one row per
 * distinct (x, t_x, T) and per distinct repeat (x, monetary)) are collected, BG/NBD and Gamma-Gamma
 * are fitted on the driver, and customers are scored on the executors with the broadcast
 * parameters.
 *
 * <p>When the data cannot identify the models (fewer than 10 customers, nobody repeating, fewer
 * than 10 repeat customers for Gamma-Gamma, or Gamma-Gamma q &lt;= 1) the job either fails with the
 * error (the {@code clv} command) or logs the reason at WARN and writes nothing (inside
 * nightly/backfill/demo, so a young warehouse does not break the nightly run).
 */
public final class ClvJob {
  private static final Logger LOG = LoggerFactory.getLogger(ClvJob.class);
  public static final String GOLD = "gold";
  /** Customer-level output lives in the restricted schema; {@code gold} holds aggregates only. */
  public static final String RESTRICTED = "restricted";
  public static final String CUSTOMER_VALUE = "customer_value";
  public static final String MODEL = "clv_model";
  public static final String BY_CHANNEL = "ltv_by_acquisition_channel";

  /** The schema a table of this stage lives in: customer-level rows are restricted. */
  public static String schemaOf(String table) {
    return CUSTOMER_VALUE.equals(table) ? RESTRICTED : GOLD;
  }

  /** What to do when the models cannot be identified from the data. */
  public enum IfNotIdentified { FAIL, SKIP }

  /** The CLV settings and the not-identified policy. */
  public record Options(ClvSettings settings, IfNotIdentified ifNotIdentified) {
    /** What nightly, backfill and demo use: default settings, skip with a warning. */
    public static final Options PIPELINE = new Options(ClvSettings.DEFAULT, IfNotIdentified.SKIP);
  }

  /** What a run did: customers scored, or why it was skipped (null when it was not). */
  public record Result(LocalDate runDate, long customers, String skippedBecause) {
    public boolean skipped() {
      return skippedBecause != null;
    }
  }

  static final StructType MODEL_SCHEMA = new StructType()
      .add("run_date", DataTypes.DateType, false)
      .add("model", DataTypes.StringType, false)
      .add("parameter", DataTypes.StringType, false)
      .add("value", DataTypes.DoubleType, false)
      .add("standard_error", DataTypes.DoubleType, true)
      .add("log_likelihood", DataTypes.DoubleType, true)
      .add("n", DataTypes.LongType, true)
      .add("converged", DataTypes.BooleanType, true);

  private final Warehouse warehouse;
  private final TableWriter writer;

  public ClvJob(Warehouse warehouse, String runId) {
    this.warehouse = warehouse;
    this.writer = new TableWriter(warehouse, runId, "clv");
  }

  public Result run(LocalDate runDate, Options options) {
    warehouse.spark().sparkContext().setJobGroup("clv", "clv " + runDate, false);
    if (!warehouse.exists("silver", "orders")) {
      throw Errors.missingTable("compute customer value for " + runDate, "silver.orders",
          "Run the silver stage first (touchpoint silver --run-date D, or nightly)");
    }
    // Read three times (the two branches of the statistics, then the scores), the features would
    // aggregate every order three times; kept, they are computed once (docs/BENCHMARKS.md, "CLV").
    Dataset<Row> customers = ClvFeatures.customers(warehouse.read("silver", "orders"), runDate)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return fitAndScore(runDate, options, customers);
    } finally {
      customers.unpersist();
    }
  }

  private Result fitAndScore(LocalDate runDate, Options options, Dataset<Row> customers) {
    List<Row> statistics = ClvFeatures.statistics(customers).collectAsList();
    Fitted fitted;
    try {
      fitted = fit(statistics, options.settings().frequencyModel());
    } catch (TouchpointException e) {
      if (options.ifNotIdentified() == IfNotIdentified.FAIL) {
        throw e;
      }
      LOG.warn("clv: stage skipped for {}, nothing written: {}", runDate, e.getMessage());
      return new Result(runDate, 0, e.getMessage());
    }
    long n = (long) fitted.frequency().customers();
    ClvParameters parameters = ClvParameters.of(fitted.frequency().model(), fitted.spend().model(), options.settings());
    Broadcast<ClvParameters> broadcast = JavaSparkContext.fromSparkContext(warehouse.spark().sparkContext())
        .broadcast(parameters);
    String onRunDate = "run_date = DATE'" + runDate + "'";

    Dataset<Row> value = ClvScoring.score(customers, broadcast, runDate, ClvScoring.highValueCount(n));
    writer.replaceWhere(value, RESTRICTED, CUSTOMER_VALUE, onRunDate, List.of("run_date"));
    writer.replaceWhere(modelRows(runDate, fitted, options.settings()), GOLD, MODEL, onRunDate, List.of());
    Dataset<Row> written = warehouse.read(RESTRICTED, CUSTOMER_VALUE).where(col("run_date").equalTo(lit(Date.valueOf(runDate))));
    writer.replaceWhere(ClvScoring.byAcquisitionChannel(written), GOLD, BY_CHANNEL, onRunDate, List.of());
    LOG.info("clv: {} customers scored for {} ({} r={} alpha={} a={} b={}; Gamma-Gamma p={} q={} gamma={})",
        n, runDate, fitted.frequency().model().name(), parameters.r(), parameters.alpha(), parameters.a(), parameters.b(),
        parameters.p(),
        parameters.q(), parameters.gamma());
    return new Result(runDate, n, null);
  }

  record Fitted(Fit<? extends FrequencyModel> frequency, Fit<GammaGamma> spend) {}

  /** BG/NBD on the collected sufficient statistics (see {@link ClvFeatures#statistics}). */
  static Fitted fit(List<Row> statistics) {
    return fit(statistics, "bgnbd");
  }

  /** Fits the frequency model ({@code bgnbd} or {@code mbgnbd}) and Gamma-Gamma on the collected statistics. */
  static Fitted fit(List<Row> statistics, String frequencyModel) {
    List<Row> frequency = statistics.stream().filter(r -> r.getString(0).equals("frequency")).toList();
    List<Row> spend = statistics.stream().filter(r -> r.getString(0).equals("spend")).toList();
    WeightedRows rows = WeightedRows.of(
        frequency.stream().mapToInt(r -> r.getInt(1)).toArray(),
        frequency.stream().mapToDouble(r -> r.getDouble(2)).toArray(),
        frequency.stream().mapToDouble(r -> r.getDouble(3)).toArray(),
        frequency.stream().mapToDouble(r -> r.getLong(5)).toArray());
    Fit<? extends FrequencyModel> bgnbd = "mbgnbd".equals(frequencyModel) ? ModifiedBgNbd.fit(rows) : BgNbd.fit(rows);
    Fit<GammaGamma> gammaGamma = GammaGamma.fit(new GammaGamma.Spend(
        spend.stream().mapToInt(r -> r.getInt(1)).toArray(),
        spend.stream().mapToDouble(r -> r.getDouble(4)).toArray(),
        spend.stream().mapToDouble(r -> r.getLong(5)).toArray()));
    if (!(gammaGamma.model().q() > 1)) {
      throw Errors.modelNotIdentified("Gamma-Gamma", "the fitted q = " + gammaGamma.model().q()
          + " is not above 1, so the population mean spend p*gamma/(q-1) is undefined",
          "Fit on more repeat customers or a longer history");
    }
    if (!bgnbd.converged() || !gammaGamma.converged()) {
      LOG.warn("clv: a fit did not converge ({} {}, Gamma-Gamma {}); see gold.clv_model",
          bgnbd.model().name(), bgnbd.converged(), gammaGamma.converged());
    }
    return new Fitted(bgnbd, gammaGamma);
  }

  private Dataset<Row> modelRows(LocalDate runDate, Fitted fitted, ClvSettings settings) {
    Date day = Date.valueOf(runDate);
    List<Row> rows = new ArrayList<>();
    addFit(rows, day, fitted.frequency().model().name(), fitted.frequency());
    addFit(rows, day, "gamma_gamma", fitted.spend());
    rows.add(RowFactory.create(day, "clv_settings", "margin", settings.margin(), null, null, null, null));
    rows.add(RowFactory.create(day, "clv_settings", "discount_monthly", settings.monthlyDiscount(), null, null, null, null));
    rows.add(RowFactory.create(day, "clv_settings", "horizon_months", (double) settings.horizonMonths(), null, null, null, null));
    return warehouse.spark().createDataFrame(rows, MODEL_SCHEMA);
  }

  private static void addFit(List<Row> rows, Date day, String model, Fit<?> fit) {
    for (int i = 0; i < fit.names().size(); i++) {
      rows.add(RowFactory.create(day, model, fit.names().get(i), fit.estimates()[i], fit.standardErrors()[i],
          fit.logLikelihood(), (long) fit.customers(), fit.converged()));
    }
  }
}
