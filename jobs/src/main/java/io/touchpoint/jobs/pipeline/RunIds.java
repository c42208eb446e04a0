package io.touchpoint.jobs.pipeline;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/** Run ids: {@code <command>-<UTC yyyyMMddTHHmmss>-<4 hex>}, recorded on every row and commit. */
public final class RunIds {
  private static final DateTimeFormatter F = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

  private RunIds() {}

  public static String next(String command, Instant at) {
    return command + "-" + F.format(at) + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
  }
}
