package io.touchpoint.jobs.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** Reads export files through Hadoop's FileSystem (local disk, HDFS, S3...) on executors. */
final class HadoopFiles implements Serializable {
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

  byte[] read(String path) {
    Path p = new Path(path);
    try (InputStream in = p.getFileSystem(configuration()).open(p)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read export file " + path + ": " + e.getMessage()
          + ". Check that it exists and is readable by the job's user.", e);
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
