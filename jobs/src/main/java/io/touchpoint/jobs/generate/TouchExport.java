package io.touchpoint.jobs.generate;

import io.touchpoint.jobs.generate.Events.Day;
import io.touchpoint.jobs.generate.Events.Touch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** {@code touchpoints/<date>/touches.parquet}: the marketing touch log, in time order. */
final class TouchExport {
  static final List<String> COLUMNS = List.of("event_id", "event_type", "channel", "campaign_id", "device_id", "member_id",
      "phone_hash", "event_time");
  private static final Table.Roles ROLES = new Table.Roles(null, "event_time", "channel", null, null, null, Set.of());

  private final World world;

  TouchExport(World world) {
    this.world = world;
  }

  Table table(Day day) {
    Table t = new Table("touchpoints", "touchpoints/" + world.date(day.day()) + "/touches.parquet", Table.Format.PARQUET,
        StandardCharsets.UTF_8, false, ROLES, COLUMNS);
    List<Touch> touches = new ArrayList<>(day.touches());
    touches.sort(Comparator.comparingLong(Touch::epochMicros).thenComparingInt(Touch::person).thenComparingInt(Touch::channel));
    String prefix = "E" + world.date(day.day()).toString().replace("-", "");
    int seq = 100_000_000;
    for (Touch x : touches) {
      t.add(prefix + String.valueOf(++seq).substring(1), x.eventType(), world.touchNames[x.channel()], x.campaign(),
          x.deviceId(), x.memberId(), x.phoneHash(), String.valueOf(x.epochMicros()));
    }
    return t;
  }
}
