package io.touchpoint.jobs.pipeline;

/** The nightly stages in dependency order; later capabilities add theirs here. */
public enum Stage {
  INGEST, IDENTITY, SILVER, ATTRIBUTION, CLV, MARTS, ALERTS;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
