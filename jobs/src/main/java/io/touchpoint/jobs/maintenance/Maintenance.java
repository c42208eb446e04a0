package io.touchpoint.jobs.maintenance;

import io.touchpoint.errors.Errors;
import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;

/**
 * The housekeeping settings of the nightly's last stage (config keys {@code maintenance.*}).
 *
 * @param compactMinFiles a table is compacted (Delta OPTIMIZE, bin-packing small files within each
 *     partition) once its snapshot holds at least this many files; Delta's own auto-compaction
 *     threshold is the default (50)
 * @param retentionHours VACUUM deletes files no snapshot newer than this needs: time travel and
 *     {@code touchpoint lineage} can read table versions this far back. At least 168 (7 days,
 *     Delta's safety minimum against deleting files a running reader still needs)
 * @param vacuumDay the run date's weekday on which the nightly vacuums every table; null: never
 *     (vacuum with {@code touchpoint maintain --vacuum}). Not an Optional: the configuration is Serializable.
 */
public record Maintenance(int compactMinFiles, long retentionHours, DayOfWeek vacuumDay) implements Serializable {
  public static final long MIN_RETENTION_HOURS = 168;
  public static final Maintenance DEFAULT = new Maintenance(50, MIN_RETENTION_HOURS, DayOfWeek.SUNDAY);

  /** With the vacuum day as {@link #parseDay} gives it (empty: never). */
  public Maintenance(int compactMinFiles, long retentionHours, Optional<DayOfWeek> vacuumDay) {
    this(compactMinFiles, retentionHours, vacuumDay.orElse(null));
  }

  public Maintenance {
    if (compactMinFiles < 2) {
      throw Errors.config("use maintenance.compact-min-files=" + compactMinFiles, "compaction needs at least 2 files to merge",
          "Set maintenance.compact-min-files (or TOUCHPOINT_MAINTENANCE_COMPACT_MIN_FILES) to e.g. 50");
    }
    if (retentionHours < MIN_RETENTION_HOURS) {
      throw Errors.config("use maintenance.vacuum-retention-hours=" + retentionHours,
          "VACUUM must keep at least " + MIN_RETENTION_HOURS + " hours (7 days) of files: a shorter retention can delete files"
              + " that a running job or a time-travel read still needs",
          "Set maintenance.vacuum-retention-hours (or TOUCHPOINT_MAINTENANCE_VACUUM_RETENTION_HOURS) to 168 or more");
    }
  }

  /** Whether the nightly of {@code runDate} vacuums. */
  public boolean vacuumsOn(LocalDate runDate) {
    return vacuumDay == runDate.getDayOfWeek();
  }

  /** {@code maintenance.vacuum-day}: a weekday name (e.g. {@code sunday}) or {@code never}. */
  public static Optional<DayOfWeek> parseDay(String value) {
    String v = value.strip().toUpperCase(Locale.ROOT);
    if (v.equals("NEVER")) {
      return Optional.empty();
    }
    try {
      return Optional.of(DayOfWeek.valueOf(v));
    } catch (IllegalArgumentException e) {
      throw Errors.config("use maintenance.vacuum-day=" + value, "it is neither a weekday nor 'never'",
          "Set maintenance.vacuum-day (or TOUCHPOINT_MAINTENANCE_VACUUM_DAY) to e.g. sunday, or never");
    }
  }
}
