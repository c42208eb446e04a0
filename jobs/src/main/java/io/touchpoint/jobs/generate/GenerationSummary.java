package io.touchpoint.jobs.generate;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a run wrote: the folder, rows per export file (relative path, header excluded), injected
 * faults, and the realised figures also written to {@code _truth/summary.json}.
 */
public record GenerationSummary(
    Path out,
    long orders,
    long touches,
    Map<String, Long> rowsBySource,
    Map<String, Long> rowsByFile,
    int defects,
    Map<String, Object> figures,
    long millis) {}
