package io.touchpoint.jobs.generate;

import io.touchpoint.jobs.generate.Events.Binding;
import io.touchpoint.jobs.generate.Events.Day;
import io.touchpoint.jobs.generate.Events.MemberRow;
import io.touchpoint.jobs.generate.Events.Order;
import io.touchpoint.jobs.generate.Events.Refund;
import io.touchpoint.jobs.generate.Events.Touch;
import io.touchpoint.pii.Pii;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Steps the world one day at a time. Per person and day: the hazard multiplier comes from the
 * touches of the previous {@code effectWindowDays} days, then the day's touches are drawn, then
 * whether (and where, when, how much) the person buys.
 *
 * <p>Every person-day draws from its own random stream, derived from the run's seed, the person
 * and the day. That is what makes counterfactual runs comparable: a simulator built with a
 * {@code removed} marketing channel draws exactly the same numbers, but that channel's touches are
 * not delivered (not logged and without effect on the hazard), so each person-day differs from the
 * factual run only through what the missing touches caused (common random numbers).
 * {@link Incrementality} counts the purchases lost that way.
 */
final class Simulator {
  private static final String[] PAYMENTS = {"wechat_pay", "alipay", "card", "unionpay", "cash"};
  private static final double[] PAYMENT_WEIGHTS = {0.45, 0.30, 0.10, 0.08, 0.07};
  private static final String[] COUPONS = {"NEW20", "VIP50", "FULL300-30", "MEMBER10", "FLASH15", "APPONLY8"};
  private static final String[] TIERS = {"regular", "silver", "gold", "platinum"};
  private static final long[] TIER_SPEND_CENTS = {0, 100_000, 300_000, 800_000};
  private static final int LAST_TOUCH_WINDOW_DAYS = 30;
  private static final long EXPERIENCE_WINDOW_SECONDS = 14 * 86_400L;

  private final World world;
  private final Behaviour b;
  /** Draws of the current person-day, or {@link #global} outside the per-person loop. */
  private SplittableRandom r;
  private final SplittableRandom global;
  private final long personDaySeed;
  private final int removed;
  private final int n;
  private final int channels;
  private final int sms;
  private final int appPush;
  private final int search;
  private final int storeVisit;
  private final double[] effect;
  private final String[] phoneHash;
  private final boolean[] alive;
  private final int[] droppedOutDay;
  private final boolean[] customer;
  private final int[] registrationDay;
  private final int[] lastTouchDay;
  private final int[] lastTouchChannel;
  private final long[] lastTouchSecond;
  private final long[] lastStoreVisit;
  private final int[] smsDue;
  private final int[] pushDue;
  private final byte[] tier;
  private final long[] windowSpend;
  private final List<Refund>[] pendingRefunds;
  private final List<Binding>[] pendingBindings;
  private final int[] storeSequence;
  private final String[] registrationStore;
  private final String[] registrationChannel;
  private final long[] registeredAtInWindow;
  private final double[][] touchHours;
  private long webshopSequence = 1_000_000_000L;
  private final long[] platformSequence = new long[World.PLATFORMS.size()];
  private final int[] todayChannel = new int[64];
  private final long[] todaySecond = new long[64];

  Simulator(World world, Pii pii, SplittableRandom r) {
    this(world, pii, r, -1);
  }

