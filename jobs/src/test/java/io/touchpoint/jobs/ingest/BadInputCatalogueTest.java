package io.touchpoint.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.catalog.Channels;
import io.touchpoint.errors.Errors;
import io.touchpoint.errors.TouchpointException;
import io.touchpoint.ingest.BronzeTable;
import io.touchpoint.ingest.FileParser;
import io.touchpoint.ingest.ParseContext;
import io.touchpoint.ingest.RecordSink;
import io.touchpoint.ingest.RejectReason;
import io.touchpoint.ingest.UnreadableFileException;
import io.touchpoint.jobs.config.TouchpointConfig;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.DenyingFileSystem;
import io.touchpoint.jobs.support.LogCapture;
import io.touchpoint.jobs.support.SparkTestSupport;
import io.touchpoint.pii.Pii;
import io.touchpoint.silver.SilverOrders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input catalogue (docs/BAD_INPUT.md), one parameterised test per level over the cases of
 * {@link BadInputCatalogue}. Every case also checks, whatever its fault: rows read = accepted +
 * rejected with each row reported once, and no phone, e-mail or name of the fixtures in clear in
 * any rejected row, reason, note, error message or log line.
 */
class BadInputCatalogueTest {
  static final ParseContext CTX = ParseContext.of(ValidExports.DAY, Pii.demo(), Channels.defaults());
  static final Map<String, String> ENCODINGS = Map.of();
  static final Path CATALOGUE = Path.of(System.getProperty("touchpoint.root", ".."), "docs", "BAD_INPUT.md");

  static Stream<BadInput> parserCases() {
    return BadInputCatalogue.all().stream().filter(c -> c.level == BadInput.Level.PARSER);
  }

  static Stream<BadInput> ingestCases() {
    return BadInputCatalogue.all().stream().filter(c -> c.level == BadInput.Level.INGEST);
  }

  static Stream<BadInput> silverCases() {
    return BadInputCatalogue.all().stream().filter(c -> c.level == BadInput.Level.SILVER);
  }

  /** What one file's parser did. */
  record Parsed(List<Long> acceptedRows, List<Object[]> values, Map<Long, RejectReason> rejects, List<String> details,
      List<String> raws, FileParser.FileSummary summary, UnreadableFileException error) {}

