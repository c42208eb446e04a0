package io.touchpoint.errors;

import java.nio.file.Path;
import java.util.Collection;

/**
 * Every user-facing error, built in one place. Each message reads
 * "Cannot &lt;do X&gt;: &lt;reason&gt;. &lt;how to fix&gt;".
 *
 * <p>Exit codes (also listed in README "Exit codes"): 0 ok, 1 internal error, 2 usage,
 * 3 input data problem, 4 data-quality gate failed, 5 configuration problem,
 * 6 critical alert fired, 7 run lock held, 8 an Airflow run failed (or Airflow kept failing).
 */
public final class Errors {
  public static final int EXIT_OK = 0;
  public static final int EXIT_INTERNAL = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_INPUT = 3;
  public static final int EXIT_QUALITY_GATE = 4;
  public static final int EXIT_CONFIG = 5;
  public static final int EXIT_CRITICAL_ALERT = 6;
  public static final int EXIT_LOCKED = 7;
  public static final int EXIT_AIRFLOW = 8;

  private Errors() {}

  public static TouchpointException usage(String action, String reason, String fix) {
    return new TouchpointException(EXIT_USAGE, format(action, reason, fix), null);
  }

  public static TouchpointException input(String action, String reason, String fix) {
    return new TouchpointException(EXIT_INPUT, format(action, reason, fix), null);
  }

  public static TouchpointException input(String action, String reason, String fix, Throwable cause) {
    return new TouchpointException(EXIT_INPUT, format(action, reason, fix), cause);
  }

  public static TouchpointException config(String action, String reason, String fix) {
    return new TouchpointException(EXIT_CONFIG, format(action, reason, fix), null);
  }

  public static TouchpointException runLocked(String action, String reason, String fix) {
    return new TouchpointException(EXIT_LOCKED, format(action, reason, fix), null);
  }

  public static TouchpointException qualityGate(String action, String reason, String fix) {
    return new TouchpointException(EXIT_QUALITY_GATE, format(action, reason, fix), null);
  }

  public static TouchpointException missingSource(String source, String runDate, Path dir) {
    return input(
        "ingest source '" + source + "' for " + runDate,
        "no export folder " + dir + " (or it is not readable)",
        "Check that the " + source + " export for that date was delivered to " + dir.getParent()
            + " (--exports / exports.dir), then rerun the date");
  }

  public static TouchpointException unreadableFolder(String source, String runDate, String dir, Exception cause) {
    return input(
        "ingest source '" + source + "' for " + runDate,
        "the export folder " + dir + " exists but cannot be listed (" + cause.getClass().getSimpleName() + ": "
            + cause.getMessage() + ")",
        "Check that the job's user may read the folder (file permissions, the bucket or HDFS policy), then rerun the date",
        cause);
  }

  public static TouchpointException demoKeyRefused() {
    return config(
        "hash phone numbers and e-mails",
        "the configured HMAC key is the public demo key (Pii.DEMO_KEY), with which anyone can recompute the hashes"
            + " of known phone numbers",
        "Configure a secret key (`openssl rand -hex 32`) in TOUCHPOINT_HMAC_KEY or TOUCHPOINT_HMAC_KEY_FILE; pass --demo"
            + " only for demo or test data");
  }

  public static TouchpointException hmacKeyChanged(String warehouse, String recorded, String configured) {
    return config(
        "hash phone numbers and e-mails into the warehouse " + warehouse,
        "it was built with another HMAC key (fingerprint " + recorded + "; the configured key's is " + configured
            + "), and mixing hashes of two keys splits every customer known by phone, e-mail or buyer name",
        "Configure the warehouse's key, or rotate the key by rebuilding into a new warehouse (README, \"Rotating the key\")");
  }

  public static TouchpointException missingHmacKey() {
    return config(
        "hash phone numbers and e-mails",
        "no HMAC key is configured",
        "Set TOUCHPOINT_HMAC_KEY (at least 32 characters) or TOUCHPOINT_HMAC_KEY_FILE, or set"
            + " pii.hmac-key-file in the config file; `touchpoint demo` (or a job run with --demo, for demo"
            + " or test data only) uses the public demo key");
  }

