package io.touchpoint.jobs.ingest;

import io.touchpoint.ingest.BronzeTable;
import java.io.Serializable;
import java.time.LocalDate;

/**
 * One export file to ingest.
 *
 * @param relativePath path below the exports root, recorded as {@code _source_file}
 * @param checksum SHA-256 of the bytes (null until computed)
 */
public record ExportFile(BronzeTable table, LocalDate exportDate, String relativePath, String absolutePath,
    long bytes, String checksum) implements Serializable {

  public ExportFile withChecksum(String sha256) {
    return new ExportFile(table, exportDate, relativePath, absolutePath, bytes, sha256);
  }

  public String fileName() {
    return relativePath.substring(relativePath.lastIndexOf('/') + 1);
  }
}
