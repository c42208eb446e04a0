package io.touchpoint.attribution;

/** Conversions and value credited to one channel by a heuristic model. */
public record Credit(String channel, double conversions, double value) {}
