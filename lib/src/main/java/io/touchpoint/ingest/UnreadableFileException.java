package io.touchpoint.ingest;

/**
 * A file whose rows cannot even be counted (not Parquet, truncated footer): the run fails with a
 * clear error naming it rather than guessing how many rows were lost.
 */
public final class UnreadableFileException extends RuntimeException {
  private final String file;

  public UnreadableFileException(String file, String reason, Throwable cause) {
    super("Cannot read " + file + ": " + reason
        + ". Ask the source to re-deliver the file, or move it out of the export folder and rerun.", cause);
    this.file = file;
  }

  public String file() {
    return file;
  }
}
