package io.touchpoint.jobs.ingest;

import io.touchpoint.ingest.UnreadableFileException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** Reads export files through Hadoop's FileSystem (local disk, HDFS, S3...) on executors. */
final class HadoopFiles implements Serializable {
  static final String READ_FIX = "Check that the file exists and that the job's user may read it (file permissions,"
      + " the bucket or HDFS policy), then rerun";

  private final Map<String, String> conf;

  HadoopFiles(Configuration hadoopConf) {
    Map<String, String> m = new HashMap<>();
    hadoopConf.forEach(e -> m.put(e.getKey(), e.getValue()));
    this.conf = m;
  }

  private Configuration configuration() {
    Configuration c = new Configuration(false);
    conf.forEach(c::set);
    return c;
  }

  /** The file's bytes; a file that cannot be read is an {@link UnreadableFileException} naming it. */
  byte[] read(ExportFile f) {
    Path p = new Path(f.absolutePath());
    try (InputStream in = p.getFileSystem(configuration()).open(p)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UnreadableFileException(f.relativePath(), "it cannot be read (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + ")", READ_FIX, e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
