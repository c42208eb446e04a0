package io.touchpoint.ingest;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The row mappers of the CSV sources: contract checks and PII hashing, one class per source. */
final class SourceMappers {
  private SourceMappers() {}

  static final Set<String> PAYMENT_METHODS = Set.of("cash", "wechat_pay", "alipay", "card", "unionpay");
  static final Set<String> TIERS = Set.of("regular", "silver", "gold", "platinum");
  static final List<String> PLATFORMS = List.of("tmall", "jd", "pinduoduo", "douyin_shop");

  static final List<String> POS_COLUMNS = List.of("ticket_id", "store_id", "terminal_id", "ticket_time",
      "member_id", "phone", "amount_cny", "items", "payment_method", "original_ticket_id");

  /** {@code pos/<date>/tickets.csv}. */
  static final class PosTickets implements CsvRowMapper {
    @Override
    public Object[] map(CsvRecord r, ParseContext ctx) throws RowRejected {
      String ticketId = Fields.required(r.text("ticket_id"), "ticket_id");
      String original = Fields.optional(r.text("original_ticket_id"));
      BigDecimal amount = Fields.amount(r.text("amount_cny"), "amount_cny", ctx);
      int items = Fields.items(r.text("items"), "items");
      if (amount.signum() < 0 && original == null) {
        throw new RowRejected(RejectReason.NEGATIVE_AMOUNT,
            "amount_cny " + amount.toPlainString() + " is negative on a sale (only refund tickets, with original_ticket_id, may be negative)");
      }
      if (original != null && amount.signum() > 0) {
        throw new RowRejected(RejectReason.NEGATIVE_AMOUNT,
            "refund ticket (original_ticket_id set) has a positive amount_cny " + amount.toPlainString());
      }
      String payment = Fields.optional(r.text("payment_method"));
      if (payment != null && !PAYMENT_METHODS.contains(payment)) {
        throw new RowRejected(RejectReason.UNKNOWN_VALUE, "payment_method '" + Fields.clip(payment) + "' is not one of " + PAYMENT_METHODS);
      }
      return new Object[] {
          ticketId,
          Fields.required(r.text("store_id"), "store_id"),
          Fields.optional(r.text("terminal_id")),
          Fields.onExportDay(Fields.offsetTime(r.text("ticket_time"), "ticket_time", ctx), "ticket_time", ctx),
          Fields.optional(r.text("member_id")),
          ctx.pii().phoneHash(r.text("phone")),
          amount,
          items,
          payment,
          original};
    }

    @Override
    public String key(Object[] v) {
      return (String) v[0];
    }

    @Override
    public Set<String> personalColumns() {
      return Set.of("phone");
    }
  }

  static final List<String> SPEND_COLUMNS =
      List.of("spend_date", "channel", "campaign_id", "spend_cny", "impressions", "clicks");

  /** {@code ad_spend/<date>/spend.csv}. */
  static final class AdSpend implements CsvRowMapper {
    @Override
    public Object[] map(CsvRecord r, ParseContext ctx) throws RowRejected {
      LocalDate day = Fields.date(r.text("spend_date"), "spend_date");
      if (!day.equals(ctx.exportDate())) {
        throw new RowRejected(RejectReason.WRONG_DATE,
            "spend_date " + day + " in the export of " + ctx.exportDate() + " (re-deliver it in the folder of its own date)");
      }
      String channel = Fields.required(r.text("channel"), "channel");
      if (!ctx.channels().isMarketing(channel)) {
        throw new RowRejected(RejectReason.UNKNOWN_CHANNEL, "channel '" + Fields.clip(channel) + "' is not a marketing channel of the catalogue");
      }
      BigDecimal spend = Fields.amount(r.text("spend_cny"), "spend_cny", ctx);
      if (spend.signum() < 0) {
        throw new RowRejected(RejectReason.NEGATIVE_AMOUNT, "spend_cny " + spend.toPlainString() + " is negative");
      }
      long impressions = Fields.nonNegativeCount(r.text("impressions"), "impressions");
      long clicks = Fields.nonNegativeCount(r.text("clicks"), "clicks");
      return new Object[] {day, channel, Fields.required(r.text("campaign_id"), "campaign_id"), spend, impressions, clicks};
    }

    @Override
    public String key(Object[] v) {
      return v[1] + "|" + v[2];
    }
  }

  static final List<String> MEMBER_COLUMNS = List.of("member_id", "phone", "email", "registered_at",
      "registration_store_id", "registration_channel", "tier", "updated_at");

  /** {@code crm/<date>/members.csv}. Registration may predate the export window by years. */
  static final class CrmMembers implements CsvRowMapper {
    @Override
    public Object[] map(CsvRecord r, ParseContext ctx) throws RowRejected {
      String channel = Fields.optional(r.text("registration_channel"));
      if (channel != null && !ctx.channels().isSales(channel)) {
        throw new RowRejected(RejectReason.UNKNOWN_CHANNEL, "registration_channel '" + Fields.clip(channel) + "' is not a sales channel of the catalogue");
      }
      return new Object[] {
          Fields.required(r.text("member_id"), "member_id"),
          ctx.pii().phoneHash(r.text("phone")),
          ctx.pii().emailHash(r.text("email")),
          Fields.offsetTime(r.text("registered_at"), "registered_at", ctx),
          Fields.optional(r.text("registration_store_id")),
          channel,
          Fields.oneOf(r.text("tier"), "tier", TIERS),
          Fields.offsetTime(r.text("updated_at"), "updated_at", ctx)};
    }