  /**
   * @param removed index of the marketing channel (in {@code world.touchNames}) whose touches are
   *     not delivered, or -1 for the factual world
   */
  @SuppressWarnings("unchecked")
  Simulator(World world, Pii pii, SplittableRandom r, int removed) {
    this.world = world;
    this.b = world.behaviour;
    this.global = r.split();
    this.personDaySeed = r.nextLong();
    this.r = global;
    this.removed = removed;
    this.n = world.persons.size();
    this.channels = world.touchNames.length;
    List<String> names = Arrays.asList(world.touchNames);
    this.sms = names.indexOf("sms");
    this.appPush = names.indexOf("app_push");
    this.search = names.indexOf("search_ads");
    this.storeVisit = names.indexOf("store_visit");
    this.effect = b.touchChannels().stream().mapToDouble(Behaviour.TouchChannel::effect).toArray();
    this.phoneHash = new String[n];
    this.alive = new boolean[n];
    this.droppedOutDay = new int[n];
    this.customer = new boolean[n];
    this.registrationDay = new int[n];
    this.lastTouchDay = new int[n * channels];
    this.lastTouchChannel = new int[n];
    this.lastTouchSecond = new long[n];
    this.lastStoreVisit = new long[n];
    this.smsDue = new int[n];
    this.pushDue = new int[n];
    this.tier = new byte[n];
    this.windowSpend = new long[n];
    this.pendingRefunds = new List[world.config.days()];
    this.pendingBindings = new List[world.config.days()];
    for (int d = 0; d < pendingRefunds.length; d++) {
      pendingRefunds[d] = new ArrayList<>();
      pendingBindings[d] = new ArrayList<>();
    }
    this.storeSequence = new int[world.stores];
    this.registrationStore = new String[n];
    this.registrationChannel = new String[n];
    this.registeredAtInWindow = new long[n];
    this.touchHours = new double[channels][];
    for (int c = 0; c < channels; c++) {
      String name = world.touchNames[c];
      touchHours[c] = switch (name) {
        case "sms", "email", "app_push" -> Hours.SEND;
        case "store_visit", "offline_event" -> Hours.STORE;
        default -> Hours.MEDIA;
      };
    }
    Arrays.fill(lastTouchDay, Integer.MIN_VALUE / 2);
    Arrays.fill(lastTouchChannel, -1);
    Arrays.fill(lastStoreVisit, Long.MIN_VALUE / 2);
    Arrays.fill(smsDue, -1);
    Arrays.fill(pushDue, -1);
    for (Person p : world.persons) {
      int i = p.index();
      phoneHash[i] = pii.phoneHash(p.phone());
      alive[i] = true;
      droppedOutDay[i] = -1;
      customer[i] = !p.prospect();
      registrationDay[i] = p.registrationDay();
      tier[i] = (byte) Arrays.asList(TIERS).indexOf(p.initialTier());
    }
  }

  private record Purchase(Order draft, int refundDay, int refundSecond, long refundCents) {}

  Day simulate(int d) {
    Arrays.fill(storeSequence, 0);
    List<Touch> touches = new ArrayList<>();
    List<Purchase> purchases = new ArrayList<>();
    Map<String, MemberRow> members = new LinkedHashMap<>();
    r = global;
    if (d == 0) {
      initialMaster(members);
    }
    int window = b.effectWindowDays();
    for (int i = 0; i < n; i++) {
      Person p = world.persons.get(i);
      r = personDay(i, d);
      int base = i * channels;
      double logit = 0;
      for (int c = 0; c < channels; c++) {
        if (lastTouchDay[base + c] >= d - window) {
          logit += effect[c];
        }
      }
      if (registrationDay[i] == d && !p.prospect()) {
        register(p, d, Hours.secondOfDay(r, Hours.STORE), p.home(), members);
      }
      int today = 0;
      for (int c = 0; c < channels; c++) {
        double reach = p.reach()[c];
        if (reach == 0 || !eligible(p, c, d)) {
          continue;
        }
        String burst = world.paid(c) ? world.burst(c, d) : null;
        if (r.nextDouble() < (burst == null ? reach : Math.min(0.95, reach * 1.5))) {
          String campaign = burst != null && r.nextBoolean() ? burst : world.alwaysOn(c);
          if (c == storeVisit) {
            campaign = world.footfall(p.uses(World.STORE) ? p.homeStore() : r.nextInt(world.stores));
          }
          int second = Hours.secondOfDay(r, touchHours[c]);
          today = touch(touches, p, c, campaign, d, second, null, today);
        }
      }
      if (smsDue[i] == d) {
        today = touch(touches, p, sms, world.repurchase(sms), d, Hours.secondOfDay(r, Hours.SEND), null, today);
      }
      if (pushDue[i] == d) {
        today = touch(touches, p, appPush, world.repurchase(appPush), d, Hours.secondOfDay(r, Hours.SEND), null, today);
      }
      if (alive[i] && d >= p.arrivalDay() && r.nextDouble() < Math.min(b.maxDailyProbability(), p.rate() * Math.exp(logit))) {
        today = purchase(p, d, touches, purchases, members, today);
      }
      for (int k = 0; k < today; k++) {
        lastTouchDay[base + todayChannel[k]] = d;
        long at = world.epochSecond(d, (int) todaySecond[k]);
        if (at >= lastTouchSecond[i] || lastTouchChannel[i] < 0) {
          lastTouchSecond[i] = at;
          lastTouchChannel[i] = todayChannel[k];
        }
        if (todayChannel[k] == storeVisit) {
          lastStoreVisit[i] = Math.max(lastStoreVisit[i], at);
        }
      }
    }
    r = global;
    List<Order> orders = orders(d, purchases);
    List<Refund> refunds = refunds(d);
    return new Day(d, orders, refunds, touches, new ArrayList<>(members.values()), pendingBindings[d]);
  }

