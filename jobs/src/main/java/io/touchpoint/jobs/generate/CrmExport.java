package io.touchpoint.jobs.generate;

import io.touchpoint.jobs.generate.Events.Binding;
import io.touchpoint.jobs.generate.Events.Day;
import io.touchpoint.jobs.generate.Events.MemberRow;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** {@code crm/<date>/members.csv} and {@code bindings.csv}: the member master's daily changes. */
final class CrmExport {
  static final List<String> MEMBER_COLUMNS = List.of("member_id", "phone", "email", "registered_at",
      "registration_store_id", "registration_channel", "tier", "updated_at");
  static final List<String> BINDING_COLUMNS = List.of("member_id", "identifier_type", "identifier_value", "bound_at");
  private static final Table.Roles MEMBER_ROLES = new Table.Roles(null, "registered_at", null, null, null, "member_id",
      Set.of());
  private static final Table.Roles BINDING_ROLES = new Table.Roles(null, "bound_at", null, null, null, "member_id",
      Set.of());

  private final World world;

  CrmExport(World world) {
    this.world = world;
  }

  List<Table> tables(Day day) {
    String date = world.date(day.day()).toString();
    Table members = new Table("crm", "crm/" + date + "/members.csv", Table.Format.CSV, StandardCharsets.UTF_8, false,
        MEMBER_ROLES, MEMBER_COLUMNS);
    List<MemberRow> ms = new ArrayList<>(day.members());
    ms.sort(Comparator.comparingLong(MemberRow::updatedAt).thenComparing(MemberRow::memberId));
    for (MemberRow m : ms) {
      members.add(m.memberId(), m.phone(), m.email(), Formats.localWithOffset(m.registeredAt()), m.registrationStore(),
          m.registrationChannel(), m.tier(), Formats.localWithOffset(m.updatedAt()));
    }
    Table bindings = new Table("crm", "crm/" + date + "/bindings.csv", Table.Format.CSV, StandardCharsets.UTF_8, false,
        BINDING_ROLES, BINDING_COLUMNS);
    List<Binding> bs = new ArrayList<>(day.bindings());
    bs.sort(Comparator.comparingLong(Binding::boundAt).thenComparing(Binding::memberId).thenComparing(Binding::value));
    for (Binding x : bs) {
      bindings.add(x.memberId(), x.type(), x.value(), Formats.localWithOffset(x.boundAt()));
    }
    return List.of(members, bindings);
  }
}
