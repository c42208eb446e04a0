package io.touchpoint.jobs.generate;

import io.touchpoint.catalog.Channels;
import io.touchpoint.errors.Errors;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/** The population, stores and campaign calendar a run simulates. */
final class World {
  static final int STORE = 0;
  static final int WEBSHOP = 1;
  static final int APP = 2;
  static final int MINI_PROGRAM = 3;
  static final int FIRST_PLATFORM = 4;
  static final List<String> SALES = List.of(
      "store", "webshop", "app", "mini_program", "tmall", "jd", "pinduoduo", "douyin_shop");
  static final List<String> PLATFORMS = SALES.subList(FIRST_PLATFORM, SALES.size());
  static final ZoneOffset SHANGHAI = ZoneOffset.ofHours(8);
  private static final String[] TIERS = {"regular", "silver", "gold", "platinum"};
  private static final double[] TIER_WEIGHTS = {0.55, 0.25, 0.15, 0.05};
  private static final int BURST_EVERY_DAYS = 28;
  private static final int BURST_LENGTH_DAYS = 10;

  final GeneratorConfig config;
  final Behaviour behaviour;
  final List<Person> persons;
  final int stores;
  final long startEpochSecond;
  final String[] touchNames;
  private final String[] storeIds;
  private final String[] alwaysOn;
  private final String[][] bursts;
  private final boolean[] paid;

  private World(GeneratorConfig config, List<Person> persons, int stores) {
    this.config = config;
    this.behaviour = config.behaviour();
    this.persons = persons;
    this.stores = stores;
    this.startEpochSecond = config.startDate().atStartOfDay().toEpochSecond(SHANGHAI);
    this.touchNames = behaviour.touchChannels().stream().map(Behaviour.TouchChannel::name).toArray(String[]::new);
    this.storeIds = new String[stores];
    for (int s = 0; s < stores; s++) {
      storeIds[s] = String.format(Locale.ROOT, "S%03d", s + 1);
    }
    int channels = touchNames.length;
    this.alwaysOn = new String[channels];
    this.bursts = new String[channels][config.days()];
    this.paid = new boolean[channels];
    String month = config.startDate().format(DateTimeFormatter.ofPattern("yyyyMM", Locale.ROOT));
    for (int c = 0; c < channels; c++) {
      Behaviour.TouchChannel t = behaviour.touchChannels().get(c);
      paid[c] = t.paid();
      alwaysOn[c] = t.campaignPrefix() + "-AO-" + month;
      int offset = (c * 5) % BURST_EVERY_DAYS;
      for (int day = 0; day < config.days(); day++) {
        int since = day - offset;
        if (since >= 0 && since % BURST_EVERY_DAYS < BURST_LENGTH_DAYS) {
          int burstStart = day - since % BURST_EVERY_DAYS;
          bursts[c][day] = t.campaignPrefix() + "-B" + (since / BURST_EVERY_DAYS + 1) + "-"
              + date(burstStart).format(DateTimeFormatter.BASIC_ISO_DATE);
        }
      }
    }
  }

  static World build(GeneratorConfig config, Channels catalogue, SplittableRandom r) {
    Behaviour b = config.behaviour();
    check(b, catalogue);
    int stores = Math.max(3, Math.min(200, (config.customers() + b.customersPerStore() - 1) / b.customersPerStore()));
    Names names = new Names(PLATFORMS.size());
    Set<String> memberIds = new HashSet<>();
    double[] homeWeights = b.salesChannels().stream().mapToDouble(Behaviour.SalesChannel::homeWeight).toArray();
    List<Behaviour.TouchChannel> touches = b.touchChannels();
    List<Person> persons = new ArrayList<>(config.customers());
    long start = config.startDate().atStartOfDay().toEpochSecond(SHANGHAI);
    for (int i = 0; i < config.customers(); i++) {
      boolean prospect = r.nextDouble() < b.prospectShare();
      int arrivalDay = prospect ? Math.max(0, r.nextInt(config.days() + 30) - 30) : 0;
      String phone = names.phone(r);
      String email = r.nextDouble() < b.emailShare() ? names.email(r) : null;
      boolean member = r.nextDouble() < b.memberShare();
      String memberId = null;
      int registrationDay = Person.NEVER;
      long registeredBefore = 0;
      String tier = "regular";
      if (member) {
        do {
          memberId = "M" + (100_000_000 + r.nextInt(900_000_000));
        } while (!memberIds.add(memberId));
        if (prospect) {
          registrationDay = Person.AT_FIRST_PURCHASE;
        } else if (r.nextDouble() < b.preWindowMemberShare()) {
          registrationDay = -1 - r.nextInt(3 * 365);
          registeredBefore = start + registrationDay * 86_400L + Hours.secondOfDay(r, Hours.STORE);
          tier = TIERS[Draw.weighted(r, TIER_WEIGHTS)];
        } else {
          registrationDay = r.nextInt(config.days());
        }
      }
      boolean inGroup = member && r.nextDouble() < 0.5;
      int[] channels = channels(r, b, homeWeights);
      int homeStore = r.nextInt(stores);
      double rate = Draw.gamma(r, b.rateShape(), b.rateMeanPerDay() / b.rateShape());
      double dropout = Draw.beta(r, b.dropoutA(), b.dropoutB());
      double meanSpend = Draw.gamma(r, b.spendShape(), b.spendMeanCny() / b.spendShape());
      char[] types = deviceTypes(r, channels);
      String[] devices = new String[types.length];
      for (int k = 0; k < types.length; k++) {
        devices[k] = names.device(r);
      }
      String[] buyers = new String[PLATFORMS.size()];
      for (int c : channels) {
        if (c >= FIRST_PLATFORM) {
          buyers[c - FIRST_PLATFORM] = names.buyer(r, c - FIRST_PLATFORM, SALES.get(c));
        }
      }
      boolean usesStore = contains(channels, STORE);
      boolean showroomer = !usesStore && r.nextDouble() < b.showroomerShare();
      double paidAffinity = Draw.gamma(r, 2, 0.5);
      double ownedAffinity = Draw.gamma(r, 2, 0.5);
      double[] reach = new double[touches.size()];
      for (int c = 0; c < reach.length; c++) {
        Behaviour.TouchChannel t = touches.get(c);
        double base = Math.min(0.9, t.weeklyReach() / 7);
        reach[c] = switch (t.audience()) {
          case DEVICE -> Math.min(0.9, base * paidAffinity);
          case STORE_GOER -> usesStore ? base * ownedAffinity : showroomer ? base * 0.6 * ownedAffinity : 0;
          case STORE_MEMBER -> usesStore && member ? base * ownedAffinity : 0;
          case MEMBER_EMAIL -> member && email != null ? base * ownedAffinity : 0;
          case WECHAT_GROUP -> inGroup ? base * ownedAffinity : 0;
          case APP_MEMBER -> member && contains(types, 'A') ? base * ownedAffinity : 0;
          default -> Math.min(0.9, base * ownedAffinity);
        };
      }
      persons.add(new Person(i, "P" + String.valueOf(100_000_000 + i + 1).substring(1), phone, email, memberId, prospect,
          arrivalDay, registrationDay, registeredBefore, inGroup, tier, homeStore, channels, rate, dropout, meanSpend,
          devices, types, buyers, reach));
    }
    return new World(config, persons, stores);
  }

