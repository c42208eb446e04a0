package io.touchpoint.attribution;

/** Bootstrap percentile interval of one channel's attributed conversions and value. */
public record CreditInterval(String channel, double conversionsLow, double conversionsHigh, double valueLow,
    double valueHigh) {}
