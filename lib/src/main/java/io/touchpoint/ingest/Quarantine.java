package io.touchpoint.ingest;

import io.touchpoint.pii.Pii;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a rejected row and its reason are shown in {@code ops.rejects}: phones and e-mails masked
 * ({@link Pii#mask}), names masked, and bounded in length so that a runaway field cannot bloat the
 * table.
 *
 * <p>Files that carry free-form names (marketplace buyers, CRM bindings) cannot be masked by
 * pattern, and a broken line does not say which field is the name. Their rejected lines keep only
 * the values that are plainly not personal: numbers, dates and times, masked phones, member and
 * device ids, and the file's own vocabulary (statuses, identifier types). Every other value
 * becomes {@code ***}, in the raw row and in the reason.
 */
final class Quarantine {
  static final int MAX_RAW_CHARS = 2000;
  static final int MAX_DETAIL_CHARS = 500;
  static final String MASK = "***";
  /**
   * A Chinese mobile number glued to letters ({@code tel13812345678}, {@code 13812345678abc}),
   * which {@link Pii#mask} leaves alone so as not to touch hashes and ids. In a rejected row it is
   * masked too: the row is for a person to read, and a masked piece of a hash costs nothing.
   */
  private static final Pattern GLUED_PHONE =
      Pattern.compile("(?<![0-9])(?:\\+?86[ .-]?)?(1[3-9][0-9])[ .-]?[0-9]{4}[ .-]?[0-9]{2}([0-9]{2})(?![0-9])");
  private static final Pattern PLAIN =
      Pattern.compile("[-+0-9.:/ TZ]*|\\d{3}\\*{4}\\d{4}|M\\d{6,12}|d_[0-9a-f]{16}|#ERR");

  private Quarantine() {}

  /** The raw text masked and clipped. */
  static String raw(String text) {
    return masked(text, MAX_RAW_CHARS);
  }

  static String detail(String text) {
    return masked(text, MAX_DETAIL_CHARS);
  }

  /**
   * Clipped a little beyond the limit before masking (a runaway value costs no more than a short
   * one), then to the limit, which drops anything cut at the first clip.
   */
  private static String masked(String text, int max) {
    if (text == null) {
      return null;
    }
    String head = text.length() > max + 100 ? text.substring(0, max + 100) : text;
    String out = GLUED_PHONE.matcher(Pii.mask(head)).replaceAll("$1******$2");
    if (text.length() > max) {
      return (out.length() > max ? out.substring(0, max) : out) + "… [clipped: " + text.length() + " characters]";
    }
    return out;
  }

  /** A line of a file with names: only plain values and vocabulary words survive. */
  static String rawWithNames(String line, Set<String> vocabulary) {
    String[] fields = line.split(",", -1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < fields.length && sb.length() <= MAX_RAW_CHARS; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(plain(fields[i], vocabulary) ? fields[i] : MASK);
    }
    return raw(sb.toString());
  }

  /** The reason of a rejected line of a file with names, with each of the line's non-plain values masked. */
  static String detailWithNames(String detail, String line, Set<String> vocabulary) {
    String out = detail;
    for (String f : line.split(",", -1)) {
      String v = f.replace("\"", "").trim();
      if (v.length() >= 2 && !plain(v, vocabulary)) {
        out = out.replace(v, MASK);
      }
    }
    return detail(out);
  }

  static boolean plain(String value, Set<String> vocabulary) {
    String v = value.replace("\"", "").trim();
    return vocabulary.contains(v) || PLAIN.matcher(v).matches();
  }

  static String clip(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    return text.substring(0, max) + "… [clipped: " + text.length() + " characters]";
  }
}
