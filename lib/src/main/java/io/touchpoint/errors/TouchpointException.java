package io.touchpoint.errors;

/**
 * A failure a user can act on. The message always says what could not be done, why, and how
 * to fix it; {@link #exitCode()} is the process exit code the CLI returns for it.
 * Build instances through {@link Errors} so that every user-facing message lives in one place.
 */
public final class TouchpointException extends RuntimeException {
  private final int exitCode;

  TouchpointException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
