package io.touchpoint.clv;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maximises a log-likelihood over positive parameters with Commons Math's BOBYQA on their logs
 * (bounded to [e^-14, e^14]), from each start point in turn until one converges, keeping the best.
 * Standard errors come from the numerical Hessian of the log-likelihood in the natural parameters.
 */
final class MaximumLikelihood {
  private static final Logger LOG = LoggerFactory.getLogger(MaximumLikelihood.class);
  private static final double LOG_BOUND = 14;
  private static final int MAX_EVALUATIONS = 5_000;

  private MaximumLikelihood() {}

  static <M> Fit<M> fit(
      String modelName,
      List<String> names,
      ToDoubleFunction<double[]> logLikelihood,
      Function<double[], double[]> gradient,
      Function<double[], M> build,
      List<double[]> starts,
      double customers) {
    long t0 = System.nanoTime();
    int k = names.size();
    int evaluations = 0;
    PointValuePair best = null;
    boolean converged = false;
    for (double[] start : starts) {
      double[] u0 = new double[k];
      for (int i = 0; i < k; i++) {
        u0[i] = Math.log(start[i]);
      }
      BOBYQAOptimizer optimizer = new BOBYQAOptimizer(2 * k + 1, 0.5, 1e-9);
      PointValuePair p;
      boolean stopped;
      try {
        p = optimizer.optimize(
            new MaxEval(MAX_EVALUATIONS),
            new ObjectiveFunction(u -> finite(logLikelihood.applyAsDouble(exp(u)))),
            GoalType.MAXIMIZE,
            new InitialGuess(u0),
            new SimpleBounds(filled(k, -LOG_BOUND), filled(k, LOG_BOUND)));
        stopped = true;
      } catch (TooManyEvaluationsException e) {
        LOG.warn("{}: optimiser hit {} evaluations from start {}", modelName, MAX_EVALUATIONS, List.of(start));
        evaluations += MAX_EVALUATIONS;
        continue;
      }
      evaluations += optimizer.getEvaluations();
      boolean inside = true;
      for (double u : p.getPoint()) {
        inside &= Math.abs(u) < LOG_BOUND - 1e-3;
      }
      if (best == null || p.getValue() > best.getValue()) {
        best = p;
        converged = stopped && inside;
      }
      if (converged) {
        break;
      }
    }
    if (best == null) {
      throw new ArithmeticException(modelName + ": no start point gave a finite likelihood");
    }
    double[] theta = exp(best.getPoint());
    double ll = logLikelihood.applyAsDouble(theta);
    double[] grad = gradient != null ? gradient.apply(theta) : numericalGradient(logLikelihood, theta);
    double norm = 0;
    for (double g : grad) {
      norm += g * g;
    }
    double[] se = standardErrors(logLikelihood, theta);
    long wall = (System.nanoTime() - t0) / 1_000_000;
    LOG.info("{} fitted on {} customers: {} = {}, LL {}, {} evaluations, converged {}, |grad| {}, {} ms",
        modelName, (long) customers, names, List.of(box(theta)), ll, evaluations, converged, Math.sqrt(norm), wall);
    return new Fit<>(build.apply(theta), names, theta, se, ll, customers, evaluations, converged, Math.sqrt(norm), wall);
  }

  static double[] numericalGradient(ToDoubleFunction<double[]> f, double[] theta) {
    double[] g = new double[theta.length];
    for (int i = 0; i < theta.length; i++) {
      double h = 1e-6 * Math.max(1e-3, Math.abs(theta[i]));
      g[i] = (f.applyAsDouble(shift(theta, i, h)) - f.applyAsDouble(shift(theta, i, -h))) / (2 * h);
    }
    return g;
  }

  /** Square roots of the diagonal of (-H)^-1, H the central-difference Hessian at theta. */
  static double[] standardErrors(ToDoubleFunction<double[]> f, double[] theta) {
    int k = theta.length;
    double[] h = new double[k];
    for (int i = 0; i < k; i++) {
      h[i] = 1e-4 * Math.max(1e-3, Math.abs(theta[i]));
    }
    double f0 = f.applyAsDouble(theta);
    RealMatrix info = MatrixUtils.createRealMatrix(k, k);
    for (int i = 0; i < k; i++) {
      double fp = f.applyAsDouble(shift(theta, i, h[i]));
      double fm = f.applyAsDouble(shift(theta, i, -h[i]));
      info.setEntry(i, i, -(fp - 2 * f0 + fm) / (h[i] * h[i]));
      for (int j = 0; j < i; j++) {
        double fpp = f.applyAsDouble(shift(shift(theta, i, h[i]), j, h[j]));
        double fpm = f.applyAsDouble(shift(shift(theta, i, h[i]), j, -h[j]));
        double fmp = f.applyAsDouble(shift(shift(theta, i, -h[i]), j, h[j]));
        double fmm = f.applyAsDouble(shift(shift(theta, i, -h[i]), j, -h[j]));
        double v = -(fpp - fpm - fmp + fmm) / (4 * h[i] * h[j]);
        info.setEntry(i, j, v);
        info.setEntry(j, i, v);
      }
    }
    double[] se = new double[k];
    LUDecomposition lu = new LUDecomposition(info);
    if (!lu.getSolver().isNonSingular()) {
      java.util.Arrays.fill(se, Double.NaN);
      return se;
    }
    RealMatrix cov = lu.getSolver().getInverse();
    for (int i = 0; i < k; i++) {
      double v = cov.getEntry(i, i);
      se[i] = v > 0 ? Math.sqrt(v) : Double.NaN;
    }
    return se;
  }

  private static double finite(double v) {
    return Double.isFinite(v) ? v : -1e300;
  }

  private static double[] exp(double[] u) {
    double[] t = new double[u.length];
    for (int i = 0; i < u.length; i++) {
      t[i] = Math.exp(u[i]);
    }
    return t;
  }

  private static double[] shift(double[] v, int i, double h) {
    double[] c = v.clone();
    c[i] += h;
    return c;
  }

  private static double[] filled(int k, double v) {
    double[] a = new double[k];
    java.util.Arrays.fill(a, v);
    return a;
  }

  private static Double[] box(double[] v) {
    Double[] b = new Double[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = v[i];
    }
    return b;
  }
}
