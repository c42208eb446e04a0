package io.touchpoint.jobs.generate;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Breaks rows and files on purpose, at a fixed rate and from its own random stream (so the
 * simulated world and the truth files do not depend on it), and records each fault.
 */
final class DefectInjector {
  enum Kind {
    MALFORMED_LINE, DUPLICATE_ROW, NEGATIVE_AMOUNT, NON_NUMERIC_AMOUNT, UNKNOWN_CHANNEL, BAD_TIMESTAMP,
    WRONG_ENCODING, MISSING_COLUMN;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One injected fault; {@code row} is the 1-based data row, null for a file-level fault. */
  record Defect(String source, String file, Integer row, Kind kind) {}

  static final Charset GBK = Charset.forName("GBK");
  private static final String[] UNPARSEABLE = {"2026-13-45 27:61:00", "31/02/2026 25:00", "yesterday 8pm", "0000-00-00 00:00:00"};
  private static final String[] UNKNOWN_WEB_CHANNELS = {"h5", "wap", "kiosk"};
  private static final String[] UNKNOWN_TOUCH_CHANNELS = {"tv_ads", "radio", "billboard"};
  private static final long SEVENTY_YEARS_MICROS = 70L * 365 * 86_400 * 1_000_000;

  private final double rate;
  private final SplittableRandom r;
  private final Map<String, Kind> fileFaults;
  private final List<Defect> defects = new ArrayList<>();

  DefectInjector(double rate, SplittableRandom r, Map<String, Kind> fileFaults) {
    this.rate = rate;
    this.r = r;
    this.fileFaults = fileFaults;
  }

  List<Defect> defects() {
    return defects;
  }

  void apply(Table t) {
    Kind fileFault = fileFaults.get(t.file);
    if (fileFault != null) {
      if (fileFault == Kind.WRONG_ENCODING) {
        t.writtenCharset = t.charset.equals(StandardCharsets.UTF_8) ? GBK : StandardCharsets.UTF_8;
      } else {
        t.dropColumn(t.roles.required());
      }
      defects.add(new Defect(t.source, t.file, null, fileFault));
      return;
    }
    if (rate <= 0 || t.rows.isEmpty()) {
      return;
    }
    List<String[]> in = new ArrayList<>(t.rows);
    t.rows.clear();
    for (String[] row : in) {
      if (r.nextDouble() >= rate) {
        t.rows.add(row);
        continue;
      }
      List<Kind> kinds = candidates(t, row);
      Kind kind = kinds.get(r.nextInt(kinds.size()));
      if (kind == Kind.DUPLICATE_ROW) {
        t.rows.add(row);
        t.rows.add(row.clone());
      } else {
        t.rows.add(damage(t, row.clone(), kind));
      }
      defects.add(new Defect(t.source, t.file, t.rows.size(), kind));
    }
  }

  private static List<Kind> candidates(Table t, String[] row) {
    List<Kind> kinds = new ArrayList<>(6);
    kinds.add(Kind.DUPLICATE_ROW);
    if (t.format != Table.Format.PARQUET) {
      kinds.add(Kind.MALFORMED_LINE);
    }
    if (t.roles.amount() != null) {
      kinds.add(Kind.NON_NUMERIC_AMOUNT);
      if (t.isSale(row)) {
        kinds.add(Kind.NEGATIVE_AMOUNT);
      }
    }
    if (t.roles.channel() != null) {
      kinds.add(Kind.UNKNOWN_CHANNEL);
    }
    if (t.roles.time() != null) {
      kinds.add(Kind.BAD_TIMESTAMP);
    }
    return kinds;
  }

  private String[] damage(Table t, String[] row, Kind kind) {
    switch (kind) {
      case MALFORMED_LINE -> t.raw.put(t.rows.size(), malformed(t, row));
      case NEGATIVE_AMOUNT -> {
        int k = t.column(t.roles.amount());
        row[k] = "-" + row[k];
      }
      case NON_NUMERIC_AMOUNT -> {
        int k = t.column(t.roles.amount());
        String v = row[k];
        row[k] = switch (r.nextInt(4)) {
          case 0 -> "¥" + v;
          case 1 -> v + "元";
          case 2 -> v.indexOf('0') >= 0 ? v.replace('0', 'O') : "N/A";
          default -> "N/A";
        };
      }
      case UNKNOWN_CHANNEL -> {
        int k = t.column(t.roles.channel());
        row[k] = t.source.equals("webshop") ? pick(UNKNOWN_WEB_CHANNELS) : pick(UNKNOWN_TOUCH_CHANNELS);
      }
      case BAD_TIMESTAMP -> {
        int k = t.column(t.roles.time());
        String v = row[k];
        if (t.format == Table.Format.PARQUET) {
          row[k] = String.valueOf(Long.parseLong(v) + SEVENTY_YEARS_MICROS);
        } else if (r.nextBoolean()) {
          row[k] = "2099" + v.substring(4);
        } else {
          row[k] = t.format == Table.Format.JSONL ? "2026-13-45T27:61:00Z" : pick(UNPARSEABLE);
        }
      }
      default -> throw new IllegalStateException(kind.name());
    }
    return row;
  }

  private String malformed(Table t, String[] row) {
    String line = t.line(row);
    if (t.format == Table.Format.JSONL) {
      return line.substring(0, line.length() / 2);
    }
    if (r.nextBoolean()) {
      return Table.csv(Arrays.copyOf(row, Math.max(1, row.length / 2)));
    }
    return line + ",#ERR";
  }

  private String pick(String[] values) {
    return values[r.nextInt(values.length)];
  }
}
