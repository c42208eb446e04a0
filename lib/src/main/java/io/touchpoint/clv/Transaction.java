package io.touchpoint.clv;

import java.time.LocalDate;

/** One purchase: who, on which day, for how much (any currency, summed per day). */
public record Transaction(String customerId, LocalDate date, double value) {}
