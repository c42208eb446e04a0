package io.touchpoint.jobs.pipeline;

import io.touchpoint.errors.Errors;
import io.touchpoint.errors.TouchpointException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warehouse's run lock: one file per scope in {@code <warehouse>/_locks/<scope>.lock}, created
 * atomically (create-new: {@code O_EXCL} on a local disk, {@code create(overwrite=false)} on HDFS),
 * holding the holder's run id, command, dates, pid, host and start time. A scope is what a run
 * writes: {@code ingest-<source>} per source, then one per later stage ({@code identity},
 * {@code silver}, ...). A run takes every scope of its stages at once, so two runs whose stages
 * overlap (same or other dates) cannot both run: the second fails fast with exit 7 naming the
 * holder, while runs of disjoint scopes (the Airflow DAG's six parallel ingest tasks) proceed.
 *
 * <p>The holder touches its lock files every {@link #HEARTBEAT} while it runs. A lock is stale,
 * and taken over with a warning, when its holder's process is gone (same host, the pid is not
 * alive: the run was killed) or when it has not been touched for the stale timeout (default
 * {@link #DEFAULT_STALE_AFTER}, {@code TOUCHPOINT_LOCK_STALE_SECONDS}): a holder on another host
 * that died. Taking over renames the stale file away first (atomic), so two runs that both find it
 * stale cannot both take it.
 *
 * <p>Object stores without put-if-absent (S3 with the default LogStore) cannot make the create
 * atomic: there, rely on one writer at a time (the DAG's {@code max_active_runs=1}).
 */
public final class RunLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
  public static final String DIR = "_locks";
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(10);
  public static final Duration HEARTBEAT = Duration.ofSeconds(30);
  public static final String STALE_ENV = "TOUCHPOINT_LOCK_STALE_SECONDS";

  /** Who holds (or asks for) a lock. */
  public record Holder(String runId, String command, String dates, long pid, String host, Instant started) {
    public static Holder self(String runId, String command, String dates) {
      return new Holder(runId, command, dates, ProcessHandle.current().pid(), hostName(), Instant.now());
    }

    String describe() {
      return "run " + runId + " (" + command + " " + dates + ", pid " + pid + " on " + host + ", started " + started + ")";
    }

    byte[] bytes() {
      Properties p = new Properties();
      p.setProperty("run_id", runId);
      p.setProperty("command", command);
      p.setProperty("dates", dates);
      p.setProperty("pid", Long.toString(pid));
      p.setProperty("host", host);
      p.setProperty("started", started.toString());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        p.store(out, "touchpoint run lock");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }

    static Holder parse(byte[] bytes) {
      Properties p = new Properties();
      try {
        p.load(new java.io.ByteArrayInputStream(bytes));
        return new Holder(p.getProperty("run_id", "?"), p.getProperty("command", "?"), p.getProperty("dates", "?"),
            Long.parseLong(p.getProperty("pid", "-1")), p.getProperty("host", "?"),
            Instant.parse(p.getProperty("started", Instant.EPOCH.toString())));
      } catch (IOException | RuntimeException e) {
        // A lock file being written (or cut short by a crash) reads as an unknown holder.
        return new Holder("?", "?", "?", -1, "?", Instant.EPOCH);
      }
    }
  }

  private final Store store;
  private final Holder holder;
  private final List<String> scopes;
  private final ScheduledExecutorService heartbeat;
  private final Thread shutdownHook;
  private volatile boolean released;

  private RunLock(Store store, Holder holder, List<String> scopes) {
    this.store = store;
    this.holder = holder;
    this.scopes = scopes;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "touchpoint-run-lock-heartbeat");
      t.setDaemon(true);
      return t;
    });
    heartbeat.scheduleAtFixedRate(this::touch, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    // SIGTERM / Ctrl-C run the shutdown hooks: release then. SIGKILL does not: the next run finds the pid gone.
    this.shutdownHook = new Thread(this::release, "touchpoint-run-lock-release");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** The stale timeout: {@code TOUCHPOINT_LOCK_STALE_SECONDS} when set, else {@link #DEFAULT_STALE_AFTER}. */
  public static Duration staleAfter(java.util.Map<String, String> env) {
    String v = env.get(STALE_ENV);
    if (v == null || v.isBlank()) {
      return DEFAULT_STALE_AFTER;
    }
    try {
      long s = Long.parseLong(v.trim());
      if (s > 0) {
        return Duration.ofSeconds(s);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw Errors.config("read " + STALE_ENV, "'" + v + "' is not a positive number of seconds",
        "Set it to the seconds after which an untouched run lock counts as abandoned (default "
            + DEFAULT_STALE_AFTER.toSeconds() + "), or unset it");
  }

  /** The lock scopes of a run of {@code stages} landing {@code sources}, prefixed by the sandbox schema when it writes one. */
  public static List<String> scopes(Collection<Stage> stages, Collection<String> sources, Optional<String> sandboxSchema) {
    TreeSet<String> out = new TreeSet<>();
    for (Stage s : stages) {
      if (s == Stage.INGEST) {
        sources.forEach(src -> out.add("ingest-" + src));
      } else {
        out.add(s.label());
      }
    }
    return out.stream().map(s -> sandboxSchema.map(p -> p + "-" + s).orElse(s)).toList();
  }

  /**
   * Takes every scope's lock or none: fails with exit 7 naming the holder when one is held by a
   * live run, and takes over stale ones.
   */
  public static RunLock acquire(String warehouseRoot, Configuration hadoopConf, Collection<String> scopes, Holder holder,
      Duration staleAfter) {
    Store store = Store.of(warehouseRoot, hadoopConf);
    List<String> taken = new ArrayList<>();
    try {
      for (String scope : new TreeSet<>(scopes)) {
        acquireOne(store, scope, holder, staleAfter);
        taken.add(scope);
      }
    } catch (RuntimeException e) {
      for (String s : taken) {
        store.deleteIfHeldBy(s, holder.runId());
      }
      throw e;
    }
    LOG.info("[{}] run lock taken: {} in {}", holder.runId(), taken, store.describe());
    return new RunLock(store, holder, List.copyOf(taken));
  }

  private static void acquireOne(Store store, String scope, Holder holder, Duration staleAfter) {
    for (int attempt = 0; attempt < 3; attempt++) {
      if (store.createNew(scope, holder.bytes())) {
        return;
      }
      Optional<Store.Existing> existing = store.read(scope);
      if (existing.isEmpty()) {
        continue; // released between our create and read: try again
      }
      Holder other = existing.get().holder();
      Duration idle = Duration.between(existing.get().touched(), Instant.now());
      String why = staleReason(other, idle, staleAfter);
      if (why == null) {
        throw locked(store, scope, other, idle, staleAfter);
      }
      LOG.warn("[{}] taking over the stale run lock '{}' of {}: {}", holder.runId(), scope, other.describe(), why);
      store.moveAway(scope, holder.runId());
    }
    throw locked(store, scope, store.read(scope).map(Store.Existing::holder).orElse(null), Duration.ZERO, staleAfter);
  }

  /** Why the lock of {@code other} is stale, or null when its holder may still be running. */
  static String staleReason(Holder other, Duration idle, Duration staleAfter) {
    if (other.host().equals(hostName()) && other.pid() > 0 && ProcessHandle.of(other.pid()).map(p -> !p.isAlive()).orElse(true)) {
      return "its process " + other.pid() + " on this host is gone (killed or crashed)";
    }
    if (idle.compareTo(staleAfter) > 0) {
      return "not touched for " + idle.toSeconds() + " s (stale after " + staleAfter.toSeconds() + " s)";
    }
    return null;
  }

  private static TouchpointException locked(Store store, String scope, Holder other, Duration idle, Duration staleAfter) {
    String who = other == null ? "another run" : other.describe();
    return Errors.runLocked(
        "start this run on the warehouse " + store.describe(),
        "its run lock '" + scope + "' is held by " + who + ", last touched " + idle.toSeconds() + " s ago",
        "Wait for that run to finish and retry (the Airflow DAG retries by itself). If it is known to be dead on another"
            + " host, delete " + store.file(scope) + "; a lock untouched for " + staleAfter.toSeconds() + " s ("
            + STALE_ENV + ") is taken over automatically");
  }

  public List<String> scopes() {
    return scopes;
  }

  private void touch() {
    if (!released) {
      for (String s : scopes) {
        store.touch(s);
      }
    }
  }

  /** Deletes this run's lock files (only those still holding its run id). */
  public synchronized void release() {
    if (released) {
      return;
    }
    released = true;
    heartbeat.shutdownNow();
    for (String s : scopes) {
      store.deleteIfHeldBy(s, holder.runId());
    }
    LOG.info("[{}] run lock released: {}", holder.runId(), scopes);
  }

  @Override
  public void close() {
    release();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs (and finds the lock released)
    }
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown-host");
    }
  }

  /** Lock files on a local disk (java.nio, atomic create-new) or any Hadoop file system. */
  abstract static class Store {
    record Existing(Holder holder, Instant touched) {}

    abstract boolean createNew(String scope, byte[] content);

    abstract Optional<Existing> read(String scope);

    abstract void moveAway(String scope, String byRunId);

    abstract void touch(String scope);

    abstract void delete(String scope);

    abstract String file(String scope);

    abstract String describe();

    void deleteIfHeldBy(String scope, String runId) {
      read(scope).filter(e -> e.holder().runId().equals(runId)).ifPresent(e -> delete(scope));
    }

    static Store of(String root, Configuration conf) {
      URI uri = URI.create(root.replace(" ", "%20"));
      if (uri.getScheme() == null || uri.getScheme().equals("file")) {
        java.nio.file.Path p = uri.getScheme() == null ? java.nio.file.Path.of(root) : java.nio.file.Path.of(uri);
        return new Local(p.resolve(DIR));
      }
      return new Hadoop(new Path(root, DIR), conf);
    }
  }

  static final class Local extends Store {
    private final java.nio.file.Path dir;

    Local(java.nio.file.Path dir) {
      this.dir = dir;
    }

    @Override
    boolean createNew(String scope, byte[] content) {
      java.nio.file.Path tmp = dir.resolve("." + scope + "." + ProcessHandle.current().pid() + ".tmp");
      try {
        Files.createDirectories(dir);
        // Write the content aside, then link it into place: the lock file appears whole, or not at all.
        Files.write(tmp, content);
        Files.createLink(dir.resolve(scope + ".lock"), tmp);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } catch (UnsupportedOperationException e) {
        try {
          Files.write(dir.resolve(scope + ".lock"), content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          return true;
        } catch (FileAlreadyExistsException e2) {
          return false;
        } catch (IOException e2) {
          throw cannot(scope, e2);
        }
      } catch (IOException e) {
        throw cannot(scope, e);
      } finally {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          LOG.debug("cannot delete {}", tmp, e);
        }
      }
    }

    private TouchpointException cannot(String scope, IOException e) {
      return Errors.config("take the run lock " + file(scope), "it cannot be written (" + e + ")",
          "Check that the job's user may write the warehouse folder " + dir.getParent());
    }

    @Override
    Optional<Existing> read(String scope) {
      java.nio.file.Path f = dir.resolve(scope + ".lock");
      try {
        FileTime t = Files.getLastModifiedTime(f);
        return Optional.of(new Existing(Holder.parse(Files.readAllBytes(f)), t.toInstant()));
      } catch (NoSuchFileException e) {
        return Optional.empty();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    void moveAway(String scope, String byRunId) {
      try {
        Files.move(dir.resolve(scope + ".lock"), dir.resolve(scope + ".lock.stale-" + byRunId), StandardCopyOption.ATOMIC_MOVE);
      } catch (NoSuchFileException e) {
        // another run moved it first: we retry the create and lose to it
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    void touch(String scope) {
      try {
        Files.setLastModifiedTime(dir.resolve(scope + ".lock"), FileTime.from(Instant.now()));
      } catch (IOException e) {
        LOG.warn("cannot touch the run lock {}: {}", file(scope), e.toString());
      }
    }

    @Override
    void delete(String scope) {
      try {
        Files.deleteIfExists(dir.resolve(scope + ".lock"));
      } catch (IOException e) {
        LOG.warn("cannot delete the run lock {}: {}", file(scope), e.toString());
      }
    }

    @Override
    String file(String scope) {
      return dir.resolve(scope + ".lock").toString();
    }

    @Override
    String describe() {
      return dir.getParent().toString();
    }
  }

  static final class Hadoop extends Store {
    private final Path dir;
    private final Configuration conf;

    Hadoop(Path dir, Configuration conf) {
      this.dir = dir;
      this.conf = conf;
    }

    private FileSystem fs() throws IOException {
      return dir.getFileSystem(conf);
    }

    @Override
    boolean createNew(String scope, byte[] content) {
      try (OutputStream out = fs().create(new Path(dir, scope + ".lock"), false)) {
        out.write(content);
        return true;
      } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
        return false;
      } catch (IOException e) {
        if (exists(scope)) {
          return false;
        }
        throw Errors.config("take the run lock " + file(scope), "it cannot be written (" + e + ")",
            "Check that the job's user may write the warehouse " + dir.getParent());
      }
    }

    private boolean exists(String scope) {
      try {
        return fs().exists(new Path(dir, scope + ".lock"));
      } catch (IOException e) {
        return false;
      }
    }

    @Override
    Optional<Existing> read(String scope) {
      Path f = new Path(dir, scope + ".lock");
      try (InputStream in = fs().open(f)) {
        byte[] b = in.readAllBytes();
        return Optional.of(new Existing(Holder.parse(b), Instant.ofEpochMilli(fs().getFileStatus(f).getModificationTime())));
      } catch (java.io.FileNotFoundException e) {
        return Optional.empty();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    void moveAway(String scope, String byRunId) {
      try {
        fs().rename(new Path(dir, scope + ".lock"), new Path(dir, scope + ".lock.stale-" + byRunId));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    void touch(String scope) {
      try {
        fs().setTimes(new Path(dir, scope + ".lock"), System.currentTimeMillis(), -1);
      } catch (IOException | UnsupportedOperationException e) {
        LOG.warn("cannot touch the run lock {}: {}", file(scope), e.toString());
      }
    }

    @Override
    void delete(String scope) {
      try {
        fs().delete(new Path(dir, scope + ".lock"), false);
      } catch (IOException e) {
        LOG.warn("cannot delete the run lock {}: {}", file(scope), e.toString());
      }
    }

    @Override
    String file(String scope) {
      return new Path(dir, scope + ".lock").toString();
    }

    @Override
    String describe() {
      return dir.getParent().toString();
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "RunLock%s of %s", scopes, holder.runId());
  }
}
