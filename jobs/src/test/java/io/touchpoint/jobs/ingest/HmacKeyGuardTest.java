package io.touchpoint.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.touchpoint.errors.Errors;
import io.touchpoint.errors.TouchpointException;
import io.touchpoint.jobs.config.TouchpointConfig;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import io.touchpoint.pii.Pii;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A warehouse remembers its HMAC key's fingerprint; an ingest with another key is refused before anything is read. */
class HmacKeyGuardTest {
  @TempDir Path tmp;

  @Test
  void anIngestWithAnotherKeyIsRefusedAndChangesNothing() {
    ValidExports.writeDay(tmp.resolve("exports"));
    Warehouse w = new Warehouse(SparkTestSupport.spark(), tmp.resolve("warehouse").toString());
    TouchpointConfig demo = SparkTestSupport.config(tmp.resolve("warehouse"), tmp.resolve("exports"));
    new IngestJob(w, demo, "first", Instant.parse("2026-01-06T01:00:00Z")).run(List.of(ValidExports.DAY), Set.of("pos"));
    Row key = w.read("ops", IngestJob.KEY_TABLE).first();
    assertThat(key.<String>getAs("fingerprint")).isEqualTo(Pii.demo().fingerprint()).matches("[0-9a-f]{16}");
    assertThat(key.<Boolean>getAs("is_demo_key")).isTrue();
    long landed = w.read("bronze", "pos__tickets").count();

    Pii other = Pii.withKey("a-different-secret-key-of-at-least-32-bytes");
    TouchpointConfig rotated = demo.withPii(other);
    ValidExports.writeDay(tmp.resolve("exports"), ValidExports.pos().add(
        "S001-T1-20260105-000009,S001,T1,2026-01-05 19:00:00+08:00,,13700001111,10.00,1,cash,"));
    assertThatThrownBy(() -> new IngestJob(w, rotated, "second", Instant.parse("2026-01-06T02:00:00Z"))
        .run(List.of(ValidExports.DAY), Set.of("pos")))
        .isInstanceOf(TouchpointException.class)
        .satisfies(e -> assertThat(((TouchpointException) e).exitCode()).isEqualTo(Errors.EXIT_CONFIG))
        .hasMessageContaining("it was built with another HMAC key (fingerprint " + Pii.demo().fingerprint()
            + "; the configured key's is " + other.fingerprint() + ")")
        .hasMessageContaining("Rotating the key");
    assertThat(w.read("bronze", "pos__tickets").count()).as("the changed file was not read").isEqualTo(landed);
    assertThat(w.read("ops", IngestJob.KEY_TABLE).count()).isEqualTo(1);
    assertThat(other.fingerprint()).isNotEqualTo(Pii.demo().fingerprint());
  }
}