  static Parsed parse(ValidExports.Export e, LocalDate exportDate) {
    ParseContext ctx = exportDate.equals(CTX.exportDate()) ? CTX : ParseContext.of(exportDate, Pii.demo(), Channels.defaults());
    List<Long> rows = new ArrayList<>();
    List<Object[]> values = new ArrayList<>();
    Map<Long, RejectReason> rejects = new TreeMap<>();
    List<String> details = new ArrayList<>();
    List<String> raws = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    RecordSink sink = new RecordSink() {
      @Override
      public void accept(long rowNumber, Object[] v) {
        assertThat(seen.add(rowNumber)).as("row " + rowNumber + " reported once").isTrue();
        rows.add(rowNumber);
        values.add(v);
      }

      @Override
      public void reject(long rowNumber, RejectReason reason, String detail, String rawRow) {
        assertThat(seen.add(rowNumber)).as("row " + rowNumber + " reported once").isTrue();
        assertThat(reason).isNotNull();
        assertThat(detail).as("every reject says why").isNotBlank();
        rejects.put(rowNumber, reason);
        details.add(detail);
        if (rawRow != null) {
          raws.add(rawRow);
        }
      }
    };
    try {
      FileParser.FileSummary s = e.table().parser(e.fileName(), ENCODINGS).parse(e.path(), e.bytes(), ctx, sink);
      return new Parsed(rows, values, rejects, details, raws, s, null);
    } catch (UnreadableFileException u) {
      return new Parsed(rows, values, rejects, details, raws, null, u);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("parserCases")
  void parserLevel(BadInput c) {
    ValidExports.Export input = c.input.get();
    Parsed p = parse(input, c.exportDate);
    if (c.exitCode != null) {
      assertThat(p.error()).as(c.id + ": the file is refused whole").isNotNull();
      assertThat(c.exitCode).as("an unreadable file stops the run as an input problem").isEqualTo(Errors.EXIT_INPUT);
      assertThat(p.error().getMessage()).as(c.id + " message").startsWith("Cannot read " + input.path() + ": ")
          .contains(c.message);
      assertThat(ValidExports.PII.leaks("error message", p.error().getMessage())).isEmpty();
      return;
    }
    assertThat(p.error()).as(c.id + ": parsed without error").isNull();
    assertThat(p.acceptedRows()).as(c.id + ": rows accepted").hasSize(c.accepted);
    assertThat(p.rejects()).as(c.id + ": rows rejected with their reasons").isEqualTo(new TreeMap<>(c.rejects));
    for (String d : c.details) {
      assertThat(p.details()).as(c.id + ": a reason detail").anySatisfy(x -> assertThat(x).contains(d));
    }
    for (String n : c.notes) {
      assertThat(p.summary().notes()).as(c.id + ": file notes").anySatisfy(x -> assertThat(x).contains(n));
    }
    if (c.encoding != null) {
      assertThat(p.summary().encoding()).isEqualTo(c.encoding.name());
    }
    if (c.sameValues) {
      Parsed valid = parse(base(input), ValidExports.DAY);
      assertThat(valid.acceptedRows()).hasSize(base(input).rows());
      assertThat(p.values()).as(c.id + ": the same values as the clean export").hasSize(valid.values().size());
      for (int i = 0; i < valid.values().size(); i++) {
        assertThat(Arrays.deepEquals(p.values().get(i), valid.values().get(i)))
            .as(c.id + " row " + i + ": " + Arrays.toString(p.values().get(i)) + " vs " + Arrays.toString(valid.values().get(i)))
            .isTrue();
      }
    }
    p.raws().forEach(r -> assertThat(r.length()).as("raw rows are clipped").isLessThan(2_100));
    p.details().forEach(d -> assertThat(d.length()).as("details are clipped").isLessThan(600));
    List<String> leaks = new ArrayList<>();
    p.raws().forEach(r -> leaks.addAll(ValidExports.PII.leaks(c.id + " raw_row", r)));
    p.details().forEach(d -> leaks.addAll(ValidExports.PII.leaks(c.id + " reason_detail", d)));
    p.summary().notes().forEach(n -> leaks.addAll(ValidExports.PII.leaks(c.id + " notes", n)));
    assertThat(leaks).as("personal data in clear").isEmpty();
  }

  /** The valid export a case started from (same table and file name). */
  static ValidExports.Export base(ValidExports.Export e) {
    return ValidExports.all().stream().filter(v -> v.table() == e.table() && v.fileName().equals(e.fileName()))
        .findFirst().orElseThrow();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ingestCases")
  void ingestLevel(BadInput c, @TempDir Path tmp) {
    SparkSession spark = SparkTestSupport.spark();
    DenyingFileSystem.install(spark.sparkContext().hadoopConfiguration());
    Path exportsDir = tmp.resolve("exports");
    Warehouse warehouse = new Warehouse(spark, tmp.resolve("warehouse").toString());
    TouchpointConfig config;
    IngestJob.Result result = null;
    TouchpointException error = null;
    String log;
    try (LogCapture capture = LogCapture.start()) {
      String exports = c.scenario.prepare(exportsDir);
      config = SparkTestSupport.config(tmp.resolve("warehouse"), exportsDir).withExports(exports);
      try {
        result = new IngestJob(warehouse, config, "bad-input", Instant.parse("2026-01-06T01:00:00Z"))
            .run(List.of(ValidExports.DAY), c.sources);
      } catch (TouchpointException e) {
        error = e;
      } finally {
        DenyingFileSystem.allowAll();
      }
      log = capture.text();
    }
    List<String> leaks = new ArrayList<>(ValidExports.PII.leaks(c.id + " log", log));
    if (c.exitCode != null) {
      assertThat(error).as(c.id + ": the run fails").isNotNull();
      assertThat(error.exitCode()).as(c.id + ": exit code").isEqualTo(c.exitCode);
      assertThat(error.getMessage()).as(c.id + ": message").startsWith("Cannot ").contains(c.message);
      leaks.addAll(ValidExports.PII.leaks(c.id + " error message", error.getMessage()));
    } else {
      assertThat(error).as(c.id + ": the run succeeds").isNull();
      assertThat(result.tables().stream().mapToLong(IngestJob.TableResult::rowsAccepted).sum()).as(c.id + ": rows accepted")
          .isEqualTo(c.accepted);
      Set<String> rejected = new TreeSet<>();
      warehouse.read("ops", IngestJob.REJECTS_TABLE).collectAsList().forEach(r -> rejected.add(
          r.getAs("_source_file") + "#" + r.getAs("_row_number") + " " + r.getAs("reason_code")));
      assertThat(rejected).as(c.id + ": ops.rejects").isEqualTo(new TreeSet<>(c.fileRejects));
      for (Row r : warehouse.read("ops", IngestJob.LOG_TABLE).collectAsList()) {
        assertThat(r.<Long>getAs("rows_read")).as("rows read = accepted + rejected for " + r.getAs("source_file"))
            .isEqualTo(r.<Long>getAs("rows_accepted") + r.<Long>getAs("rows_rejected"));
      }
    }
    if (Files.isDirectory(tmp.resolve("warehouse"))) {
      leaks.addAll(ValidExports.PII.leaks(warehouse));
    }
    assertThat(leaks).as("personal data in clear").isEmpty();
    if (c.check != null) {
      c.check.accept(new BadInput.IngestOutcome(warehouse, log, result));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("silverCases")
  void silverLevel(BadInput c) {
    assertThat(c.id).isEqualTo("dup.marketplace-rows-repeated");
    // Day 1: a sale (order 1), a partial refund of ¥20 on order 2 (a ¥120 order), a sale (order 3).
    // Day 2: the platform repeats the order-1 sale row and the order-2 refund row.
    ValidExports.Text day1 = ValidExports.tmall();
    ValidExports.Text day2 = ValidExports.tmall().lines(l -> List.of(l.get(0), l.get(1), l.get(2)));
    LocalDate d2 = ValidExports.DAY.plusDays(1);
    Parsed p1 = parse(day1, ValidExports.DAY);
    Parsed p2 = parse(day2, d2);
    assertThat(p1.acceptedRows()).hasSize(3);
    assertThat(p2.rejects()).as("the repeated sale is dated on day 1: quarantined in day 2's file")
        .isEqualTo(Map.of(1L, RejectReason.WRONG_DATE));
    assertThat(p2.acceptedRows()).as("a refund row repeats the order's time and lands again").containsExactly(2L);

    SparkSession spark = SparkTestSupport.spark();
    StructType schema = BronzeTable.MARKETPLACE_ORDERS.schema();
    List<Row> bronze = new ArrayList<>();
    bronze.addAll(bronzeRows(p1, ValidExports.DAY, "marketplace/2026-01-05/tmall.csv"));
    bronze.addAll(bronzeRows(p2, d2, "marketplace/2026-01-06/tmall.csv"));
    Dataset<Row> market = spark.createDataFrame(bronze, schema);
    Dataset<Row> pos = spark.createDataFrame(List.of(), BronzeTable.POS_TICKETS.schema());
    Dataset<Row> web = spark.createDataFrame(List.of(), BronzeTable.WEBSHOP_ORDERS.schema());
    Dataset<Row> identity = spark.createDataFrame(List.of(), new StructType()
        .add("identifier", DataTypes.StringType).add("customer_id", DataTypes.StringType));
    Map<String, String> orders = new TreeMap<>();
    SilverOrders.build(SilverOrders.sales(pos, web, market), SilverOrders.refunds(pos, web, market), identity)
        .select("order_id", "gross_cny", "refund_cny", "net_cny").collectAsList()
        .forEach(r -> orders.put(r.getString(0), r.getDecimal(1) + " " + r.getDecimal(2) + " " + r.getDecimal(3)));
    // Order 2: gross 120.00, refunded 20.00 once (not 40.00), net 100.00.
    assertThat(orders).isEqualTo(Map.of(
        "tmall:4100000000000000001", "299.00 0.00 299.00",
        "tmall:4100000000000000002", "120.00 20.00 100.00",
        "tmall:4100000000000000003", "45.00 0.00 45.00"));
  }

  static List<Row> bronzeRows(Parsed p, LocalDate date, String file) {
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < p.values().size(); i++) {
      Object[] v = p.values().get(i);
      Object[] r = Arrays.copyOf(v, v.length + 5);
      r[v.length] = date;
      r[v.length + 1] = file;
      r[v.length + 2] = p.acceptedRows().get(i);
      r[v.length + 3] = Instant.parse("2026-01-07T00:00:00Z");
      r[v.length + 4] = "test";
      out.add(RowFactory.create(r));
    }
    return out;
  }

  // ---------------------------------------------------------------- the document and the cases agree

  /** One row of a catalogue table: | `id` | fault | outcome | what Touchpoint does | test |. */
  record DocEntry(String id, String outcome, String test) {}

  static Map<String, DocEntry> documented() throws IOException {
    Map<String, DocEntry> out = new LinkedHashMap<>();
    Pattern row = Pattern.compile("^\\|\\s*`([a-z0-9]+\\.[a-z0-9.-]+)`\\s*\\|(.*)\\|\\s*`(\\w+)`\\s*\\|\\s*$");
    for (String line : Files.readAllLines(CATALOGUE)) {
      Matcher m = row.matcher(line);
      if (m.matches()) {
        String[] cells = m.group(2).split("\\|");
        assertThat(cells).as("columns of the row " + m.group(1)).hasSize(3);
        assertThat(out.put(m.group(1), new DocEntry(m.group(1), cells[1].trim(), m.group(3))))
            .as("id listed once: " + m.group(1)).isNull();
      }
    }
    return out;
  }

  @Test
  void theDocumentListsExactlyTheseCasesWithTheirOutcomes() throws IOException {
    Map<String, DocEntry> doc = documented();
    Map<String, BadInput> cases = new LinkedHashMap<>();
    BadInputCatalogue.all().forEach(c -> assertThat(cases.put(c.id, c)).as("case id unique: " + c.id).isNull());
    assertThat(doc.keySet()).as("ids in docs/BAD_INPUT.md vs BadInputCatalogue").containsExactlyInAnyOrderElementsOf(cases.keySet());
    Pattern code = Pattern.compile("`([A-Z_]{4,})`");
    Pattern exit = Pattern.compile("exit (\\d)");
    for (DocEntry e : doc.values()) {
      BadInput c = cases.get(e.id());
      assertThat(e.test()).as(e.id() + ": the test named in the catalogue").isEqualTo(c.level.testMethod);
      Set<String> codes = new TreeSet<>();
      Matcher m = code.matcher(e.outcome());
      while (m.find()) {
        codes.add(m.group(1));
      }
      assertThat(codes).as(e.id() + ": reason codes in the catalogue's outcome").isEqualTo(c.codes());
      Matcher x = exit.matcher(e.outcome());
      assertThat(x.find() ? Integer.valueOf(x.group(1)) : null).as(e.id() + ": exit code in the catalogue's outcome").isEqualTo(c.exitCode);
      assertThat(e.outcome().contains("noted")).as(e.id() + ": 'noted' in the catalogue's outcome").isEqualTo(!c.notes.isEmpty());
    }
  }

  @Test
  void everyReasonCodeIsProvedByACase() {
    Set<String> used = new TreeSet<>();
    BadInputCatalogue.all().forEach(c -> used.addAll(c.codes()));
    assertThat(used).containsExactlyInAnyOrderElementsOf(
        Arrays.stream(RejectReason.values()).map(Enum::name).collect(Collectors.toList()));
  }

  @Test
  void theValidExportsAreValid() {
    for (ValidExports.Export e : ValidExports.all()) {
      Parsed p = parse(e, ValidExports.DAY);
      assertThat(p.error()).as(e.path()).isNull();
      assertThat(p.rejects()).as(e.path()).isEmpty();
      assertThat(p.acceptedRows()).as(e.path()).hasSize(e.rows());
    }
    assertThat(ValidExports.PII.leaks("fixture", new String(ValidExports.pos().bytes(), java.nio.charset.StandardCharsets.UTF_8)))
        .as("the fixtures do hold personal data to leak").isNotEmpty();
  }
}
