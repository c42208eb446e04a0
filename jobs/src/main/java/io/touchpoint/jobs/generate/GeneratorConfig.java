package io.touchpoint.jobs.generate;

import io.touchpoint.errors.Errors;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * Everything one generator run depends on. Same config, same bytes: the seed drives every draw and
 * {@link Behaviour} holds the simulated world's parameters (written to {@code _truth/config.json}).
 * With {@code incrementality}, the world is simulated once more per marketing channel without it
 * ({@code _truth/channel_incrementality.csv}, see {@link Incrementality}); that costs about twelve
 * times the simulation, so it is off unless asked for.
 */
public record GeneratorConfig(
    Path out,
    int customers,
    int days,
    LocalDate startDate,
    long seed,
    double defectRate,
    int fileDefects,
    Behaviour behaviour,
    boolean incrementality) {

  public static final double MAX_DEFECT_RATE = 0.2;

  public static GeneratorConfig of(Path out, int customers, int days, LocalDate startDate, long seed) {
    return new GeneratorConfig(out, customers, days, startDate, seed, 0.0, 0, Behaviour.defaults(), false);
  }

  public GeneratorConfig withDefects(double rate, int files) {
    return new GeneratorConfig(out, customers, days, startDate, seed, rate, files, behaviour, incrementality);
  }

  /** The same run with another simulated world. */
  public GeneratorConfig withBehaviour(Behaviour other) {
    return new GeneratorConfig(out, customers, days, startDate, seed, defectRate, fileDefects, other, incrementality);
  }

  /** Also simulates each marketing channel's removal and writes the true incremental purchases. */
  public GeneratorConfig withIncrementality() {
    return new GeneratorConfig(out, customers, days, startDate, seed, defectRate, fileDefects, behaviour, true);
  }

  public GeneratorConfig validate() {
    if (out == null) {
      throw Errors.usage("generate exports", "no output folder was given", "Pass --out DIR");
    }
    if (customers < 1) {
      throw Errors.usage("generate exports", "--customers is " + customers, "Pass --customers N with N >= 1");
    }
    if (days < 1) {
      throw Errors.usage("generate exports", "--days is " + days, "Pass --days D with D >= 1");
    }
    if (startDate == null) {
      throw Errors.usage("generate exports", "no start date was given", "Pass --start-date YYYY-MM-DD");
    }
    if (!(defectRate >= 0.0 && defectRate <= MAX_DEFECT_RATE)) {
      throw Errors.usage("generate exports", "--defect-rate is " + defectRate,
          "Pass a rate between 0 and " + MAX_DEFECT_RATE + " (0 means clean files)");
    }
    if (fileDefects < 0) {
      throw Errors.usage("generate exports", "--file-defects is " + fileDefects, "Pass --file-defects K with K >= 0");
    }
    return this;
  }
}