    @Override
    public String key(Object[] v) {
      return (String) v[0];
    }

    @Override
    public Set<String> personalColumns() {
      return Set.of("phone", "email");
    }
  }

  static final List<String> BINDING_COLUMNS = List.of("member_id", "identifier_type", "identifier_value", "bound_at");
  static final Set<String> BINDING_TYPES = Set.of("device", "tmall", "jd", "pinduoduo", "douyin_shop");

  /** {@code crm/<date>/bindings.csv}; marketplace buyer names are hashed like in the order exports. */
  static final class CrmBindings implements CsvRowMapper {
    @Override
    public Object[] map(CsvRecord r, ParseContext ctx) throws RowRejected {
      String type = Fields.oneOf(r.text("identifier_type"), "identifier_type", BINDING_TYPES);
      String value = Fields.required(r.text("identifier_value"), "identifier_value");
      String stored = type.equals("device") ? value : ctx.pii().identifierHash("buyer:" + type, value);
      return new Object[] {
          Fields.required(r.text("member_id"), "member_id"),
          type,
          stored,
          Fields.offsetTime(r.text("bound_at"), "bound_at", ctx)};
    }

    @Override
    public String key(Object[] v) {
      return v[0] + "|" + v[1] + "|" + v[2];
    }

    @Override
    public boolean carriesNames() {
      return true;
    }

    @Override
    public Set<String> vocabulary() {
      return BINDING_TYPES;
    }
  }

  /** Canonical marketplace columns → each platform's own header. */
  static final List<String> MARKETPLACE_CANONICAL =
      List.of("order_id", "buyer", "amount_paid", "status", "masked_phone", "ordered_at", "refund_amount");
  static final Map<String, List<String>> MARKETPLACE_HEADERS = Map.of(
      "tmall", List.of("订单编号", "买家会员名", "买家实际支付金额", "订单状态", "收货人手机号", "订单创建时间", "退款金额"),
      "jd", List.of("订单号", "下单帐号", "应付金额", "订单状态", "联系电话", "下单时间", "退款金额"),
      "pinduoduo", List.of("订单号", "用户昵称", "实收金额", "订单状态", "手机号", "成交时间", "退款金额"),
      "douyin_shop", List.of("主订单编号", "买家昵称", "订单应付金额", "订单状态", "收件人手机号", "订单提交时间", "退款金额"));
  static final Map<String, String> MARKETPLACE_STATUS =
      Map.of("交易成功", "completed", "已退款", "refunded", "部分退款", "partly_refunded");

  /** {@code marketplace/<date>/<platform>.csv}; the masked phone is dropped (unusable, still partial PII). */
  static final class MarketplaceOrders implements CsvRowMapper {
    private final String platform;
    private final List<String> header;

    MarketplaceOrders(String platform) {
      this.platform = platform;
      this.header = MARKETPLACE_HEADERS.get(platform);
    }

    private String col(CsvRecord r, int canonical) {
      return r.text(header.get(canonical));
    }

    @Override
    public Object[] map(CsvRecord r, ParseContext ctx) throws RowRejected {
      String orderId = Fields.required(col(r, 0), header.get(0));
      String buyer = Fields.required(col(r, 1), header.get(1));
      BigDecimal paid = Fields.amount(col(r, 2), header.get(2), ctx);
      if (paid.signum() < 0) {
        throw new RowRejected(RejectReason.NEGATIVE_AMOUNT, header.get(2) + " " + paid.toPlainString() + " is negative");
      }
      String rawStatus = Fields.required(col(r, 3), header.get(3));
      String status = MARKETPLACE_STATUS.get(rawStatus);
      if (status == null) {
        throw new RowRejected(RejectReason.UNKNOWN_VALUE, header.get(3) + " '" + Fields.clip(rawStatus) + "' is not one of " + MARKETPLACE_STATUS.keySet());
      }
      Instant at = Fields.localTime(col(r, 5), header.get(5), ctx);
      if (status.equals("completed")) {
        // Refund rows repeat the order's creation time, so only a sale must be of the export date.
        Fields.onExportDay(at, header.get(5), ctx);
      }
      String refundRaw = Fields.optional(col(r, 6));
      BigDecimal refund = refundRaw == null ? BigDecimal.ZERO.setScale(2) : Fields.amount(refundRaw, header.get(6), ctx);
      if (refund.signum() < 0) {
        throw new RowRejected(RejectReason.NEGATIVE_AMOUNT, header.get(6) + " " + refund.toPlainString() + " is negative");
      }
      if (refund.compareTo(paid) > 0) {
        throw new RowRejected(RejectReason.ABSURD_AMOUNT, header.get(6) + " " + refund.toPlainString() + " exceeds the amount paid " + paid.toPlainString());
      }
      return new Object[] {platform, orderId, ctx.pii().identifierHash("buyer:" + platform, buyer), paid, status, at, refund};
    }

    @Override
    public String key(Object[] v) {
      return v[1] + "|" + v[4];
    }

    @Override
    public boolean carriesNames() {
      return true;
    }

    @Override
    public Set<String> vocabulary() {
      return MARKETPLACE_STATUS.keySet();
    }
  }
}