  public static TouchpointException weakHmacKey(int length) {
    return config(
        "hash phone numbers and e-mails",
        "the HMAC key has " + length + " bytes, fewer than the 32 required",
        "Use a random key of at least 32 bytes, e.g. `openssl rand -hex 32`");
  }

  public static TouchpointException unknownNames(String what, Collection<String> unknown, Collection<String> known) {
    return usage("use " + what + " " + unknown, "unknown " + what, "Choose from " + known);
  }

  public static TouchpointException modelNotIdentified(String model, String reason, String fix) {
    return input("fit the " + model + " model", reason, fix);
  }

  public static TouchpointException missingTable(String action, String table, String fix) {
    return input(action, "the table " + table + " does not exist in the warehouse", fix);
  }

  public static TouchpointException badInputValue(Path file, long line, String column, String value, String expected) {
    return input(
        "read " + file,
        "line " + line + ", column '" + column + "' has '" + value + "', not " + expected,
        "Correct or remove that row (line numbers count the header as line 1)");
  }

  public static TouchpointException missingColumn(Path file, String column, Collection<String> header, String fix) {
    return input("read " + file, "no column '" + column + "' in the header " + header, fix);
  }

  public static TouchpointException emptyInput(Path file, String what) {
    return input("read " + file, "it contains no " + what, "Check that the right file was given and that it is not empty");
  }

  // --- attribution ---

  public static TouchpointException noJourneys(String action) {
    return input(action, "there are no journeys", "Pass at least one journey (one path with its counts)");
  }

  public static TouchpointException noConversions(String action) {
    return input(action, "no journey converts, so P(conversion) is 0 and removal effects are undefined",
        "Include converting journeys (conversions > 0)");
  }

  public static TouchpointException badJourney(String reason, String fix) {
    return input("build the attribution journey", reason, fix);
  }

  public static TouchpointException badAttributionOption(String option, String reason, String fix) {
    return usage("use " + option, reason, fix);
  }

  public static TouchpointException badPathsLine(String source, long line, String reason, String fix) {
    return input("read the paths file " + source, "line " + line + " " + reason, fix);
  }

  public static TouchpointException missingPathsColumn(String source, String column, Collection<String> header) {
    return input("read the paths file " + source, "its header has no column '" + column + "' (columns: "
        + header + ")", "Name the column with --path-column, --conversions-column, --value-column or"
        + " --null-column, or fix the header");
  }

  // --- Airflow (touchpoint airflow, publish) ---

  public static TouchpointException airflowNotConfigured(String action, String missing) {
    return config(action, missing + " is not set",
        "Set TOUCHPOINT_AIRFLOW_URL (e.g. http://airflow:8080) and either TOUCHPOINT_AIRFLOW_USER with"
            + " TOUCHPOINT_AIRFLOW_PASSWORD, or TOUCHPOINT_AIRFLOW_TOKEN_FILE (or airflow.* in the config file);"
            + " credentials are never taken from the command line");
  }

  public static TouchpointException airflowUnreachable(String action, String url, String reason) {
    return config(action, "Airflow at " + url + " did not answer (" + reason + ")",
        "Check TOUCHPOINT_AIRFLOW_URL and that the Airflow API server is running");
  }

  public static TouchpointException airflowUnauthorized(String action, String url, String detail) {
    return config(action, "Airflow at " + url + " refused the credentials (401" + detail + ")",
        "Check TOUCHPOINT_AIRFLOW_USER / TOUCHPOINT_AIRFLOW_PASSWORD, or put a fresh token in TOUCHPOINT_AIRFLOW_TOKEN_FILE");
  }

  public static TouchpointException airflowForbidden(String action, String detail) {
    return config(action, "the Airflow user may not do this (403" + detail + ")",
        "Ask an Airflow admin to grant the user the DAG run / asset permissions (e.g. the Op role)");
  }

  public static TouchpointException airflowNotFound(String action, String what, String detail) {
    return usage(action, "Airflow has no " + what + " (404" + detail + ")",
        "Check the id; a DAG must be deployed from airflow-dags/ and parsed (`airflow dags list`) first");
  }

  public static TouchpointException airflowConflict(String action, String what, String detail) {
    return usage(action, what + " already exists (409" + detail + ")",
        "Pass another --run-id, or rerun the existing run with `touchpoint airflow clear`");
  }

