package io.touchpoint.jobs.config;

import io.touchpoint.catalog.Channels;
import io.touchpoint.clv.ClvSettings;
import io.touchpoint.jobs.maintenance.Maintenance;
import io.touchpoint.pii.Pii;
import java.io.Serializable;
import java.time.ZoneId;
import java.util.Map;

/**
 * The resolved configuration of one run, immutable and passed down from the command.
 * Precedence (resolved once by {@link ConfigLoader}): CLI flag &gt; environment &gt; config file
 * &gt; default.
 *
 * @param exports root folder (or URI) of the channel exports
 * @param warehouse root folder (or URI) of the Delta tables: {@code <warehouse>/<schema>/<table>}
 * @param sparkMaster master URL used when not launched by spark-submit
 * @param minAcceptedShare a source whose accepted/read share falls below this fails the run
 * @param gateMinRows the share is only judged once a table read at least this many rows in the run
 *     (one bad row in a 35-row file is not a 3% quality problem)
 * @param marketplaceEncodings declared export encoding per marketplace platform
 * @param shufflePartitions {@code spark.sql.shuffle.partitions} for local runs
 * @param clv the customer value stage's margin, monthly discount rate and horizon
 *     ({@code clv.margin}, {@code clv.discount-monthly}, {@code clv.horizon-months})
 * @param maintenance the maintain stage's compaction threshold, VACUUM retention and vacuum day
 *     ({@code maintenance.*})
 */
public record TouchpointConfig(
    String exports,
    String warehouse,
    String sparkMaster,
    double minAcceptedShare,
    long gateMinRows,
    Pii pii,
    Channels channels,
    Map<String, String> marketplaceEncodings,
    int shufflePartitions,
    ZoneId zone,
    ClvSettings clv,
    Maintenance maintenance) implements Serializable {

  /** Without CLV settings: the defaults (margin 0.30, 1 % a month, 12 months). */
  public TouchpointConfig(String exports, String warehouse, String sparkMaster, double minAcceptedShare, long gateMinRows,
      Pii pii, Channels channels, Map<String, String> marketplaceEncodings, int shufflePartitions, ZoneId zone) {
    this(exports, warehouse, sparkMaster, minAcceptedShare, gateMinRows, pii, channels, marketplaceEncodings,
        shufflePartitions, zone, ClvSettings.DEFAULT, Maintenance.DEFAULT);
  }

  /** With the default housekeeping ({@link Maintenance#DEFAULT}). */
  public TouchpointConfig(String exports, String warehouse, String sparkMaster, double minAcceptedShare, long gateMinRows,
      Pii pii, Channels channels, Map<String, String> marketplaceEncodings, int shufflePartitions, ZoneId zone, ClvSettings clv) {
    this(exports, warehouse, sparkMaster, minAcceptedShare, gateMinRows, pii, channels, marketplaceEncodings,
        shufflePartitions, zone, clv, Maintenance.DEFAULT);
  }

  public TouchpointConfig withMaintenance(Maintenance m) {
    return new TouchpointConfig(exports, warehouse, sparkMaster, minAcceptedShare, gateMinRows, pii, channels,
        marketplaceEncodings, shufflePartitions, zone, clv, m);
  }

  public TouchpointConfig withClv(ClvSettings settings) {
    return new TouchpointConfig(exports, warehouse, sparkMaster, minAcceptedShare, gateMinRows, pii, channels,
        marketplaceEncodings, shufflePartitions, zone, settings, maintenance);
  }

  public TouchpointConfig withExports(String dir) {
    return new TouchpointConfig(dir, warehouse, sparkMaster, minAcceptedShare, gateMinRows, pii, channels,
        marketplaceEncodings, shufflePartitions, zone, clv, maintenance);
  }

  public TouchpointConfig withWarehouse(String dir) {
    return new TouchpointConfig(exports, dir, sparkMaster, minAcceptedShare, gateMinRows, pii, channels,
        marketplaceEncodings, shufflePartitions, zone, clv, maintenance);
  }

  public TouchpointConfig withGate(double share, long minRows) {
    return new TouchpointConfig(exports, warehouse, sparkMaster, share, minRows, pii, channels,
        marketplaceEncodings, shufflePartitions, zone, clv, maintenance);
  }

  public TouchpointConfig withPii(Pii p) {
    return new TouchpointConfig(exports, warehouse, sparkMaster, minAcceptedShare, gateMinRows, p, channels,
        marketplaceEncodings, shufflePartitions, zone, clv, maintenance);
  }
}
