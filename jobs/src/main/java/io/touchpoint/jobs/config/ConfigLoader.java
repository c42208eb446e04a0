package io.touchpoint.jobs.config;

import io.touchpoint.catalog.Channels;
import io.touchpoint.clv.ClvSettings;
import io.touchpoint.jobs.maintenance.Maintenance;
import io.touchpoint.errors.Errors;
import io.touchpoint.ingest.BronzeTable;
import io.touchpoint.ingest.ParseContext;
import io.touchpoint.pii.Pii;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Resolves {@link TouchpointConfig} once: CLI flag &gt; environment ({@code TOUCHPOINT_*}) &gt;
 * config file ({@code --config}, else {@code $TOUCHPOINT_CONFIG}, else
 * {@code <touchpoint.home>/conf/touchpoint.properties} when present) &gt; default.
 * Keys are listed in README "Configuration".
 */
public final class ConfigLoader {
  public static final String DEFAULT_EXPORTS = "data/exports";
  public static final String DEFAULT_WAREHOUSE = "data/warehouse";

  private final Map<String, String> env;

  public ConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  public static ConfigLoader fromEnvironment() {
    return new ConfigLoader(System.getenv());
  }

  /**
   * @param flags values given on the command line (null when absent), keyed like the file
   * @param demoKeyAllowed whether the public demo HMAC key may be used: it is then the fallback
   *     when no key is configured; otherwise a configured demo key is refused
   */
  public TouchpointConfig load(Path configFile, Map<String, String> flags, boolean demoKeyAllowed) {
    Properties file = readFile(configFile);
    String exports = pick(flags, "exports.dir", "TOUCHPOINT_EXPORTS", file, DEFAULT_EXPORTS);
    String warehouse = pick(flags, "warehouse.dir", "TOUCHPOINT_WAREHOUSE", file, DEFAULT_WAREHOUSE);
    String master = pick(flags, "spark.master", "TOUCHPOINT_SPARK_MASTER", file, "local[*]");
    double minShare = number(pick(flags, "ingest.min-accepted-share", "TOUCHPOINT_MIN_ACCEPTED_SHARE", file, "0.98"),
        "ingest.min-accepted-share");
    if (minShare < 0 || minShare > 1) {
      throw Errors.config("use ingest.min-accepted-share=" + minShare, "it must lie in [0, 1]",
          "Set it to e.g. 0.98");
    }
    long gateMinRows = (long) number(pick(flags, "ingest.gate-min-rows", "TOUCHPOINT_GATE_MIN_ROWS", file, "500"),
        "ingest.gate-min-rows");
    int partitions = (int) number(pick(flags, "spark.shuffle-partitions", "TOUCHPOINT_SHUFFLE_PARTITIONS", file, "8"),
        "spark.shuffle-partitions");
    String channelsFile = pick(flags, "channels.file", "TOUCHPOINT_CHANNELS_FILE", file, null);
    Channels channels = channelsFile == null ? Channels.defaults() : Channels.load(Path.of(channelsFile));
    Map<String, String> encodings = new LinkedHashMap<>();
    for (String p : List.of("tmall", "jd", "pinduoduo", "douyin_shop")) {
      encodings.put(p, file.getProperty("marketplace." + p + ".encoding", BronzeTable.defaultEncoding(p)));
    }
    return new TouchpointConfig(exports, warehouse, master, minShare, gateMinRows, pii(file, demoKeyAllowed), channels,
        Map.copyOf(encodings), partitions, ParseContext.SHANGHAI, clv(flags, file), maintenance(flags, file));
  }

