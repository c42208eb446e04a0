package io.touchpoint.jobs.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the JVM's used heap and the process's resident set (Linux {@code /proc/self/status}, VmRSS)
 * every 50 ms on a daemon thread and keeps the peaks since the last {@link #reset}. On
 * {@code local[*]} the executors live in this JVM, so these are the whole run's figures.
 */
public final class ResourceSampler implements AutoCloseable {
  private static final Path STATUS = Path.of("/proc/self/status");
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final AtomicLong peakHeap = new AtomicLong();
  private final AtomicLong peakRss = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  public ResourceSampler() {
    thread = new Thread(this::loop, "bench-resource-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running) {
      sample();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sample() {
    peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
    long rss = rssBytes();
    if (rss >= 0) {
      peakRss.accumulateAndGet(rss, Math::max);
    }
  }

  /** The process's resident set now, or -1 where {@code /proc} is not there (not Linux). */
  static long rssBytes() {
    return procBytes(STATUS, "VmRSS:");
  }

  /** The "{@code key} N kB" line of a {@code /proc} file in bytes, or -1 when the file or line is not there. */
  static long procBytes(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  public void reset() {
    peakHeap.set(0);
    peakRss.set(0);
    sample();
  }

  /** Peak used heap since the last reset, in bytes. */
  public long peakHeap() {
    sample();
    return peakHeap.get();
  }

  /** Peak resident set since the last reset, in bytes (-1 when unknown). */
  public long peakRss() {
    sample();
    return peakRss.get() == 0 ? -1 : peakRss.get();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
