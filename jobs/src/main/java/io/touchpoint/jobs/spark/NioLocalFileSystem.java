package io.touchpoint.jobs.spark;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * The local file system for the embedded default. Without Hadoop's native library,
 * {@link RawLocalFileSystem#setPermission} forks a {@code chmod} process for every file Spark or
 * Delta creates (each data file, commit, checksum and temp file), which dominated small local runs.
 * This subclass sets permissions through {@code java.nio} instead. No {@code .crc} side files
 * either: Parquet and Delta carry their own checksums.
 */
public class NioLocalFileSystem extends RawLocalFileSystem {

  @Override
  public void setPermission(Path p, FsPermission permission) throws IOException {
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    add(perms, permission.getUserAction(), PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    add(perms, permission.getGroupAction(), PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE);
    add(perms, permission.getOtherAction(), PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    Files.setPosixFilePermissions(pathToFile(p).toPath(), perms);
  }

  private static void add(Set<PosixFilePermission> perms, FsAction a, PosixFilePermission r, PosixFilePermission w,
      PosixFilePermission x) {
    if (a.implies(FsAction.READ)) {
      perms.add(r);
    }
    if (a.implies(FsAction.WRITE)) {
      perms.add(w);
    }
    if (a.implies(FsAction.EXECUTE)) {
      perms.add(x);
    }
  }

  /** The same file system for Hadoop's FileContext API (used by Delta's log store and checksums). */
  public static final class Fs extends DelegateToFileSystem {
    public Fs(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(uri, new NioLocalFileSystem(), conf, "file", false);
    }
  }
}
