package io.touchpoint.attribution;

/** Rule-based models for comparison with the Markov model. */
public enum HeuristicModel {
  FIRST_TOUCH,
  LAST_TOUCH,
  /** Each touch 1/L, repeated channels included. */
  LINEAR,
  /**
   * 40 % first touch, 40 % last, 20 % split evenly over the middle touches. A one-touch journey
   * gives its touch 100 %, a two-touch journey 50 / 50 (no middle to take the 20 %).
   */
  POSITION_BASED
}
