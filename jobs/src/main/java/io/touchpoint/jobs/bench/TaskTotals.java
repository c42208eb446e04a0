package io.touchpoint.jobs.bench;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Sums the metrics of every Spark task that ends, as Spark's own listener bus reports them (the
 * figures of the web UI's stage pages): rows and bytes read from files, rows written, shuffle bytes
 * and spill. {@link #drain} waits until the bus has delivered every event of the work done so far,
 * so a reading taken between two stages of a run holds exactly the tasks in between.
 */
public final class TaskTotals extends SparkListener {
  /** One reading: totals since the last {@link #reset}. */
  public record Totals(long tasks, long recordsRead, long bytesRead, long recordsWritten, long bytesWritten,
      long shuffleReadBytes, long shuffleWriteBytes, long memorySpillBytes, long diskSpillBytes) {}

  private final AtomicLong tasks = new AtomicLong();
  private final AtomicLong recordsRead = new AtomicLong();
  private final AtomicLong bytesRead = new AtomicLong();
  private final AtomicLong recordsWritten = new AtomicLong();
  private final AtomicLong bytesWritten = new AtomicLong();
  private final AtomicLong shuffleRead = new AtomicLong();
  private final AtomicLong shuffleWrite = new AtomicLong();
  private final AtomicLong memorySpill = new AtomicLong();
  private final AtomicLong diskSpill = new AtomicLong();

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    TaskMetrics m = end.taskMetrics();
    if (m == null) {
      return;
    }
    tasks.incrementAndGet();
    recordsRead.addAndGet(m.inputMetrics().recordsRead());
    bytesRead.addAndGet(m.inputMetrics().bytesRead());
    recordsWritten.addAndGet(m.outputMetrics().recordsWritten());
    bytesWritten.addAndGet(m.outputMetrics().bytesWritten());
    shuffleRead.addAndGet(m.shuffleReadMetrics().totalBytesRead());
    shuffleWrite.addAndGet(m.shuffleWriteMetrics().bytesWritten());
    memorySpill.addAndGet(m.memoryBytesSpilled());
    diskSpill.addAndGet(m.diskBytesSpilled());
  }

  /** Waits (up to a minute) until every event posted so far has reached the listeners. */
  public static void drain(SparkContext sc) {
    try {
      sc.listenerBus().waitUntilEmpty(60_000);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Spark's listener bus did not empty within a minute; the bench figures would"
          + " miss tasks", e);
    }
  }

  public Totals read() {
    return new Totals(tasks.get(), recordsRead.get(), bytesRead.get(), recordsWritten.get(), bytesWritten.get(),
        shuffleRead.get(), shuffleWrite.get(), memorySpill.get(), diskSpill.get());
  }

  public void reset() {
    for (AtomicLong a : new AtomicLong[] {tasks, recordsRead, bytesRead, recordsWritten, bytesWritten, shuffleRead,
        shuffleWrite, memorySpill, diskSpill}) {
      a.set(0);
    }
  }
}
