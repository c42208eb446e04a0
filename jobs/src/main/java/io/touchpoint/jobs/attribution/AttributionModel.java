package io.touchpoint.jobs.attribution;

import io.touchpoint.errors.Errors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The models the attribution job writes, by their name in {@code --models} and in {@code gold.attribution_by_channel.model}. */
public enum AttributionModel {
  MARKOV, FIRST, LAST, LINEAR, TIME_DECAY, POSITION, EXPERIENCE_SPLIT;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses names such as {@code markov,first}; unknown names fail with the list of known ones. */
  public static Set<AttributionModel> parse(List<String> names) {
    List<String> unknown = new ArrayList<>();
    Set<AttributionModel> out = EnumSet.noneOf(AttributionModel.class);
    for (String raw : names) {
      String n = raw.strip().toLowerCase(Locale.ROOT);
      AttributionModel m = Arrays.stream(values()).filter(v -> v.label().equals(n)).findFirst().orElse(null);
      if (m == null) {
        unknown.add(raw);
      } else {
        out.add(m);
      }
    }
    if (!unknown.isEmpty()) {
      throw Errors.unknownNames("attribution model(s)", unknown, Arrays.stream(values()).map(AttributionModel::label).toList());
    }
    if (out.isEmpty()) {
      throw Errors.badAttributionOption("--models", "no model was named", "Pass e.g. --models markov,last");
    }
    return out;
  }
}
