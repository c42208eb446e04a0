package io.touchpoint.jobs.generate;

import java.util.List;

/** What happened on one simulated day, before it is shaped into the sources' export files. */
final class Events {
  private Events() {}

  /**
   * One order. {@code lastTouch} is the marketing channel of the person's last touch within 30 days
   * before the order (-1 for none); {@code afterStoreVisit} marks an online order that follows a
   * store_visit touch within 14 days.
   */
  record Order(
      int person, int day, int second, int channel, String id, long amountCents, int items,
      String memberId, String deviceId, String phone, String buyer, int store, int terminal,
      String payment, String coupon, boolean newCustomer, int lastTouch, boolean afterStoreVisit) {}

  record Refund(Order original, int day, int second, String id, long amountCents, boolean full, int terminal) {}

  record Touch(int person, int channel, String eventType, String campaign, String deviceId, String memberId,
      String phoneHash, long epochMicros) {}

  record MemberRow(String memberId, String phone, String email, long registeredAt, String registrationStore,
      String registrationChannel, String tier, long updatedAt) {}

  record Binding(String memberId, String type, String value, long boundAt) {}

  record Day(int day, List<Order> orders, List<Refund> refunds, List<Touch> touches, List<MemberRow> members,
      List<Binding> bindings) {}
}
