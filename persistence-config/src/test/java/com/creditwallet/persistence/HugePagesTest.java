package com.creditwallet.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HugePagesTest {
  private static final List<String> ASK = List.of("-XX:+UseTransparentHugePages");

  @Test
  void asksWhereLinuxHandsThemOutOnRequest() {
    assertEquals(ASK, HugePages.jvmOptions("Linux", "always [madvise] never\n"));
    assertEquals(ASK, HugePages.jvmOptions("Linux", "[always] madvise never\n"));
  }

  @Test
  void doesNotAskWhereTheyAreOffOrUnknown() {
    assertEquals(List.of(), HugePages.jvmOptions("Linux", "always madvise [never]\n"));
    assertEquals(List.of(), HugePages.jvmOptions("Linux", null));
    // The setting names the choices even when off: only the bracketed one counts.
    assertEquals(List.of(), HugePages.jvmOptions("Linux", "always madvise never"));
  }

  @Test
  void neverAsksOffLinuxWhereTheFlagWouldStopTheJvm() {
    assertEquals(List.of(), HugePages.jvmOptions("Mac OS X", "always [madvise] never"));
    assertEquals(List.of(), HugePages.jvmOptions("Windows 11", "[always] madvise never"));
  }
}
