package io.touchpoint.jobs.support;

import io.touchpoint.jobs.generate.Behaviour;
import io.touchpoint.jobs.generate.ExportGenerator;
import io.touchpoint.jobs.generate.GeneratorConfig;
import io.touchpoint.jobs.pipeline.Pipeline;
import io.touchpoint.jobs.pipeline.Stage;
import io.touchpoint.jobs.spark.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One generated world (exports with {@code _truth/}, incrementality included) run through ingest,
 * identity and silver once per test JVM, for the tests that judge models against the truth
 * (attribution, customer value). Ingest dominates its cost, so it is built once and shared.
 */
public final class GeneratedWorld {
  private static final Logger LOG = LoggerFactory.getLogger(GeneratedWorld.class);
  public static final LocalDate START = LocalDate.of(2026, 3, 1);
  public static final int CUSTOMERS = 2_000;
  public static final int DAYS = 40;
  public static final long SEED = 23;
  public static final LocalDate LAST_DAY = START.plusDays(DAYS - 1);
  private static final Map<String, GeneratedWorld> WORLDS = new HashMap<>();

  public final Path exports;
  public final Warehouse warehouse;

  private GeneratedWorld(Path exports, Warehouse warehouse) {
    this.exports = exports;
    this.warehouse = warehouse;
  }

  /** The default world (Behaviour.defaults(), as the demo generates it). */
  public static GeneratedWorld get() {
    return of("default", Behaviour.defaults());
  }

  /** The world without purchase-triggered touches ({@link Behaviour#withoutPurchaseTriggeredTouches()}). */
  public static GeneratedWorld withoutPurchaseTriggeredTouches() {
    return of("without-triggered-touches", Behaviour.defaults().withoutPurchaseTriggeredTouches());
  }

  private static synchronized GeneratedWorld of(String name, Behaviour behaviour) {
    GeneratedWorld world = WORLDS.get(name);
    if (world == null) {
      try {
        Path dir = Files.createTempDirectory("touchpoint-generated-" + name);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        long t0 = System.nanoTime();
        Path exports = dir.resolve("exports");
        ExportGenerator.generate(GeneratorConfig.of(exports, CUSTOMERS, DAYS, START, SEED).withBehaviour(behaviour)
            .withIncrementality());
        Warehouse warehouse = new Warehouse(SparkTestSupport.spark(), dir.resolve("warehouse").toString());
        new Pipeline(warehouse, SparkTestSupport.config(dir.resolve("warehouse"), exports))
            .run(Pipeline.range(START, LAST_DAY), EnumSet.of(Stage.INGEST, Stage.IDENTITY, Stage.SILVER), "generated");
        LOG.info("generated world '{}' ({} persons x {} days, seed {}) through silver in {} s", name, CUSTOMERS, DAYS,
            SEED, String.format("%.1f", (System.nanoTime() - t0) / 1e9));
        world = new GeneratedWorld(exports, warehouse);
        WORLDS.put(name, world);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return world;
  }

  private static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // best effort at JVM exit
    }
  }
}
