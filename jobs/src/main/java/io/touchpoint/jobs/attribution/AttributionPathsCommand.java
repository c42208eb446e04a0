package io.touchpoint.jobs.attribution;

import io.touchpoint.attribution.ChannelCredit;
import io.touchpoint.attribution.Credit;
import io.touchpoint.attribution.CreditInterval;
import io.touchpoint.attribution.HeuristicAttribution;
import io.touchpoint.attribution.HeuristicModel;
import io.touchpoint.attribution.Journeys;
import io.touchpoint.attribution.MarkovAttribution;
import io.touchpoint.attribution.MarkovBootstrap;
import io.touchpoint.attribution.MarkovResult;
import io.touchpoint.attribution.PathsCsv;
import io.touchpoint.attribution.Transition;
import io.touchpoint.errors.Errors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Markov attribution of an aggregated path table (ChannelAttribution's input format) for
 * analysts: plain Java, no Spark. Writes one row per channel, in order of first appearance.
 */
@Command(
    name = "attribution-paths",
    mixinStandardHelpOptions = true,
    description = {
        "Markov-chain (order 1-4, solved exactly) attribution of a path table such as ChannelAttribution's:",
        "path,total_conversions,total_conversion_value,total_null. Writes channel,attributed_conversions,"
            + "attributed_value,removal_effect_conversion,removal_effect_value (+ heuristic and interval columns).",
        "The value and null columns are optional: without them value is 0 and no journey ends in null."})
public final class AttributionPathsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--input", required = true, description = "Path table (CSV, UTF-8, header row).")
  Path input;

  @Option(names = "--output", required = true, description = "Result CSV, one row per channel.")
  Path output;

  @Option(names = "--order", defaultValue = "1", description = "Markov order 1-4 (default ${DEFAULT-VALUE}).")
  int order;

  @Option(names = "--heuristics", description = "Add first-touch, last-touch, linear and position-based columns.")
  boolean heuristics;

  @Option(names = "--bootstrap", defaultValue = "0", paramLabel = "N",
      description = "Bootstrap replicates for percentile intervals (0 = none).")
  int bootstrap;

  @Option(names = "--seed", defaultValue = "42", description = "Bootstrap seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--level", defaultValue = "0.95", description = "Interval level (default ${DEFAULT-VALUE}).")
  double level;

  @Option(names = "--separator", defaultValue = ">", description = "Channel separator in paths (default '${DEFAULT-VALUE}'); spaces around it are ignored.")
  String separator;

  @Option(names = "--path-column", defaultValue = PathsCsv.Format.PATH)
  String pathColumn;

  @Option(names = "--conversions-column", defaultValue = PathsCsv.Format.CONVERSIONS)
  String conversionsColumn;

  @Option(names = "--value-column", description = "Default total_conversion_value, used when present.")
  String valueColumn;

  @Option(names = "--null-column", description = "Default total_null, used when present.")
  String nullColumn;

  @Option(names = "--transitions-output", description = "Also write the transition matrix (from,to,probability,weight).")
  Path transitionsOutput;

  @Override
  public Integer call() throws IOException {
    MarkovAttribution.checkOrder(order);
    MarkovBootstrap.Options bootstrapOptions = bootstrap > 0 ? new MarkovBootstrap.Options(bootstrap, level, seed) : null;
    long t0 = System.nanoTime();
    ByteBuffer data = map(input);
    List<String> header = PathsCsv.header(data);
    PathsCsv.Format format = new PathsCsv.Format(separator, pathColumn, conversionsColumn,
        column(valueColumn, PathsCsv.Format.VALUE, header), column(nullColumn, PathsCsv.Format.NULLS, header));
    Journeys journeys = PathsCsv.parse(data, input.toString(), format);
    long t1 = System.nanoTime();
    MarkovResult result = MarkovAttribution.fit(journeys, order);
    long t2 = System.nanoTime();
    Map<HeuristicModel, List<Credit>> rules = heuristics ? HeuristicAttribution.compute(journeys) : null;
    long t3 = System.nanoTime();
    List<CreditInterval> intervals = bootstrapOptions == null ? null
        : MarkovBootstrap.intervals(journeys, order, bootstrapOptions);
    long t4 = System.nanoTime();

    write(output, table(result, rules, intervals));
    if (transitionsOutput != null) {
      write(transitionsOutput, transitions(result));
    }
    spec.commandLine().getErr().printf(Locale.ROOT,
        "attribution-paths: %d journeys, %d channels, order %d: %d states, %d transitions; read %.2f s,"
            + " solve %.2f s%s; wrote %s%n",
        journeys.size(), journeys.channels().size(), order, result.stateCount(), result.transitionCount(),
        (t1 - t0) / 1e9, (t2 - t1) / 1e9,
        intervals == null ? "" : String.format(Locale.ROOT, ", bootstrap (%d replicates) %.2f s", bootstrap,
            (t4 - t3) / 1e9),
        output);
    return Errors.EXIT_OK;
  }

  private static String column(String explicit, String standard, List<String> header) {
    if (explicit != null) {
      return explicit;
    }
    return header.contains(standard) ? standard : null;
  }

  /** Maps the file rather than reading it: a heap copy of a 100 MB table costs more than parsing it. */
  private static ByteBuffer map(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() > Integer.MAX_VALUE) {
        throw Errors.input("read the paths file " + file, "it is larger than 2 GB",
            "Aggregate identical paths first (one line per distinct path) or split the file");
      }
      return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
    } catch (NoSuchFileException e) {
      throw Errors.input("read the paths file " + file, "it does not exist", "Check --input");
    } catch (IOException e) {
      throw Errors.input("read the paths file " + file, e.toString(), "Check that --input is a readable file", e);
    }
  }

  private static void write(Path file, CharSequence text) {
    try {
      Path target = file.toAbsolutePath();
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw Errors.input("write " + file, e.toString(), "Check that the folder is writable", e);
    }
  }

  static String table(MarkovResult result, Map<HeuristicModel, List<Credit>> rules, List<CreditInterval> intervals) {
    StringBuilder b = new StringBuilder("channel,attributed_conversions,attributed_value,removal_effect_conversion,"
        + "removal_effect_value");
    if (rules != null) {
      for (HeuristicModel m : rules.keySet()) {
        String name = m.name().toLowerCase(Locale.ROOT);
        b.append(',').append(name).append("_conversions,").append(name).append("_value");
      }
    }
    if (intervals != null) {
      b.append(",attributed_conversions_ci_low,attributed_conversions_ci_high,attributed_value_ci_low,"
          + "attributed_value_ci_high");
    }
    b.append('\n');
    List<ChannelCredit> credits = result.credits();
    for (int i = 0; i < credits.size(); i++) {
      ChannelCredit c = credits.get(i);
      b.append(quote(c.channel())).append(',').append(c.attributedConversions()).append(',')
          .append(c.attributedValue()).append(',').append(c.removalEffectConversion()).append(',')
          .append(c.removalEffectValue());
      if (rules != null) {
        for (List<Credit> model : rules.values()) {
          b.append(',').append(model.get(i).conversions()).append(',').append(model.get(i).value());
        }
      }
      if (intervals != null) {
        CreditInterval ci = intervals.get(i);
        b.append(',').append(ci.conversionsLow()).append(',').append(ci.conversionsHigh()).append(',')
            .append(ci.valueLow()).append(',').append(ci.valueHigh());
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static String transitions(MarkovResult result) {
    StringBuilder b = new StringBuilder("from,to,probability,weight\n");
    for (Transition t : result.transitions()) {
      b.append(quote(t.from())).append(',').append(quote(t.to())).append(',').append(t.probability()).append(',')
          .append(t.weight()).append('\n');
    }
    return b.toString();
  }

  private static String quote(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
