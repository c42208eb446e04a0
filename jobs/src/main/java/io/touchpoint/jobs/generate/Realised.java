package io.touchpoint.jobs.generate;

import io.touchpoint.jobs.generate.Events.Day;
import io.touchpoint.jobs.generate.Events.Order;
import io.touchpoint.jobs.generate.Events.Refund;
import io.touchpoint.jobs.generate.Events.Touch;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The figures a run realised, counted from the clean events (defects do not change them). */
final class Realised {
  private static final List<String> ECOMMERCE_MEDIA = List.of("search_ads", "display", "affiliate");
  private static final List<String> SOCIAL_MEDIA = List.of("social_ads", "content_seeding", "live_stream");

  private final World world;
  private final int sales = World.SALES.size();
  private final long[] orders = new long[sales];
  private final long[] grossCents = new long[sales];
  private final long[] refunds = new long[sales];
  private final long[] refundCents = new long[sales];
  private final int[] personOrders;
  private final int[] personChannels;
  private final long[] personNetCents;
  private final int[] touchedChannels;
  private final long[] touches;
  private final long[] newByLastTouch;
  private long newCustomers;
  private long onlineOrders;
  private long onlineAfterStoreVisit;

  Realised(World world) {
    this.world = world;
    int n = world.persons.size();
    personOrders = new int[n];
    personChannels = new int[n];
    personNetCents = new long[n];
    touchedChannels = new int[n];
    touches = new long[world.touchNames.length];
    newByLastTouch = new long[world.touchNames.length + 1];
  }

  void day(Day day) {
    for (Order o : day.orders()) {
      orders[o.channel()]++;
      grossCents[o.channel()] += o.amountCents();
      personOrders[o.person()]++;
      personChannels[o.person()] |= 1 << o.channel();
      personNetCents[o.person()] += o.amountCents();
      if (o.channel() != World.STORE) {
        onlineOrders++;
        if (o.afterStoreVisit()) {
          onlineAfterStoreVisit++;
        }
      }
      if (o.newCustomer()) {
        newCustomers++;
        newByLastTouch[o.lastTouch() < 0 ? world.touchNames.length : o.lastTouch()]++;
      }
    }
    for (Refund x : day.refunds()) {
      refunds[x.original().channel()]++;
      refundCents[x.original().channel()] += x.amountCents();
      personNetCents[x.original().person()] -= x.amountCents();
    }
    for (Touch t : day.touches()) {
      touches[t.channel()]++;
      touchedChannels[t.person()] |= 1 << t.channel();
    }
  }

  long orders() {
    return Arrays.stream(orders).sum();
  }

  long touches() {
    return Arrays.stream(touches).sum();
  }

