package io.touchpoint.cli;

import io.touchpoint.ingest.BronzeTable;
import io.touchpoint.jobs.alerts.AlertsJob;
import io.touchpoint.jobs.attribution.AttributionJob;
import io.touchpoint.jobs.attribution.DailyCredits;
import io.touchpoint.jobs.clv.ClvJob;
import io.touchpoint.jobs.identity.IdentityJob;
import io.touchpoint.jobs.ingest.IngestJob;
import io.touchpoint.jobs.marts.SqlModel;
import io.touchpoint.jobs.marts.SqlModels;
import io.touchpoint.jobs.pipeline.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The tables each stage writes, for dry-run plans (the jobs' own name constants where they have them). */
final class StageTables {
  private StageTables() {}

  static List<String> writes(Stage stage, Set<String> sources) {
    List<String> out = new ArrayList<>();
    switch (stage) {
      case INGEST -> {
        for (BronzeTable t : BronzeTable.values()) {
          if (sources.contains(t.source())) {
            out.add("bronze." + t.tableName());
          }
        }
        out.add(IngestJob.OPS + "." + IngestJob.REJECTS_TABLE);
        out.add(IngestJob.OPS + "." + IngestJob.LOG_TABLE);
      }
      case IDENTITY -> {
        out.add("silver." + IdentityJob.MAP);
        out.add("silver." + IdentityJob.MERGES);
        out.add("silver." + IdentityJob.ALIASES);
      }
      case SILVER -> List.of("orders", "unmatched_refunds", "touchpoints", "ad_spend", "customers", "identification_rate")
          .forEach(t -> out.add("silver." + t));
      case ATTRIBUTION -> {
        List.of(AttributionJob.BY_CHANNEL, AttributionJob.PATHS, AttributionJob.TRANSITIONS, DailyCredits.DAILY,
            DailyCredits.JOURNEYS_DAILY)
            .forEach(t -> out.add(AttributionJob.SCHEMA + "." + t));
        out.add("restricted." + DailyCredits.FIRST_PURCHASE);
      }
      case CLV -> {
        out.add(ClvJob.RESTRICTED + "." + ClvJob.CUSTOMER_VALUE);
        out.add(ClvJob.GOLD + "." + ClvJob.MODEL);
        out.add(ClvJob.GOLD + "." + ClvJob.BY_CHANNEL);
      }
      case MARTS -> SqlModels.load().stream().filter(m -> !m.isView()).map(SqlModel::name).sorted().forEach(out::add);
      case ALERTS -> out.add("gold." + AlertsJob.TABLE);
      case MAINTAIN -> out.add(io.touchpoint.jobs.maintenance.MaintenanceJob.SCHEMA + "."
          + io.touchpoint.jobs.maintenance.MaintenanceJob.TABLE + " (and compacts or vacuums every table)");
      default -> out.add("(the tables of stage " + stage.label() + ")");
    }
    return out;
  }
}
