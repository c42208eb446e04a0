package io.touchpoint.pii;

import io.touchpoint.errors.Errors;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Personal data handling: phone numbers and e-mails are normalised (E.164, lower case) and
 * replaced by a keyed HMAC-SHA256 at ingestion. No table ever holds them in clear.
 *
 * <p>Instances are immutable and serializable to Spark executors (the key travels as bytes);
 * {@link Mac} objects are created per thread.
 */
public final class Pii implements java.io.Serializable {
  /** A clearly-labelled key for {@code touchpoint demo} and tests only; never for real data. */
  public static final String DEMO_KEY = "DEMO-KEY-NOT-SECRET--touchpoint-demo-only-0000";

  private static final Pattern NON_DIGITS = Pattern.compile("[^0-9+]");
  private static final Pattern CN_MOBILE = Pattern.compile("^1[3-9][0-9]{9}$");
  /** Phones and e-mails as they may appear inside free text (raw rejected rows, messages). */
  private static final Pattern PHONE_IN_TEXT =
      Pattern.compile("(?<![0-9A-Za-z])(?:\\+?86[ -]?)?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}(?![0-9A-Za-z])");
  /** Starts only where a run of address characters starts, possessively: linear on long runs. */
  private static final Pattern EMAIL_IN_TEXT =
      Pattern.compile("(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]++@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

  private final byte[] key;
  private transient ThreadLocal<Mac> mac;

  private Pii(byte[] key) {
    this.key = key.clone();
  }

  public static Pii withKey(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < 32) {
      throw Errors.weakHmacKey(bytes.length);
    }
    return new Pii(bytes);
  }

  public static Pii demo() {
    return withKey(DEMO_KEY);
  }

  /**
   * A short public fingerprint of the key (the first 16 hex digits of its HMAC of a fixed text):
   * tells two keys apart without revealing either. The warehouse records it so that a run with
   * another key is refused instead of silently splitting every hashed identity.
   */
  public String fingerprint() {
    return hmacHex("touchpoint key fingerprint").substring(0, 16);
  }

  /** Never shows the key: a config record printed in a log stays safe. */
  @Override
  public String toString() {
    return isDemoKey() ? "Pii[public demo key]" : "Pii[key redacted]";
  }

  public boolean isDemoKey() {
    return java.util.Arrays.equals(key, DEMO_KEY.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Normalises a phone number to E.164. Chinese mobiles are accepted with or without +86/0086,
   * spaces or dashes; other numbers must already carry a '+' country code.
   *
   * @return the E.164 form, or null when the input is blank, masked (contains '*') or not a phone
   */
  public static String normalizePhone(String raw) {
    if (raw == null || raw.isBlank() || raw.indexOf('*') >= 0) {
      return null;
    }
    String s = NON_DIGITS.matcher(raw.trim()).replaceAll("");
    if (s.startsWith("+86")) {
      s = s.substring(3);
    } else if (s.startsWith("0086")) {
      s = s.substring(4);
    } else if (s.startsWith("86") && s.length() == 13) {
      s = s.substring(2);
    } else if (s.startsWith("+")) {
      return s.length() >= 8 && s.length() <= 16 && s.indexOf('+', 1) < 0 ? s : null;
    }
    return CN_MOBILE.matcher(s).matches() ? "+86" + s : null;
  }

  /** Lower-cased, trimmed e-mail, or null when blank or not an e-mail address. */
  public static String normalizeEmail(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.trim().toLowerCase(Locale.ROOT);
    int at = s.indexOf('@');
    if (at <= 0 || at != s.lastIndexOf('@') || s.indexOf('.', at) < 0 || s.contains(" ")) {
      return null;
    }
    return s;
  }

  /** HMAC-SHA256 of the normalised phone as lower-case hex, or null when it is not a phone. */
  public String phoneHash(String raw) {
    String e164 = normalizePhone(raw);
    return e164 == null ? null : hmacHex("phone:" + e164);
  }

  /** HMAC-SHA256 of the normalised e-mail as lower-case hex, or null when it is not an e-mail. */
  public String emailHash(String raw) {
    String email = normalizeEmail(raw);
    return email == null ? null : hmacHex("email:" + email);
  }

  /**
   * HMAC of a pseudonymous identifier that is not a phone or e-mail but should not be stored in
   * clear either (a marketplace buyer name): {@code namespace + ":" + value}, trimmed.
   */
  public String identifierHash(String namespace, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return hmacHex(namespace + ":" + value.trim());
  }

  private String hmacHex(String value) {
    if (mac == null) {
      mac = ThreadLocal.withInitial(this::newMac);
    }
    return HexFormat.of().formatHex(mac.get().doFinal(value.getBytes(StandardCharsets.UTF_8)));
  }

  private Mac newMac() {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      return m;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /**
   * Masks every phone number and e-mail address inside free text (a raw rejected row, an error
   * message): phones keep their first 3 and last 2 digits, e-mails their first character.
   */
  public static String mask(String text) {
    if (text == null) {
      return null;
    }
    String out = PHONE_IN_TEXT.matcher(text).replaceAll(m -> {
      String digits = m.group().replaceAll("[^0-9]", "");
      String local = digits.length() > 11 ? digits.substring(digits.length() - 11) : digits;
      return local.substring(0, 3) + "******" + local.substring(9);
    });
    return EMAIL_IN_TEXT.matcher(out).replaceAll(m -> m.group().charAt(0) + "***@***");
  }

  /** True when the text still holds something that looks like a phone number or e-mail. */
  public static boolean looksLikePii(String text) {
    return text != null && (PHONE_IN_TEXT.matcher(text).find() || EMAIL_IN_TEXT.matcher(text).find());
  }
}
