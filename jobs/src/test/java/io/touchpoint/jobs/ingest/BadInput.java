package io.touchpoint.jobs.ingest;

import io.touchpoint.ingest.RejectReason;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One entry of the bad-input catalogue (docs/BAD_INPUT.md): a fault a channel export can carry,
 * how to make it from a valid tiny export, and what Touchpoint must do with it.
 *
 * <p>Three levels: {@code parserLevel} cases run one file through its parser (no Spark);
 * {@code ingestLevel} cases run the real {@link IngestJob} on a day folder with Delta;
 * {@code silverLevel} cases run the silver transforms on the parsed rows of several files.
 */
final class BadInput {
  enum Level {
    PARSER("parserLevel"), INGEST("ingestLevel"), SILVER("silverLevel");

    final String testMethod;

    Level(String testMethod) {
      this.testMethod = testMethod;
    }
  }

  /** How an ingest-level case sets up its exports folder (and may deny access to part of it). */
  interface Scenario {
    /** @return the exports root to pass to the job (a path or a {@code denying:} URI) */
    String prepare(Path exports);
  }

  final String id;
  final String fault;
  final Level level;
  final Supplier<ValidExports.Export> input;
  final Scenario scenario;
  int accepted;
  final Map<Long, RejectReason> rejects = new LinkedHashMap<>();
  final List<String> fileRejects = new ArrayList<>();
  final List<String> details = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  Integer exitCode;
  final List<String> message = new ArrayList<>();
  boolean sameValues;
  Charset encoding;
  java.time.LocalDate exportDate = ValidExports.DAY;
  Set<String> sources = Set.copyOf(io.touchpoint.ingest.BronzeTable.sources());
  Consumer<IngestOutcome> check;

  private BadInput(String id, String fault, Level level, Supplier<ValidExports.Export> input, Scenario scenario) {
    this.id = id;
    this.fault = fault;
    this.level = level;
    this.input = input;
    this.scenario = scenario;
  }

  static BadInput file(String id, String fault, Supplier<ValidExports.Export> input) {
    return new BadInput(id, fault, Level.PARSER, input, null);
  }

  static BadInput run(String id, String fault, Scenario scenario) {
    return new BadInput(id, fault, Level.INGEST, null, scenario);
  }

  static BadInput silver(String id, String fault) {
    return new BadInput(id, fault, Level.SILVER, null, null);
  }

  BadInput accepts(int rows) {
    this.accepted = rows;
    return this;
  }

  /** The given data rows (1-based) are quarantined with the reason. */
  BadInput rejects(RejectReason reason, long... rows) {
    for (long r : rows) {
      rejects.put(r, reason);
    }
    return this;
  }

  /** In an ingest-level run: the given rows of one file (path below the exports root) are quarantined. */
  BadInput rejectsIn(String file, RejectReason reason, long... rows) {
    for (long r : rows) {
      fileRejects.add(file + "#" + r + " " + reason.name());
    }
    return this;
  }

  /** Some reject's reason detail contains each fragment. */
  BadInput detail(String... fragments) {
    details.addAll(Arrays.asList(fragments));
    return this;
  }

  /** The file's notes (ops.ingestion_log.notes) contain each fragment. */
  BadInput note(String... fragments) {
    notes.addAll(Arrays.asList(fragments));
    return this;
  }

  /** The file or run fails with this exit code and a message containing each fragment. */
  BadInput fails(int exit, String... fragments) {
    this.exitCode = exit;
    message.addAll(Arrays.asList(fragments));
    return this;
  }

  /** Accepted rows hold exactly the values of the same rows of the valid export. */
  BadInput sameValues() {
    this.sameValues = true;
    return this;
  }

  /** Parses the file as the export of another date than {@link ValidExports#DAY}. */
  BadInput on(java.time.LocalDate date) {
    this.exportDate = date;
    return this;
  }

  /** The encoding the parser reports for the file. */
  BadInput encoding(Charset cs) {
    this.encoding = cs;
    return this;
  }

  /** An ingest-level run reads only these sources (fewer Delta commits: each costs about a second). */
  BadInput sources(String... names) {
    this.sources = Set.of(names);
    return this;
  }

  /** Further checks on an ingest-level run. */
  BadInput then(Consumer<IngestOutcome> more) {
    this.check = more;
    return this;
  }

  /** The reason codes this case expects, as the catalogue lists them. */
  Set<String> codes() {
    Set<String> out = new TreeSet<>();
    rejects.values().forEach(r -> out.add(r.name()));
    fileRejects.forEach(r -> out.add(r.substring(r.indexOf(' ') + 1)));
    return out;
  }

  @Override
  public String toString() {
    return id;
  }

  /** What an ingest-level run left behind, for {@link #then} checks. */
  record IngestOutcome(io.touchpoint.jobs.spark.Warehouse warehouse, String log, IngestJob.Result result) {}
}
