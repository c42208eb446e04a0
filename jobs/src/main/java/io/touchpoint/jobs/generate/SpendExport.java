package io.touchpoint.jobs.generate;

import io.touchpoint.jobs.generate.Events.Day;
import io.touchpoint.jobs.generate.Events.Touch;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * {@code ad_spend/<date>/spend.csv}: one row per paid channel × active campaign × day, plus the
 * owned channels' campaigns that sent something that day (store_visit has no spend).
 * Impressions are the platform's count: the logged (identified) touches × the channel's
 * impressions-per-touch; clicks are the logged clicks/opens (× 1.5 for paid media, whose platforms
 * also count unidentified clicks); spend is cost per logged touch, ±10% a day.
 */
final class SpendExport {
  static final List<String> COLUMNS = List.of("spend_date", "channel", "campaign_id", "spend_cny", "impressions", "clicks");
  private static final Table.Roles ROLES = new Table.Roles("spend_cny", null, "channel", null, null, "spend_cny", Set.of());

  private final World world;
  private final SplittableRandom r;
  private final long[] spendCents;

  SpendExport(World world, SplittableRandom r) {
    this.world = world;
    this.r = r;
    this.spendCents = new long[world.touchNames.length];
  }

  /** Spend per marketing channel so far (cents), clean of defects. */
  long[] spendCents() {
    return spendCents;
  }

  Table table(Day day) {
    String date = world.date(day.day()).toString();
    Table t = new Table("ad_spend", "ad_spend/" + date + "/spend.csv", Table.Format.CSV, StandardCharsets.UTF_8, false,
        ROLES, COLUMNS);
    int channels = world.touchNames.length;
    List<Map<String, long[]>> counts = new java.util.ArrayList<>();
    for (int c = 0; c < channels; c++) {
      Map<String, long[]> m = new TreeMap<>();
      if (world.paid(c)) {
        m.put(world.alwaysOn(c), new long[2]);
        String burst = world.burst(c, day.day());
        if (burst != null) {
          m.put(burst, new long[2]);
        }
      }
      counts.add(m);
    }
    for (Touch x : day.touches()) {
      if (world.touchNames[x.channel()].equals("store_visit")) {
        continue;
      }
      long[] n = counts.get(x.channel()).computeIfAbsent(x.campaign(), k -> new long[2]);
      n[0]++;
      if (!x.eventType().equals("impression") && !x.eventType().equals("visit")) {
        n[1]++;
      }
    }
    for (int c = 0; c < channels; c++) {
      Behaviour.TouchChannel ch = world.behaviour.touchChannels().get(c);
      for (Map.Entry<String, long[]> e : counts.get(c).entrySet()) {
        long touches = e.getValue()[0];
        long impressions = Math.round(touches * ch.impressionsPerTouch() * (0.9 + 0.2 * r.nextDouble()));
        double clickScale = ch.impressionsPerTouch() > 1 ? 1.5 : 1.0;
        long clicks = Math.min(impressions, Math.round(e.getValue()[1] * clickScale * (0.9 + 0.2 * r.nextDouble())));
        long cents = Math.round(touches * ch.costPerTouchCny() * (0.9 + 0.2 * r.nextDouble()) * 100);
        spendCents[c] += cents;
        t.add(date, ch.name(), e.getKey(), Formats.money(cents), String.valueOf(impressions), String.valueOf(clicks));
      }
    }
    return t;
  }
}
