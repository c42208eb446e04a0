package io.touchpoint.attribution;

/** Markov credit of one channel: removal effects and the conversions and value attributed to it. */
public record ChannelCredit(String channel, double removalEffectConversion, double removalEffectValue,
    double attributedConversions, double attributedValue) {}
