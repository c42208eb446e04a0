package io.touchpoint.jobs.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies a folder tree (a warehouse with its Delta logs) so that two runs can start from the same state. */
public final class TreeCopy {
  private TreeCopy() {}

  /** Copies {@code from} to {@code to}, which must not exist yet; Delta logs hold relative paths, so the copy is a table. */
  public static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
