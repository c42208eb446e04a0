package io.touchpoint.attribution;

import io.touchpoint.errors.Errors;
import java.util.ArrayList;
import java.util.List;

/**
 * One distinct path with its aggregated outcome: how many journeys along it converted, the
 * value they brought, and how many ended without conversion ({@code nulls}). Counts may be
 * fractional and large (double precision, exact up to 2^53).
 */
public record Journey(List<String> channels, double conversions, double conversionValue, double nulls) {

  public Journey {
    channels = List.copyOf(channels);
    if (channels.isEmpty()) {
      throw Errors.badJourney("the path has no channel", "Drop empty paths or give them at least one touch");
    }
    for (String c : channels) {
      if (c.isBlank()) {
        throw Errors.badJourney("the path " + channels + " has a blank channel name",
            "Remove doubled or trailing separators");
      }
    }
    checkCount("conversions", conversions);
    checkCount("conversion value", conversionValue);
    checkCount("nulls", nulls);
  }

  /** Splits {@code path} on {@code separator} and trims each channel ("a>b", "a > b", " a >b "). */
  public static Journey of(String path, String separator, double conversions, double conversionValue, double nulls) {
    return new Journey(split(path, separator), conversions, conversionValue, nulls);
  }

  private static List<String> split(String path, String separator) {
    if (separator.isEmpty()) {
      throw Errors.badAttributionOption("an empty path separator", "the separator is empty", "Use e.g. '>'");
    }
    List<String> out = new ArrayList<>();
    int from = 0;
    while (true) {
      int at = path.indexOf(separator, from);
      String channel = (at < 0 ? path.substring(from) : path.substring(from, at)).strip();
      if (channel.isEmpty()) {
        throw Errors.badJourney("the path '" + path + "' has an empty channel name",
            "Remove doubled or trailing separators '" + separator + "'");
      }
      out.add(channel);
      if (at < 0) {
        return out;
      }
      from = at + separator.length();
    }
  }

  static void checkCount(String what, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw Errors.badJourney(what + " is " + v, "Counts and values must be finite and not negative");
    }
  }
}
