package io.touchpoint.cli;

import io.touchpoint.errors.Errors;
import io.touchpoint.jobs.config.TouchpointConfig;
import io.touchpoint.jobs.privacy.ForgetJob;
import io.touchpoint.jobs.pipeline.RunIds;
import io.touchpoint.jobs.spark.Sessions;
import io.touchpoint.jobs.spark.Warehouse;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code touchpoint forget}: the right to be forgotten (README, "Forgetting a person"). */
@Command(name = "forget", mixinStandardHelpOptions = true,
    description = {"Remove one person from every warehouse table that holds them (bronze included; tables found by",
        "their columns), record the request in ops.forget_log without PII, and vacuum the old files once the",
        "retention period has passed (or at once with --vacuum-now). With --vacuum-due only, vacuum the earlier",
        "requests whose retention has passed."})
public final class ForgetCommand implements Callable<Integer>, Plannable {
  @Mixin WarehouseOptions warehouseOptions;
  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Who who;

  static final class Who {
    @Option(names = "--customer-id", paramLabel = "ID", description = "A customer id (C + 16 hex digits).")
    String customerId;

    @Option(names = "--member-id", paramLabel = "ID", description = "A CRM member id.")
    String memberId;

    @Option(names = "--phone-hash", paramLabel = "HMAC",
        description = "The phone's HMAC as stored (hash the E.164 phone with the warehouse's key; never pass a phone in clear).")
    String phoneHash;
  }

  @Option(names = "--vacuum-now", description = {"Vacuum the touched tables at once with zero retention (tests, or an",
      "erasure deadline): run it when no other job uses the warehouse; time travel before the request ends."})
  boolean vacuumNow;

  @Option(names = "--retention-hours", defaultValue = "168", paramLabel = "HOURS",
      description = "Hours before the removed files are vacuumed (default ${DEFAULT-VALUE}, Delta's 7 days).")
  long retentionHours;

  @Option(names = "--vacuum-due", description = "Vacuum the tables of earlier requests whose retention has passed (schedule daily).")
  boolean vacuumDue;

  ForgetJob.Key key() {
    if (who == null) {
      return null;
    }
    return who.customerId != null ? ForgetJob.Key.CUSTOMER_ID : who.memberId != null ? ForgetJob.Key.MEMBER_ID
        : ForgetJob.Key.PHONE_HASH;
  }

  String value() {
    return who.customerId != null ? who.customerId : who.memberId != null ? who.memberId : who.phoneHash;
  }

  void validate() {
    if (who == null && !vacuumDue) {
      throw Errors.usage("forget", "no person was named", "Pass --customer-id, --member-id or --phone-hash (or --vacuum-due)");
    }
    if (who != null && value().isBlank()) {
      throw Errors.usage("forget --" + key().label().replace('_', '-'), "the value is empty", "Pass the person's " + key().label());
    }
    if (retentionHours < 0) {
      throw Errors.usage("forget --retention-hours " + retentionHours, "the retention cannot be negative",
          "Keep the default 168, or use --vacuum-now");
    }
  }

  @Override
  public Plan plan() {
    validate();
    TouchpointConfig config = warehouseOptions.resolve(true);
    List<String> writes = new ArrayList<>();
    if (who != null) {
      writes.add("every table with a column of " + String.join(", ", ForgetJob.COLUMNS.keySet()));
      writes.add("ops." + ForgetJob.LOG_TABLE);
    }
    return Plan.of("forget")
        .fact("person", who == null ? "(none)" : key().label() + " (value not printed)")
        .fact("vacuum", vacuumNow ? "now, zero retention" : "after " + retentionHours + " h"
            + (vacuumDue ? "; and the requests now due" : ""))
        .fact("warehouse", config.warehouse())
        .fact("writes", writes.isEmpty() ? "ops." + ForgetJob.LOG_TABLE + " (vacuumed_at)" : String.join(", ", writes))
        .build();
  }

  @Override
  public Integer call() {
    validate();
    TouchpointConfig config = warehouseOptions.resolve(false);
    PrintWriter out = spec.commandLine().getOut();
    SparkSession spark = Sessions.create(config, "touchpoint forget");
    Warehouse warehouse = Warehouse.open(spark, config.warehouse());
    ForgetJob job = new ForgetJob(warehouse, config.pii(), RunIds.next("forget", Instant.now()));
    if (who != null) {
      ForgetJob.Result r = job.run(key(), value(), vacuumNow, retentionHours);
      out.printf("forget %s: %d customer id(s), %d identifier(s); %d row(s) deleted%n", r.forgetId(), r.customers(),
          r.identifiers(), r.rowsDeleted());
      r.deleted().forEach((t, n) -> out.printf("  %-40s %d row(s)%n", t, n));
      if (!r.exportFiles().isEmpty()) {
        out.println("export files that held their rows (redact or delete them at the source; a re-delivery would bring"
            + " them back):");
        r.exportFiles().forEach(f -> out.println("  " + f));
      }
      out.println(r.vacuumed().isEmpty()
          ? "old files are vacuumed from " + r.vacuumAfter() + " by `touchpoint forget --vacuum-due`"
          : "vacuumed now: " + String.join(", ", r.vacuumed()));
      out.println("audit: ops." + ForgetJob.LOG_TABLE + " forget_id " + r.forgetId());
    }
    if (vacuumDue) {
      List<String> done = job.vacuumDue(Instant.now());
      out.println("vacuumed (retention passed): " + (done.isEmpty() ? "nothing due" : String.join(", ", done)));
    }
    warehouse.register();
    out.flush();
    return 0;
  }
}
