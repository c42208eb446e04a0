package io.touchpoint.jobs.generate;

import io.touchpoint.catalog.Channels;
import io.touchpoint.errors.Errors;
import io.touchpoint.jobs.spark.LocalFolders;
import io.touchpoint.pii.Pii;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates a folder of channel exports (docs/EXPORTS.md) from a simulated population, with the
 * ground truth beside it. Streams one day at a time; the same config gives the same bytes.
 */
public final class ExportGenerator {
  static final List<String> OUTPUTS = List.of("pos", "webshop", "marketplace", "touchpoints", "ad_spend", "crm", "_truth",
      "_defects");
  private static final Logger LOG = LoggerFactory.getLogger(ExportGenerator.class);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private ExportGenerator() {}

  public static GenerationSummary generate(GeneratorConfig config) {
    config.validate();
    long started = System.nanoTime();
    long cpuStarted = THREADS.getCurrentThreadCpuTime();
    Path out = config.out().toAbsolutePath().normalize();
    prepare(out);
    String key = System.getenv("TOUCHPOINT_HMAC_KEY");
    Pii pii = key == null || key.isBlank() ? Pii.demo() : Pii.withKey(key);
    SplittableRandom root = new SplittableRandom(config.seed());
    SplittableRandom worldRandom = root.split();
    SplittableRandom simulationRandom = root.split();
    SplittableRandom spendRandom = root.split();
    SplittableRandom defectRandom = root.split();

    World world = World.build(config, Channels.defaults(), worldRandom);
    long simulationSeed = simulationRandom.nextLong();
    Simulator simulator = new Simulator(world, pii, new SplittableRandom(simulationSeed));
    Incrementality incrementality = config.incrementality() ? new Incrementality(world, pii, simulationSeed) : null;
    PosExport pos = new PosExport(world);
    WebshopExport webshop = new WebshopExport(world);
    MarketplaceExport marketplace = new MarketplaceExport(world);
    TouchExport touchpoints = new TouchExport(world);
    SpendExport spend = new SpendExport(world, spendRandom);
    CrmExport crm = new CrmExport(world);
    DefectInjector defects = new DefectInjector(config.defectRate(), defectRandom.split(),
        fileFaults(config, world, defectRandom.split()));
    TableWriter writer = new TableWriter(out);
    Realised realised = new Realised(world);
    Map<String, Long> rowsByFile = new TreeMap<>();
    Map<String, Long> rowsBySource = new LinkedHashMap<>();
    for (String s : OUTPUTS.subList(0, 6)) {
      rowsBySource.put(s, 0L);
    }

    LOG.info("built {} persons in {} ms", world.persons.size(), (System.nanoTime() - started) / 1_000_000);
    AtomicLong parquetCpu = new AtomicLong();
    AtomicLong textCpu = new AtomicLong();
    ExecutorService parquetFiles = writerThread("generate-parquet");
    ExecutorService textFiles = writerThread("generate-text");
    try {
      Future<?> parquetInFlight = null;
      Future<?> textInFlight = null;
      for (int d = 0; d < config.days(); d++) {
        Events.Day day = simulator.simulate(d);
        realised.day(day);
        if (incrementality != null) {
          incrementality.factualDay(day);
        }
        List<Table> tables = new ArrayList<>();
        tables.add(pos.table(day));
        tables.add(webshop.table(day));
        tables.addAll(marketplace.tables(day));
        tables.add(touchpoints.table(day));
        tables.add(spend.table(day));
        tables.addAll(crm.tables(day));
        for (Table t : tables) {
          defects.apply(t);
          rowsByFile.put(t.file, (long) t.rows.size());
          rowsBySource.merge(t.source, (long) t.rows.size(), Long::sum);
        }
        await(parquetInFlight);
        await(textInFlight);
        List<Table> parquet = tables.stream().filter(t -> t.format == Table.Format.PARQUET).toList();
        List<Table> text = tables.stream().filter(t -> t.format != Table.Format.PARQUET).toList();
        parquetInFlight = parquetFiles.submit(() -> timed(parquetCpu, () -> parquet.forEach(writer::write)));
        textInFlight = textFiles.submit(() -> timed(textCpu, () -> text.forEach(writer::write)));
        if ((d + 1) % 10 == 0 || d + 1 == config.days()) {
          LOG.info("generated day {}/{} ({}): {} orders, {} touches so far", d + 1, config.days(), world.date(d),
              realised.orders(), realised.touches());
        }
      }
      await(parquetInFlight);
      await(textInFlight);
    } finally {
      parquetFiles.shutdownNow();
      textFiles.shutdownNow();
    }

    TruthExport truth = new TruthExport(out);
    truth.channelEffects(config.behaviour());
    if (incrementality != null) {
      long counterfactualStarted = System.nanoTime();
      truth.text(Incrementality.FILE, incrementality.lines(incrementality.compute()));
      LOG.info("simulated {} counterfactual worlds (one marketing channel removed each) in {} ms",
          world.touchNames.length, (System.nanoTime() - counterfactualStarted) / 1_000_000);
    }
    truth.config(config, pii);
    truth.persons(world, pii, simulator.registrationDays());
    truth.purchaseProcess(world, simulator.droppedOutDays());
    truth.defectConfig(config);
    truth.manifest(defects.defects());
    Map<String, Object> figures = realised.figures(spend.spendCents());
    Map<String, Long> defectCounts = new TreeMap<>();
    defects.defects().forEach(x -> defectCounts.merge(x.kind().label(), 1L, Long::sum));
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("figures", figures);
    summary.put("rows_by_source", rowsBySource);
    summary.put("rows_by_file", rowsByFile);
    summary.put("defects_by_kind", defectCounts);
    truth.json("_truth/summary.json", summary);
    long millis = (System.nanoTime() - started) / 1_000_000;
    LOG.info("wrote {} days of exports for {} customers to {} in {} ms ({} orders, {} touches, {} defects);"
        + " CPU s: simulation thread {}, Parquet writer {}, text writer {}", config.days(), config.customers(), out,
        millis, realised.orders(), realised.touches(), defects.defects().size(),
        seconds(THREADS.getCurrentThreadCpuTime() - cpuStarted), seconds(parquetCpu.get()), seconds(textCpu.get()));
    return new GenerationSummary(out, realised.orders(), realised.touches(), rowsBySource, rowsByFile,
        defects.defects().size(), figures, millis);
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
  }

