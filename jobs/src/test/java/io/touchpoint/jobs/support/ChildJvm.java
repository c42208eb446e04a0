package io.touchpoint.jobs.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Java process started by a test, like {@code bin/touchpoint} starts one: the flags of
 * {@code bin/jvm-options}, a classpath and a main class, with the test JVM's {@code spark.sql.codegen.*}
 * settings. Its standard error goes to a log file, its standard output to a file next to it, read line
 * by line. {@link #close()} stops it with SIGTERM, then kills it if it has not exited after 30 s, so a
 * test stops every process it starts.
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final Path stdout;
  private final Path log;

  private ChildJvm(Process process, Path stdout, Path log) {
    this.process = process;
    this.stdout = stdout;
    this.log = log;
  }

  /** The project root (the Maven reactor's directory). */
  public static Path root() {
    return Path.of(System.getProperty("touchpoint.root", "..")).toAbsolutePath().normalize();
  }

  /** The test JVM's own classpath: the jobs' classes and every dependency, Spark included. */
  public static List<String> testClasspath() {
    String cp = System.getProperty("surefire.test.class.path");
    if (cp == null || cp.isBlank()) {
      cp = System.getProperty("java.class.path");
    }
    return List.of(cp.split(File.pathSeparator));
  }

  public static List<String> jvmOptions() {
    try {
      return Files.readAllLines(root().resolve("bin/jvm-options")).stream()
          .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ChildJvm start(List<String> classpath, String mainClass, List<String> args, Map<String, String> env,
      Path log) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions());
    cmd.add("-Xmx1g");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Duser.timezone=UTC");
    // Spark evaluates as in the test JVM: the build turns code generation off for the tests (pom.xml).
    System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("spark.sql.codegen.")).sorted()
        .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
    cmd.add("-cp");
    cmd.add(String.join(File.pathSeparator, classpath));
    cmd.add(mainClass);
    cmd.addAll(args);
    // Standard output to a file, not a pipe: Process.destroy() closes the pipe, and what a process
    // prints while it stops (after SIGTERM) is part of what a test checks.
    Path stdout = log.resolveSibling(log.getFileName() + ".out");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile()).redirectOutput(stdout.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("TOUCHPOINT_") || k.startsWith("SPARK_"));
    pb.environment().putAll(env);
    try {
      return new ChildJvm(pb.start(), stdout, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for a line of standard output matching {@code pattern}; returns its first group. */
  public String await(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : output()) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m.groupCount() > 0 ? m.group(1) : line;
        }
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no line matching " + pattern + " within " + timeout + "; exited: " + !process.isAlive()
        + "\nstdout:\n" + String.join("\n", output()) + "\nstderr (" + log + "):\n" + tail());
  }

  /** Waits for a line of standard error (the log) matching {@code pattern}; returns its first group. */
  public String awaitLog(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : logLines()) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m.groupCount() > 0 ? m.group(1) : line;
        }
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no log line matching " + pattern + " within " + timeout + "; exited: " + !process.isAlive()
        + "\nstderr (" + log + "):\n" + tail());
  }

  /** Waits for the process to end by itself and returns its exit code. */
  public int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + timeout + "\nstdout:\n" + String.join("\n", output()) + "\nstderr:\n" + tail());
    }
    return process.exitValue();
  }

  /** Sends SIGTERM and waits; returns the exit code, or -1 if it had to be killed. */
  public int terminate(Duration grace) throws InterruptedException {
    process.destroy();
    if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      return process.exitValue();
    }
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    return -1;
  }

  /** Sends SIGKILL (no shutdown hook runs, as when the machine or the OOM killer stops a run) and waits for the end. */
  public int kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    return process.exitValue();
  }

  public long pid() {
    return process.pid();
  }

  /** Standard error (the run's log) so far, line by line. */
  public List<String> logLines() {
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Standard output so far, line by line. */
  public List<String> output() {
    try {
      return Files.readAllLines(stdout, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      terminate(Duration.ofSeconds(30));
    }
  }
}
