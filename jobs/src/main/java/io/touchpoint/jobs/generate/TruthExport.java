package io.touchpoint.jobs.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.touchpoint.pii.Pii;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code _truth/} (what the world really was) and {@code _defects/} (what was broken on purpose). */
final class TruthExport {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path root;

  TruthExport(Path root) {
    this.root = root;
  }

  void channelEffects(Behaviour b) {
    List<String> lines = new ArrayList<>();
    lines.add("channel,incremental_effect");
    b.touchChannels().forEach(c -> lines.add(c.name() + "," + c.effect()));
    text("_truth/channel_effects.csv", lines);
  }

  void config(GeneratorConfig c, Pii pii) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("customers", c.customers());
    m.put("days", c.days());
    m.put("start_date", c.startDate().toString());
    m.put("seed", c.seed());
    m.put("purchase_model", "daily P(purchase | alive) = min(maxDailyProbability, rate × exp(Σ_c effect_c ×"
        + " [touched by c on one of the effectWindowDays days before])); after each purchase the person drops out"
        + " with probability dropout; rate ~ Gamma(rateShape, rateMeanPerDay/rateShape), dropout ~ Beta(dropoutA,"
        + " dropoutB), mean spend ~ Gamma(spendShape, spendMeanCny/spendShape), order value = mean spend ×"
        + " channel factor × Gamma(orderShape, 1/orderShape); prospects (never bought before the window) can buy"
        + " from an arrival day spread over the window");
    m.put("hash_key", pii.isDemoKey() ? "demo key (Pii.DEMO_KEY)" : "TOUCHPOINT_HMAC_KEY");
    m.put("behaviour", c.behaviour());
    json("_truth/config.json", m);
  }

  void defectConfig(GeneratorConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("defect_rate", c.defectRate());
    m.put("file_defects", c.fileDefects());
    json("_defects/config.json", m);
  }

  void persons(World world, Pii pii, int[] finalRegistrationDay) {
    List<String> lines = new ArrayList<>(world.persons.size() + 1);
    lines.add("person_id,member_id,phone_hash,email_hash,device_ids,marketplace_buyers");
    for (Person p : world.persons) {
      String member = p.memberId() != null && finalRegistrationDay[p.index()] < world.config.days() ? p.memberId() : "";
      StringBuilder buyers = new StringBuilder();
      for (int k = 0; k < p.buyers().length; k++) {
        if (p.buyers()[k] != null) {
          buyers.append(buyers.length() == 0 ? "" : "|").append(World.PLATFORMS.get(k)).append(':').append(p.buyers()[k]);
        }
      }
      lines.add(Table.csv(new String[] {p.personId(), member, pii.phoneHash(p.phone()),
          p.email() == null ? "" : pii.emailHash(p.email()), String.join("|", p.devices()), buyers.toString()}));
    }
    text("_truth/persons.csv", lines);
  }

  /**
   * {@code _truth/purchase_process.csv}: each person's latent purchase process, for judging customer
   * value models: {@code person_id, purchase_rate_per_day} (the baseline daily purchase probability
   * before marketing), {@code dropout_probability} (after each purchase), {@code mean_spend_cny},
   * {@code dropped_out_on} (the date of the purchase after which the person dropped out; empty while
   * alive at the end).
   */
  void purchaseProcess(World world, int[] droppedOutDay) {
    List<String> lines = new ArrayList<>(world.persons.size() + 1);
    lines.add("person_id,purchase_rate_per_day,dropout_probability,mean_spend_cny,dropped_out_on");
    for (Person p : world.persons) {
      int d = droppedOutDay[p.index()];
      lines.add(String.format(java.util.Locale.ROOT, "%s,%.6f,%.6f,%.2f,%s", p.personId(), p.rate(), p.dropout(),
          p.meanSpendCny(), d < 0 ? "" : world.date(d).toString()));
    }
    text("_truth/purchase_process.csv", lines);
  }

  void manifest(List<DefectInjector.Defect> defects) {
    List<String> lines = new ArrayList<>(defects.size() + 1);
    lines.add("source,file,row,kind");
    for (DefectInjector.Defect d : defects) {
      lines.add(d.source() + "," + d.file() + "," + (d.row() == null ? "" : d.row()) + "," + d.kind().label());
    }
    text("_defects/manifest.csv", lines);
  }

  void json(String file, Object value) {
    try {
      Path p = root.resolve(file);
      Files.createDirectories(p.getParent());
      Files.writeString(p, JSON.writeValueAsString(value) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void text(String file, List<String> lines) {
    Path p = root.resolve(file);
    try {
      Files.createDirectories(p.getParent());
      try (BufferedWriter w = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
        for (String line : lines) {
          w.write(line);
          w.write('\n');
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
