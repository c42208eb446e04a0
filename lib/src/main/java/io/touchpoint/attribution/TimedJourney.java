package io.touchpoint.attribution;

import io.touchpoint.errors.Errors;
import java.time.Instant;
import java.util.List;

/** A converting path with the time of each touch, for time-decay attribution. */
public record TimedJourney(
    List<String> channels, List<Instant> touchedAt, Instant convertedAt, double conversions, double conversionValue) {

  public TimedJourney {
    channels = new Journey(channels, conversions, conversionValue, 0).channels();
    touchedAt = List.copyOf(touchedAt);
    if (touchedAt.size() != channels.size()) {
      throw Errors.badJourney("the path has " + channels.size() + " touches but " + touchedAt.size()
          + " timestamps", "Give one timestamp per touch");
    }
    for (Instant t : touchedAt) {
      if (t.isAfter(convertedAt)) {
        throw Errors.badJourney("a touch at " + t + " is after the conversion at " + convertedAt,
            "Drop touches after the conversion (they belong to the next journey)");
      }
    }
  }
}
