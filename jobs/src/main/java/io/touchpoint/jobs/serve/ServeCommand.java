package io.touchpoint.jobs.serve;

import io.touchpoint.cli.WarehouseOptions;
import io.touchpoint.errors.Errors;
import io.touchpoint.errors.TouchpointException;
import io.touchpoint.jobs.config.TouchpointConfig;
import io.touchpoint.jobs.spark.Sessions;
import io.touchpoint.jobs.spark.Warehouse;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connect.service.SparkConnectService$;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code touchpoint serve}: a Spark Connect endpoint over the warehouse for BI tools and notebooks,
 * started in-process on the same Spark and Delta as the jobs. Tables are named
 * {@code <schema>.<table>} at start and re-listed every {@code --refresh-seconds}; each query
 * reads the table's latest Delta version. The role decides what is named and readable
 * ({@link AccessRole}, {@link AccessPolicy}, {@link BiRequestInterceptor}). Loopback by default;
 * any other address needs a token (Spark Connect's pre-shared bearer token), which is read from a
 * file or the environment, never from the command line, where {@code ps} would show it.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Serve the warehouse's tables by name to BI tools and notebooks over Spark Connect (sc://host:port)"
            + " until interrupted (Ctrl+C or SIGTERM stop it cleanly).",
        "Role bi (default) sees the aggregated gold schema only; role analyst sees every schema.",
        "A non-loopback --host needs a token: TOUCHPOINT_SERVE_TOKEN_FILE / --token-file, or TOUCHPOINT_SERVE_TOKEN."})
