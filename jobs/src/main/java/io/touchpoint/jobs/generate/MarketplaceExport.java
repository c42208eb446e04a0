package io.touchpoint.jobs.generate;

import io.touchpoint.jobs.generate.Events.Day;
import io.touchpoint.jobs.generate.Events.Order;
import io.touchpoint.jobs.generate.Events.Refund;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** {@code marketplace/<date>/<platform>.csv}: the four platforms' order exports, each in its own shape. */
final class MarketplaceExport {
  static final String SUCCESS = "交易成功";
  static final String REFUNDED = "已退款";
  static final String PARTLY_REFUNDED = "部分退款";

  /** A platform's column names in contract order: id, buyer, paid, status, phone, time, refunded. */
  record Platform(String name, List<String> columns, Charset charset, boolean bom) {
    Table.Roles roles() {
      return new Table.Roles(columns.get(2), columns.get(5), null, columns.get(3), SUCCESS, columns.get(2), Set.of());
    }
  }

  static final List<Platform> PLATFORMS = List.of(
      new Platform("tmall", List.of("订单编号", "买家会员名", "买家实际支付金额", "订单状态", "收货人手机号", "订单创建时间", "退款金额"),
          DefectInjector.GBK, false),
      new Platform("jd", List.of("订单号", "下单帐号", "应付金额", "订单状态", "联系电话", "下单时间", "退款金额"),
          StandardCharsets.UTF_8, true),
      new Platform("pinduoduo", List.of("订单号", "用户昵称", "实收金额", "订单状态", "手机号", "成交时间", "退款金额"),
          DefectInjector.GBK, false),
      new Platform("douyin_shop", List.of("主订单编号", "买家昵称", "订单应付金额", "订单状态", "收件人手机号", "订单提交时间", "退款金额"),
          StandardCharsets.UTF_8, false));

  private final World world;

  MarketplaceExport(World world) {
    this.world = world;
  }

  List<Table> tables(Day day) {
    List<Table> out = new ArrayList<>();
    for (int k = 0; k < PLATFORMS.size(); k++) {
      Platform p = PLATFORMS.get(k);
      int channel = World.FIRST_PLATFORM + k;
      Table t = new Table("marketplace", "marketplace/" + world.date(day.day()) + "/" + p.name() + ".csv",
          Table.Format.CSV, p.charset(), p.bom(), p.roles(), p.columns());
      record Row(long at, String id, String[] fields) {}
      List<Row> rows = new ArrayList<>();
      for (Order o : day.orders()) {
        if (o.channel() == channel) {
          long at = world.epochSecond(o.day(), o.second());
          rows.add(new Row(at, o.id(), new String[] {o.id(), o.buyer(), Formats.money(o.amountCents()), SUCCESS, o.phone(),
              Formats.local(at), "0.00"}));
        }
      }
      for (Refund x : day.refunds()) {
        Order o = x.original();
        if (o.channel() == channel) {
          long at = world.epochSecond(x.day(), x.second());
          rows.add(new Row(at, o.id(), new String[] {o.id(), o.buyer(), Formats.money(o.amountCents()),
              x.full() ? REFUNDED : PARTLY_REFUNDED, o.phone(), Formats.local(world.epochSecond(o.day(), o.second())),
              Formats.money(x.amountCents())}));
        }
      }
      rows.sort(Comparator.comparingLong(Row::at).thenComparing(Row::id));
      rows.forEach(row -> t.add(row.fields()));
      out.add(t);
    }
    return out;
  }
}
