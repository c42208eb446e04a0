package io.touchpoint.ingest;

/**
 * A file whose rows cannot even be counted (not Parquet, truncated footer): the run fails with a
 * clear error naming it rather than guessing how many rows were lost.
 */
public final class UnreadableFileException extends RuntimeException {
  private final String file;
  private final String reason;

  public UnreadableFileException(String file, String reason, Throwable cause) {
    super(io.touchpoint.errors.Errors.format("read " + file, reason, FIX), cause);
    this.file = file;
    this.reason = reason;
  }

  static final String FIX = "Ask the source to re-deliver the file, or move it out of the export folder and rerun";

  public String file() {
    return file;
  }

  public String reason() {
    return reason;
  }
}
