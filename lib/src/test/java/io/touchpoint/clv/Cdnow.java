package io.touchpoint.clv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** The CDNOW sample of the reference folder (Fader, Hardie &amp; Lee 2005) and its conventions. */
final class Cdnow {
  static final LocalDate CALIBRATION_END = LocalDate.of(1997, 9, 30);
  static final LocalDate HOLDOUT_END = LocalDate.of(1998, 6, 30);
  private static Customers customers;

  private Cdnow() {}

  static Path shared() {
    String p = System.getProperty("touchpoint.shared");
    return p != null ? Path.of(p) : Path.of("..", "shared");
  }

  static Path file(String name) {
    Path p = shared().resolve("reference/clv").resolve(name);
    return Files.exists(p) ? p : Path.of("..").resolve(shared()).resolve("reference/clv").resolve(name);
  }

  static List<Transaction> sampleTransactions() {
    List<Transaction> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file("CDNOW_sample.txt"))) {
        String[] f = line.trim().split("\\s+");
        out.add(new Transaction(f[1], LocalDate.parse(f[2], DateTimeFormatter.BASIC_ISO_DATE), Double.parseDouble(f[4])));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static synchronized Customers sample() {
    if (customers == null) {
      customers = TransactionSummary.summarize(sampleTransactions(), CALIBRATION_END, HOLDOUT_END);
    }
    return customers;
  }
}