  private static void check(Behaviour b, Channels catalogue) {
    List<String> configured = b.salesChannels().stream().map(Behaviour.SalesChannel::name).toList();
    if (!configured.equals(SALES)) {
      throw Errors.config("generate exports", "the generator's sales channels are " + configured,
          "Keep them in the order " + SALES);
    }
    for (String s : SALES) {
      if (!catalogue.isSales(s)) {
        throw Errors.config("generate exports", "sales channel '" + s + "' is not in the channel catalogue",
            "Add it to channels.csv or remove it from the generator");
      }
    }
    List<String> touches = b.touchChannels().stream().map(Behaviour.TouchChannel::name).toList();
    if (!touches.equals(catalogue.marketing())) {
      throw Errors.config("generate exports", "the generator models marketing channels " + touches
          + " but the catalogue lists " + catalogue.marketing(),
          "Give every catalogue marketing channel a reach and an effect in Behaviour");
    }
  }

  private static int[] channels(SplittableRandom r, Behaviour b, double[] homeWeights) {
    int home = Draw.weighted(r, homeWeights);
    int secondaries = r.nextDouble() < b.secondaryChannelShare() ? (r.nextDouble() < b.twoSecondaryShare() ? 2 : 1) : 0;
    int[] out = new int[1 + secondaries];
    out[0] = home;
    for (int k = 1; k < out.length; k++) {
      int c;
      do {
        if (home != STORE && k == 1 && r.nextDouble() < b.storeSecondaryForOnline()) {
          c = STORE;
        } else {
          double[] online = homeWeights.clone();
          online[STORE] = 0;
          c = Draw.weighted(r, online);
        }
      } while (contains(out, c, k));
      out[k] = c;
    }
    return out;
  }

  private static char[] deviceTypes(SplittableRandom r, int[] channels) {
    StringBuilder s = new StringBuilder();
    for (int c : channels) {
      char t = c == APP ? 'A' : c == MINI_PROGRAM ? 'M' : c == WEBSHOP ? 'B' : 0;
      if (t != 0 && s.indexOf(String.valueOf(t)) < 0) {
        s.append(t);
      }
    }
    int wanted = Math.max(s.length(), 1 + (r.nextDouble() < 0.5 ? 1 : 0) + (r.nextDouble() < 0.2 ? 1 : 0));
    String all = "AMBO";
    while (s.length() < Math.min(3, wanted)) {
      char t = all.charAt(r.nextInt(4));
      if (s.indexOf(String.valueOf(t)) < 0) {
        s.append(t);
      }
    }
    return s.toString().toCharArray();
  }

  private static boolean contains(int[] values, int v) {
    return contains(values, v, values.length);
  }

  private static boolean contains(int[] values, int v, int upTo) {
    for (int i = 0; i < upTo; i++) {
      if (values[i] == v) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(char[] values, char v) {
    for (char c : values) {
      if (c == v) {
        return true;
      }
    }
    return false;
  }

  LocalDate date(int day) {
    return config.startDate().plusDays(day);
  }

  long epochSecond(int day, int secondOfDay) {
    return startEpochSecond + day * 86_400L + secondOfDay;
  }

  String storeId(int store) {
    return storeIds[store];
  }

  int terminals(int store) {
    return 1 + store % 4;
  }

  boolean paid(int touch) {
    return paid[touch];
  }

  /** The burst campaign of a channel active on a day, or null: 10-day bursts every 28 days. */
  String burst(int touch, int day) {
    return bursts[touch][day];
  }

  String alwaysOn(int touch) {
    return alwaysOn[touch];
  }

  /** The store_visit "campaign": footfall at one store. */
  String footfall(int store) {
    return "FTF-" + storeIds[store];
  }

  String repurchase(int touch) {
    return prefix(touch) + "-REPURCHASE";
  }

  private String prefix(int touch) {
    return behaviour.touchChannels().get(touch).campaignPrefix();
  }
}
