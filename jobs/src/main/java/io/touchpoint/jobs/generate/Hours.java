package io.touchpoint.jobs.generate;

import java.util.SplittableRandom;

/** Intra-day time profiles, Asia/Shanghai local hours. */
final class Hours {
  /** Stores open 10:00–22:00, lunch and after-work peaks. */
  static final double[] STORE = {
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 6, 8, 8, 6, 6, 7, 8, 10, 11, 10, 7, 0, 0};
  /** Online shopping: low at night, lunch bump, evening peak 20–23. */
  static final double[] ONLINE = {
      3, 1.5, 0.8, 0.4, 0.3, 0.4, 0.8, 1.5, 2.5, 3.5, 4, 4.5, 5.5, 5, 4.5, 4.5, 4.5, 5, 5.5, 7, 9, 10, 9.5, 6};
  /** Media and messaging touches: daytime and evening. */
  static final double[] MEDIA = {
      1.5, 0.8, 0.4, 0.2, 0.2, 0.4, 1, 2.5, 4, 4.5, 4.5, 4.5, 6, 5, 4.5, 4.5, 4.5, 5, 6, 7, 8, 8, 6, 3};
  /** Brand messages are sent in office hours. */
  static final double[] SEND = {
      0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 6, 6, 3, 2, 3, 5, 4, 3, 3, 2, 1, 0, 0, 0};

  private Hours() {}

  static int secondOfDay(SplittableRandom r, double[] weights) {
    return Draw.secondOfDay(r, weights);
  }
}
