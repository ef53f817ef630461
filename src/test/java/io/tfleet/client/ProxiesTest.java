package io.tfleet.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxiesTest {
  private static final URI HTTPS = URI.create("https://testflinger.example.com");
  private static final URI HTTP = URI.create("http://lab.example.com:8000");

  @Test
  void httpsUrlsUseHttpsProxyAndHttpUrlsHttpProxy() {
    Proxies proxies =
        Proxies.fromEnvironment(
            Map.of("HTTPS_PROXY", "http://secure:3128", "HTTP_PROXY", "http://plain:8080"));
    assertThat(proxies.route(HTTPS).orElseThrow().host()).isEqualTo("secure");
    assertThat(proxies.route(HTTP).orElseThrow().host()).isEqualTo("plain");
    assertThat(proxies.route(HTTP).orElseThrow().port()).isEqualTo(8080);
  }

  @Test
  void lowerCaseWinsOverUpperCaseAsInRequests() {
    Proxies proxies =
        Proxies.fromEnvironment(
            Map.of("https_proxy", "http://lower:1", "HTTPS_PROXY", "http://upper:2"));
    ProxyUrl proxy = proxies.route(HTTPS).orElseThrow();
    assertThat(proxy.host()).isEqualTo("lower");
    assertThat(proxy.source()).isEqualTo("https_proxy");
  }

  @Test
  void allProxyServesWhereNoSchemeProxyIsSet() {
    Proxies proxies =
        Proxies.fromEnvironment(Map.of("ALL_PROXY", "http://all:3128", "HTTP_PROXY", "http://h:1"));
    assertThat(proxies.route(HTTPS).orElseThrow().host()).isEqualTo("all");
    assertThat(proxies.route(HTTP).orElseThrow().host()).isEqualTo("h");
  }

  @Test
  void noProxyNamesHostsThatGoDirect() {
    Proxies proxies =
        Proxies.fromEnvironment(Map.of("HTTPS_PROXY", "http://p:3128", "no_proxy", ".example.com"));
    assertThat(proxies.route(HTTPS)).isEmpty();
    assertThat(proxies.route(URI.create("https://other.org"))).isPresent();
    assertThat(proxies.describeRoute(HTTPS)).contains("directly").contains("NO_PROXY");
  }

  @Test
  void noVariablesMeansDirect() {
    assertThat(Proxies.fromEnvironment(Map.of()).route(HTTPS)).isEmpty();
    assertThat(Proxies.fromEnvironment(Map.of("HTTPS_PROXY", "  ")).route(HTTPS)).isEmpty();
  }

  @Test
  void aGivenProxyReplacesTheEnvironmentsButNoProxyStillHolds() {
    Map<String, String> env = Map.of("HTTPS_PROXY", "http://env:1", "NO_PROXY", "lab.example.com");
    Proxies proxies = Proxies.given(ProxyUrl.parse("http://flag:2", "--proxy"), env);
    assertThat(proxies.route(HTTPS).orElseThrow().host()).isEqualTo("flag");
    assertThat(proxies.route(HTTP)).isEmpty();
    assertThat(Proxies.given(null, env).route(HTTPS)).isEmpty();
  }

  @Test
  void aProxyUrlWithoutSchemeOrPortIsReadAsRequestsReadsIt() {
    ProxyUrl proxy = ProxyUrl.parse("proxy.corp", "HTTPS_PROXY");
    assertThat(proxy.host()).isEqualTo("proxy.corp");
    assertThat(proxy.port()).isEqualTo(80);
    assertThat(proxy.hasCredentials()).isFalse();
    assertThat(ProxyUrl.parse("[::1]:3128", "x").host()).isEqualTo("::1");
    assertThat(ProxyUrl.parse("[::1]:3128", "x").toString()).isEqualTo("http://[::1]:3128");
  }

  @Test
  void credentialsArePercentDecodedAndNeverShown() {
    ProxyUrl proxy = ProxyUrl.parse("http://al%40ce:p%3Ass@w+rd@proxy:3128/", "HTTPS_PROXY");
    assertThat(proxy.user()).isEqualTo("al@ce");
    assertThat(proxy.password()).isEqualTo("p:ss@w+rd");
    assertThat(proxy.host()).isEqualTo("proxy");
    assertThat(proxy.port()).isEqualTo(3128);
    assertThat(proxy.toString()).isEqualTo("http://al@ce:****@proxy:3128").doesNotContain("w+rd");
    assertThat(proxy.describe()).isEqualTo("http://al@ce:****@proxy:3128 (from HTTPS_PROXY)");
  }

  @Test
  void proxiesSpokenToOverTlsOrSocksAreRefusedNamingTheVariable() {
    assertThatThrownBy(() -> ProxyUrl.parse("https://proxy:3128", "HTTPS_PROXY"))
        .hasMessageStartingWith("HTTPS_PROXY: a proxy spoken to over TLS")
        .hasMessageContaining("http://proxy:3128");
    assertThatThrownBy(() -> ProxyUrl.parse("socks5://proxy:1080", "ALL_PROXY"))
        .hasMessageStartingWith("ALL_PROXY: SOCKS proxies are not supported");
  }

  @Test
  void aBadProxyUrlIsRefusedWithoutShowingItsPassword() {
    assertThatThrownBy(() -> ProxyUrl.parse("http://bob:hunter2@proxy:port", "HTTPS_PROXY"))
        .hasMessageStartingWith("HTTPS_PROXY:")
        .hasMessageContaining("bob:****@")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> ProxyUrl.parse("bob:hunter2@:3128", "HTTPS_PROXY"))
        .hasMessageContaining("names no host")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> ProxyUrl.parse("ftp://proxy", "HTTP_PROXY"))
        .hasMessageContaining("is not an http://host:port proxy URL");
  }

  @Test
  void proxyCredentialsGoWithTheRequestsThatGoThroughThatProxyOnly() {
    Proxies proxies =
        Proxies.given(
            ProxyUrl.parse("http://al%40ce:pw@proxy:3128", "--proxy"),
            Map.of("NO_PROXY", "lab.example.com"));
    ProxyAuthorizingClient client =
        new ProxyAuthorizingClient(java.net.http.HttpClient.newHttpClient(), proxies);

    java.net.http.HttpRequest proxied =
        client.authorized(
            java.net.http.HttpRequest.newBuilder(HTTPS.resolve("/v1/agents/data"))
                .header("Proxy-Authorization", "Basic stale")
                .build());
    assertThat(proxied.headers().allValues("Proxy-Authorization"))
        .containsExactly(
            "Basic "
                + java.util.Base64.getEncoder()
                    .encodeToString("al@ce:pw".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    java.net.http.HttpRequest direct =
        java.net.http.HttpRequest.newBuilder(HTTP.resolve("/v1/agents/data")).build();
    assertThat(client.authorized(direct)).isSameAs(direct);
  }
}
