package io.touchpoint.attribution;

/**
 * One transition of the fitted chain: probability = weight / total weight leaving {@code from}.
 * States are named by their channels joined with " > "; the special states are
 * {@link MarkovResult#START}, {@link MarkovResult#CONVERSION} and {@link MarkovResult#NULL}.
 */
public record Transition(String from, String to, double probability, double weight) {}