public final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);
  static final int MIN_TOKEN_LENGTH = 32;
  /** Runs before Spark's own shutdown hook (priority 40 in Hadoop's manager), which stops the context. */
  private static final int STOP_PRIORITY = 50;

  @Mixin WarehouseOptions warehouseOptions;

  @Option(names = "--port", defaultValue = "15002", paramLabel = "PORT", description = "Port (default ${DEFAULT-VALUE}, Spark Connect's; 0 picks a free one).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
      description = "Address to bind (default ${DEFAULT-VALUE}: this machine only). Any other address needs a token.")
  String host;

  @Option(names = "--role", defaultValue = "bi", paramLabel = "bi|analyst",
      description = "bi (default): the gold schema only; analyst: every schema, customer-level ones included.")
  AccessRole role;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "File holding the clients' bearer token (default: $TOUCHPOINT_SERVE_TOKEN_FILE, else $TOUCHPOINT_SERVE_TOKEN).")
  Path tokenFile;

  @Option(names = "--refresh-seconds", defaultValue = "60", paramLabel = "SECONDS",
      description = "Re-list the warehouse's tables this often, so tables a later run creates get a name (default ${DEFAULT-VALUE}; 0: never).")
  int refreshSeconds;

  @Spec CommandSpec spec;

  /** The environment the token and Spark settings are read from (a field so that tests can replace it). */
  Map<String, String> env = System.getenv();

  @Override
  public Integer call() {
    if (port < 0 || port > 65535) {
      throw Errors.usage("serve on port " + port, "a port is 0..65535", "Pass --port 15002, or 0 for a free port");
    }
    if (refreshSeconds < 0) {
      throw Errors.usage("re-list tables every " + refreshSeconds + " s", "the interval is negative", "Pass --refresh-seconds 60, or 0 to never re-list");
    }
    InetAddress address = address(host);
    String token = token();
    if (token == null && !address.isLoopbackAddress()) {
      throw Errors.serveNeedsToken(host);
    }
    TouchpointConfig config = warehouseOptions.resolve(true); // serve hashes nothing: no HMAC key needed
    return serve(config, address, token, spec.commandLine().getOut());
  }

  private int serve(TouchpointConfig config, InetAddress address, String token, PrintWriter out) {
    SparkSession spark = Sessions.create(config, "touchpoint serve", sparkSettings(config, token));
    Warehouse warehouse = new Warehouse(spark, config.warehouse());
    if (!rootExists(warehouse)) {
      throw Errors.noWarehouse(config.warehouse());
    }
    List<String> tables = warehouse.register(role::sees);
    SparkConnectService$ connect = SparkConnectService$.MODULE$;
    try {
      connect.start(spark.sparkContext());
    } catch (RuntimeException e) {
      throw bindFailure(e);
    }
    ScheduledExecutorService refresh = refresher(warehouse);
    ShutdownHookManager.get().addShutdownHook(() -> stop(connect, refresh, out), STOP_PRIORITY);

    InetSocketAddress bound = connect.bindingAddress();
    out.printf("touchpoint serve: Spark Connect at %s (role %s: %s)%n", url(address, bound.getPort()), role.label(),
        role == AccessRole.BI ? "the gold schema only" : "every schema");
    out.printf("warehouse %s: %d table(s) by name: %s%n", config.warehouse(), tables.size(), String.join(", ", tables));
    out.printf("authentication: %s%n", token == null ? "none (loopback only)" : "bearer token");
    out.println("stop with Ctrl+C or SIGTERM");
    out.flush();
    try {
      connect.server().awaitTermination();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private Map<String, String> sparkSettings(TouchpointConfig config, String token) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("spark.connect.grpc.binding.address", host);
    s.put("spark.connect.grpc.binding.port", String.valueOf(port));
    s.put("spark.sql.session.isolateArtifacts", "true"); // as Spark's own Connect server sets it
    s.put("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension," + AccessTierExtension.class.getName());
    s.put(AccessTierExtension.ROLE, role.label());
    s.put(AccessTierExtension.READABLE, readable(config).toString());
    if (role == AccessRole.BI) {
      s.put("spark.connect.grpc.interceptor.classes", BiRequestInterceptor.class.getName());
    }
    if (token != null) {
      s.put("spark.connect.authenticate.token", token);
    }
    return s;
  }

  /**
   * The folder a BI client may read: the gold schema's, qualified ({@code s3a://…/gold} as given,
   * a local path made absolute as {@code file:/…/gold}) without instantiating a file system.
   */
  static URI readable(TouchpointConfig config) {
    URI gold = new org.apache.hadoop.fs.Path(config.warehouse(), AccessRole.AGGREGATES).toUri();
    return gold.getScheme() != null ? gold : new java.io.File(gold.getPath()).getAbsoluteFile().toURI();
  }

  private static boolean rootExists(Warehouse warehouse) {
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(warehouse.root());
    try {
      return root.getFileSystem(warehouse.spark().sparkContext().hadoopConfiguration()).exists(root);
    } catch (IOException e) {
      return false;
    }
  }

  private ScheduledExecutorService refresher(Warehouse warehouse) {
    if (refreshSeconds == 0) {
      return null;
    }
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "touchpoint-serve-refresh");
      t.setDaemon(true);
      return t;
    });
    s.scheduleWithFixedDelay(() -> {
      try {
        warehouse.register(role::sees);
      } catch (RuntimeException e) {
        LOG.warn("could not re-list the warehouse's tables (the names stay as they were): {}", e.toString());
      }
    }, refreshSeconds, refreshSeconds, TimeUnit.SECONDS);
    return s;
  }

  private static void stop(SparkConnectService$ connect, ScheduledExecutorService refresh, PrintWriter out) {
    if (refresh != null) {
      refresh.shutdownNow();
    }
    if (connect.started()) {
      try {
        // Lets running queries finish for up to 10 s, then Spark's own hook stops the context.
        connect.stop(scala.Option.apply(10L), scala.Option.apply(TimeUnit.SECONDS));
      } catch (RuntimeException | LinkageError e) {
        // Closing the open sessions clears Spark Connect's ML cache, which needs spark-mllib (not on
        // this classpath); the listening socket is already closed by then.
        LOG.warn("Spark Connect stopped with an error while closing sessions: {}", e.toString());
      }
    }
    LOG.info("Spark Connect endpoint stopped");
    out.println("touchpoint serve: stopped");
    out.flush();
  }

  /**
   * The address clients use. For loopback it is {@code localhost}: the Spark Connect clients send a
   * token without TLS only to a host named {@code localhost}.
   */
  private static String url(InetAddress requested, int port) {
    String host;
    if (requested.isLoopbackAddress()) {
      host = "localhost";
    } else if (requested.isAnyLocalAddress()) {
      try {
        host = InetAddress.getLocalHost().getCanonicalHostName();
      } catch (UnknownHostException e) {
        host = "localhost";
      }
    } else {
      host = requested.getHostAddress().contains(":") ? "[" + requested.getHostAddress() + "]" : requested.getHostAddress();
    }
    return "sc://" + host + ":" + port;
  }

  private static InetAddress address(String host) {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw Errors.usage("serve on " + host, "the host name does not resolve", "Pass --host 127.0.0.1, an address of this machine, or 0.0.0.0");
    }
  }

  private TouchpointException bindFailure(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return Errors.serveAddress(host, port, "cannot bind it (" + t.getMessage() + ")");
      }
    }
    throw e;
  }

  /** The clients' token: --token-file, else $TOUCHPOINT_SERVE_TOKEN_FILE, else $TOUCHPOINT_SERVE_TOKEN, else Spark's own variable. */
  String token() {
    Path file = tokenFile != null ? tokenFile
        : env.get("TOUCHPOINT_SERVE_TOKEN_FILE") != null ? Path.of(env.get("TOUCHPOINT_SERVE_TOKEN_FILE")) : null;
    String token;
    String source;
    if (file != null) {
      try {
        token = Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw Errors.unreadableServeToken(file);
      }
      source = file.toString();
    } else if (env.get("TOUCHPOINT_SERVE_TOKEN") != null) {
      token = env.get("TOUCHPOINT_SERVE_TOKEN").strip();
      source = "TOUCHPOINT_SERVE_TOKEN";
    } else if (env.get("SPARK_CONNECT_AUTHENTICATE_TOKEN") != null) {
      // Spark Connect reads this variable itself; count it so the loopback rule sees it.
      token = env.get("SPARK_CONNECT_AUTHENTICATE_TOKEN").strip();
      source = "SPARK_CONNECT_AUTHENTICATE_TOKEN";
    } else {
      return null;
    }
    if (token.length() < MIN_TOKEN_LENGTH) {
      throw Errors.weakServeToken(source, token.length());
    }
    return token;
  }
}
