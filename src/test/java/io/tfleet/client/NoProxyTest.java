package io.tfleet.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NoProxyTest {
  @Test
  void aNameMatchesItselfAndTheNamesUnderItButNotAnotherNameEndingTheSame() {
    NoProxy list = NoProxy.parse("example.com");
    assertThat(list.bypasses("example.com", 443)).isTrue();
    assertThat(list.bypasses("api.example.com", 443)).isTrue();
    assertThat(list.bypasses("badexample.com", 443)).isFalse();
    assertThat(list.bypasses("example.org", 443)).isFalse();
  }

  @Test
  void aLeadingDotOrStarDotMatchesTheSameAsTheBareName() {
    for (String entry : new String[] {".example.com", "*.example.com"}) {
      NoProxy list = NoProxy.parse(entry);
      assertThat(list.bypasses("a.b.example.com", 80)).as(entry).isTrue();
      assertThat(list.bypasses("example.com", 80)).as(entry).isTrue();
      assertThat(list.bypasses("xexample.com", 80)).as(entry).isFalse();
    }
  }

  @Test
  void entriesAreSplitAtCommasAndBlanksAndComparedWithoutCase() {
    NoProxy list = NoProxy.parse(" Lab.Internal , localhost  10.1.2.3,");
    assertThat(list.bypasses("LAB.internal", 443)).isTrue();
    assertThat(list.bypasses("localhost", 8000)).isTrue();
    assertThat(list.bypasses("10.1.2.3", 8000)).isTrue();
    assertThat(list.bypasses("10.1.2.4", 8000)).isFalse();
  }

  @Test
  void aStarBypassesEveryHost() {
    assertThat(NoProxy.parse("*").bypasses("anything.example", 443)).isTrue();
    assertThat(NoProxy.parse("foo, *").bypasses("10.0.0.1", 443)).isTrue();
  }

  @Test
  void aPortLimitsTheEntryToThatPort() {
    NoProxy list = NoProxy.parse("lab.internal:8443,127.0.0.1:9000,[::1]:7000");
    assertThat(list.bypasses("lab.internal", 8443)).isTrue();
    assertThat(list.bypasses("lab.internal", 443)).isFalse();
    assertThat(list.bypasses("127.0.0.1", 9000)).isTrue();
    assertThat(list.bypasses("127.0.0.1", 9001)).isFalse();
    assertThat(list.bypasses("[::1]", 7000)).isTrue();
    assertThat(list.bypasses("::1", 7001)).isFalse();
  }

  @Test
  void cidrRangesMatchTheAddressesInThem() {
    NoProxy list = NoProxy.parse("10.0.0.0/8,192.168.1.0/24,fd00::/8");
    assertThat(list.bypasses("10.200.3.4", 443)).isTrue();
    assertThat(list.bypasses("11.0.0.1", 443)).isFalse();
    assertThat(list.bypasses("192.168.1.77", 443)).isTrue();
    assertThat(list.bypasses("192.168.2.1", 443)).isFalse();
    assertThat(list.bypasses("[fd12:3456::1]", 443)).isTrue();
    assertThat(list.bypasses("[fe80::1]", 443)).isFalse();
    // A name is never looked up to match an address range.
    assertThat(list.bypasses("ten.example", 443)).isFalse();
  }

  @Test
  void ipv6AddressesMatchWithOrWithoutBracketsInEitherForm() {
    NoProxy list = NoProxy.parse("::1,[fd00::5]");
    assertThat(list.bypasses("[::1]", 443)).isTrue();
    assertThat(list.bypasses("0:0:0:0:0:0:0:1", 443)).isTrue();
    assertThat(list.bypasses("fd00:0:0:0:0:0:0:5", 443)).isTrue();
    assertThat(list.bypasses("[::2]", 443)).isFalse();
  }

  @Test
  void anAddressEntryDoesNotMatchANameAndANameEntryDoesNotMatchAnAddress() {
    assertThat(NoProxy.parse("127.0.0.1").bypasses("localhost", 80)).isFalse();
    assertThat(NoProxy.parse("localhost").bypasses("127.0.0.1", 80)).isFalse();
    // An address is not a name with dots: 0.1 does not match 10.0.0.1.
    assertThat(NoProxy.parse("0.1").bypasses("10.0.0.1", 80)).isFalse();
  }

  @Test
  void anEmptyListBypassesNothing() {
    assertThat(NoProxy.parse(null).bypasses("localhost", 80)).isFalse();
    assertThat(NoProxy.parse("  ").bypasses("localhost", 80)).isFalse();
    assertThat(NoProxy.parse(",,").bypasses("localhost", 80)).isFalse();
  }
}
