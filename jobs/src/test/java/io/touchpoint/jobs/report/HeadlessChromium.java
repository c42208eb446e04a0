package io.touchpoint.jobs.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real Chromium, headless, offline: loads a file with a fresh, empty profile and returns the DOM
 * after the page's scripts ran ({@code --dump-dom}) and the console messages Chromium logged
 * ({@code --enable-logging=stderr}: every console call and uncaught error is a {@code :CONSOLE}
 * line). {@code $CHROMIUM} overrides the binary (default {@code /usr/bin/chromium}, which
 * {@code .ci/run} installs).
 */
final class HeadlessChromium {
  static final String BINARY = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");

  record Page(String dom, List<String> console, String stderr) {}

  private HeadlessChromium() {}

  static List<String> flags(Path profile) {
    return new ArrayList<>(List.of(BINARY, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--window-size=1280,1600"));
  }

  static Page dumpDom(Path html, Path work) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(work, "chromium-profile");
    List<String> cmd = flags(profile);
    cmd.addAll(List.of("--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--dump-dom",
        html.toUri().toString()));
    Path out = work.resolve("dom-" + System.nanoTime() + ".html");
    Path err = work.resolve("stderr-" + System.nanoTime() + ".txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within 120 s: " + String.join(" ", cmd));
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new AssertionError("chromium exited " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + stderr);
    }
    List<String> console = stderr.lines().filter(l -> l.contains(":CONSOLE")).toList();
    return new Page(Files.readString(out, StandardCharsets.UTF_8), console, stderr);
  }
}
