package io.touchpoint.jobs.support;

import java.io.IOException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.security.AccessControlException;

/**
 * The local file system under the scheme {@code denying:}, refusing to list or open the paths
 * registered with {@link #deny}, as HDFS or S3 do when the job's principal lacks the right (tests
 * run as root, so file modes cannot make anything unreadable). Register it in a session with
 * {@link #install}.
 */
public class DenyingFileSystem extends RawLocalFileSystem {
  public static final String SCHEME = "denying";
  private static final Set<String> DENIED = ConcurrentHashMap.newKeySet();

  public static void install(Configuration hadoopConf) {
    hadoopConf.set("fs." + SCHEME + ".impl", DenyingFileSystem.class.getName());
    hadoopConf.setBoolean("fs." + SCHEME + ".impl.disable.cache", true);
  }

  /** From now on, listing or opening {@code path} (a local path) fails with an access error. */
  public static void deny(java.nio.file.Path path) {
    DENIED.add(path.toAbsolutePath().normalize().toString());
  }

  public static void allowAll() {
    DENIED.clear();
  }

  /** The URI under which {@code path} is read through this file system. */
  public static String uri(java.nio.file.Path path) {
    return SCHEME + "://" + path.toAbsolutePath().normalize();
  }

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FileStatus[] listStatus(Path f) throws IOException {
    check(f);
    return super.listStatus(f);
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    check(f);
    return super.open(f, bufferSize);
  }

  private static void check(Path f) throws AccessControlException {
    if (DENIED.contains(f.toUri().getPath())) {
      throw new AccessControlException("Permission denied: user=touchpoint, access=READ, path=" + f.toUri().getPath());
    }
  }
}