  /**
   * {@code maintenance.compact-min-files}, {@code maintenance.vacuum-retention-hours},
   * {@code maintenance.vacuum-day} (env TOUCHPOINT_MAINTENANCE_*).
   */
  private Maintenance maintenance(Map<String, String> flags, Properties file) {
    Maintenance d = Maintenance.DEFAULT;
    double minFiles = number(pick(flags, "maintenance.compact-min-files", "TOUCHPOINT_MAINTENANCE_COMPACT_MIN_FILES", file,
        String.valueOf(d.compactMinFiles())), "maintenance.compact-min-files");
    double hours = number(pick(flags, "maintenance.vacuum-retention-hours", "TOUCHPOINT_MAINTENANCE_VACUUM_RETENTION_HOURS",
        file, String.valueOf(d.retentionHours())), "maintenance.vacuum-retention-hours");
    String day = pick(flags, "maintenance.vacuum-day", "TOUCHPOINT_MAINTENANCE_VACUUM_DAY", file, "sunday");
    return new Maintenance((int) minFiles, (long) hours, Maintenance.parseDay(day));
  }

  /** {@code clv.margin}, {@code clv.discount-monthly}, {@code clv.horizon-months}, {@code clv.model} (env TOUCHPOINT_CLV_*). */
  private ClvSettings clv(Map<String, String> flags, Properties file) {
    ClvSettings d = ClvSettings.DEFAULT;
    double margin = number(pick(flags, "clv.margin", "TOUCHPOINT_CLV_MARGIN", file, String.valueOf(d.margin())),
        "clv.margin");
    if (!(margin >= 0 && margin <= 1)) {
      throw Errors.config("use clv.margin=" + margin, "the gross margin is a share between 0 and 1",
          "Set clv.margin (or TOUCHPOINT_CLV_MARGIN) to e.g. 0.30");
    }
    double discount = number(pick(flags, "clv.discount-monthly", "TOUCHPOINT_CLV_DISCOUNT_MONTHLY", file,
        String.valueOf(d.monthlyDiscount())), "clv.discount-monthly");
    if (!(discount >= 0 && discount < 1)) {
      throw Errors.config("use clv.discount-monthly=" + discount, "the monthly discount rate must be in [0, 1)",
          "Set clv.discount-monthly (or TOUCHPOINT_CLV_DISCOUNT_MONTHLY) to e.g. 0.01 for 1 % a month");
    }
    double horizon = number(pick(flags, "clv.horizon-months", "TOUCHPOINT_CLV_HORIZON_MONTHS", file,
        String.valueOf(d.horizonMonths())), "clv.horizon-months");
    if (!(horizon >= 1 && horizon <= 1200) || horizon != Math.rint(horizon)) {
      throw Errors.config("use clv.horizon-months=" + horizon, "the horizon is a whole number of months from 1 to 1200",
          "Set clv.horizon-months (or TOUCHPOINT_CLV_HORIZON_MONTHS) to e.g. 12");
    }
    String model = pick(flags, "clv.model", "TOUCHPOINT_CLV_MODEL", file, d.frequencyModel()).strip()
        .toLowerCase(java.util.Locale.ROOT);
    if (!ClvSettings.FREQUENCY_MODELS.contains(model)) {
      throw Errors.config("use clv.model=" + model, "the customer value stage fits " + ClvSettings.FREQUENCY_MODELS,
          "Set clv.model (or TOUCHPOINT_CLV_MODEL) to bgnbd or mbgnbd");
    }
    return new ClvSettings(margin, discount, (int) horizon, model);
  }

