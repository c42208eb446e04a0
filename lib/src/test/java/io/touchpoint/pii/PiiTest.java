package io.touchpoint.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.touchpoint.errors.TouchpointException;
import org.junit.jupiter.api.Test;

class PiiTest {
  @Test
  void phonesNormaliseToE164WhateverTheFormatting() {
    assertThat(Pii.normalizePhone("13812345678")).isEqualTo("+8613812345678");
    assertThat(Pii.normalizePhone("+86 138 1234 5678")).isEqualTo("+8613812345678");
    assertThat(Pii.normalizePhone("138-1234-5678")).isEqualTo("+8613812345678");
    assertThat(Pii.normalizePhone("0086 13812345678")).isEqualTo("+8613812345678");
    assertThat(Pii.normalizePhone("138****5678")).as("masked").isNull();
    assertThat(Pii.normalizePhone("12345")).isNull();
    assertThat(Pii.demo().phoneHash("138-1234-5678")).isEqualTo(Pii.demo().phoneHash("+8613812345678")).hasSize(64);
  }

  @Test
  void emailsAreLowerCasedBeforeHashingAndKeysMatter() {
    assertThat(Pii.demo().emailHash(" Li.Na@Example.COM ")).isEqualTo(Pii.demo().emailHash("li.na@example.com"));
    assertThat(Pii.withKey("another-key-that-is-long-enough-0123456789").emailHash("li.na@example.com"))
        .isNotEqualTo(Pii.demo().emailHash("li.na@example.com"));
  }

  @Test
  void shortKeysAreRefusedWithAClearMessage() {
    assertThatThrownBy(() -> Pii.withKey("short")).isInstanceOf(TouchpointException.class)
        .hasMessageContaining("Cannot hash").hasMessageContaining("32");
  }

  @Test
  void digitsInsideAHashAreNotAPhone() {
    String hash = "ab13812345678cd" + "0".repeat(49);
    assertThat(Pii.looksLikePii(hash)).isFalse();
    assertThat(Pii.mask(hash)).isEqualTo(hash);
  }

  @Test
  void maskHidesPhonesAndEmailsInFreeText() {
    String masked = Pii.mask("T1,13812345678,li.na@example.com,+86 139 0000 1111");
    assertThat(masked).isEqualTo("T1,138******78,l***@***,139******11");
    assertThat(Pii.looksLikePii(masked)).isFalse();
  }
}
