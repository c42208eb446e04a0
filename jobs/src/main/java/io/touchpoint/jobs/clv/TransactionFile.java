package io.touchpoint.jobs.clv;

import io.touchpoint.clv.Transaction;
import io.touchpoint.errors.Errors;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a transaction log: either CSV with a header naming the customer, date and value columns,
 * or CDNOW's whitespace layout without header ({@code master_id sample_id yyyyMMdd cds value}, 5
 * fields, customer = sample id) or with one ({@code id yyyyMMdd cds value}, 4 fields).
 */
final class TransactionFile {

  /** Input layout; AUTO picks CDNOW when the first line has no comma. */
  enum Format { AUTO, CSV, CDNOW }

  /** Header names of the CSV layout. */
  record Columns(String customer, String date, String value) {}

  private TransactionFile() {}

  static List<Transaction> read(Path path, Format format, Columns columns) {
    DelimitedFile f = DelimitedFile.open(path, format == Format.AUTO ? null : format == Format.CDNOW);
    List<Transaction> out = f.whitespace() ? cdnow(f) : csv(f, columns);
    if (out.isEmpty()) {
      throw Errors.emptyInput(path, "transactions");
    }
    return out;
  }

  private static List<Transaction> csv(DelimitedFile f, Columns columns) {
    if (!f.next()) {
      throw Errors.emptyInput(f.path(), "header");
    }
    List<String> header = f.texts();
    int id = index(f, header, columns.customer(), "--customer-column");
    int date = index(f, header, columns.date(), "--date-column");
    int value = index(f, header, columns.value(), "--value-column");
    List<Transaction> out = new ArrayList<>();
    while (f.next()) {
      out.add(transaction(f, id, columns.customer(), date, columns.date(), value, columns.value()));
    }
    return out;
  }

  private static List<Transaction> cdnow(DelimitedFile f) {
    List<Transaction> out = new ArrayList<>();
    while (f.next()) {
      if (f.line() == 1 && !Character.isDigit(f.text(0).charAt(0))) {
        continue;
      }
      if (f.fields() == 5) {
        out.add(transaction(f, 1, "sample_id", 2, "date", 4, "dollar_value"));
      } else if (f.fields() == 4) {
        out.add(transaction(f, 0, "customer_id", 1, "date", 3, "dollar_value"));
      } else {
        throw Errors.input("read " + f.path() + " as CDNOW", "line " + f.line() + " has " + f.fields()
            + " fields, not 4 (id date cds value) or 5 (master_id sample_id date cds value)",
            "Use the CDNOW layout throughout, or a CSV with a header and --format csv");
      }
    }
    return out;
  }

  private static Transaction transaction(DelimitedFile f, int id, String idName, int date, String dateName,
      int value, String valueName) {
    if (id >= f.fields()) {
      throw f.missing(idName);
    }
    String customer = f.text(id);
    if (customer.isEmpty()) {
      throw f.invalid(idName, id, "a customer id");
    }
    LocalDate day = LocalDate.ofEpochDay(f.epochDay(date, dateName));
    double v = f.number(value, valueName);
    if (!Double.isFinite(v)) {
      throw f.invalid(valueName, value, "a finite amount");
    }
    return new Transaction(customer, day, v);
  }

  private static int index(DelimitedFile f, List<String> header, String name, String option) {
    for (int i = 0; i < header.size(); i++) {
      if (header.get(i).toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return i;
      }
    }
    throw Errors.missingColumn(f.path(), name, header, "Name the column with " + option
        + ", or use --format cdnow for CDNOW's whitespace layout");
  }
}
