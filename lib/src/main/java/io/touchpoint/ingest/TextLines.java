package io.touchpoint.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The physical lines of a text export, kept as byte ranges so that each line is decoded on its
 * own: one line in the wrong encoding quarantines that line, not the file.
 *
 * <p>Line ends are LF or CRLF; a file with no LF at all but with CRs (classic Mac, "CSV
 * (Macintosh)" from Excel) ends its lines with CR. Splitting bytes at LF is safe for UTF-8 and GBK
 * (neither uses byte 0x0A inside a character). A UTF-8 byte-order mark before the first line is
 * not part of it. A file whose last line has no line end was cut off ({@link #lastLineCut()}).
 */
final class TextLines {
  private static final byte LF = '\n';
  private static final byte CR = '\r';

  private final byte[] bytes;
  private final int[] starts;
  private final int[] ends;
  private final int count;
  private final boolean lastLineCut;
  private final boolean utf8Bom;

  private TextLines(byte[] bytes, int[] starts, int[] ends, int count, boolean lastLineCut, boolean utf8Bom) {
    this.bytes = bytes;
    this.starts = starts;
    this.ends = ends;
    this.count = count;
    this.lastLineCut = lastLineCut;
    this.utf8Bom = utf8Bom;
  }

  static TextLines split(byte[] bytes) {
    boolean bom = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF;
    int from = bom ? 3 : 0;
    boolean hasLf = false;
    for (int i = from; i < bytes.length && !hasLf; i++) {
      hasLf = bytes[i] == LF;
    }
    byte end = hasLf ? LF : CR;
    int[] starts = new int[16];
    int[] ends = new int[16];
    int n = 0;
    int start = from;
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == end) {
        int stop = end == LF && i > start && bytes[i - 1] == CR ? i - 1 : i;
        if (n == starts.length) {
          starts = Arrays.copyOf(starts, n * 2);
          ends = Arrays.copyOf(ends, n * 2);
        }
        starts[n] = start;
        ends[n] = stop;
        n++;
        start = i + 1;
      }
    }
    boolean cut = start < bytes.length;
    if (cut) {
      if (n == starts.length) {
        starts = Arrays.copyOf(starts, n + 1);
        ends = Arrays.copyOf(ends, n + 1);
      }
      starts[n] = start;
      ends[n] = bytes.length;
      n++;
    }
    return new TextLines(bytes, starts, ends, n, cut, bom);
  }

  int size() {
    return count;
  }

  /** True when the file does not end with a line end: its last line was cut off (truncated transfer). */
  boolean lastLineCut() {
    return lastLineCut;
  }

  boolean utf8Bom() {
    return utf8Bom;
  }

  /** True when the file starts with a UTF-16 byte-order mark (FF FE or FE FF). */
  boolean utf16Bom() {
    return bytes.length >= 2 && ((bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xFE
        || (bytes[0] & 0xff) == 0xFE && (bytes[1] & 0xff) == 0xFF);
  }

  /** A line of only spaces, tabs and carriage returns is not a row. */
  boolean blank(int line) {
    for (int i = starts[line]; i < ends[line]; i++) {
      byte b = bytes[i];
      if (b != ' ' && b != '\t' && b != CR && b != 0x0B && b != 0x0C) {
        return false;
      }
    }
    return true;
  }

  /** The line decoded strictly, or null when its bytes are not valid in the charset. */
  String decode(int line, Charset charset) {
    try {
      return charset.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, starts[line], ends[line] - starts[line]))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** The line decoded with replacement characters: for showing a rejected line, never for loading it. */
  String lenient(int line, Charset charset) {
    return new String(bytes, starts[line], ends[line] - starts[line], charset == null ? StandardCharsets.UTF_8 : charset);
  }
}
