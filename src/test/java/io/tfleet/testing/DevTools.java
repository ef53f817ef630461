package io.tfleet.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A headless Chromium driven over its DevTools protocol (JSON messages on a WebSocket), with just
 * what the tests ask of a page: open a tab of a given size, load a URL and wait for its load event,
 * evaluate an expression, take a screenshot. Safe for several test threads at once: each tab is a
 * session of its own.
 */
final class DevTools implements AutoCloseable {
  /** Generous for a 2-core CI machine; a small page loads in well under a second. */
  static final Duration LIMIT = Duration.ofSeconds(60);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final WebSocket socket;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();

  /** Load events, by session and loader, waited for or come before anyone waited. */
  private final Map<String, CompletableFuture<JsonNode>> events = new ConcurrentHashMap<>();

  private DevTools(Process process, WebSocket socket) {
    this.process = process;
    this.socket = socket;
  }

  /**
   * Starts Chromium with a fresh profile in {@code profile} and connects to it. The flags keep it
   * off the network, which is closed here.
   */
  static DevTools start(Path binary, Path profile) throws Exception {
    Process process =
        new ProcessBuilder(
                List.of(
                    binary.toString(),
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--hide-scrollbars",
                    "--remote-debugging-port=0",
                    "--user-data-dir=" + profile.resolve("profile"),
                    "about:blank"))
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(profile.resolve("stderr").toFile())
            .start();
    try {
      // Chromium writes its port and the browser's WebSocket path here once it listens.
      Path active = profile.resolve("profile").resolve("DevToolsActivePort");
      Await.until(
          "Chromium's DevTools port (stderr in " + profile + ")",
          LIMIT,
          () -> !process.isAlive() || lines(active).size() >= 2);
      if (!process.isAlive()) {
        throw new IOException(
            "Chromium exited with "
                + process.exitValue()
                + ": "
                + Files.readString(profile.resolve("stderr")));
      }
      List<String> port = lines(active);
      URI uri = URI.create("ws://127.0.0.1:" + port.get(0).strip() + port.get(1).strip());
      Listener listener = new Listener();
      WebSocket socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .connectTimeout(LIMIT)
              .buildAsync(uri, listener)
              .get(LIMIT.toSeconds(), TimeUnit.SECONDS);
      DevTools devTools = new DevTools(process, socket);
      listener.devTools = devTools;
      return devTools;
    } catch (Exception | AssertionError e) {
      kill(process);
      throw e;
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
  }

  boolean alive() {
    return process.isAlive() && !socket.isOutputClosed() && !socket.isInputClosed();
  }

  /** A new tab whose page is {@code width} × {@code height} CSS pixels, one device pixel each. */
  Tab open(int width, int height) throws Exception {
    String target =
        call(null, "Target.createTarget", Map.of("url", "about:blank")).path("targetId").asText();
    String session =
        call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
            .path("sessionId")
            .asText();
    Tab tab = new Tab(target, session);
    try {
      tab.call("Page.enable", Map.of());
      tab.call("Page.setLifecycleEventsEnabled", Map.of("enabled", true));
      tab.call(
          "Emulation.setDeviceMetricsOverride",
          Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
      return tab;
    } catch (Exception | AssertionError e) {
      tab.close();
      throw e;
    }
  }

  /** One page, closed with its tab. */
  final class Tab implements AutoCloseable {
    private final String target;
    private final String session;

    private Tab(String target, String session) {
      this.target = target;
      this.session = session;
    }

    /** Loads {@code url} and returns once its load event fired: its scripts have run. */
    void load(String url) throws Exception {
      JsonNode navigated = call("Page.navigate", Map.of("url", url));
      if (navigated.hasNonNull("errorText")) {
        throw new AssertionError(
            "Chromium could not load " + url + ": " + navigated.path("errorText").asText());
      }
      // The load of this navigation, not the blank page's before it: told apart by the loader.
      String key = session + " load " + navigated.path("loaderId").asText();
      try {
        await(event(key), "the load event of " + url);
      } finally {
        events.remove(key);
      }
    }

    /** The value of {@code expression} in the page. */
    JsonNode evaluate(String expression) throws Exception {
      JsonNode answer =
          call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
      if (answer.has("exceptionDetails")) {
        throw new AssertionError(expression + " threw in the page: " + answer);
      }
      return answer.path("result").path("value");
    }

    JsonNode call(String method, Map<String, Object> params) throws Exception {
      return DevTools.this.call(session, method, params);
    }

    @Override
    public void close() throws Exception {
      events.keySet().removeIf(k -> k.startsWith(session + " "));
      DevTools.this.call(null, "Target.closeTarget", Map.of("targetId", target));
    }
  }

  /** Sends one command (to the browser when {@code session} is null) and waits for its answer. */
  JsonNode call(String session, String method, Map<String, Object> params) throws Exception {
    long id = ids.incrementAndGet();
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", JSON.valueToTree(params));
    if (session != null) {
      message.put("sessionId", session);
    }
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    answers.put(id, answer);
    try {
      // A WebSocket takes one message at a time.
      synchronized (socket) {
        socket
            .sendText(JSON.writeValueAsString(message), true)
            .get(LIMIT.toSeconds(), TimeUnit.SECONDS);
      }
      JsonNode reply = await(answer, method);
      if (reply.has("error")) {
        throw new AssertionError("Chromium refused " + method + ": " + reply.path("error"));
      }
      return reply.path("result");
    } finally {
      answers.remove(id);
    }
  }

  private JsonNode await(CompletableFuture<JsonNode> future, String what) throws Exception {
    try {
      return future.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("Chromium gave no " + what + " in " + LIMIT.toSeconds() + " s", e);
    } catch (ExecutionException e) {
      throw new AssertionError("Chromium's connection broke waiting for " + what, e.getCause());
    }
  }

  private void received(String text) {
    JsonNode message;
    try {
      message = JSON.readTree(text);
    } catch (IOException e) {
      failAll(e);
      return;
    }
    if (message.has("id")) {
      CompletableFuture<JsonNode> answer = answers.get(message.path("id").asLong());
      if (answer != null) {
        answer.complete(message);
      }
      return;
    }
    JsonNode params = message.path("params");
    if (message.path("method").asText().equals("Page.lifecycleEvent")
        && params.path("name").asText().equals("load")) {
      String key = message.path("sessionId").asText() + " load " + params.path("loaderId").asText();
      event(key).complete(params);
    }
  }

  /** The event under {@code key}, whether it came already or is still to come. */
  private CompletableFuture<JsonNode> event(String key) {
    return events.computeIfAbsent(key, k -> new CompletableFuture<>());
  }

  private void failAll(Throwable cause) {
    answers.values().forEach(f -> f.completeExceptionally(cause));
    events.values().forEach(f -> f.completeExceptionally(cause));
  }

  /** Ends the browser and every process it started. */
  @Override
  public void close() {
    socket.abort();
    kill(process);
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Puts a message's parts together and hands each whole message over. */
  private static final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();
    private volatile DevTools devTools;

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        String message = text.toString();
        text.setLength(0);
        devTools.received(message);
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
      if (devTools != null) {
        devTools.failAll(new IOException("Chromium closed DevTools: " + status + " " + reason));
      }
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      if (devTools != null) {
        devTools.failAll(error);
      }
    }
  }
}
