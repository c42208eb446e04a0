package io.touchpoint.jobs.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What a bench warehouse holds, kept beside it as JSON ({@code warehouse-….json}) so that a long
 * run survives being stopped: the history passes that finished (a killed run resumes after the
 * last one), whether the nightly has started on top of them, and the nightly's measurements once
 * taken (a later run with the same parameters reports them instead of measuring again).
 *
 * @param exports the export folder the warehouse was built from
 * @param historyFrom first day of history
 * @param historyTo last day of history (the day before the nightly)
 * @param stages the stages run, by label
 * @param passes the history passes that finished, in order
 * @param nightlyStarted whether a nightly has started on this warehouse (it then holds more than the history; a
 *     nightly that did not finish is undone by {@link NightlyRollback})
 * @param nightly the nightly's measurements, once finished (null before)
 */
public record BenchState(String exports, LocalDate historyFrom, LocalDate historyTo, List<String> stages,
    List<Bench.HistoryPass> passes, boolean nightlyStarted, Bench.Nightly nightly) {
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public BenchState {
    passes = List.copyOf(passes);
    stages = List.copyOf(stages);
  }

  /** A warehouse about to be built: no pass done, no nightly. */
  public static BenchState fresh(String exports, LocalDate historyFrom, LocalDate historyTo, List<String> stages) {
    return new BenchState(exports, historyFrom, historyTo, stages, List.of(), false, null);
  }

  /** Whether this state describes a warehouse built for these parameters. */
  public boolean matches(String exports, LocalDate historyFrom, LocalDate historyTo, List<String> stages) {
    return this.exports.equals(exports) && this.historyFrom.equals(historyFrom) && this.historyTo.equals(historyTo)
        && this.stages.equals(stages);
  }

  /** The first history day no finished pass covers (the day after {@code historyTo} when the history is complete). */
  public LocalDate nextHistoryDay() {
    return passes.isEmpty() ? historyFrom : passes.get(passes.size() - 1).to().plusDays(1);
  }

  public BenchState withPass(Bench.HistoryPass pass) {
    List<Bench.HistoryPass> p = new ArrayList<>(passes);
    p.add(pass);
    return new BenchState(exports, historyFrom, historyTo, stages, p, nightlyStarted, nightly);
  }

  public BenchState withNightlyStarted() {
    return new BenchState(exports, historyFrom, historyTo, stages, passes, true, nightly);
  }

  public BenchState withNightly(Bench.Nightly n) {
    return new BenchState(exports, historyFrom, historyTo, stages, passes, true, n);
  }

  /**
   * The state in {@code file}, or null when there is none. A file that cannot be read is an error rather than a
   * reason to rebuild: the history it describes can take hours.
   */
  public static BenchState read(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return JSON.readValue(file.toFile(), BenchState.class);
    } catch (IOException e) {
      throw new IllegalStateException("bench: cannot read " + file + " (" + e.getMessage().lines().findFirst().orElse("")
          + "). It records which history passes of the warehouse beside it are done. Fix or delete it (deleting it"
          + " rebuilds that warehouse's history from the first day).", e);
    }
  }

  /** Writes this state to {@code file} atomically (a kill leaves the old or the new state, never half of one). */
  public void write(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    JSON.writeValue(tmp.toFile(), this);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
