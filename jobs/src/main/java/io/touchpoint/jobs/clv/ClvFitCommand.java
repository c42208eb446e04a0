package io.touchpoint.jobs.clv;

import io.touchpoint.clv.BgNbd;
import io.touchpoint.clv.CalibrationTable;
import io.touchpoint.clv.ClvSettings;
import io.touchpoint.clv.Customers;
import io.touchpoint.clv.Fit;
import io.touchpoint.clv.FrequencyModel;
import io.touchpoint.clv.GammaGamma;
import io.touchpoint.clv.ModifiedBgNbd;
import io.touchpoint.clv.ParetoNbd;
import io.touchpoint.clv.Predictions;
import io.touchpoint.clv.TransactionSummary;
import io.touchpoint.clv.Valuation;
import io.touchpoint.clv.WeightedRows;
import io.touchpoint.errors.Errors;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code touchpoint clv-fit}: fits BG/NBD (or Pareto/NBD) and Gamma-Gamma on a transaction log or an
 * RFM file and writes parameters, per-customer predictions and, with a holdout, a calibration
 * table. Plain Java; it does not start Spark.
 */
@Command(
    name = "clv-fit",
    mixinStandardHelpOptions = true,
    versionProvider = io.touchpoint.cli.Version.class,
    description = {
        "Fit customer-lifetime-value models (BG/NBD, MBG/NBD or Pareto/NBD + Gamma-Gamma) and predict per customer.",
        "Writes params.json, predictions.csv and, with --holdout-end, calibration.csv to --output."})
