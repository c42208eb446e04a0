package io.touchpoint.jobs.spark;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Delta warehouse: {@code <root>/<schema>/<table>} folders. On the embedded default the
 * layout is the catalog: {@link #register} names every table in the session as
 * {@code <schema>.<table>} so that SQL can say {@code SELECT * FROM silver.orders}.
 * Every write goes through {@link TableWriter}, which scopes it and stamps the run id.
 *
 * <p>This class is the one place that maps a table name to its folder. A production run reads and
 * writes {@code <schema>/<table>}. A run with a {@link Sandbox} writes {@code sandbox_<name>/<table>}
 * instead, and reads from the sandbox exactly the tables it has written itself in this run; all
 * other reads go to production. Writes to the state schemas (bronze, silver) are refused there.
 */
public final class Warehouse {
  private final SparkSession spark;
  private final String root;
  private final Sandbox sandbox;
  /** In a sandbox run: each sandbox table written so far, and the production table it stands for. */
  private final Map<String, String> written = new ConcurrentHashMap<>();

  /** The production warehouse. */
  public Warehouse(SparkSession spark, String root) {
    this(spark, root, Optional.empty());
  }

  /** The warehouse as seen by a run that writes to {@code sandbox} when present (see {@link Sandbox}). */
  public Warehouse(SparkSession spark, String root, Optional<Sandbox> sandbox) {
    this.spark = spark;
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    this.sandbox = sandbox.orElse(null);
  }

  public Optional<Sandbox> sandbox() {
    return Optional.ofNullable(sandbox);
  }

  /** The warehouse at {@code root}, its tables named in the session's catalog ({@link #register()}): how every session starts. */
  public static Warehouse open(SparkSession spark, String root) {
    return open(spark, root, Optional.empty());
  }

  /** As {@link #open(SparkSession, String)}, for a run that writes to {@code sandbox} when present. */
  public static Warehouse open(SparkSession spark, String root, Optional<Sandbox> sandbox) {
    Warehouse w = new Warehouse(spark, root, sandbox);
    w.register();
    return w;
  }

  public SparkSession spark() {
    return spark;
  }

  public String root() {
    return root;
  }

  /**
   * The folder a read of {@code schema.table} resolves to: production, or the sandbox when this
   * run has written the table there.
   */
  public String path(String schema, String table) {
    boolean here = sandbox != null && (schema + "." + table).equals(written.get(table));
    return root + "/" + (here ? sandbox.schema() : schema) + "/" + table;
  }

  /** The name under which this run's writes of {@code schema.table} land, e.g. {@code sandbox_alice.clv_model}. */
  public String outputName(String schema, String table) {
    return (sandbox == null ? schema : sandbox.schema()) + "." + table;
  }

  /**
   * The folder a write of {@code schema.table} goes to; in a sandbox run, from now on reads of the
   * table resolve to the sandbox too. Only {@link TableWriter} and {@link #delta} write.
   */
  String target(String schema, String table) {
    if (sandbox == null) {
      return root + "/" + schema + "/" + table;
    }
    if (Sandbox.STATE_SCHEMAS.contains(schema)) {
      throw io.touchpoint.errors.Errors.usage("write " + schema + "." + table + " from a run into " + sandbox.schema(),
          "bronze and silver are the incremental state every production run continues from; a sandbox copy of a"
              + " few dates would be partial",
          "Run ingest, identity and silver without --output-schema, or on a separate --warehouse");
    }
    String origin = schema + "." + table;
    String before = written.putIfAbsent(table, origin);
    if (before != null && !before.equals(origin)) {
      throw new IllegalStateException("Cannot write " + origin + " to " + sandbox.schema() + "." + table + ": this run"
          + " already wrote " + before + " there. Give the two tables different names.");
    }
    return root + "/" + sandbox.schema() + "/" + table;
  }

  /** True when the table a read resolves to holds a Delta log (a file-system check; no snapshot is loaded). */
  public boolean exists(String schema, String table) {
    return isDeltaTable(path(schema, table));
  }

  boolean isDeltaTable(String folder) {
    try {
      Path log = new Path(folder, "_delta_log");
      return log.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Dataset<Row> read(String schema, String table) {
    return spark.read().format("delta").load(path(schema, table));
  }

  /** Reads a table, or an empty frame with the given schema when it does not exist yet. */
  public Dataset<Row> readOrEmpty(String schema, String table, org.apache.spark.sql.types.StructType ifMissing) {
    return exists(schema, table) ? read(schema, table) : spark.createDataFrame(List.of(), ifMissing);
  }

  /** A handle to update the table in place (MERGE, UPDATE): it resolves like a write, see {@link #target}. */
  public DeltaTable delta(String schema, String table) {
    return DeltaTable.forPath(spark, target(schema, table));
  }

  /** Data files of the table's latest snapshot, from its Delta log (no data file is read). */
  public long liveFiles(String schema, String table) {
    return org.apache.spark.sql.delta.DeltaLog.forTable(spark, path(schema, table))
        .update(false, scala.Option.empty(), scala.Option.empty()).numOfFiles();
  }

  /** All {@code schema.table} names present in the warehouse. */
  public List<String> tables() {
    List<String> out = new ArrayList<>();
    try {
      Path rootPath = new Path(root);
      FileSystem fs = rootPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(rootPath)) {
        return out;
      }
      for (FileStatus schema : fs.listStatus(rootPath)) {
        if (!schema.isDirectory() || schema.getPath().getName().startsWith("_")) {
          continue;
        }
        for (FileStatus table : fs.listStatus(schema.getPath())) {
          if (table.isDirectory() && fs.exists(new Path(table.getPath(), "_delta_log"))) {
            out.add(schema.getPath().getName() + "." + table.getPath().getName());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(String::compareTo);
    return out;
  }

  /**
   * Names every warehouse table in this session's catalog as {@code <schema>.<table>}, so that
   * SQL can say {@code SELECT * FROM gold.kpi}. Idempotent and cheap (one folder listing, no
   * snapshot read), so every session calls it at start and after a run; {@link TableWriter}
   * names each table it writes. Returns the names, sorted.
   */
  public List<String> register() {
    return register(schema -> true);
  }

  /**
   * Names the tables of the schemas {@code visible} accepts, and makes sure the session catalog
   * names nothing else: a BI endpoint registers {@code gold} alone (see {@code touchpoint serve}).
   */
  public List<String> register(Predicate<String> visible) {
    TableNames names = new TableNames(spark);
    List<String> registered = new ArrayList<>();
    Set<URI> keep = new HashSet<>();
    for (String name : tables()) {
      String[] p = name.split("\\.", 2);
      if (visible.test(p[0])) {
        URI location = location(p[0], p[1]);
        names.name(p[0], p[1], location);
        keep.add(location);
        registered.add(name);
      }
    }
    names.dropAllBut(keep);
    return registered;
  }

  /**
   * Names one table (after a write created it) by the name its writes land under
   * ({@link #outputName}); a no-op when the catalog already names it here.
   */
  public void register(String schema, String table) {
    new TableNames(spark).name(sandbox == null ? schema : sandbox.schema(), table, location(schema, table));
  }

  /**
   * Makes {@code schema.table} name nothing in a session-scoped catalog, e.g. before a stand-in
   * view takes the name of a table this warehouse does not have (yet).
   */
  public void unregister(String schema, String table) {
    new TableNames(spark).forget(schema, table);
  }

  /**
   * A location as {@code scheme://authority/path}, normalised, without a trailing slash, so that
   * {@code file:/w/gold}, {@code file:///w/gold/} and {@code file:/w/x/../gold} compare equal
   * (Hadoop qualifies local paths either way).
   */
  public static String canonical(URI location) {
    URI u = location.normalize();
    String path = u.getPath() == null ? "" : u.getPath();
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return (u.getScheme() == null ? "file" : u.getScheme()) + "://" + (u.getAuthority() == null ? "" : u.getAuthority()) + path;
  }

  private URI location(String schema, String table) {
    try {
      Path p = new Path(path(schema, table));
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(p).toUri();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