  /** The random stream of one person-day: the same in the factual and every counterfactual run. */
  private SplittableRandom personDay(int person, int day) {
    long h = personDaySeed + person * 0x9E3779B97F4A7C15L + day * 0xC2B2AE3D27D4EB4FL;
    h = (h ^ (h >>> 33)) * 0xFF51AFD7ED558CCDL;
    h = (h ^ (h >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return new SplittableRandom(h ^ (h >>> 33));
  }

  private boolean eligible(Person p, int c, int d) {
    return switch (b.touchChannels().get(c).audience()) {
      case DEVICE, STORE_GOER -> true;
      case PHONE -> customer[p.index()];
      default -> registrationDay[p.index()] <= d;
    };
  }

  private int touch(List<Touch> touches, Person p, int c, String campaign, int d, int second, String device, int today) {
    Behaviour.TouchChannel t = b.touchChannels().get(c);
    boolean member = registrationDay[p.index()] <= d;
    String deviceId = null;
    String memberId = null;
    String hash = null;
    switch (t.audience()) {
      case PHONE -> hash = phoneHash[p.index()];
      case MEMBER, MEMBER_EMAIL, WECHAT_GROUP, STORE_MEMBER -> memberId = p.memberId();
      case APP_MEMBER -> {
        deviceId = p.device('A');
        memberId = p.memberId();
      }
      default -> {
        int k = r.nextInt(p.devices().length);
        if (c == storeVisit) {
          int phone = p.deviceIndex('O') >= 0 ? p.deviceIndex('O') : p.deviceIndex('A');
          k = phone >= 0 ? phone : k;
        } else if (device != null) {
          for (int j = 0; j < p.devices().length; j++) {
            if (p.devices()[j].equals(device)) {
              k = j;
            }
          }
        }
        deviceId = p.devices()[k];
        char type = p.deviceTypes()[k];
        double login = type == 'A' || type == 'M' ? 0.6 : type == 'B' ? 0.2 : 0.0;
        if (member && r.nextDouble() < login) {
          memberId = p.memberId();
        }
      }
    }
    String event = t.eventType();
    if (t.clickShare() > 0 && t.clickShare() < 1 && r.nextDouble() < t.clickShare()) {
      event = "open".equals(event) ? "click" : "impression".equals(event) && (c == sms || c == appPush) ? "open" : "click";
    }
    long micros = world.epochSecond(d, second) * 1_000_000L + r.nextInt(1_000_000);
    if (c == removed) {
      return today; // drawn like any touch, so later draws stay in step, but never delivered
    }
    touches.add(new Touch(p.index(), c, event, campaign, deviceId, memberId, hash, micros));
    if (today < todayChannel.length) {
      todayChannel[today] = c;
      todaySecond[today] = second;
      return today + 1;
    }
    return today;
  }

  private int purchase(Person p, int d, List<Touch> touches, List<Purchase> purchases, Map<String, MemberRow> members,
      int today) {
    int i = p.index();
    int[] cs = p.channels();
    int channel = cs.length == 1 || r.nextDouble() < b.homeChannelShare() ? cs[0] : cs[1 + r.nextInt(cs.length - 1)];
    boolean store = channel == World.STORE;
    int second = Hours.secondOfDay(r, store ? Hours.STORE : Hours.ONLINE);
    double value = p.meanSpendCny() * b.salesChannels().get(channel).orderValueFactor()
        * Draw.gamma(r, b.orderShape(), 1 / b.orderShape());
    long cents = Math.max(990, Math.round(value * 10) * 10);
    if (registrationDay[i] == Person.AT_FIRST_PURCHASE) {
      registrationDay[i] = d;
      int regChannel = channel <= World.MINI_PROGRAM ? channel : World.MINI_PROGRAM;
      register(p, d, Math.max(0, second - 300), regChannel, members);
    }
    boolean member = registrationDay[i] <= d;
    String memberId = null;
    String deviceId = null;
    String phone = null;
    String buyer = null;
    int storeIndex = -1;
    int terminal = 0;
    String payment = null;
    String coupon = null;
    switch (channel) {
      case World.STORE -> {
        storeIndex = r.nextDouble() < 0.85 ? p.homeStore() : r.nextInt(world.stores);
        terminal = 1 + r.nextInt(world.terminals(storeIndex));
        memberId = member && r.nextDouble() < b.posMemberShare() ? p.memberId() : null;
        phone = r.nextDouble() < b.posPhoneShare() ? Names.typed(p.phone(), r) : null;
        payment = PAYMENTS[Draw.weighted(r, PAYMENT_WEIGHTS)];
      }
      case World.WEBSHOP, World.APP, World.MINI_PROGRAM -> {
        char type = channel == World.APP ? 'A' : channel == World.MINI_PROGRAM ? 'M' : 'B';
        deviceId = p.device(type);
        double login = channel == World.WEBSHOP ? 0.35 : channel == World.APP ? 0.9 : 0.85;
        memberId = member && r.nextDouble() < login ? p.memberId() : null;
        phone = r.nextDouble() < (channel == World.WEBSHOP ? 0.95 : 0.7) ? Names.typed(p.phone(), r) : null;
        coupon = r.nextDouble() < 0.2 ? COUPONS[r.nextInt(COUPONS.length)] : null;
      }
      default -> {
        buyer = p.buyers()[channel - World.FIRST_PLATFORM];
        phone = Names.masked(p.phone());
      }
    }
    if (!store && r.nextDouble() < b.navigationalSearchRate() && second >= 120) {
      today = touch(touches, p, search, world.alwaysOn(search), d, second - 60 - r.nextInt(Math.min(1800, second - 60)),
          deviceId, today);
    }
    if (store && r.nextDouble() < b.storeProbeAtPurchaseRate()) {
      today = touch(touches, p, storeVisit, world.footfall(storeIndex), d, Math.max(0, second - 60 - r.nextInt(900)),
          null, today);
    }
    long at = world.epochSecond(d, second);
    int lastTouch = -1;
    long lastAt = Long.MIN_VALUE;
    long storeVisitAt = lastStoreVisit[i];
    for (int k = 0; k < today; k++) {
      long t = world.epochSecond(d, (int) todaySecond[k]);
      if (t < at && t >= lastAt) {
        lastAt = t;
        lastTouch = todayChannel[k];
      }
      if (t < at && todayChannel[k] == storeVisit) {
        storeVisitAt = Math.max(storeVisitAt, t);
      }
    }
    if (lastTouch < 0 && lastTouchChannel[i] >= 0 && lastTouchSecond[i] >= at - LAST_TOUCH_WINDOW_DAYS * 86_400L) {
      lastTouch = lastTouchChannel[i];
    }
    boolean afterStoreVisit = !store && storeVisitAt >= at - EXPERIENCE_WINDOW_SECONDS;
    int items = (int) Math.max(1, Math.round(cents / 100.0 / (80 + 120 * r.nextDouble())));
    Order draft = new Order(i, d, second, channel, null, cents, items, memberId, deviceId, phone, buyer, storeIndex,
        terminal, payment, coupon, !customer[i], lastTouch, afterStoreVisit);
    customer[i] = true;
    int refundDay = -1;
    int refundSecond = 0;
    long refundCents = 0;
    if (r.nextDouble() < b.refundRate()) {
      refundDay = d + 1 + r.nextInt(b.refundMaxDays());
      refundSecond = Hours.secondOfDay(r, store ? Hours.STORE : Hours.ONLINE);
      refundCents = r.nextDouble() < b.partialRefundShare()
          ? Math.max(100, Math.round(cents * (0.2 + 0.5 * r.nextDouble()) / 10.0) * 10) : cents;
    }
    purchases.add(new Purchase(draft, refundDay, refundSecond, refundCents));
    if (member) {
      windowSpend[i] += cents;
      upgradeTier(p, d, second, members);
    }
    if (r.nextDouble() < p.dropout()) {
      alive[i] = false;
      droppedOutDay[i] = d;
    }
    if (r.nextDouble() < b.postPurchaseSmsRate()) {
      smsDue[i] = d + 1 + r.nextInt(3);
    }
    if (member && p.device('A') != null && r.nextDouble() < b.postPurchasePushRate()) {
      pushDue[i] = d + 1 + r.nextInt(3);
    }
    return today;
  }

  private void upgradeTier(Person p, int d, int second, Map<String, MemberRow> members) {
    int i = p.index();
    int target = tier[i];
    for (int t = TIERS.length - 1; t > tier[i]; t--) {
      if (windowSpend[i] >= TIER_SPEND_CENTS[t]) {
        target = t;
        break;
      }
    }
    if (target > tier[i]) {
      tier[i] = (byte) target;
      MemberRow previous = members.get(p.memberId());
      long registeredAt = previous != null ? previous.registeredAt() : registeredAt(p);
      members.put(p.memberId(), memberRow(p, registeredAt, previous, world.epochSecond(d, Math.min(86_399, second + 60))));
    }
  }

  private long registeredAt(Person p) {
    return p.registrationDay() < 0 ? p.registeredAtBefore() : registeredAtInWindow[p.index()];
  }


  private MemberRow memberRow(Person p, long registeredAt, MemberRow previous, long updatedAt) {
    int i = p.index();
    String regStore = previous != null ? previous.registrationStore() : registrationStore[i];
    String regChannel = previous != null ? previous.registrationChannel() : registrationChannel[i];
    return new MemberRow(p.memberId(), Names.typed(p.phone(), r), p.email() == null ? null : Names.typedEmail(p.email(), r),
        registeredAt, regStore, regChannel, TIERS[tier[i]], updatedAt);
  }

  private void register(Person p, int d, int second, int channel, Map<String, MemberRow> members) {
    int i = p.index();
    int regChannel = channel <= World.MINI_PROGRAM ? channel : World.MINI_PROGRAM;
    registrationChannel[i] = World.SALES.get(regChannel);
    registrationStore[i] = regChannel == World.STORE ? world.storeId(p.homeStore()) : null;
    long at = world.epochSecond(d, second);
    registeredAtInWindow[i] = at;
    members.put(p.memberId(), memberRow(p, at, null, at));
    scheduleBindings(p, d, at);
  }

  private void initialMaster(Map<String, MemberRow> members) {
    for (Person p : world.persons) {
      if (p.memberId() == null || p.registrationDay() >= 0) {
        continue;
      }
      int i = p.index();
      int regChannel = p.home() <= World.MINI_PROGRAM ? p.home() : (r.nextBoolean() ? World.STORE : World.MINI_PROGRAM);
      registrationChannel[i] = World.SALES.get(regChannel);
      registrationStore[i] = regChannel == World.STORE ? world.storeId(p.homeStore()) : null;
      long updated = p.registeredAtBefore() + (long) (r.nextDouble() * (world.startEpochSecond - p.registeredAtBefore()));
      members.put(p.memberId(), memberRow(p, p.registeredAtBefore(), null, updated));
      scheduleBindings(p, -1, p.registeredAtBefore());
    }
  }

  /** Device logins and marketplace account bindings of a member, from registration on. */
  private void scheduleBindings(Person p, int registrationDayInWindow, long registeredAt) {
    int days = world.config.days();
    int from = Math.max(0, registrationDayInWindow);
    for (int k = 0; k < p.devices().length; k++) {
      if (r.nextDouble() < b.deviceBindShare()) {
        bind(p, "device", p.devices()[k], registrationDayInWindow < 0, from, days, registeredAt);
      }
    }
    for (int k = 0; k < p.buyers().length; k++) {
      if (p.buyers()[k] != null && r.nextDouble() < b.marketplaceBindShare()) {
        bind(p, World.PLATFORMS.get(k), p.buyers()[k], registrationDayInWindow < 0, from, days, registeredAt);
      }
    }
  }

  private void bind(Person p, String type, String value, boolean preWindow, int from, int days, long registeredAt) {
    if (preWindow && r.nextDouble() < b.initialBindShare()) {
      long at = registeredAt + (long) (r.nextDouble() * (world.startEpochSecond - registeredAt));
      pendingBindings[0].add(new Binding(p.memberId(), type, value, at));
      return;
    }
    int day = from + r.nextInt(days - from);
    int second = Hours.secondOfDay(r, Hours.ONLINE);
    long at = Math.max(world.epochSecond(day, second), registeredAt + 60);
    int atDay = (int) Math.floorDiv(at - world.startEpochSecond, 86_400L);
    if (atDay < days) {
      pendingBindings[atDay].add(new Binding(p.memberId(), type, value, at));
    }
  }

  private List<Order> orders(int d, List<Purchase> purchases) {
    purchases.sort(Comparator.comparingInt((Purchase x) -> x.draft().second()).thenComparingInt(x -> x.draft().person()));
    List<Order> orders = new ArrayList<>(purchases.size());
    for (Purchase x : purchases) {
      Order o = x.draft();
      Order withId = new Order(o.person(), o.day(), o.second(), o.channel(), orderId(d, o.channel(), o.store(), o.terminal()),
          o.amountCents(), o.items(), o.memberId(), o.deviceId(), o.phone(), o.buyer(), o.store(), o.terminal(), o.payment(),
          o.coupon(), o.newCustomer(), o.lastTouch(), o.afterStoreVisit());
      orders.add(withId);
      if (x.refundDay() >= 0 && x.refundDay() < pendingRefunds.length) {
        int terminal = o.channel() == World.STORE ? 1 + r.nextInt(world.terminals(o.store())) : 0;
        pendingRefunds[x.refundDay()].add(new Refund(withId, x.refundDay(), x.refundSecond(), null, x.refundCents(),
            x.refundCents() == o.amountCents(), terminal));
      }
    }
    return orders;
  }

  private List<Refund> refunds(int d) {
    List<Refund> due = pendingRefunds[d];
    due.sort(Comparator.comparingInt(Refund::second).thenComparing(x -> x.original().id()));
    List<Refund> out = new ArrayList<>(due.size());
    for (Refund x : due) {
      Order o = x.original();
      String id = o.channel() == World.STORE ? orderId(d, World.STORE, o.store(), x.terminal())
          : o.channel() <= World.MINI_PROGRAM ? orderId(d, o.channel(), -1, 0) : o.id();
      out.add(new Refund(o, d, x.second(), id, x.amountCents(), x.full(), x.terminal()));
    }
    pendingRefunds[d] = null;
    return out;
  }

  private String orderId(int d, int channel, int store, int terminal) {
    String date = world.date(d).toString().replace("-", "");
    if (channel == World.STORE) {
      return world.storeId(store) + "-T" + terminal + "-" + date + "-" + String.valueOf(1_000_000 + ++storeSequence[store]).substring(1);
    }
    if (channel <= World.MINI_PROGRAM) {
      return "W" + (++webshopSequence);
    }
    int k = channel - World.FIRST_PLATFORM;
    long s = ++platformSequence[k];
    return switch (World.PLATFORMS.get(k)) {
      case "tmall" -> String.valueOf(4_100_000_000_000_000_000L + s * 1_370_011L + d);
      case "jd" -> String.valueOf(298_700_000_000L + s * 7L);
      case "pinduoduo" -> date.substring(2) + "-" + (100_000_000_000_000L + s * 13L);
      default -> String.valueOf(6_900_000_000_000_000_000L + s * 1_100_003L);
    };
  }

  /** The day each person dropped out (after a purchase that day), -1 while still alive. */
  int[] droppedOutDays() {
    return droppedOutDay.clone();
  }

  /** Each person's CRM registration day as it stands (see {@link Person#registrationDay()}). */
  int[] registrationDays() {
    return registrationDay.clone();
  }
}
