package io.touchpoint.clv;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
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
 * Maximum likelihood over positive parameters in two stages:
 *
 * <ol>
 *   <li>Commons Math BOBYQA on the log-parameters (bounded to [e^-14, e^14]) from each start point
 *       in turn until one converges. Above {@value #THIN_ABOVE} customers this runs on a
 *       deterministic subsample of about that many customers, since it only has to get close.
 *   <li>Newton's method on the full data in the natural parameters, with the analytic gradient
 *       and its forward-difference Jacobian as Hessian (reused once steps are small), halving steps that
 *       do not increase the likelihood, until a step changes no parameter by more than 1e-10
 *       (relative), or by more than 1e-7 without raising the likelihood (numerical gradients are
 *       noisier). If Newton fails, or the model has no analytic gradient (Pareto/NBD), BOBYQA
 *       continues on the full data instead.
 * </ol>
 *
 * Standard errors are the square roots of the diagonal of the inverse observed information, the
 * negated Hessian at the estimate.
 */
final class MaximumLikelihood {
  private static final Logger LOG = LoggerFactory.getLogger(MaximumLikelihood.class);
  static final double THIN_ABOVE = 50_000;
  private static final double LOG_BOUND = 14;
  private static final int MAX_EVALUATIONS = 5_000;
  private static final int MAX_NEWTON = 30;
  private static final double STEP_TOLERANCE = 1e-10;
  private static final double REUSE_HESSIAN_BELOW = 1e-3;

  private MaximumLikelihood() {}

  static <M> Fit<M> fit(String modelName, List<String> names, Objective full, Function<double[], M> build,
      List<double[]> starts) {
    long t0 = System.nanoTime();
    double customers = full.customers();
    Objective first = customers > THIN_ABOVE ? full.thinned(THIN_ABOVE / customers) : full;
    Search search = bobyqa(modelName, first, starts);
    int evaluations = search.evaluations;
    double[] theta = search.theta;
    boolean converged = search.converged && first == full;
    int newtonSteps = 0;
    if (full.hasAnalyticGradient()) {
      Newton newton = newton(full, search.theta);
      evaluations += newton.evaluations;
      newtonSteps = newton.steps;
      theta = newton.theta;
      converged = newton.converged;
      if (!converged) {
        LOG.warn("{}: Newton polishing did not converge; continuing with BOBYQA on all data", modelName);
      }
    }
    if (!converged) {
      Search again = bobyqa(modelName, full, List.of(theta));
      evaluations += again.evaluations;
      theta = again.theta;
      converged = again.converged;
    }
    double ll = full.value(theta);
    double[] grad = full.gradient(theta);
    RealMatrix hessian = hessian(full, theta, grad);
    double[] se = standardErrors(hessian);
    double norm = new ArrayRealVector(grad).getNorm();
    long wall = (System.nanoTime() - t0) / 1_000_000;
    LOG.info("{} fitted on {} customers: {} = {}, LL {}, {} evaluations ({} Newton steps), converged {}, |grad| {},"
            + " {} ms", modelName, (long) customers, names, java.util.Arrays.toString(theta), ll, evaluations,
        newtonSteps, converged, norm, wall);
    return new Fit<>(build.apply(theta), names, theta, se, ll, customers, evaluations, converged, norm, wall);
  }

  private record Search(double[] theta, int evaluations, boolean converged) {}

  private static Search bobyqa(String modelName, Objective f, List<double[]> starts) {
    int k = starts.get(0).length;
    int evaluations = 0;
    PointValuePair best = null;
    boolean converged = false;
    for (double[] start : starts) {
      double[] u0 = new double[k];
      for (int i = 0; i < k; i++) {
        u0[i] = Math.max(-LOG_BOUND + 1, Math.min(LOG_BOUND - 1, Math.log(start[i])));
      }
      BOBYQAOptimizer optimizer = new BOBYQAOptimizer(2 * k + 1, 0.5, 1e-8);
      PointValuePair p;
      try {
        p = optimizer.optimize(
            new MaxEval(MAX_EVALUATIONS),
            new ObjectiveFunction(u -> finite(f.value(exp(u)))),
            GoalType.MAXIMIZE,
            new InitialGuess(u0),
            new SimpleBounds(filled(k, -LOG_BOUND), filled(k, LOG_BOUND)));
      } catch (TooManyEvaluationsException e) {
        LOG.warn("{}: optimiser hit {} evaluations from start {}", modelName, MAX_EVALUATIONS,
            java.util.Arrays.toString(start));
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
        converged = inside;
      }
      if (converged) {
        break;
      }
    }
    if (best == null) {
      throw new ArithmeticException(modelName + ": no start point gave a finite likelihood");
    }
    return new Search(exp(best.getPoint()), evaluations, converged);
  }

  private record Newton(double[] theta, int evaluations, int steps, boolean converged) {}

  /**
   * Newton steps; the Hessian is recomputed only while steps are large (relative change above
   * {@value #REUSE_HESSIAN_BELOW}), then reused (chord method: each further step costs one
   * likelihood and one gradient, and still shrinks the error by orders of magnitude).
   */
  private static Newton newton(Objective f, double[] start) {
    int k = start.length;
    double[] theta = start.clone();
    double ll = f.value(theta);
    double[] g = f.gradient(theta);
    int evaluations = 2;
    RealMatrix h = null;
    double change = Double.POSITIVE_INFINITY;
    for (int step = 1; step <= MAX_NEWTON; step++) {
      if (h == null || change > REUSE_HESSIAN_BELOW) {
        h = hessian(f, theta, g);
        evaluations += k;
      }
      double[] delta;
      try {
        delta = new LUDecomposition(h.scalarMultiply(-1)).getSolver().solve(new ArrayRealVector(g)).toArray();
      } catch (RuntimeException singular) {
        return new Newton(theta, evaluations, step, false);
      }
      if (new ArrayRealVector(delta).dotProduct(new ArrayRealVector(g)) <= 0) {
        return new Newton(theta, evaluations, step, false);
      }
      double scale = 1;
      double[] candidate = null;
      double candidateLl = Double.NaN;
      for (int halving = 0; halving < 40; halving++, scale /= 2) {
        double[] c = new double[k];
        boolean positive = true;
        for (int i = 0; i < k; i++) {
          c[i] = theta[i] + scale * delta[i];
          positive &= c[i] > 0;
        }
        if (!positive) {
          continue;
        }
        double v = f.value(c);
        evaluations++;
        if (v >= ll - 1e-12 * Math.abs(ll)) {
          candidate = c;
          candidateLl = v;
          break;
        }
      }
      if (candidate == null) {
        return new Newton(theta, evaluations, step, false);
      }
      change = 0;
      for (int i = 0; i < k; i++) {
        change = Math.max(change, Math.abs(candidate[i] - theta[i]) / theta[i]);
      }
      double gain = candidateLl - ll;
      theta = candidate;
      ll = candidateLl;
      g = f.gradient(theta);
      evaluations++;
      if (change < STEP_TOLERANCE || (change < 1e-7 && gain <= 1e-13 * Math.abs(ll))) {
        return new Newton(theta, evaluations, step, true);
      }
    }
    return new Newton(theta, evaluations, MAX_NEWTON, false);
  }

  /** Forward-difference Jacobian of the gradient, symmetrised. */
  static RealMatrix hessian(Objective f, double[] theta, double[] g) {
    int k = theta.length;
    double[][] h = new double[k][k];
    for (int j = 0; j < k; j++) {
      double step = 1e-5 * Math.abs(theta[j]);
      double[] gj = f.gradient(shift(theta, j, step));
      for (int i = 0; i < k; i++) {
        h[i][j] = (gj[i] - g[i]) / step;
      }
    }
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < i; j++) {
        double v = (h[i][j] + h[j][i]) / 2;
        h[i][j] = v;
        h[j][i] = v;
      }
    }
    return new Array2DRowRealMatrix(h, false);
  }

  static double[] numericalGradient(ToDoubleFunction<double[]> f, double[] theta) {
    double[] g = new double[theta.length];
    for (int i = 0; i < theta.length; i++) {
      double h = 1e-5 * Math.max(1e-3, Math.abs(theta[i]));
      g[i] = (f.applyAsDouble(shift(theta, i, h)) - f.applyAsDouble(shift(theta, i, -h))) / (2 * h);
    }
    return g;
  }

  private static double[] standardErrors(RealMatrix hessian) {
    int k = hessian.getRowDimension();
    double[] se = new double[k];
    LUDecomposition lu = new LUDecomposition(hessian.scalarMultiply(-1));
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
}
