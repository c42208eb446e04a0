package io.touchpoint.jobs.generate;

import io.touchpoint.catalog.Channels;
import io.touchpoint.jobs.support.PiiScan;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Test-only: the personal data a generator run put into its exports (phones, e-mails, buyer
 * names), recomputed from its config. The generator draws the population from the first split of
 * its seed ({@link ExportGenerator#generate}), so the same config gives the same people; nothing
 * of this is ever written anywhere. {@code GeneratedPiiTest} checks the list against the
 * generator's own hashed truth file.
 */
public final class GeneratedPii {
  public final List<String> phones = new ArrayList<>();
  public final List<String> emails = new ArrayList<>();
  public final List<String> names = new ArrayList<>();

  private GeneratedPii() {}

  public static GeneratedPii of(GeneratorConfig config) {
    World world = World.build(config, Channels.defaults(), new SplittableRandom(config.seed()).split());
    GeneratedPii out = new GeneratedPii();
    for (Person p : world.persons) {
      out.phones.add(p.phone());
      if (p.email() != null) {
        out.emails.add(p.email());
      }
      for (String b : p.buyers()) {
        if (b != null) {
          out.names.add(b);
        }
      }
    }
    return out;
  }

  public PiiScan scan() {
    return new PiiScan(phones, emails, names);
  }
}
