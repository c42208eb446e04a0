package io.touchpoint.clv;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * Draws customers from known BG/NBD and Gamma-Gamma parameters (test and benchmark data).
 * Acquisition is uniform over the first 12 weeks of a 39-week calibration period, as in CDNOW.
 * Dropout happens only after repeat purchases, as the BG/NBD likelihood assumes, or also right after
 * the first purchase ({@link #mbgNbd}, as MBG/NBD assumes).
 *
 * <p>{@code main(file, customers, seed)} writes an RFM file {@code customer_id,frequency,recency,T,
 * monetary_value} for the benchmark (times rounded to 2 decimals like the CDNOW summary).
 */
final class SyntheticCustomers {
  static final BgNbd CDNOW_BGNBD = new BgNbd(0.2425982, 4.4136842, 0.7929899, 2.4261667);
  static final GammaGamma CDNOW_SPEND = new GammaGamma(6.25, 3.74, 15.44);
  private static final double PERIOD = 39;
  private static final double ACQUISITION = 12;

  private final RandomGenerator rng;
  private final GammaDistribution lambdas;
  private final BetaDistribution dropouts;
  private final GammaDistribution nus;
  private final GammaGamma spend;
  private final boolean dropoutAtFirstPurchase;

  SyntheticCustomers(BgNbd truth, GammaGamma spend, long seed) {
    this(truth.r(), truth.alpha(), truth.a(), truth.b(), spend, seed, false);
  }

  private SyntheticCustomers(double r, double alpha, double a, double b, GammaGamma spend, long seed,
      boolean dropoutAtFirstPurchase) {
    this.rng = new Well19937c(seed);
    this.lambdas = new GammaDistribution(rng, r, 1 / alpha);
    this.dropouts = new BetaDistribution(rng, a, b);
    this.dropoutAtFirstPurchase = dropoutAtFirstPurchase;
    this.nus = new GammaDistribution(rng, spend.q(), 1 / spend.gamma());
    this.spend = spend;
  }

  /** Customers of an MBG/NBD world: they may drop out right after the first purchase too. */
  static SyntheticCustomers mbgNbd(ModifiedBgNbd truth, GammaGamma spend, long seed) {
    return new SyntheticCustomers(truth.r(), truth.alpha(), truth.a(), truth.b(), spend, seed, true);
  }

  Customers draw(int n) {
    int[] x = new int[n];
    double[] tx = new double[n];
    double[] age = new double[n];
    double[] m = new double[n];
    for (int i = 0; i < n; i++) {
      double lambda = lambdas.sample();
      double p = dropouts.sample();
      age[i] = PERIOD - ACQUISITION * rng.nextDouble();
      double t = 0;
      boolean gone = dropoutAtFirstPurchase && rng.nextDouble() < p;
      while (!gone) {
        t += -Math.log(1 - rng.nextDouble()) / lambda;
        if (t > age[i]) {
          break;
        }
        x[i]++;
        tx[i] = t;
        if (rng.nextDouble() < p) {
          break;
        }
      }
      m[i] = x[i] == 0 ? Double.NaN : meanSpend(x[i]);
    }
    return new Customers(null, x, tx, age, m, null, Double.NaN);
  }

  private double meanSpend(int x) {
    double nu = nus.sample();
    return new GammaDistribution(rng, spend.p() * x, 1 / nu).sample() / x;
  }

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    long seed = Long.parseLong(args[2]);
    Customers c = new SyntheticCustomers(CDNOW_BGNBD, CDNOW_SPEND, seed).draw(n);
    try (BufferedWriter w = Files.newBufferedWriter(out)) {
      w.write("customer_id,frequency,recency,T,monetary_value\n");
      for (int i = 0; i < n; i++) {
        w.write(String.format(Locale.ROOT, "c%d,%d,%.2f,%.2f,%s%n", i + 1, c.frequency()[i], c.recency()[i],
            c.age()[i], c.frequency()[i] == 0 ? "0" : String.format(Locale.ROOT, "%.2f", c.monetary()[i])));
      }
    }
  }
}
