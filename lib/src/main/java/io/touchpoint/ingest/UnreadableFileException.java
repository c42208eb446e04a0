package io.touchpoint.ingest;

/**
 * A file whose rows cannot even be counted (empty, not Parquet, truncated footer, not readable):
 * the run fails with a clear error naming it rather than guessing how many rows were lost.
 */
public final class UnreadableFileException extends RuntimeException {
  static final String FIX = "Ask the source to re-deliver the file, or move it out of the export folder and rerun";

  private final String file;
  private final String reason;
  private final String fix;

  public UnreadableFileException(String file, String reason, Throwable cause) {
    this(file, reason, FIX, cause);
  }

  public UnreadableFileException(String file, String reason, String fix, Throwable cause) {
    super(io.touchpoint.errors.Errors.format("read " + file, reason, fix), cause);
    this.file = file;
    this.reason = reason;
    this.fix = fix;
  }

  public String file() {
    return file;
  }

  public String reason() {
    return reason;
  }

  public String fix() {
    return fix;
  }
}
