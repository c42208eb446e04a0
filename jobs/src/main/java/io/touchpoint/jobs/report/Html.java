package io.touchpoint.jobs.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Escaping for the report. Every value that comes from the warehouse (channel names, rule names,
 * messages) goes through {@link #text} into HTML, or through {@link #json} into the data block that
 * the page script reads with {@code JSON.parse}; nothing from the data is spliced into script code.
 */
final class Html {
  private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private Html() {}

  /** Text content or a quoted attribute value: {@code & < > " '} as character references. */
  static String text(Object value) {
    String s = value == null ? "" : value.toString();
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * JSON for a {@code <script type="application/json">} block. Jackson writes valid JSON; then
   * {@code < > &} and the JavaScript line separators, which JSON allows inside strings, become
   * {@code \\uXXXX} escapes, so a value holding {@code </script>} cannot end the block. Those
   * characters occur only inside JSON strings, where the escape means the same character.
   */
  static String json(Object value) {
    String s;
    try {
      s = JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the report data", e);
    }
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
  }

  /** The Content-Security-Policy source of an inline script: {@code 'sha256-<base64>'} of its exact text. */
  static String scriptHash(String script) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
      return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
