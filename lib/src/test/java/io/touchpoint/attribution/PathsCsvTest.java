package io.touchpoint.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.touchpoint.errors.TouchpointException;
import java.nio.charset.StandardCharsets;
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
    assertThat(js.conversions()).as("conversions").containsExactly(1, 2, 0, 4);
    assertThat(js.values()).as("values").containsExactly(2.5, 0.125, 0, 1);
    assertThat(js.nulls()).as("nulls").containsExactly(3, 0, 1000, 0);
    assertThat(js.touches()).as("touch ids").containsExactly(0, 1, 0, 1, 0, 1, 2, 0);
  }

  @Test
  void valueAndNullColumnsAreOptional() {
    Journeys js = PathsCsv.parse("path,conv\nx>y,3\n".getBytes(StandardCharsets.UTF_8), "p.csv",
        new PathsCsv.Format(">", "path", "conv", null, null));
    assertThat(js.totalConversions()).as("conversions").isEqualTo(3);
    assertThat(js.totalNulls()).as("no null column: 0 nulls").isZero();
  }

  @Test
  void decimalsAreCorrectlyRounded() {
    Journeys js = parse("path,total_conversions,total_conversion_value,total_null\n"
        + "a,1,0.1,0\na,1,74802.97,0\na,1,12345678901234567890,0\na,1,1.5E2,0\n");
    assertThat(js.values()).as("values").containsExactly(0.1, 74802.97, 1.2345678901234567e19, 150);
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