  Map<String, Object> figures(long[] spendCents) {
    Map<String, Object> f = new LinkedHashMap<>();
    long totalOrders = orders();
    long purchasers = 0;
    long repeaters = 0;
    long repeatersCross = 0;
    long purchasersCross = 0;
    long online = 0;
    long offline = 0;
    long both = 0;
    long multiTouched = 0;
    int storeBit = 1 << World.STORE;
    long[] net = new long[personOrders.length];
    int k = 0;
    for (int i = 0; i < personOrders.length; i++) {
      if (Integer.bitCount(touchedChannels[i]) >= 2) {
        multiTouched++;
      }
      if (personOrders[i] == 0) {
        continue;
      }
      purchasers++;
      net[k++] = personNetCents[i];
      boolean cross = Integer.bitCount(personChannels[i]) >= 2;
      if (cross) {
        purchasersCross++;
      }
      if (personOrders[i] >= 2) {
        repeaters++;
        if (cross) {
          repeatersCross++;
        }
      }
      boolean off = (personChannels[i] & storeBit) != 0;
      boolean on = (personChannels[i] & ~storeBit) != 0;
      offline += off ? 1 : 0;
      online += on ? 1 : 0;
      both += off && on ? 1 : 0;
    }
    long[] sorted = Arrays.copyOf(net, k);
    Arrays.sort(sorted);
    long top = 0;
    long all = 0;
    int topCount = (int) Math.ceil(k * 0.2);
    for (int i = 0; i < k; i++) {
      all += sorted[i];
      if (i >= k - topCount) {
        top += sorted[i];
      }
    }
    long marketplaceOrders = 0;
    for (int c = World.FIRST_PLATFORM; c < sales; c++) {
      marketplaceOrders += orders[c];
    }
    f.put("customers", personOrders.length);
    f.put("purchasing_customers", purchasers);
    f.put("new_customers", newCustomers);
    f.put("repeat_purchasers", repeaters);
    f.put("repeat_rate", ratio(repeaters, purchasers));
    f.put("orders", totalOrders);
    f.put("refunds", Arrays.stream(refunds).sum());
    f.put("refund_share_of_orders", ratio(Arrays.stream(refunds).sum(), totalOrders));
    f.put("revenue_gross_cny", cny(Arrays.stream(grossCents).sum()));
    f.put("revenue_net_cny", cny(Arrays.stream(grossCents).sum() - Arrays.stream(refundCents).sum()));
    Map<String, Object> byChannel = new LinkedHashMap<>();
    for (int c = 0; c < sales; c++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("orders", orders[c]);
      m.put("revenue_gross_cny", cny(grossCents[c]));
      m.put("refunds", refunds[c]);
      m.put("refunded_cny", cny(refundCents[c]));
      m.put("revenue_net_cny", cny(grossCents[c] - refundCents[c]));
      m.put("average_order_value_cny", orders[c] == 0 ? 0.0 : cny(grossCents[c] / orders[c]));
      byChannel.put(World.SALES.get(c), m);
    }
    f.put("sales_channels", byChannel);
    f.put("store_share_of_orders", ratio(orders[World.STORE], totalOrders));
    f.put("marketplace_share_of_online_orders", ratio(marketplaceOrders, onlineOrders));
    f.put("online_offline_overlap", ratio(both, online + offline - both));
    f.put("cross_channel_share_of_repeat_purchasers", ratio(repeatersCross, repeaters));
    f.put("cross_channel_share_of_purchasers", ratio(purchasersCross, purchasers));
    f.put("top20_revenue_share", ratio(top, all));
    f.put("online_orders_after_store_visit_14d_share", ratio(onlineAfterStoreVisit, onlineOrders));
    f.put("persons_touched_by_2plus_marketing_channels_share", ratio(multiTouched, personOrders.length));
    Map<String, Object> marketing = new LinkedHashMap<>();
    long ecomSpend = 0;
    long ecomNew = 0;
    long socialSpend = 0;
    long socialNew = 0;
    for (int c = 0; c < world.touchNames.length; c++) {
      String name = world.touchNames[c];
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("touches", touches[c]);
      m.put("spend_cny", cny(spendCents[c]));
      m.put("new_customers_last_touch", newByLastTouch[c]);
      m.put("last_touch_cac_cny", newByLastTouch[c] == 0 ? null : cny(spendCents[c] / newByLastTouch[c]));
      marketing.put(name, m);
      if (ECOMMERCE_MEDIA.contains(name)) {
        ecomSpend += spendCents[c];
        ecomNew += newByLastTouch[c];
      } else if (SOCIAL_MEDIA.contains(name)) {
        socialSpend += spendCents[c];
        socialNew += newByLastTouch[c];
      }
    }
    f.put("marketing_channels", marketing);
    f.put("new_customers_without_touch", newByLastTouch[world.touchNames.length]);
    f.put("spend_cny", cny(Arrays.stream(spendCents).sum()));
    Double ecomCac = ecomNew == 0 ? null : cny(ecomSpend / ecomNew);
    Double socialCac = socialNew == 0 ? null : cny(socialSpend / socialNew);
    f.put("ecommerce_media_last_touch_cac_cny", ecomCac);
    f.put("social_media_last_touch_cac_cny", socialCac);
    f.put("social_to_ecommerce_cac_ratio", ecomCac == null || socialCac == null ? null : round(socialCac / ecomCac));
    return f;
  }

  private static double ratio(long a, long b) {
    return b == 0 ? 0.0 : round((double) a / b);
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }

  private static double cny(long cents) {
    return cents / 100.0;
  }
}
