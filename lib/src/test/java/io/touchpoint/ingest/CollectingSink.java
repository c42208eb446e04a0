package io.touchpoint.ingest;

import java.util.ArrayList;
import java.util.List;

/** Test sink that keeps everything it receives. */
final class CollectingSink implements RecordSink {
  record Accepted(long row, Object[] values) {}

  record Rejected(long row, RejectReason reason, String detail, String raw) {}

  final List<Accepted> accepted = new ArrayList<>();
  final List<Rejected> rejected = new ArrayList<>();

  @Override
  public void accept(long rowNumber, Object[] values) {
    accepted.add(new Accepted(rowNumber, values));
  }

  @Override
  public void reject(long rowNumber, RejectReason reason, String detail, String rawRow) {
    rejected.add(new Rejected(rowNumber, reason, detail, rawRow));
  }

  RejectReason reasonAt(long row) {
    return rejected.stream().filter(r -> r.row() == row).map(Rejected::reason).findFirst().orElse(null);
  }
}
