package io.touchpoint.jobs.generate;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Realistic identifiers: Chinese mobiles, e-mails, device ids and marketplace buyer nicks. Device
 * ids and nicks that happen to contain something phone-like are redrawn, so PII masking downstream
 * never rewrites them.
 */
final class Names {
  private static final String[] MOBILE_PREFIXES = {
      "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153",
      "155", "156", "157", "158", "159", "166", "177", "180", "181", "182", "183", "185", "186", "187",
      "188", "189", "198", "199"};
  private static final String[] SURNAMES = {
      "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu",
      "hu", "guo", "he", "lin", "luo", "gao"};
  private static final String[] GIVEN = {
      "wei", "fang", "na", "min", "jing", "li", "qiang", "lei", "jun", "yang", "yong", "yan", "jie", "tao",
      "ming", "chao", "xiu", "xia", "ping", "gang", "hui", "yu", "xin", "hao", "yi", "ting", "lan", "bo"};
  private static final String[] MAIL_DOMAINS = {
      "qq.com", "qq.com", "qq.com", "163.com", "163.com", "126.com", "sina.com", "gmail.com", "outlook.com",
      "foxmail.com"};
  private static final String[] NICK_WORDS = {
      "小", "大", "快乐", "阳光", "微笑", "爱吃", "喜欢", "猫咪", "兔子", "熊", "星星", "月亮", "清风", "木木",
      "糖果", "柠檬", "橙子", "小鱼", "一只", "今天", "宝贝", "妈妈", "旅行", "咖啡", "奶茶", "云朵", "花花",
      "安静", "晴天", "秋天", "冬日", "夏天"};
  private static final String[] NICK_TAILS = {"购物", "的家", "酱", "君", "吖", "呀", "同学", "小店", "日记", "控", "人"};

  private final Set<String> phones = new HashSet<>();
  private final Set<String> emails = new HashSet<>();
  private final Set<String> devices = new HashSet<>();
  private final Set<String>[] buyers;

  @SuppressWarnings("unchecked")
  Names(int platforms) {
    buyers = new Set[platforms];
    for (int i = 0; i < platforms; i++) {
      buyers[i] = new HashSet<>();
    }
  }

  String phone(SplittableRandom r) {
    while (true) {
      String p = MOBILE_PREFIXES[r.nextInt(MOBILE_PREFIXES.length)] + String.valueOf(100_000_000 + r.nextInt(100_000_000)).substring(1);
      if (phones.add(p)) {
        return p;
      }
    }
  }

  String email(SplittableRandom r) {
    while (true) {
      String local = switch (r.nextInt(4)) {
        case 0 -> pick(r, GIVEN) + "." + pick(r, SURNAMES);
        case 1 -> pick(r, SURNAMES) + pick(r, GIVEN) + (1960 + r.nextInt(46));
        case 2 -> String.valueOf(10_000_000L + r.nextLong(2_900_000_000L));
        default -> pick(r, SURNAMES) + "_" + pick(r, GIVEN) + r.nextInt(1000);
      };
      String e = local + "@" + pick(r, MAIL_DOMAINS);
      if (emails.add(e)) {
        return e;
      }
    }
  }

  String device(SplittableRandom r) {
    while (true) {
      String d = "d_" + hex16(r.nextLong());
      if (!phoneLike(d) && devices.add(d)) {
        return d;
      }
    }
  }

  /** A buyer nick unique on the platform: tb/jd/pdd-style ids, Chinese nicks or pinyin. */
  String buyer(SplittableRandom r, int platform, String platformName) {
    while (true) {
      String nick = switch (r.nextInt(3)) {
        case 0 -> switch (platformName) {
          case "tmall" -> "tb" + (100_000_000L + r.nextLong(900_000_000L));
          case "jd" -> "jd_" + Long.toHexString(0x10000000000L + r.nextLong(0xF0000000000L));
          case "pinduoduo" -> "pdd" + (100_000_000_000L + r.nextLong(700_000_000_000L));
          default -> "dy" + (1_000_000_000L + r.nextLong(8_999_999_999L));
        };
        case 1 -> pick(r, NICK_WORDS) + pick(r, NICK_WORDS) + pick(r, NICK_TAILS) + (r.nextInt(3) == 0 ? "" : String.valueOf(r.nextInt(10_000)));
        default -> pick(r, SURNAMES) + pick(r, GIVEN) + (r.nextBoolean() ? "_" : "") + r.nextInt(100_000);
      };
      if (!phoneLike(nick) && buyers[platform].add(nick)) {
        return nick;
      }
    }
  }

  /** The phone as a customer typed it: plain, +86 with spaces, or dashed. */
  static String typed(String phone, SplittableRandom r) {
    int f = r.nextInt(10);
    if (f < 6) {
      return phone;
    }
    if (f < 8) {
      return "+86 " + phone.substring(0, 3) + " " + phone.substring(3, 7) + " " + phone.substring(7);
    }
    return phone.substring(0, 3) + "-" + phone.substring(3, 7) + "-" + phone.substring(7);
  }

  static String masked(String phone) {
    return phone.substring(0, 3) + "****" + phone.substring(7);
  }

  /** The e-mail as typed: mostly lower case, sometimes capitalised or shouted. */
  static String typedEmail(String email, SplittableRandom r) {
    int f = r.nextInt(10);
    if (f < 7) {
      return email;
    }
    if (f < 9) {
      return Character.toUpperCase(email.charAt(0)) + email.substring(1);
    }
    return email.toUpperCase(Locale.ROOT);
  }

  /** True when the text has 11 or more digits in a row (device ids and nicks have no spaces, dashes or '@'). */
  static boolean phoneLike(String s) {
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      run = c >= '0' && c <= '9' ? run + 1 : 0;
      if (run >= 11) {
        return true;
      }
    }
    return false;
  }

  private static String hex16(long v) {
    String h = Long.toHexString(v);
    return "0000000000000000".substring(h.length()) + h;
  }

  private static String pick(SplittableRandom r, String[] values) {
    return values[r.nextInt(values.length)];
  }
}
