package io.touchpoint.jobs.serve;

import java.net.URI;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.Function1;
import scala.runtime.BoxedUnit;

/**
 * Installs the {@link AccessPolicy} as a check rule in every session of the Spark context
 * ({@code spark.sql.extensions}), so it sees each plan a Spark Connect client sends after
 * analysis and before execution. The role comes from the Spark context's configuration
 * ({@value #ROLE}, {@value #READABLE}), which is fixed when the context starts: a client's
 * {@code SET} or {@code spark.conf.set} changes its session's SQL configuration, not this. Without
 * {@value #ROLE} (every job, the tests) the rule accepts every plan.
 */
public final class AccessTierExtension implements Function1<SparkSessionExtensions, BoxedUnit> {
  public static final String ROLE = "spark.touchpoint.serve.role";
  public static final String READABLE = "spark.touchpoint.serve.readable";

  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    extensions.injectCheckRule(AccessTierExtension::rule);
    return BoxedUnit.UNIT;
  }

  private static Function1<LogicalPlan, BoxedUnit> rule(SparkSession session) {
    AccessPolicy policy = policy(session.sparkContext().getConf(), session);
    return plan -> {
      policy.check(plan);
      return BoxedUnit.UNIT;
    };
  }

  private static AccessPolicy policy(SparkConf conf, SparkSession session) {
    if (!conf.contains(ROLE)) {
      return new AccessPolicy(AccessRole.ANALYST, URI.create("file:/"), session.sparkContext().hadoopConfiguration());
    }
    AccessRole role = AccessRole.parse(conf.get(ROLE));
    // A BI endpoint without a readable folder reads nothing rather than everything.
    URI readable = URI.create(conf.get(READABLE, "file:/nonexistent/touchpoint-serve-readable"));
    return new AccessPolicy(role, readable, session.sparkContext().hadoopConfiguration());
  }
}
