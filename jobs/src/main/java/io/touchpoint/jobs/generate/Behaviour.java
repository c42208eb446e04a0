package io.touchpoint.jobs.generate;

import java.util.List;

/**
 * The simulated world's parameters, all in one immutable record so {@code _truth/config.json} can
 * list them. Purchase model: a BG/NBD-like population (daily baseline hazard λ ~ Gamma, dropout
 * after each purchase p ~ Beta) whose daily purchase probability is
 * {@code min(maxDailyProbability, λ × exp(Σ_c effect_c × [touched by c on one of the 7 days before]))}.
 */
public record Behaviour(
    double rateShape,
    double rateMeanPerDay,
    double dropoutA,
    double dropoutB,
    double maxDailyProbability,
    int effectWindowDays,
    double spendShape,
    double spendMeanCny,
    double orderShape,
    double prospectShare,
    double memberShare,
    double preWindowMemberShare,
    double emailShare,
    double secondaryChannelShare,
    double twoSecondaryShare,
    double homeChannelShare,
    double storeSecondaryForOnline,
    double showroomerShare,
    double refundRate,
    double partialRefundShare,
    int refundMaxDays,
    double deviceBindShare,
    double initialBindShare,
    double marketplaceBindShare,
    double posMemberShare,
    double posPhoneShare,
    double navigationalSearchRate,
    double storeProbeAtPurchaseRate,
    double postPurchaseSmsRate,
    double postPurchasePushRate,
    int customersPerStore,
    List<SalesChannel> salesChannels,
    List<TouchChannel> touchChannels) {

  /** A sales channel: share of persons with it as home channel and its order value factor. */
  public record SalesChannel(String name, double homeWeight, double orderValueFactor) {}

  /**
   * A marketing channel: touches per eligible person per week, its true incremental effect on the
   * log odds of the daily purchase hazard, who can be reached, the share of click/open events,
   * the cost per logged touch and the platform impressions per logged touch.
   */
  public record TouchChannel(
      String name,
      double weeklyReach,
      double effect,
      Audience audience,
      String eventType,
      double clickShare,
      double costPerTouchCny,
      double impressionsPerTouch,
      String campaignPrefix,
      boolean paid) {}

  /** Who a marketing channel can reach. */
  public enum Audience { DEVICE, PHONE, MEMBER, MEMBER_EMAIL, WECHAT_GROUP, APP_MEMBER, STORE_GOER, STORE_MEMBER }

  /**
   * The same world without the touches a purchase itself causes: the navigational search just before
   * an online order, the store-visit footfall ping during a store purchase, and the post-purchase SMS
   * and app push. Those touches follow the purchase decision (reverse causation), which no path-based
   * attribution model can tell from a cause; this variant isolates how close the models get when
   * every touch comes before the decision (AttributionGeneratedDataTest).
   */
  /** The same world with refunds coming at most {@code days} after their order (the default is 14). */
  public Behaviour withRefundMaxDays(int days) {
    return new Behaviour(rateShape, rateMeanPerDay, dropoutA, dropoutB, maxDailyProbability, effectWindowDays,
        spendShape, spendMeanCny, orderShape, prospectShare, memberShare, preWindowMemberShare, emailShare,
        secondaryChannelShare, twoSecondaryShare, homeChannelShare, storeSecondaryForOnline, showroomerShare, refundRate,
        partialRefundShare, days, deviceBindShare, initialBindShare, marketplaceBindShare, posMemberShare,
        posPhoneShare, navigationalSearchRate, storeProbeAtPurchaseRate, postPurchaseSmsRate, postPurchasePushRate,
        customersPerStore, salesChannels, touchChannels);
  }

  public Behaviour withoutPurchaseTriggeredTouches() {
    return new Behaviour(rateShape, rateMeanPerDay, dropoutA, dropoutB, maxDailyProbability, effectWindowDays,
        spendShape, spendMeanCny, orderShape, prospectShare, memberShare, preWindowMemberShare, emailShare,
        secondaryChannelShare, twoSecondaryShare, homeChannelShare, storeSecondaryForOnline, showroomerShare, refundRate,
        partialRefundShare, refundMaxDays, deviceBindShare, initialBindShare, marketplaceBindShare, posMemberShare,
        posPhoneShare, 0, 0, 0, 0, customersPerStore, salesChannels, touchChannels);
  }

  public static Behaviour defaults() {
    return new Behaviour(
        0.7, 1.0 / 50, 1.0, 5.0, 0.5, 7,
        3.0, 230.0, 6.0,
        0.35, 0.8, 0.85, 0.40,
        0.85, 0.5, 0.45, 0.3, 0.25,
        0.05, 0.2, 14,
        0.95, 0.85, 0.95,
        0.85, 0.7,
        0.2, 0.25, 0.5, 0.6,
        1000,
        List.of(
            new SalesChannel("store", 0.48, 1.00),
            new SalesChannel("webshop", 0.08, 1.10),
            new SalesChannel("app", 0.12, 1.15),
            new SalesChannel("mini_program", 0.16, 0.85),
            new SalesChannel("tmall", 0.09, 1.05),
            new SalesChannel("jd", 0.07, 1.20),
            new SalesChannel("pinduoduo", 0.04, 0.55),
            new SalesChannel("douyin_shop", 0.04, 0.75)),
        List.of(
            new TouchChannel("search_ads", 0.25, 0.90, Audience.DEVICE, "click", 1.0, 5.25, 25, "SEA", true),
            new TouchChannel("display", 1.4, 0.05, Audience.DEVICE, "impression", 0.12, 0.22, 20, "DSP", true),
            new TouchChannel("social_ads", 0.7, 0.20, Audience.DEVICE, "impression", 0.15, 0.59, 12, "SOC", true),
            new TouchChannel("content_seeding", 0.5, 0.35, Audience.DEVICE, "impression", 0.30, 1.78, 6, "KOL", true),
            new TouchChannel("live_stream", 0.3, 0.45, Audience.DEVICE, "visit", 0.0, 2.6, 5, "LIV", true),
            new TouchChannel("affiliate", 0.15, 0.25, Audience.DEVICE, "click", 1.0, 4.5, 10, "AFF", true),
            new TouchChannel("wechat_private", 1.0, 0.30, Audience.WECHAT_GROUP, "open", 0.0, 0.8, 1, "WCP", false),
            new TouchChannel("sms", 0.3, 0.05, Audience.PHONE, "impression", 0.2, 0.045, 1, "SMS", false),
            new TouchChannel("email", 0.5, 0.05, Audience.MEMBER_EMAIL, "open", 0.3, 0.002, 1, "EDM", false),
            new TouchChannel("app_push", 0.7, 0.08, Audience.APP_MEMBER, "impression", 0.4, 0.0005, 1, "PSH", false),
            new TouchChannel("store_visit", 0.4, 1.10, Audience.STORE_GOER, "visit", 0.0, 0.0, 1, "FTF", false),
            new TouchChannel("offline_event", 0.05, 1.40, Audience.STORE_MEMBER, "visit", 0.0, 30.0, 1, "EVT", false)));
  }
}
