package io.touchpoint.jobs.clv;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Buffered writer of ASCII CSV text that formats numbers itself (fixed decimals, half-up), several
 * times faster than String.format or StringBuilder for a million rows. Strings are written as UTF-8.
 */
final class AsciiWriter implements AutoCloseable {
  private static final long[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};
  private final OutputStream out;
  private final byte[] buf = new byte[1 << 16];
  private final byte[] digits = new byte[20];
  private int n;

  AsciiWriter(OutputStream out) {
    this.out = out;
  }

  AsciiWriter text(String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    for (byte c : b) {
      put(c);
    }
    return this;
  }

  /** Writes preformatted bytes through, after what is buffered. */
  void bytes(byte[] b) throws IOException {
    flush();
    out.write(b);
  }

  AsciiWriter put(char c) throws IOException {
    return put((byte) c);
  }

  private AsciiWriter put(byte c) throws IOException {
    if (n == buf.length) {
      flush();
    }
    buf[n++] = c;
    return this;
  }

  AsciiWriter integer(long v) throws IOException {
    if (v < 0) {
      put('-');
      v = -v;
    }
    int k = 0;
    do {
      digits[k++] = (byte) ('0' + v % 10);
      v /= 10;
    } while (v > 0);
    while (k > 0) {
      put(digits[--k]);
    }
    return this;
  }

  /** v with {@code decimals} (0..8) decimals, NaN as nothing (an empty CSV field). */
  AsciiWriter fixed(double v, int decimals) throws IOException {
    if (Double.isNaN(v)) {
      return this;
    }
    long unit = POW10[decimals];
    if (!(Math.abs(v) * unit < 9e15)) {
      return text(Double.toString(v));
    }
    long r = Math.round(v * unit);
    if (r < 0) {
      put('-');
      r = -r;
    }
    integer(r / unit);
    if (decimals > 0) {
      put('.');
      long frac = r % unit;
      for (int k = decimals - 1; k >= 0; k--) {
        put((byte) ('0' + frac / POW10[k] % 10));
      }
    }
    return this;
  }

  void flush() throws IOException {
    out.write(buf, 0, n);
    n = 0;
  }

  @Override
  public void close() throws IOException {
    flush();
    out.close();
  }
}
