package io.touchpoint.ingest;

import java.io.Serializable;
import java.util.List;

/**
 * Parses one export file's bytes; every data row reaches the sink exactly once. A file whose rows
 * cannot even be counted (no header line, not Parquet) throws {@link UnreadableFileException}.
 */
public interface FileParser extends Serializable {
  /** No value of any contract is longer; a longer one is {@link RejectReason#FIELD_TOO_LONG}. */
  int MAX_FIELD_CHARS = 1000;

  /** What was learnt about the file as a whole: encoding used and notes such as schema drift. */
  record FileSummary(String encoding, List<String> notes) implements Serializable {}

  FileSummary parse(String file, byte[] bytes, ParseContext ctx, RecordSink sink);
}