public final class ClvFitCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ClvFitCommand.class);
  private static final double DEFAULT_HORIZON_WEEKS = 52;

  /** Frequency models offered. */
  public enum Model { BGNBD, MBGNBD, PARETO }

  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  static final class Input {
    @ArgGroup(exclusive = false)
    Transactions transactions;

    @Option(names = "--rfm", paramLabel = "FILE", required = true,
        description = "CSV with header frequency,recency,T[,monetary_value] (weeks); a customer_id column is kept.")
    Path rfm;
  }

  static final class Transactions {
    @Option(names = "--transactions", paramLabel = "FILE", required = true,
        description = "Transaction log: CSV with header, or CDNOW's whitespace layout.")
    Path file;

    @Option(names = "--calibration-end", paramLabel = "DATE", required = true,
        description = "Last day of the calibration period (yyyy-MM-dd), inclusive.")
    LocalDate calibrationEnd;

    @Option(names = "--holdout-end", paramLabel = "DATE",
        description = "Last day of the holdout period; adds calibration.csv and sets the prediction horizon.")
    LocalDate holdoutEnd;

    @Option(names = "--format", defaultValue = "AUTO", paramLabel = "FORMAT", description = "auto, csv or cdnow (default: ${DEFAULT-VALUE}).")
    TransactionFile.Format format;

    @Option(names = "--customer-column", defaultValue = "customer_id", paramLabel = "NAME", description = "Default: ${DEFAULT-VALUE}.")
    String customerColumn;

    @Option(names = "--date-column", defaultValue = "date", paramLabel = "NAME", description = "Default: ${DEFAULT-VALUE}.")
    String dateColumn;

    @Option(names = "--value-column", defaultValue = "value", paramLabel = "NAME", description = "Default: ${DEFAULT-VALUE}.")
    String valueColumn;
  }

  @Option(names = "--model", defaultValue = "BGNBD", paramLabel = "MODEL",
      description = "bgnbd, mbgnbd (MBG/NBD: dropout possible at the first purchase too) or pareto (default: ${DEFAULT-VALUE}).")
  Model model;

  @Option(names = "--margin", defaultValue = "0.30", paramLabel = "FRACTION", description = "Gross margin in [0, 1] (default: ${DEFAULT-VALUE}).")
  double margin;

  @Option(names = "--discount-monthly", defaultValue = "0.01", paramLabel = "RATE",
      description = "Monthly discount rate (default: ${DEFAULT-VALUE}).")
  double discountMonthly;

  @Option(names = "--horizon-months", defaultValue = "12", paramLabel = "MONTHS", description = "CLV horizon in months (default: ${DEFAULT-VALUE}).")
  int horizonMonths;

  @Option(names = "--output", paramLabel = "DIR", required = true, description = "Folder for the outputs.")
  Path output;

  @Override
  public Integer call() {
    long t0 = System.nanoTime();
    ClvSettings settings = settings();
    Customers customers = load();
    WeightedRows rows = customers.weighted();
    LOG.info("{} customers, {} with repeat purchases, {} unique (x, t_x, T) rows; read in {} ms",
        customers.size(), customers.repeaters(), rows.size(), millisSince(t0));

    Fit<? extends FrequencyModel> frequency = switch (model) {
      case PARETO -> ParetoNbd.fit(rows);
      case MBGNBD -> ModifiedBgNbd.fit(rows);
      case BGNBD -> BgNbd.fit(rows);
    };
    Fit<GammaGamma> spend = null;
    Map<String, Object> spendExtra = new LinkedHashMap<>();
    if (customers.hasMonetary()) {
      GammaGamma.Spend s = GammaGamma.Spend.of(customers);
      spendExtra.put("frequency_spend_correlation", s.correlation());
      spend = GammaGamma.fit(s);
    } else {
      LOG.warn("No monetary values in the input: expected spend and CLV are left empty");
    }

    double horizon = Double.isNaN(customers.holdoutWeeks()) ? DEFAULT_HORIZON_WEEKS : customers.holdoutWeeks();
    Predictions p = Valuation.predict(frequency.model(), spend == null ? null : spend.model(), customers, rows, horizon,
        settings);

    LOG.info("Predicted in {} ms", millisSince(t0));
    Map<String, Object> models = new LinkedHashMap<>();
    models.put(frequency.model().name(), ClvOutputs.fitJson(frequency, Map.of()));
    if (spend != null) {
      models.put("gamma_gamma", ClvOutputs.fitJson(spend, spendExtra));
    }
    ClvOutputs.writePredictions(output, customers, p);
    if (customers.holdoutFrequency() != null) {
      ClvOutputs.writeCalibration(output, CalibrationTable.of(customers, p));
    }
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("models", models);
    params.put("customers", customers.size());
    params.put("prediction_horizon_weeks", horizon);
    Map<String, Object> clv = new LinkedHashMap<>();
    clv.put("margin", margin);
    clv.put("discount_monthly", discountMonthly);
    clv.put("horizon_months", horizonMonths);
    clv.put("weeks_per_month", ClvSettings.WEEKS_PER_MONTH);
    params.put("clv", clv);
    params.put("input", inputJson());
    params.put("wall_seconds", (System.nanoTime() - t0) / 1e9);
    ClvOutputs.writeParams(output, params);
    LOG.info("Wrote {} in {} ms since start", output, millisSince(t0));

    spec.commandLine().getOut().printf("clv-fit: %d customers, %s LL %.3f%s; wrote %s%n", customers.size(),
        frequency.model().name(), frequency.logLikelihood(),
        spend == null ? "" : String.format(", gamma-gamma LL %.3f", spend.logLikelihood()), output);
    return Errors.EXIT_OK;
  }

  private static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private ClvSettings settings() {
    if (!(margin >= 0 && margin <= 1)) {
      throw Errors.usage("use --margin " + margin, "the gross margin must be between 0 and 1", "Pass e.g. --margin 0.30");
    }
    if (!(discountMonthly >= 0 && discountMonthly < 1)) {
      throw Errors.usage("use --discount-monthly " + discountMonthly, "the monthly discount rate must be in [0, 1)",
          "Pass e.g. --discount-monthly 0.01 for 1% a month");
    }
    if (horizonMonths < 1 || horizonMonths > 1200) {
      throw Errors.usage("use --horizon-months " + horizonMonths, "the CLV horizon must be 1 to 1200 months",
          "Pass e.g. --horizon-months 12");
    }
    Transactions t = input.transactions;
    if (t != null && t.holdoutEnd != null && !t.holdoutEnd.isAfter(t.calibrationEnd)) {
      throw Errors.usage("use --holdout-end " + t.holdoutEnd, "it is not after --calibration-end " + t.calibrationEnd,
          "Give a holdout end later than the calibration end, or leave it out");
    }
    return new ClvSettings(margin, discountMonthly, horizonMonths);
  }

  private Customers load() {
    if (input.rfm != null) {
      return RfmFile.read(input.rfm);
    }
    Transactions t = input.transactions;
    var log = TransactionFile.read(t.file, t.format,
        new TransactionFile.Columns(t.customerColumn, t.dateColumn, t.valueColumn));
    Customers c = TransactionSummary.summarize(log, t.calibrationEnd, t.holdoutEnd);
    if (c.size() == 0) {
      throw Errors.input("summarize " + t.file, "no customer bought on or before --calibration-end " + t.calibrationEnd,
          "Choose a calibration end after the first transactions");
    }
    return c;
  }

  private Map<String, Object> inputJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (input.rfm != null) {
      m.put("rfm", input.rfm.toString());
    } else {
      m.put("transactions", input.transactions.file.toString());
      m.put("calibration_end", input.transactions.calibrationEnd.toString());
      m.put("holdout_end", input.transactions.holdoutEnd == null ? null : input.transactions.holdoutEnd.toString());
    }
    m.put("model", model.name().toLowerCase(java.util.Locale.ROOT));
    return m;
  }
}