  /**
   * Where Airflow is and how to log in, for {@code touchpoint airflow} and {@code publish}: environment
   * over config file, never the command line. {@code TOUCHPOINT_AIRFLOW_URL} / {@code airflow.url};
   * then {@code TOUCHPOINT_AIRFLOW_TOKEN_FILE} / {@code airflow.token-file} (a JWT), else
   * {@code TOUCHPOINT_AIRFLOW_USER} / {@code airflow.user} with {@code TOUCHPOINT_AIRFLOW_PASSWORD}
   * (environment only, so no password sits in a file of settings).
   *
   * @return null when no URL is configured and {@code required} is false
   */
  public io.touchpoint.airflow.AirflowSettings airflow(Path configFile, String action, boolean required) {
    Properties file = readFile(configFile);
    String url = pick(Map.of(), "airflow.url", "TOUCHPOINT_AIRFLOW_URL", file, null);
    if (url == null || url.isBlank()) {
      if (!required) {
        return null;
      }
      throw Errors.airflowNotConfigured(action, "TOUCHPOINT_AIRFLOW_URL (or airflow.url)");
    }
    java.net.URI uri;
    try {
      uri = new java.net.URI(url.trim());
    } catch (java.net.URISyntaxException e) {
      throw Errors.config("use the Airflow URL " + url, "it is not a URL", "Set TOUCHPOINT_AIRFLOW_URL to e.g. http://airflow:8080");
    }
    if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
      throw Errors.config("use the Airflow URL " + url, "it is not an http(s) URL with a host",
          "Set TOUCHPOINT_AIRFLOW_URL to e.g. http://airflow:8080");
    }
    String tokenFile = pick(Map.of(), "airflow.token-file", "TOUCHPOINT_AIRFLOW_TOKEN_FILE", file, null);
    if (tokenFile != null && !tokenFile.isBlank()) {
      return io.touchpoint.airflow.AirflowSettings.withTokenFile(uri, Path.of(tokenFile));
    }
    String user = pick(Map.of(), "airflow.user", "TOUCHPOINT_AIRFLOW_USER", file, null);
    String password = env.get("TOUCHPOINT_AIRFLOW_PASSWORD");
    if (user == null || user.isBlank() || password == null || password.isEmpty()) {
      throw Errors.airflowNotConfigured(action, "TOUCHPOINT_AIRFLOW_TOKEN_FILE, or TOUCHPOINT_AIRFLOW_USER with TOUCHPOINT_AIRFLOW_PASSWORD,");
    }
    return io.touchpoint.airflow.AirflowSettings.withPassword(uri, user, password);
  }

  private Pii pii(Properties file, boolean demoKeyAllowed) {
    String key = env.get("TOUCHPOINT_HMAC_KEY");
    String keyFile = env.getOrDefault("TOUCHPOINT_HMAC_KEY_FILE", file.getProperty("pii.hmac-key-file"));
    if ((key == null || key.isBlank()) && keyFile != null) {
      try {
        key = Files.readString(Path.of(keyFile), StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw Errors.config("read the HMAC key file " + keyFile, e.getClass().getSimpleName(),
            "Check TOUCHPOINT_HMAC_KEY_FILE / pii.hmac-key-file points at a readable file");
      }
    }
    if (key == null || key.isBlank()) {
      if (demoKeyAllowed) {
        return Pii.demo();
      }
      throw Errors.missingHmacKey();
    }
    Pii pii = Pii.withKey(key);
    if (pii.isDemoKey() && !demoKeyAllowed) {
      throw Errors.demoKeyRefused();
    }
    return pii;
  }

  private Properties readFile(Path explicit) {
    Path path = explicit;
    if (path == null && env.get("TOUCHPOINT_CONFIG") != null) {
      path = Path.of(env.get("TOUCHPOINT_CONFIG"));
    }
    Properties p = new Properties();
    if (path == null) {
      String home = System.getProperty("touchpoint.home");
      Path candidate = home == null ? null : Path.of(home, "conf", "touchpoint.properties");
      if (candidate == null || !Files.isRegularFile(candidate)) {
        return p;
      }
      path = candidate;
    }
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw Errors.config("read the config file " + path, e.getClass().getSimpleName() + " " + e.getMessage(),
          "Pass --config with a readable .properties file");
    }
    return p;
  }

  private String pick(Map<String, String> flags, String key, String envName, Properties file, String dflt) {
    String v = flags.get(key);
    if (v == null) {
      v = env.get(envName);
    }
    if (v == null) {
      v = file.getProperty(key);
    }
    return v == null ? dflt : v;
  }

  private static double number(String v, String key) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw Errors.config("use " + key + "=" + v, "it is not a number", "Fix the value of " + key);
    }
  }
}
