package io.touchpoint.ingest;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Passes each row on to the real sink and counts outcomes, so that a parser can describe the file
 * as a whole: a file whose every row is dated on another day is most likely another day's export.
 */
final class FileTally implements RecordSink {
  private final RecordSink sink;
  private final Map<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
  private long accepted;

  FileTally(RecordSink sink) {
    this.sink = sink;
  }

  @Override
  public void accept(long rowNumber, Object[] values) {
    accepted++;
    sink.accept(rowNumber, values);
  }

  @Override
  public void reject(long rowNumber, RejectReason reason, String detail, String rawRow) {
    rejected.merge(reason, 1L, Long::sum);
    sink.reject(rowNumber, reason, detail, rawRow);
  }

  long rows() {
    return accepted + rejected.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Notes on the file as a whole, added to those the parser already has. */
  void addNotes(List<String> notes, ParseContext ctx) {
    long wrongDate = rejected.getOrDefault(RejectReason.WRONG_DATE, 0L);
    if (wrongDate > 0 && wrongDate == rows()) {
      notes.add("every row (" + wrongDate + ") is dated outside the export date " + ctx.exportDate()
          + ": this looks like another day's export in the wrong folder");
    }
  }
}
