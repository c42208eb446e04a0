package io.touchpoint.clv;

import java.util.List;

/**
 * A maximum-likelihood fit and its diagnostics.
 *
 * @param model the fitted model
 * @param names parameter names as published (r, alpha, a, b; r, alpha, s, beta; p, q, gamma)
 * @param estimates parameter values, in the order of {@code names}
 * @param standardErrors square roots of the diagonal of the inverse observed information
 *     (numerical Hessian of the log-likelihood in the natural parameters); NaN if singular
 * @param logLikelihood maximised log-likelihood
 * @param customers number of customers (sum of weights) the model was fitted on
 * @param evaluations likelihood evaluations spent by the optimiser
 * @param converged the optimiser stopped on its own tolerance, inside the parameter bounds
 * @param gradientNorm Euclidean norm of the log-likelihood gradient in the natural parameters at
 *     the estimate (analytic where the model has it, else central differences)
 * @param wallMillis wall time of the fit
 */
public record Fit<M>(
    M model,
    List<String> names,
    double[] estimates,
    double[] standardErrors,
    double logLikelihood,
    double customers,
    int evaluations,
    boolean converged,
    double gradientNorm,
    long wallMillis) {

  public double estimate(String name) {
    return estimates[index(name)];
  }

  public double standardError(String name) {
    return standardErrors[index(name)];
  }

  private int index(String name) {
    int i = names.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("No parameter " + name + " in " + names);
    }
    return i;
  }
}
