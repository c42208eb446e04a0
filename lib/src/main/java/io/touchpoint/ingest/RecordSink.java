package io.touchpoint.ingest;

/** Receives every data row of a file exactly once: either accepted values or a reject. */
public interface RecordSink {
  void accept(long rowNumber, Object[] values);

  void reject(long rowNumber, RejectReason reason, String detail, String rawRow);
}
