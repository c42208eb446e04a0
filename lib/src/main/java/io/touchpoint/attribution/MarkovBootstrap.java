package io.touchpoint.attribution;

import io.touchpoint.errors.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/**
 * Percentile bootstrap intervals for Markov credits. A replicate draws every distinct journey's
 * conversions and nulls independently as Poisson(observed count) — the Poisson bootstrap, which
 * resamples the individual journeys behind the aggregated counts — keeps the journey's mean value
 * per conversion, refits on the same chain structure and attributes. Replicate i uses the i-th
 * {@link SplittableRandom#split()} of the seeded root, so results depend on the seed only, not on
 * the number of threads. Intervals use Commons Math's R-7 percentile (linear interpolation).
 */
public final class MarkovBootstrap {
  private MarkovBootstrap() {}

  /** How many replicates, the interval level (e.g. 0.95) and the seed. */
  public record Options(int replicates, double level, long seed) {
    public Options {
      if (replicates < 2) {
        throw Errors.badAttributionOption("--bootstrap " + replicates, "a bootstrap needs at least 2 replicates",
            "Pass e.g. --bootstrap 200");
      }
      if (!(level > 0 && level < 1)) {
        throw Errors.badAttributionOption("confidence level " + level, "the level must be between 0 and 1",
            "Pass e.g. 0.95");
      }
    }
  }

  /** One interval per channel, in order of first appearance. */
  public static List<CreditInterval> intervals(Journeys journeys, int order, Options options) {
    if (journeys.size() == 0) {
      throw Errors.noJourneys("bootstrap the Markov attribution");
    }
    ChainStructure chain = ChainStructure.build(journeys, order);
    int channels = journeys.channels().size();
    SplittableRandom root = new SplittableRandom(options.seed());
    SplittableRandom[] rngs = new SplittableRandom[options.replicates()];
    for (int r = 0; r < rngs.length; r++) {
      rngs[r] = root.split();
    }
    double[][] conv = new double[channels][rngs.length];
    double[][] value = new double[channels][rngs.length];
    IntStream.range(0, rngs.length).parallel().forEach(r -> {
      Journeys replicate = resample(journeys, rngs[r]);
      RemovalEffects effects = RemovalEffects.compute(chain, chain.weigh(replicate));
      if (effects == null) {
        return;
      }
      double[] c = RemovalEffects.share(replicate.totalConversions(), effects.conversion());
      double[] v = RemovalEffects.share(replicate.totalValue(), effects.value());
      for (int i = 0; i < channels; i++) {
        conv[i][r] = c[i];
        value[i][r] = v[i];
      }
    });
    double lowP = 100 * (1 - options.level()) / 2;
    double highP = 100 - lowP;
    Percentile percentile = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
    List<CreditInterval> out = new ArrayList<>(channels);
    for (int i = 0; i < channels; i++) {
      out.add(new CreditInterval(journeys.channels().get(i), percentile.evaluate(conv[i], lowP),
          percentile.evaluate(conv[i], highP), percentile.evaluate(value[i], lowP),
          percentile.evaluate(value[i], highP)));
    }
    return List.copyOf(out);
  }

  private static Journeys resample(Journeys journeys, SplittableRandom rng) {
    int n = journeys.size();
    double[] c = journeys.conversions();
    double[] v = journeys.values();
    double[] nul = journeys.nulls();
    double[] c2 = new double[n];
    double[] v2 = new double[n];
    double[] n2 = new double[n];
    for (int j = 0; j < n; j++) {
      c2[j] = PoissonSampler.sample(rng, c[j]);
      v2[j] = c[j] > 0 ? v[j] * (c2[j] / c[j]) : 0;
      n2[j] = PoissonSampler.sample(rng, nul[j]);
    }
    return journeys.withCounts(c2, v2, n2);
  }
}
