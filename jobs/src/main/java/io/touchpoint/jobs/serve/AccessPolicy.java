package io.touchpoint.jobs.serve;

import io.touchpoint.errors.Errors;
import io.touchpoint.jobs.spark.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.analysis.PersistedView$;
import org.apache.spark.sql.catalyst.analysis.ResolvedTable;
import org.apache.spark.sql.catalyst.catalog.HiveTableRelation;
import org.apache.spark.sql.catalyst.expressions.CallMethodViaReflection;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ScalaUDF;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoStatement;
import org.apache.spark.sql.catalyst.plans.logical.LeafNode;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.delta.catalog.DeltaTableV2;
import org.apache.spark.sql.execution.command.CreateViewCommand;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2Relation;
import org.apache.spark.sql.execution.datasources.v2.FileTable;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;

/**
 * The read rule of a {@link AccessRole#BI} endpoint, applied to every analysed plan (a Spark
 * check rule, see {@link AccessTierExtension}) whichever way the plan arrived: SQL, a DataFrame
 * reader, a table name or a path. A plan passes only if
 * <ul>
 *   <li>every file it reads lies under the readable folder ({@code <warehouse>/gold}), whether
 *       the files were named by table, {@code delta.`path`}, {@code parquet.`path`} or
 *       {@code spark.read().load(path)};</li>
 *   <li>every other source is one that holds no data: literal rows, {@code range}, a CTE
 *       reference. Anything else (JDBC, streams, Hive tables, sources this class does not
 *       know) is refused, so a new kind of relation fails closed;</li>
 *   <li>it writes nothing and changes no catalog: every command is refused except SHOW,
 *       DESCRIBE, EXPLAIN, SET/RESET, USE and temporary views (reading a view re-checks what it
 *       reads);</li>
 *   <li>it calls no {@code reflect}/{@code java_method}, no Python function and no Scala function
 *       whose class a client brought. (Delta's own log replay runs Scala UDFs, typed operators and
 *       cached RDDs through this same rule, so server code is told apart by its class loader;
 *       client code is stopped earlier, at the gRPC layer, by {@link BiRequestInterceptor}.)</li>
 * </ul>
 * An {@link AccessRole#ANALYST} policy accepts every plan.
 */
