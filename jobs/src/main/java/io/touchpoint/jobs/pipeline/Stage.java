package io.touchpoint.jobs.pipeline;

/** The nightly stages in dependency order; later capabilities add theirs here. */
public enum Stage {
  INGEST, IDENTITY, SILVER, ATTRIBUTION, CLV, MARTS, ALERTS,
  /** Housekeeping: compaction and VACUUM (io.touchpoint.jobs.maintenance). */
  MAINTAIN;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The stage whose {@link #label} is {@code label} (case and surrounding spaces ignored), if any. */
  public static java.util.Optional<Stage> ofLabel(String label) {
    String l = label.trim().toLowerCase(java.util.Locale.ROOT);
    return java.util.Arrays.stream(values()).filter(s -> s.label().equals(l)).findFirst();
  }
}
