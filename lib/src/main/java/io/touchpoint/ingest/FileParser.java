package io.touchpoint.ingest;

import java.io.Serializable;
import java.util.List;

/** Parses one export file's bytes; every data row reaches the sink exactly once. */
public interface FileParser extends Serializable {

  /** What was learnt about the file as a whole: encoding used and notes such as schema drift. */
  record FileSummary(String encoding, List<String> notes) implements Serializable {}

  FileSummary parse(String file, byte[] bytes, ParseContext ctx, RecordSink sink);
}
