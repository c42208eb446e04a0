package io.touchpoint.jobs.support;

import io.touchpoint.jobs.spark.Warehouse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Looks for known personal data (the phones, e-mails and names a test put into the exports) in
 * clear anywhere: table values, log output, error messages. A phone counts in any of the forms
 * customers type it (digits only, with +86 or 86, with spaces, dashes or dots between the groups,
 * glued to letters; not inside a longer number such as an order id),
 * an e-mail in any letter case, a name as written (pinyin names in any letter case).
 * Hashes cannot match: a phone must stand alone, not inside a run of letters and digits.
 */
public final class PiiScan {
  private static final Pattern PHONE_TOKEN =
      Pattern.compile("(?<![0-9A-Za-z])(?:\\+?86[ .-]?)?1[3-9]\\d[ .-]?\\d{4}[ .-]?\\d{4}(?![0-9A-Za-z])");

  private final Set<String> phones;
  private final Set<String> emails;
  private final Set<String> names;

  public PiiScan(Collection<String> phones, Collection<String> emails, Collection<String> names) {
    this.phones = new HashSet<>();
    phones.forEach(p -> this.phones.add(last11(p.replaceAll("[^0-9]", ""))));
    this.emails = new HashSet<>();
    emails.forEach(e -> this.emails.add(e.toLowerCase(Locale.ROOT)));
    this.names = new HashSet<>();
    names.forEach(n -> this.names.add(n.toLowerCase(Locale.ROOT)));
  }

  public int size() {
    return phones.size() + emails.size() + names.size();
  }

  /** The known values found in the text, described without repeating them in full. */
  public List<String> leaks(String where, String text) {
    List<String> out = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return out;
    }
    String lower = text.toLowerCase(Locale.ROOT);
    Matcher m = PHONE_TOKEN.matcher(text);
    while (m.find()) {
      String digits = last11(m.group().replaceAll("[^0-9]", ""));
      if (phones.contains(digits)) {
        out.add(where + ": phone " + digits.substring(0, 3) + "…" + digits.substring(9) + " in clear");
      }
    }
    for (String p : phones) {
      // The 11 digits as a number of their own, even glued to letters (tel13812345678), but not
      // inside a longer number (an order id) or a hash.
      for (int at = text.indexOf(p); at >= 0; at = text.indexOf(p, at + 1)) {
        boolean digitBefore = at > 0 && Character.isDigit(text.charAt(at - 1));
        boolean digitAfter = at + p.length() < text.length() && Character.isDigit(text.charAt(at + p.length()));
        if (!digitBefore && !digitAfter && !hexAround(text, at, p.length())) {
          out.add(where + ": phone " + p.substring(0, 3) + "…" + p.substring(9) + " in clear (digits)");
          break;
        }
      }
    }
    for (String e : emails) {
      if (lower.contains(e)) {
        out.add(where + ": e-mail " + e.charAt(0) + "…@" + e.substring(e.indexOf('@') + 1) + " in clear");
      }
    }
    for (String n : names) {
      if (lower.contains(n)) {
        out.add(where + ": name " + n.codePoints().limit(1).collect(StringBuilder::new, StringBuilder::appendCodePoint,
            StringBuilder::append) + "… in clear");
      }
    }
    return out;
  }

  /** Every value of every column (strings, and anything nested rendered as JSON) of every table. */
  public List<String> leaks(Warehouse warehouse) {
    List<String> out = new ArrayList<>();
    for (String t : warehouse.tables()) {
      String[] p = t.split("\\.");
      Dataset<Row> df = warehouse.read(p[0], p[1]);
      List<Column> texts = new ArrayList<>();
      for (StructField f : df.schema().fields()) {
        Column c = functions.col("`" + f.name() + "`");
        if (f.dataType().equals(DataTypes.StringType)) {
          texts.add(functions.concat(functions.lit(f.name() + "="), c));
        } else if (f.dataType() instanceof org.apache.spark.sql.types.ArrayType
            || f.dataType() instanceof org.apache.spark.sql.types.StructType
            || f.dataType() instanceof org.apache.spark.sql.types.MapType) {
          texts.add(functions.concat(functions.lit(f.name() + "="), functions.to_json(c)));
        }
      }
      if (texts.isEmpty()) {
        continue;
      }
      for (Row r : df.select(functions.concat_ws(" | ", texts.toArray(new Column[0]))).distinct().collectAsList()) {
        out.addAll(leaks(t, r.getString(0)));
      }
    }
    return out;
  }

  private static boolean hexAround(String text, int at, int length) {
    boolean before = at > 0 && Character.digit(text.charAt(at - 1), 16) >= 0 && !Character.isDigit(text.charAt(at - 1));
    boolean after = at + length < text.length() && Character.digit(text.charAt(at + length), 16) >= 0
        && !Character.isDigit(text.charAt(at + length));
    return before || after || inHexRun(text, at, length);
  }

  /** True when the digits sit in a run of at least 32 hex characters (a hash). */
  private static boolean inHexRun(String text, int at, int length) {
    int s = at;
    while (s > 0 && Character.digit(text.charAt(s - 1), 16) >= 0) {
      s--;
    }
    int e = at + length;
    while (e < text.length() && Character.digit(text.charAt(e), 16) >= 0) {
      e++;
    }
    return e - s >= 32;
  }

  private static String last11(String digits) {
    return digits.length() > 11 ? digits.substring(digits.length() - 11) : digits;
  }
}
