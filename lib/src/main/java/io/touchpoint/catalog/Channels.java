package io.touchpoint.catalog;

import io.touchpoint.errors.Errors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The channel catalogue: sales channels (where an order is placed) and marketing channels (a
 * touchpoint). It is configuration, not code: the default ships as a resource
 * ({@code io/touchpoint/catalog/channels.csv}); {@link #load(Path)} reads a replacement.
 */
public final class Channels implements Serializable {

  /** One catalogue row. {@code group} is offline/online for sales, paid/owned/offline for marketing. */
  public record Channel(String name, Kind kind, String group, String label) implements Serializable {}

  public enum Kind { SALES, MARKETING }

  private final Map<String, Channel> byName;

  private Channels(Map<String, Channel> byName) {
    this.byName = Collections.unmodifiableMap(byName);
  }

  public static Channels defaults() {
    try (InputStream in = Channels.class.getResourceAsStream("channels.csv")) {
      return parse(in, "built-in channels.csv");
    } catch (IOException e) {
      throw new IllegalStateException("built-in channel catalogue unreadable", e);
    }
  }

  public static Channels load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in, file.toString());
    } catch (IOException e) {
      throw Errors.config("read the channel catalogue " + file, e.getMessage(),
          "Point channels.file at a readable CSV with header channel,kind,group,label");
    }
  }

  private static Channels parse(InputStream in, String where) throws IOException {
    Map<String, Channel> map = new LinkedHashMap<>();
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String header = r.readLine();
    if (header == null || !header.trim().equals("channel,kind,group,label")) {
      throw Errors.config("read the channel catalogue " + where, "its header is " + header,
          "The header must be exactly channel,kind,group,label");
    }
    String line;
    int n = 1;
    while ((line = r.readLine()) != null) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", 4);
      if (f.length != 4) {
        throw Errors.config("read the channel catalogue " + where, "line " + n + " has " + f.length
            + " fields", "Each line needs channel,kind,group,label");
      }
      Kind kind;
      try {
        kind = Kind.valueOf(f[1].trim().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw Errors.config("read the channel catalogue " + where, "line " + n + " has kind '" + f[1]
            + "'", "kind must be sales or marketing");
      }
      map.put(f[0].trim(), new Channel(f[0].trim(), kind, f[2].trim(), f[3].trim()));
    }
    return new Channels(map);
  }

  public boolean isSales(String name) {
    Channel c = byName.get(name);
    return c != null && c.kind() == Kind.SALES;
  }

  public boolean isMarketing(String name) {
    Channel c = byName.get(name);
    return c != null && c.kind() == Kind.MARKETING;
  }

  public List<String> sales() {
    return names(Kind.SALES);
  }

  public List<String> marketing() {
    return names(Kind.MARKETING);
  }

  public Channel channel(String name) {
    return byName.get(name);
  }

  private List<String> names(Kind kind) {
    List<String> out = new ArrayList<>();
    byName.values().forEach(c -> {
      if (c.kind() == kind) {
        out.add(c.name());
      }
    });
    return out;
  }
}
