package io.touchpoint.attribution;

import io.touchpoint.attribution.ChainStructure.ChainWeights;
import java.util.stream.IntStream;

/**
 * Removal effects of every channel on a weighted chain: one exact solve for the full chain and
 * one per channel (in parallel) with the states holding it sent to {@code null}, warm-started
 * from the full solution (removal only lowers it).
 *
 * @param conversionProbability P(conversion) from {@code start}
 * @param expectedValue expected value per journey: Σ_s P(reach s, convert) × mean value per conversion at s
 * @param conversion removal effect on P(conversion) per channel id (0 when removal changes nothing)
 * @param value removal effect on the expected value per channel id (0 when there is no value)
 */
record RemovalEffects(double conversionProbability, double expectedValue, double[] conversion, double[] value) {

  /** Computes the effects, or returns null when no weighted journey converts. */
  static RemovalEffects compute(ChainStructure chain, ChainWeights w) {
    int n = chain.stateCount;
    AbsorbingChainSolver solver = system(chain, w);
    double[] baseConv = new double[n];
    double[] baseValue = new double[n];
    solver.solve(null, baseConv, baseValue);
    double p = baseConv[ChainStructure.START];
    double pValue = baseValue[ChainStructure.START];
    if (!(p > 0)) {
      return null;
    }
    double[] reConv = new double[chain.channelCount];
    double[] reValue = new double[chain.channelCount];
    IntStream.range(0, chain.channelCount).parallel().forEach(c -> {
      double[] xConv = baseConv.clone();
      double[] xValue = baseValue.clone();
      solver.solve(chain.statesWith(c), xConv, xValue);
      reConv[c] = Math.max(0, 1 - xConv[ChainStructure.START] / p);
      reValue[c] = pValue > 0 ? Math.max(0, 1 - xValue[ChainStructure.START] / pValue) : 0;
    });
    return new RemovalEffects(p, pValue, reConv, reValue);
  }

  /** The system x = Qx + r of the weighted chain: Q = weight / weight leaving the state, r = conversion share (× mean value). */
  static AbsorbingChainSolver system(ChainStructure chain, ChainWeights w) {
    int n = chain.stateCount;
    int[] rowStart = chain.rowStart;
    double[] q = new double[chain.target.length];
    double[] rConv = new double[n];
    double[] rValue = new double[n];
    for (int s = 0; s < n; s++) {
      double out = w.conversions()[s] + w.nulls()[s];
      for (int p = rowStart[s]; p < rowStart[s + 1]; p++) {
        out += w.transition()[p];
      }
      if (out == 0) {
        continue;
      }
      for (int p = rowStart[s]; p < rowStart[s + 1]; p++) {
        q[p] = w.transition()[p] / out;
      }
      rConv[s] = w.conversions()[s] / out;
      rValue[s] = w.conversions()[s] > 0 ? w.values()[s] / out : 0;
    }
    return new AbsorbingChainSolver(n, rowStart, chain.target, q, rConv, rValue);
  }

  /** total × effect / Σ effects, per channel (all 0 when the effects sum to 0). */
  static double[] share(double total, double[] effects) {
    double sum = 0;
    for (double e : effects) {
      sum += e;
    }
    double[] out = new double[effects.length];
    if (sum > 0) {
      for (int i = 0; i < effects.length; i++) {
        out[i] = total * effects[i] / sum;
      }
    }
    return out;
  }
}
