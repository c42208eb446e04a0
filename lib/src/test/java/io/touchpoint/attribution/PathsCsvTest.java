package io.touchpoint.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.touchpoint.errors.TouchpointException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PathsCsvTest {
  private static Journeys parse(String csv) {
    return PathsCsv.parse(csv.getBytes(StandardCharsets.UTF_8), "paths.csv", PathsCsv.Format.defaults());
  }

  @Test
  void quotedAndUnquotedFieldsAndAnySeparatorSpacing() {
    Journeys js = parse("\uFEFF\"path\",total_conversions,\"total_conversion_value\",total_null\r\n"
        + "\"a > b\",1,2.5,3\r\n"
        + "a>b,\"2\",0.125,0\n"
        + " a >b ,0,0,1e3\n"
        + "\"c, the \"\"quoted\"\" one > a\",4,1,0\n"
        + "\n");
    assertThat(js.size()).as("journeys").isEqualTo(4);
    assertThat(js.channels()).as("channels").containsExactly("a", "b", "c, the \"quoted\" one");
    assertThat(Arrays.copyOf(js.conversions(), js.size())).as("conversions").containsExactly(1, 2, 0, 4);
    assertThat(Arrays.copyOf(js.values(), js.size())).as("values").containsExactly(2.5, 0.125, 0, 1);
    assertThat(Arrays.copyOf(js.nulls(), js.size())).as("nulls").containsExactly(3, 0, 1000, 0);
    assertThat(Arrays.copyOf(js.touches(), js.offsets()[js.size()])).as("touch ids").containsExactly(0, 1, 0, 1, 0, 1, 2, 0);
  }

  @Test
  void valueAndNullColumnsAreOptional() {
    Journeys js = PathsCsv.parse("path,conv\nx>y,3\n".getBytes(StandardCharsets.UTF_8), "p.csv",
        new PathsCsv.Format(">", "path", "conv", null, null));
    assertThat(js.totalConversions()).as("conversions").isEqualTo(3);
    assertThat(js.totalNulls()).as("no null column: 0 nulls").isZero();
  }

  @Test
  void headerOnlyAndEmptyFiles() {
    assertThat(parse("path,total_conversions,total_conversion_value,total_null\n").size()).as("header only").isZero();
    assertThatThrownBy(() -> parse("")).isInstanceOf(TouchpointException.class)
        .hasMessageContaining("its header has no column 'path' (columns: [])");
  }

  @Test
  void decimalsAreCorrectlyRounded() {
    Journeys js = parse("path,total_conversions,total_conversion_value,total_null\n"
        + "a,1,0.1,0\na,1,74802.97,0\na,1,12345678901234567890,0\na,1,1.5E2,0\n");
    assertThat(Arrays.copyOf(js.values(), js.size())).as("values").containsExactly(0.1, 74802.97, 1.2345678901234567e19, 150);
  }

  /** Big enough to be cut into pieces; quoted newlines must not be taken for record ends. */
  @Test
  void largeTablesParseInPiecesLikeOneStream() {
    StringBuilder csv = new StringBuilder("path,total_conversions,total_conversion_value,total_null\n");
    List<Journey> expected = new ArrayList<>();
    Random random = new Random(1);
    String[] channels = {"search", "social", "e\nmail", "store \"flagship\"", "sms"};
    while (csv.length() < 12 << 20) {
      List<String> path = new ArrayList<>();
      for (int k = 1 + random.nextInt(6); k > 0; k--) {
        path.add(channels[random.nextInt(channels.length)]);
      }
      int conv = random.nextInt(5);
      int nulls = random.nextInt(50);
      double value = conv * 12.5;
      csv.append('"').append(String.join(" > ", path).replace("\"", "\"\"")).append("\",").append(conv).append(',')
          .append(value).append(',').append(nulls).append('\n');
      expected.add(new Journey(path, conv, value, nulls));
    }
    Journeys parsed = parse(csv.toString());
    Journeys reference = Journeys.of(expected);
    assertThat(parsed.size()).as("journeys").isEqualTo(expected.size());
    assertThat(parsed.channels()).as("channels in order of first appearance").isEqualTo(reference.channels());
    int n = expected.size();
    int touches = reference.offsets()[n];
    assertThat(Arrays.copyOf(parsed.touches(), touches)).as("touches").isEqualTo(Arrays.copyOf(reference.touches(), touches));
    assertThat(Arrays.copyOf(parsed.offsets(), n + 1)).as("offsets").isEqualTo(Arrays.copyOf(reference.offsets(), n + 1));
    assertThat(Arrays.copyOf(parsed.nulls(), n)).as("nulls").isEqualTo(Arrays.copyOf(reference.nulls(), n));
    assertThat(Arrays.copyOf(parsed.values(), n)).as("values").isEqualTo(Arrays.copyOf(reference.values(), n));

    long lines = csv.chars().filter(c -> c == '\n').count();
    csv.append("sms,x,1,1\n");
    assertThatThrownBy(() -> parse(csv.toString())).isInstanceOf(TouchpointException.class)
        .hasMessageContaining("line " + (lines + 1) + " has total_conversions 'x'");
  }

  @Test
  void errorsNameFileLineAndFix() {
    String header = "path,total_conversions,total_conversion_value,total_null\n";
    assertThatThrownBy(() -> parse(header + "a,1,1,0\nb,x1,1,0\n")).isInstanceOf(TouchpointException.class)
        .hasMessage("Cannot read the paths file paths.csv: line 3 has total_conversions 'x1'. Counts and values"
            + " must be plain non-negative numbers such as 12 or 3.5.");
    assertThatThrownBy(() -> parse(header + "a,-1,1,0\n")).isInstanceOf(TouchpointException.class)
        .hasMessageContaining("line 2 has total_conversions '-1'. Counts and values cannot be negative");
    assertThatThrownBy(() -> parse(header + "a,1,1\n")).isInstanceOf(TouchpointException.class)
        .hasMessageContaining("line 2 has 3 fields but the header has 4");
    assertThatThrownBy(() -> parse(header + "a > > b,1,1,0\n")).isInstanceOf(TouchpointException.class)
        .hasMessageContaining("line 2 has an empty channel name in its path 'a > > b'");
    assertThatThrownBy(() -> parse("path,conversions\na,1\n")).isInstanceOf(TouchpointException.class)
        .hasMessageContaining("its header has no column 'total_conversions' (columns: [path, conversions])");
  }
}