  public static TouchpointException airflowRejected(String action, int status, String detail) {
    return usage(action, "Airflow rejected the request (" + status + detail + ")", "Correct the arguments named in the reply");
  }

  public static TouchpointException airflowFailing(String action, int attempts, String last) {
    return new TouchpointException(EXIT_AIRFLOW, format(action, "Airflow still answered " + last + " after " + attempts
        + " attempts", "Check the Airflow API server's health and logs, then retry"), null);
  }

  public static TouchpointException airflowRunFailed(String dagId, String runId, String state, String url) {
    return new TouchpointException(EXIT_AIRFLOW, format("complete run " + runId + " of DAG " + dagId,
        "the run ended " + state, "Open " + url + " to see which task failed and its log, fix the cause and rerun it"
            + " with `touchpoint airflow clear --dag " + dagId + " --run-id " + runId + "`"), null);
  }

  public static TouchpointException airflowWaitTimedOut(String dagId, String runId, String state, String waited) {
    return new TouchpointException(EXIT_AIRFLOW, format("wait for run " + runId + " of DAG " + dagId,
        "it is still " + state + " after " + waited, "Wait again with a longer --timeout, or check the run in Airflow"), null);
  }

  // --- marts and alerts ---

  /** A SQL model of the marts that cannot be used as written (bad header, unknown reference, cycle). */
  public static TouchpointException badSqlModel(String model, String reason, String fix) {
    return config("run the SQL model " + model, reason, fix);
  }

  /** A malformed alert rule: names the file, the rule and the field. */
  public static TouchpointException badAlertRule(String file, String rule, String field, String reason, String fix) {
    return config("use the alert rules in " + file, "rule '" + rule + "', field '" + field + "': " + reason, fix);
  }

  /** Exit code 6: critical alerts fired; the run's tables, alerts included, are written. */
  public static TouchpointException criticalAlerts(String runDate, Collection<String> rules) {
    return new TouchpointException(EXIT_CRITICAL_ALERT, format("pass the " + runDate + " run",
        "critical alert(s) fired: " + String.join(", ", rules) + " (all tables, gold.alerts included, are written)",
        "See gold.alerts for the values and thresholds, fix the cause, then rerun the date"), null);
  }

  // --- serve (BI endpoint) ---

  public static TouchpointException accessDenied(String role, String what, String schema) {
    return usage(what + " through this endpoint",
        "role " + role + " reads the aggregated " + schema + " schema only (no customer-level schema, no other file, no writes, no client code)",
        "Query the " + schema + " tables by name (SHOW TABLES IN " + schema + "), or use an endpoint started with --role analyst");
  }

  public static TouchpointException serveNeedsToken(String host) {
    return config("serve on " + host,
        "it is not a loopback address, so clients must authenticate, and no token is set",
        "Put a random token of at least 32 characters (openssl rand -hex 32) in a file named by --token-file or"
            + " TOUCHPOINT_SERVE_TOKEN_FILE, or in TOUCHPOINT_SERVE_TOKEN; or serve on 127.0.0.1 and reach it through an SSH tunnel");
  }

  public static TouchpointException weakServeToken(String source, int length) {
    return config("use the serve token from " + source, "it has " + length + " characters, fewer than the 32 required",
        "Use a random token, e.g. `openssl rand -hex 32`");
  }

  public static TouchpointException unreadableServeToken(Path file) {
    return config("read the serve token", "cannot read " + file,
        "Check that --token-file / TOUCHPOINT_SERVE_TOKEN_FILE names a readable file");
  }

  public static TouchpointException serveAddress(String host, int port, String reason) {
    return config("serve on " + host + ":" + port, reason,
        "Choose another --port (0 picks a free one) or --host, or stop what is using it");
  }

  public static TouchpointException noWarehouse(String root) {
    return input("serve the warehouse " + root, "it does not exist",
        "Pass --warehouse (or set TOUCHPOINT_WAREHOUSE / warehouse.dir) to a warehouse written by nightly, backfill or demo");
  }

  public static String format(String action, String reason, String fix) {
    return "Cannot " + action + ": " + reason + ". " + fix + (fix.endsWith(".") ? "" : ".");
  }
}
