package io.touchpoint.jobs.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * A real Spark standalone cluster on loopback: one master and N workers, each its own JVM started
 * from the Spark jars, as {@code sbin/start-master.sh} / {@code start-worker.sh} would. Jobs go
 * in through {@code spark-submit} ({@code org.apache.spark.deploy.SparkSubmit} in its own JVM,
 * client mode, so that JVM is the driver). {@link #close} stops every process it started, their
 * children (the executors the workers forked) first.
 *
 * <p>What a Spark installation needs here: {@code SPARK_HOME} whose {@code jars/} holds the Spark
 * classpath (symlinks to the Maven jars), {@code SPARK_SCALA_VERSION} so the launcher does not look
 * for a source build, {@code SPARK_LOCAL_IP=127.0.0.1}, and the JVM flags of
 * {@link JavaModuleOptions#defaultModuleOptions()}.
 */
final class StandaloneCluster implements AutoCloseable {
  record Submitted(int exitCode, Duration took, Path log) {
    String tail() {
      return StandaloneCluster.tail(log, 60);
    }
  }

  private final Path dir;
  private final Path sparkHome;
  private final List<Process> processes = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::stopAll, "stop-standalone-cluster");
  private String masterUrl;

  private StandaloneCluster(Path dir, List<Path> sparkJars) throws IOException {
    this.dir = dir;
    this.sparkHome = Files.createDirectories(dir.resolve("spark-home"));
    Path jars = Files.createDirectories(sparkHome.resolve("jars"));
    for (Path jar : sparkJars) {
      Path link = jars.resolve(jar.getFileName());
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, jar.toAbsolutePath());
      }
    }
    Files.createDirectories(dir.resolve("conf"));
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a master and {@code workers} workers, each offering {@code cores} cores and {@code memory}. */
  static StandaloneCluster start(Path dir, List<Path> sparkJars, int workers, int cores, String memory) throws IOException {
    StandaloneCluster cluster = new StandaloneCluster(dir, sparkJars);
    try {
      int port = freePort();
      Process master = cluster.launch("master", "256m", List.of("org.apache.spark.deploy.master.Master",
          "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(freePort())));
      cluster.awaitLog(master, "master", "I have been elected leader");
      cluster.masterUrl = "spark://127.0.0.1:" + port;
      List<Process> started = new ArrayList<>();
      for (int i = 1; i <= workers; i++) {
        started.add(cluster.launch("worker" + i, "256m", List.of("org.apache.spark.deploy.worker.Worker",
            "--host", "127.0.0.1", "--cores", String.valueOf(cores), "--memory", memory,
            "--webui-port", String.valueOf(freePort()),
            "--work-dir", Files.createDirectories(dir.resolve("work" + i)).toString(), cluster.masterUrl)));
      }
      for (int i = 1; i <= workers; i++) {
        cluster.awaitLog(started.get(i - 1), "worker" + i, "Successfully registered with master");
      }
      return cluster;
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  String masterUrl() {
    return masterUrl;
  }

  /**
   * Runs {@code spark-submit} with {@code args} (everything after {@code spark-submit}) and waits
   * for it; {@code env} is added to the driver's environment.
   */
  Submitted submit(List<String> args, Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit"));
    command.addAll(args);
    Instant t0 = Instant.now();
    Process p = launch("submit", "1g", command, env);
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      stop(p);
      throw new AssertionError("spark-submit did not finish in " + timeout + "; last lines:\n" + tail(log("submit"), 60));
    }
    return new Submitted(p.exitValue(), Duration.between(t0, Instant.now()), log("submit"));
  }

  Path log(String name) {
    return dir.resolve(name + ".log");
  }

  private Process launch(String name, String heap, List<String> mainAndArgs) throws IOException {
    return launch(name, heap, mainAndArgs, Map.of());
  }

  private Process launch(String name, String heap, List<String> mainAndArgs, Map<String, String> env) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heap, "-cp", sparkHome.resolve("jars") + "/*"));
    command.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptionArray()));
    command.addAll(mainAndArgs);
    ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log(name).toFile());
    Map<String, String> e = b.environment();
    e.keySet().removeIf(k -> k.startsWith("SPARK_") || k.startsWith("TOUCHPOINT_") || k.startsWith("PYSPARK_"));
    e.put("SPARK_HOME", sparkHome.toString());
    e.put("SPARK_SCALA_VERSION", "2.13");
    e.put("SPARK_LOCAL_IP", "127.0.0.1");
    e.put("SPARK_CONF_DIR", dir.resolve("conf").toString());
    e.put("SPARK_LOCAL_DIRS", Files.createDirectories(dir.resolve("local")).toString());
    e.putAll(env);
    Process p = b.start();
    synchronized (processes) {
      processes.add(p);
    }
    return p;
  }

  private void awaitLog(Process p, String name, String marker) throws IOException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(log(name)) && Files.readString(log(name), StandardCharsets.UTF_8).contains(marker)) {
        return;
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("The " + name + " JVM exited with " + p.exitValue() + " before it logged '"
            + marker + "':\n" + tail(log(name), 40));
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(ie);
      }
    }
    throw new IllegalStateException("The " + name + " did not log '" + marker + "' within 3 minutes:\n" + tail(log(name), 40));
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log " + log + ": " + e.getMessage() + ")";
    }
  }

  /** The process and everything it forked (executors, their children), children first. */
  private static void stop(Process p) {
    List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
    tree.forEach(ProcessHandle::destroy);
    p.destroy();
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle h : tree) {
      if (h.isAlive()) {
        h.destroyForcibly();
      }
    }
  }

  /** The processes this cluster started and their children, as seen when it was stopped, that are still alive. */
  long alive() {
    synchronized (processes) {
      return seen.stream().filter(ProcessHandle::isAlive).count();
    }
  }

  private final List<ProcessHandle> seen = new ArrayList<>();

  private void stopAll() {
    List<Process> reversed;
    synchronized (processes) {
      reversed = new ArrayList<>(processes);
      for (Process p : processes) {
        seen.add(p.toHandle());
        seen.addAll(p.descendants().toList());
      }
    }
    java.util.Collections.reverse(reversed);
    reversed.forEach(StandaloneCluster::stop);
  }

  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running already
    }
  }
}
