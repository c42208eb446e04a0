package io.touchpoint.jobs.generate;

import io.touchpoint.jobs.generate.Events.Day;
import io.touchpoint.jobs.generate.Events.Order;
import io.touchpoint.pii.Pii;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The true incremental purchases of each marketing channel: the same world simulated again with
 * that channel removed (its touches drawn but never delivered, see {@link Simulator}), with the same
 * seeds, so that every person-day sees the same random numbers. Purchases present in the factual
 * run but not in the counterfactual one are what the channel caused, including its later effects
 * (a purchase that did not happen triggers no post-purchase SMS and no dropout draw).
 *
 * <p>This is the quantity a Markov removal effect estimates: the share of conversions lost if the
 * channel did not exist. It is written per purchase date so that a test can sum it over any
 * attribution window ({@code _truth/channel_incrementality.csv}).
 */
final class Incrementality {
  static final String FILE = "_truth/channel_incrementality.csv";

  /** Factual and counterfactual purchases (and their gross value in cents) per channel and day. */
  record Counts(int[] factual, long[] factualCents, int[][] without, long[][] withoutCents) {}

  private final World world;
  private final Pii pii;
  private final long simulationSeed;
  private final int[] factual;
  private final long[] factualCents;

  /**
   * @param simulationSeed the seed the factual {@link Simulator} was built with
   */
  Incrementality(World world, Pii pii, long simulationSeed) {
    this.world = world;
    this.pii = pii;
    this.simulationSeed = simulationSeed;
    this.factual = new int[world.config.days()];
    this.factualCents = new long[world.config.days()];
  }

  /** Records one day of the factual run (the one whose exports are written). */
  void factualDay(Day day) {
    factual[day.day()] = day.orders().size();
    factualCents[day.day()] = day.orders().stream().mapToLong(Order::amountCents).sum();
  }

  /** Runs one counterfactual per marketing channel, on all cores; each is a full simulation without output. */
  Counts compute() {
    int channels = world.touchNames.length;
    int days = world.config.days();
    int[][] without = new int[channels][days];
    long[][] withoutCents = new long[channels][days];
    int threads = Math.max(1, Math.min(channels, Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
      Thread t = new Thread(task, "generate-counterfactual");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int c = 0; c < channels; c++) {
        int removed = c;
        runs.add(pool.submit(() -> {
          Simulator s = new Simulator(world, pii, new SplittableRandom(simulationSeed), removed);
          for (int d = 0; d < days; d++) {
            Day day = s.simulate(d);
            without[removed][d] = day.orders().size();
            withoutCents[removed][d] = day.orders().stream().mapToLong(Order::amountCents).sum();
          }
        }));
      }
      for (Future<?> f : runs) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while simulating counterfactual worlds", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return new Counts(factual.clone(), factualCents.clone(), without, withoutCents);
  }

  /**
   * One row per purchase date and marketing channel: {@code date, channel, purchases,
   * purchases_without_channel, incremental_purchases, revenue_cny, revenue_without_channel_cny,
   * incremental_revenue_cny}. Purchases are purchase occasions (a person buys at most once a day in
   * the simulation) of all persons, identified or not; revenue is gross, before refunds.
   */
  List<String> lines(Counts counts) {
    List<String> lines = new ArrayList<>();
    lines.add("date,channel,purchases,purchases_without_channel,incremental_purchases,revenue_cny,"
        + "revenue_without_channel_cny,incremental_revenue_cny");
    for (int d = 0; d < world.config.days(); d++) {
      for (int c = 0; c < world.touchNames.length; c++) {
        lines.add(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%.2f,%.2f,%.2f", world.date(d), world.touchNames[c],
            counts.factual()[d], counts.without()[c][d], counts.factual()[d] - counts.without()[c][d],
            counts.factualCents()[d] / 100.0, counts.withoutCents()[c][d] / 100.0,
            (counts.factualCents()[d] - counts.withoutCents()[c][d]) / 100.0));
      }
    }
    return lines;
  }
}