public final class AccessPolicy {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AccessPolicy.class);
  /** Commands that neither write nor change the catalog (by class name: Spark has V1 and V2 forms). */
  static final Set<String> READ_ONLY_COMMANDS = Set.of(
      "ShowTables", "ShowTablesExtended", "ShowTablesCommand", "ShowNamespaces", "ShowNamespacesCommand",
      "ShowViews", "ShowColumns", "ShowColumnsCommand", "ShowFunctions", "ShowFunctionsCommand",
      "ShowTableProperties", "ShowTablePropertiesCommand", "ShowCreateTable", "ShowCreateTableCommand",
      "ShowCatalogs", "ShowCatalogsCommand", "ShowCurrentNamespace", "ShowCurrentNamespaceCommand",
      "DescribeRelation", "DescribeTableCommand", "DescribeColumn", "DescribeColumnCommand",
      "DescribeNamespace", "DescribeDatabaseCommand", "DescribeFunction", "DescribeFunctionCommand",
      "DescribeQueryCommand", "ExplainCommand", "SetCommand", "ResetCommand", "SetCatalogAndNamespace",
      "SetNamespaceCommand", "SetCatalogCommand", "DropTempViewCommand");

  /**
   * Leaves that read no stored file: literal rows, ranges, references, the rows an allowed command
   * returned ({@code CommandResult}, e.g. {@code spark.sql("SHOW TABLES").filter(…)}), and the RDDs
   * that server code builds (Delta caches a table's log state as a {@code LogicalRDD}; a client
   * has no way to send an RDD, its rows arrive as a {@code LocalRelation}).
   */
  static final Set<String> SAFE_LEAVES = Set.of(
      "LocalRelation", "OneRowRelation", "Range", "CTERelationRef", "ResolvedNamespace", "EmptyRelation",
      "ResolvedTempView", "ResolvedPersistentView", "ResolvedFunc", "ResolvedNonPersistentFunc",
      "ResolvedPersistentFunc", "LogicalRDD", "ExternalRDD", "CommandResult");

  private final AccessRole role;
  private final String readable;
  private final Configuration hadoop;

  /**
   * @param readable the folder a {@link AccessRole#BI} endpoint may read, as a qualified URI
   *     ({@code file:/…/warehouse/gold}, {@code s3a://…/gold})
   */
  public AccessPolicy(AccessRole role, URI readable, Configuration hadoop) {
    this.role = role;
    this.readable = Warehouse.canonical(readable);
    this.hadoop = hadoop;
  }

  public AccessRole role() {
    return role;
  }

  /** Throws a {@code TouchpointException} naming the first thing the role may not do. */
  public void check(LogicalPlan plan) {
    if (role == AccessRole.ANALYST) {
      return;
    }
    List<String> refusals = new ArrayList<>();
    plan.foreachWithSubqueries(node -> {
      refusals.addAll(refusals(node));
      return BoxedUnit.UNIT;
    });
    if (!refusals.isEmpty()) {
      LOG.warn("refused for role {}: {}", role.label(), refusals);
      LOG.debug("refused plan:\n{}", plan.treeString());
      throw Errors.accessDenied(role.label(), refusals.get(0), AccessRole.AGGREGATES);
    }
  }

  private List<String> refusals(LogicalPlan node) {
    List<String> out = new ArrayList<>();
    String kind = node.getClass().getSimpleName();
    if (node instanceof Command || node instanceof InsertIntoStatement) {
      boolean temporaryView = node instanceof CreateViewCommand v && v.viewType() != PersistedView$.MODULE$;
      if (!temporaryView && !READ_ONLY_COMMANDS.contains(kind)) {
        out.add("run " + kind + " (this endpoint is read-only)");
      }
    }
    if (kind.contains("Python") || kind.contains("Pandas") || kind.contains("InArrow")) {
      out.add("run client code (" + kind + ")");
    }
    for (Expression e : CollectionConverters.asJava(node.expressions())) {
      e.foreach(x -> {
        if (x instanceof CallMethodViaReflection || x.getClass().getSimpleName().startsWith("Python")
            || x instanceof ScalaUDF u && !serverCode(u.function())) {
          out.add("call " + x.prettyName() + " (user-defined functions and reflection run code on the server)");
        }
        return BoxedUnit.UNIT;
      });
    }
    if (node instanceof LogicalRelation r) {
      if (r.relation() instanceof HadoopFsRelation fs) {
        for (Path p : CollectionConverters.asJava(fs.location().rootPaths())) {
          checkPath(p, out);
        }
      } else {
        out.add("read " + r.relation().getClass().getSimpleName() + " (not a file in the warehouse)");
      }
    } else if (node instanceof DataSourceV2Relation r) {
      checkTable(r.table(), out);
    } else if (node instanceof ResolvedTable r) {
      checkTable(r.table(), out);
    } else if (node instanceof HiveTableRelation h) {
      out.add("read the Hive table " + h.tableMeta().identifier());
    } else if (node instanceof LeafNode && !(node instanceof Command) && !SAFE_LEAVES.contains(kind)) {
      out.add("read from " + kind);
    }
    return out;
  }

  /**
   * True for a function Spark or Delta brought (Delta's log replay runs Scala UDFs and typed
   * operators through this same rule), false for one a client's classes define: those load
   * from a session's artifact class loader, below the one that loaded Spark.
   */
  static boolean serverCode(Object function) {
    ClassLoader spark = LogicalPlan.class.getClassLoader();
    for (ClassLoader l = spark; l != null; l = l.getParent()) {
      if (l == function.getClass().getClassLoader()) {
        return true;
      }
    }
    return function.getClass().getClassLoader() == null;
  }

  private void checkTable(Table t, List<String> out) {
    if (t instanceof DeltaTableV2 d) {
      checkPath(d.path(), out);
    } else if (t instanceof FileTable f) {
      for (Path p : CollectionConverters.asJava(f.fileIndex().rootPaths())) {
        checkPath(p, out);
      }
    } else {
      out.add("read the table " + t.name() + " (" + t.getClass().getSimpleName() + ", not in the warehouse)");
    }
  }

  private void checkPath(Path p, List<String> out) {
    if (!readable(p)) {
      out.add("read " + p.getName() + " in " + p.getParent());
    }
  }

  /** True when {@code p} is the readable folder or lies under it. */
  boolean readable(Path p) {
    String q;
    try {
      q = Warehouse.canonical(p.getFileSystem(hadoop).makeQualified(p).toUri());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return q.equals(readable) || q.startsWith(readable + "/");
  }
}
