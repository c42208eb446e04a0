package io.touchpoint.attribution;

import io.touchpoint.errors.Errors;
import java.util.ArrayList;
import java.util.List;

/** Path strings ("a > b > c") to channel lists. */
final class Paths {
  private Paths() {}

  static List<String> split(String path, String separator) {
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
}
