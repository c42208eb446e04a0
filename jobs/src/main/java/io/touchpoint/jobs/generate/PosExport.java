package io.touchpoint.jobs.generate;

import io.touchpoint.jobs.generate.Events.Day;
import io.touchpoint.jobs.generate.Events.Order;
import io.touchpoint.jobs.generate.Events.Refund;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** {@code pos/<date>/tickets.csv}: store sales and refund tickets. */
final class PosExport {
  static final List<String> COLUMNS = List.of("ticket_id", "store_id", "terminal_id", "ticket_time", "member_id", "phone",
      "amount_cny", "items", "payment_method", "original_ticket_id");
  private static final Table.Roles ROLES = new Table.Roles("amount_cny", "ticket_time", null, "original_ticket_id", "",
      "amount_cny", Set.of());

  private final World world;

  PosExport(World world) {
    this.world = world;
  }

  Table table(Day day) {
    Table t = new Table("pos", "pos/" + world.date(day.day()) + "/tickets.csv", Table.Format.CSV, StandardCharsets.UTF_8,
        false, ROLES, COLUMNS);
    record Row(long at, String id, String[] fields) {}
    List<Row> rows = new ArrayList<>();
    for (Order o : day.orders()) {
      if (o.channel() == World.STORE) {
        long at = world.epochSecond(o.day(), o.second());
        rows.add(new Row(at, o.id(), new String[] {o.id(), world.storeId(o.store()), "T" + o.terminal(),
            Formats.localWithOffset(at), o.memberId(), o.phone(), Formats.money(o.amountCents()), String.valueOf(o.items()),
            o.payment(), null}));
      }
    }
    for (Refund x : day.refunds()) {
      Order o = x.original();
      if (o.channel() == World.STORE) {
        long at = world.epochSecond(x.day(), x.second());
        int items = x.full() ? o.items() : (int) Math.max(1, Math.round(o.items() * (double) x.amountCents() / o.amountCents()));
        rows.add(new Row(at, x.id(), new String[] {x.id(), world.storeId(o.store()), "T" + x.terminal(),
            Formats.localWithOffset(at), o.memberId(), o.phone(), Formats.money(-x.amountCents()), String.valueOf(-items),
            o.payment(), o.id()}));
      }
    }
    rows.sort(Comparator.comparingLong(Row::at).thenComparing(Row::id));
    rows.forEach(row -> t.add(row.fields()));
    return t;
  }
}