  private static void timed(AtomicLong cpuNanos, Runnable work) {
    long start = THREADS.getCurrentThreadCpuTime();
    work.run();
    cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - start);
  }

  /** Files are written off the simulation thread, one day in flight, each file by one thread. */
  private static ExecutorService writerThread(String name) {
    return Executors.newSingleThreadExecutor(task -> {
      Thread t = new Thread(task, name);
      t.setDaemon(true);
      return t;
    });
  }

  private static void await(Future<?> write) {
    if (write == null) {
      return;
    }
    try {
      write.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing export files", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Chooses the files that get a file-level fault: wrong_encoding and missing_column in turn. */
  private static Map<String, DefectInjector.Kind> fileFaults(GeneratorConfig config, World world, SplittableRandom r) {
    List<String> encodingCandidates = new ArrayList<>();
    List<String> columnCandidates = new ArrayList<>();
    for (int d = 0; d < config.days(); d++) {
      String date = world.date(d).toString();
      for (MarketplaceExport.Platform p : MarketplaceExport.PLATFORMS) {
        encodingCandidates.add("marketplace/" + date + "/" + p.name() + ".csv");
        columnCandidates.add("marketplace/" + date + "/" + p.name() + ".csv");
      }
      columnCandidates.add("pos/" + date + "/tickets.csv");
      columnCandidates.add("ad_spend/" + date + "/spend.csv");
      columnCandidates.add("crm/" + date + "/members.csv");
      columnCandidates.add("crm/" + date + "/bindings.csv");
    }
    if (config.fileDefects() > columnCandidates.size()) {
      throw Errors.usage("inject " + config.fileDefects() + " file-level faults", "a run of " + config.days()
          + " days has only " + columnCandidates.size() + " CSV files", "Pass --file-defects at most "
          + columnCandidates.size() + " or generate more days");
    }
    Map<String, DefectInjector.Kind> faults = new LinkedHashMap<>();
    for (int i = 0; i < config.fileDefects(); i++) {
      boolean encoding = i % 2 == 0 && faults.keySet().stream().filter(encodingCandidates::contains).count()
          < encodingCandidates.size();
      List<String> pool = encoding ? encodingCandidates : columnCandidates;
      String file;
      do {
        file = pool.get(r.nextInt(pool.size()));
      } while (faults.containsKey(file));
      faults.put(file, encoding ? DefectInjector.Kind.WRONG_ENCODING : DefectInjector.Kind.MISSING_COLUMN);
    }
    return faults;
  }

  /** Empties a previous generator output; refuses any other non-empty folder. */
  private static void prepare(Path out) {
    try {
      if (Files.exists(out) && !Files.isDirectory(out)) {
        throw Errors.usage("generate exports into " + out, "it is a file, not a folder", "Pass a folder to --out");
      }
      if (Files.isDirectory(out)) {
        List<String> entries;
        try (Stream<Path> s = Files.list(out)) {
          entries = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        if (!entries.isEmpty()) {
          boolean previous = OUTPUTS.containsAll(entries) && Files.isRegularFile(out.resolve("_truth/config.json"));
          if (!previous) {
            throw Errors.usage("generate exports into " + out, "the folder is not empty and is not a previous"
                + " `touchpoint generate` output (it holds " + entries.subList(0, Math.min(5, entries.size())) + ")",
                "Pass an empty or new folder to --out, or remove what is in it");
          }
          for (String e : entries) {
            LocalFolders.delete(out.resolve(e));
          }
        }
      }
      Files.createDirectories(out);
    } catch (IOException e) {
      throw Errors.input("generate exports into " + out, e.toString(), "Check that the folder is writable", e);
    }
  }
}
