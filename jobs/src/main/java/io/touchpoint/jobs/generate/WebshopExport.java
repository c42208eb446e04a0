package io.touchpoint.jobs.generate;

import io.touchpoint.jobs.generate.Events.Day;
import io.touchpoint.jobs.generate.Events.Order;
import io.touchpoint.jobs.generate.Events.Refund;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** {@code webshop/<date>/orders.jsonl}: own web shop, app and mini-program orders and refunds. */
final class WebshopExport {
  static final List<String> FIELDS = List.of("order_id", "type", "original_order_id", "channel", "member_id", "device_id",
      "phone", "created_at", "total", "coupon");
  private static final Table.Roles ROLES = new Table.Roles("total", "created_at", "channel", "type", "order", "total",
      Set.of("total"));

  private final World world;

  WebshopExport(World world) {
    this.world = world;
  }

  static String channel(int salesChannel) {
    return salesChannel == World.WEBSHOP ? "web" : World.SALES.get(salesChannel);
  }

  Table table(Day day) {
    Table t = new Table("webshop", "webshop/" + world.date(day.day()) + "/orders.jsonl", Table.Format.JSONL,
        StandardCharsets.UTF_8, false, ROLES, FIELDS);
    record Row(long at, String id, String[] fields) {}
    List<Row> rows = new ArrayList<>();
    for (Order o : day.orders()) {
      if (o.channel() >= World.WEBSHOP && o.channel() <= World.MINI_PROGRAM) {
        long at = world.epochSecond(o.day(), o.second());
        rows.add(new Row(at, o.id(), new String[] {o.id(), "order", null, channel(o.channel()), o.memberId(), o.deviceId(),
            o.phone(), Formats.utc(at), Formats.money(o.amountCents()), o.coupon()}));
      }
    }
    for (Refund x : day.refunds()) {
      Order o = x.original();
      if (o.channel() >= World.WEBSHOP && o.channel() <= World.MINI_PROGRAM) {
        long at = world.epochSecond(x.day(), x.second());
        rows.add(new Row(at, x.id(), new String[] {x.id(), "refund", o.id(), channel(o.channel()), o.memberId(),
            o.deviceId(), o.phone(), Formats.utc(at), Formats.money(-x.amountCents()), null}));
      }
    }
    rows.sort(Comparator.comparingLong(Row::at).thenComparing(Row::id));
    rows.forEach(row -> t.add(row.fields()));
    return t;
  }
}
