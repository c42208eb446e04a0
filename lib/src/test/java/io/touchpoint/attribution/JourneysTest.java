package io.touchpoint.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class JourneysTest {

  /** Parts with their own channel ids join into first-appearance ids, in place or by copying. */
  @Test
  void concatRemapsChannelIdsWithAndWithoutRoomInTheFirstPart() {
    List<Journey> head = new ArrayList<>();
    List<Journey> tail = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      head.add(Journey.of(i % 2 == 0 ? "a > b" : "b", ">", i, 2 * i, 1));
      tail.add(Journey.of(i % 3 == 0 ? "c > a" : "b > c > c", ">", 1, 3, i));
    }
    List<Journey> all = new ArrayList<>(head);
    all.addAll(tail);
    Journeys expected = Journeys.of(all);

    Journeys roomy = Journeys.concat(List.of(Journeys.of(head), Journeys.of(tail)));
    Journeys.Builder small = new Journeys.Builder(1, 1);
    for (Journey j : head) {
      int[] ids = j.channels().stream().mapToInt(small::channel).toArray();
      small.add(ids, ids.length, j.conversions(), j.conversionValue(), j.nulls());
    }
    Journeys copied = Journeys.concat(List.of(small.build(), Journeys.of(tail)));

    for (Journeys actual : List.of(roomy, copied)) {
      assertThat(actual.channels()).as("channels").containsExactly("a", "b", "c");
      assertThat(actual.size()).as("journeys").isEqualTo(20);
      int touches = expected.offsets()[20];
      assertThat(Arrays.copyOf(actual.touches(), touches)).as("touches").isEqualTo(Arrays.copyOf(expected.touches(), touches));
      assertThat(Arrays.copyOf(actual.offsets(), 21)).as("offsets").isEqualTo(Arrays.copyOf(expected.offsets(), 21));
      assertThat(Arrays.copyOf(actual.nulls(), 20)).as("nulls").isEqualTo(Arrays.copyOf(expected.nulls(), 20));
      assertThat(actual.totalValue()).as("value").isEqualTo(expected.totalValue());
    }
    assertThat(copied.offsets()).as("a first part without room is copied").isNotSameAs(small.build().offsets());
  }
}
