package io.touchpoint.jobs.bench;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.columnar.InMemoryTableScanExec;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd;

/**
 * Rows read per table: after every SQL execution (a query, or a step of a Delta write such as a MERGE's
 * search for the files it touches) walks the executed plan and adds each file scan's output rows to
 * the table it scans, named {@code schema.table} from the scanned path ({@code schema.table (log)}
 * for a Delta log read to load a snapshot). Spark's task metrics give one total per stage; this gives
 * which table the rows came from, which is what tells whether a stage reads history it does not need.
 *
 * <p>The rows are those the scan returned after partition pruning and Delta's data skipping, before
 * any filter above the scan: the rows of the files it had to open.
 */
public final class TableScans extends SparkListener {
  private final Map<String, AtomicLong> rows = new ConcurrentHashMap<>();
  /** What each scan's metric held when last counted: a cached plan shows up in every query that reads it. */
  private final Map<SQLMetric, Long> counted = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  @Override
  public void onOtherEvent(SparkListenerEvent event) {
    if (!(event instanceof SparkListenerSQLExecutionEnd end) || end.qe() == null) {
      return;
    }
    Deque<SparkPlan> todo = new ArrayDeque<>();
    todo.push(end.qe().executedPlan());
    while (!todo.isEmpty()) {
      SparkPlan p = todo.pop();
      if (p instanceof AdaptiveSparkPlanExec a) {
        todo.push(a.executedPlan());
      } else if (p instanceof QueryStageExec q) {
        todo.push(q.plan());
      } else if (p instanceof InMemoryTableScanExec cached) {
        todo.push(cached.relation().cachedPlan()); // a cached view (the marts' staging models) scans its tables once
      } else if (p instanceof FileSourceScanExec scan) {
        add(scan);
      }
      scala.jdk.javaapi.CollectionConverters.asJava(p.children()).forEach(todo::push);
      scala.jdk.javaapi.CollectionConverters.asJava(p.subqueries()).forEach(todo::push);
    }
  }

  private void add(FileSourceScanExec scan) {
    scala.Option<SQLMetric> m = scan.metrics().get("numOutputRows");
    if (m.isEmpty() || scan.relation().location().rootPaths().isEmpty()) {
      return;
    }
    String name = tableOf(scan.relation().location().rootPaths().head().toString());
    long now = m.get().value();
    Long before = counted.put(m.get(), now);
    rows.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(now - (before == null ? 0 : before));
  }

  /** {@code schema.table} for a path ending in {@code schema/table} (or a path inside {@code schema/table/_delta_log}). */
  static String tableOf(String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    int at = p.indexOf("/_delta_log");
    boolean log = at >= 0;
    if (log) {
      p = p.substring(0, at); // a snapshot load scans the log folder or its single files
    }
    String[] parts = p.split("/");
    String name = parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : p;
    return log ? name + " (log)" : name;
  }

  /** Rows read per table since the last {@link #reset}, in name order. */
  public Map<String, Long> read() {
    Map<String, Long> out = new TreeMap<>();
    rows.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  public void reset() {
    rows.clear(); // counted stays: a cached plan scanned before the reset is not read again after it
  }
}
