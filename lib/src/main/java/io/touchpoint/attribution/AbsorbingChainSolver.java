package io.touchpoint.attribution;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Solves x = Q x + r exactly for the transient states of an absorbing chain, for two right-hand
 * sides at once (conversion probability and value), with some states removed (x = 0, i.e. sent
 * to {@code null}).
 *
 * <p>Up to {@value #DENSE_LIMIT} live states: dense LU with partial pivoting (Commons Math).
 * Above: Gauss-Seidel on the CSR rows, sweeping from the last-discovered state back to
 * {@code start} (successors are mostly discovered after their predecessors). Commons Math has no
 * sparse solver for non-symmetric systems; I − Q is a non-singular M-matrix (every state reaches
 * absorption), so Gauss-Seidel converges monotonically. It stops when a sweep changes no entry by
 * more than {@value #TOLERANCE} of the largest entry, then checks the residual
 * max|r + Qx − x| ≤ {@value #RESIDUAL_LIMIT}·max|x|. The error is at most the residual times the
 * expected number of steps to absorption (the path length, ~10), so results are exact to ~1e-12.
 *
 * <p>No logging here on purpose: the first SLF4J call initialises the logging backend, which
 * costs the CLI seconds of start-up on the Spark classpath.
 */
final class AbsorbingChainSolver {
  static final int DENSE_LIMIT = 300;
  static final double TOLERANCE = 1e-15;
  static final double RESIDUAL_LIMIT = 1e-13;
  private static final int MAX_SWEEPS = 1_000_000;

  private final int n;
  private final int[] rowStart;
  private final int[] target;
  private final double[] q;
  private final double[] rConv;
  private final double[] rValue;

  /** Q as CSR rows (rowStart, target, q) over n states; r for conversion and for value. */
  AbsorbingChainSolver(int n, int[] rowStart, int[] target, double[] q, double[] rConv, double[] rValue) {
    this.n = n;
    this.rowStart = rowStart;
    this.target = target;
    this.q = q;
    this.rConv = rConv;
    this.rValue = rValue;
  }

  /**
   * Fills xConv and xValue (length n) with the absorption rewards; {@code removed} may be null.
   * Their content on entry is the starting guess for the iterative solve.
   */
  void solve(boolean[] removed, double[] xConv, double[] xValue) {
    int live = 0;
    for (int s = 0; s < n; s++) {
      if (removed == null || !removed[s]) {
        live++;
      } else {
        xConv[s] = 0;
        xValue[s] = 0;
      }
    }
    if (live <= DENSE_LIMIT) {
      dense(removed, xConv, xValue);
    } else {
      gaussSeidel(removed, xConv, xValue);
    }
  }

  void dense(boolean[] removed, double[] xConv, double[] xValue) {
    int live = 0;
    int[] index = new int[n];
    int k = 0;
    for (int s = 0; s < n; s++) {
      index[s] = (removed == null || !removed[s]) ? k++ : -1;
    }
    live = k;
    double[][] a = new double[live][live];
    double[][] b = new double[live][2];
    for (int s = 0; s < n; s++) {
      int i = index[s];
      if (i < 0) {
        continue;
      }
      a[i][i] += 1;
      b[i][0] = rConv[s];
      b[i][1] = rValue[s];
      for (int p = rowStart[s]; p < rowStart[s + 1]; p++) {
        int t = index[target[p]];
        if (t >= 0) {
          a[i][t] -= q[p];
        }
      }
    }
    RealMatrix x = new LUDecomposition(new Array2DRowRealMatrix(a, false)).getSolver()
        .solve(new Array2DRowRealMatrix(b, false));
    for (int s = 0; s < n; s++) {
      if (index[s] >= 0) {
        xConv[s] = x.getEntry(index[s], 0);
        xValue[s] = x.getEntry(index[s], 1);
      }
    }
  }

  void gaussSeidel(boolean[] removed, double[] xConv, double[] xValue) {
    for (int sweep = 1; sweep <= MAX_SWEEPS; sweep++) {
      double deltaConv = 0;
      double deltaValue = 0;
      double scaleConv = 0;
      double scaleValue = 0;
      for (int s = n - 1; s >= 0; s--) {
        if (removed != null && removed[s]) {
          continue;
        }
        double c = rConv[s];
        double v = rValue[s];
        for (int p = rowStart[s], end = rowStart[s + 1]; p < end; p++) {
          int t = target[p];
          c += q[p] * xConv[t];
          v += q[p] * xValue[t];
        }
        deltaConv = Math.max(deltaConv, Math.abs(c - xConv[s]));
        deltaValue = Math.max(deltaValue, Math.abs(v - xValue[s]));
        scaleConv = Math.max(scaleConv, Math.abs(c));
        scaleValue = Math.max(scaleValue, Math.abs(v));
        xConv[s] = c;
        xValue[s] = v;
      }
      if (deltaConv <= TOLERANCE * scaleConv && deltaValue <= TOLERANCE * scaleValue) {
        double residual = residual(removed, xConv, xValue, scaleConv, scaleValue);
        if (residual > RESIDUAL_LIMIT) {
          throw new IllegalStateException("Gauss-Seidel stalled with relative residual " + residual);
        }
        return;
      }
    }
    throw new IllegalStateException("Gauss-Seidel did not converge in " + MAX_SWEEPS + " sweeps over " + n
        + " states");
  }

  private double residual(boolean[] removed, double[] xConv, double[] xValue, double scaleConv, double scaleValue) {
    double worst = 0;
    for (int s = 0; s < n; s++) {
      if (removed != null && removed[s]) {
        continue;
      }
      double c = rConv[s] - xConv[s];
      double v = rValue[s] - xValue[s];
      for (int p = rowStart[s], end = rowStart[s + 1]; p < end; p++) {
        c += q[p] * xConv[target[p]];
        v += q[p] * xValue[target[p]];
      }
      worst = Math.max(worst, Math.max(scaleConv == 0 ? 0 : Math.abs(c) / scaleConv,
          scaleValue == 0 ? 0 : Math.abs(v) / scaleValue));
    }
    return worst;
  }
}
