package io.touchpoint.jobs.generate;

/**
 * One simulated person: stable identifiers and fixed behaviour. What changes during the run
 * (alive, registration, last touches) lives in {@link Simulator}.
 *
 * @param arrivalDay first day a prospect is in the market (0 for existing customers): prospects
 *     arrive spread over the window, so new customers come steadily
 * @param registrationDay day index of the CRM registration: negative before the window,
 *     {@link #AT_FIRST_PURCHASE} for a prospect who joins at their first purchase, {@link #NEVER}
 *     for a non-member
 * @param channels sales channel indices, home channel first
 * @param deviceTypes per device: 'A' app, 'M' mini-program, 'B' browser cookie, 'O' OAID
 * @param buyers buyer nick per marketplace platform (index 0..3), null where unused
 * @param reach daily touch probability per marketing channel when eligible
 */
record Person(
    int index,
    String personId,
    String phone,
    String email,
    String memberId,
    boolean prospect,
    int arrivalDay,
    int registrationDay,
    long registeredAtBefore,
    boolean inWechatGroup,
    String initialTier,
    int homeStore,
    int[] channels,
    double rate,
    double dropout,
    double meanSpendCny,
    String[] devices,
    char[] deviceTypes,
    String[] buyers,
    double[] reach) {

  static final int AT_FIRST_PURCHASE = Integer.MAX_VALUE - 1;
  static final int NEVER = Integer.MAX_VALUE;

  int home() {
    return channels[0];
  }

  boolean uses(int channel) {
    for (int c : channels) {
      if (c == channel) {
        return true;
      }
    }
    return false;
  }

  /** The first device of the given type, or null. */
  String device(char type) {
    int k = deviceIndex(type);
    return k < 0 ? null : devices[k];
  }

  int deviceIndex(char type) {
    for (int i = 0; i < deviceTypes.length; i++) {
      if (deviceTypes[i] == type) {
        return i;
      }
    }
    return -1;
  }
}
