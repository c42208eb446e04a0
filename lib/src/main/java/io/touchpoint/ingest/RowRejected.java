package io.touchpoint.ingest;

/** Thrown by a row mapper when a row violates the source contract; cheap (no stack trace). */
public final class RowRejected extends Exception {
  private final RejectReason reason;

  public RowRejected(RejectReason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  public RejectReason reason() {
    return reason;
  }
}
