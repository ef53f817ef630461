package io.tfleet.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/** A running lab server; close() stops it and everything it started. */
public final class Lab implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Lab.class.getName());
  private static final AtomicInteger LABS = new AtomicInteger();

  /** Enough for a concurrent client's ~1,000 requests a second; each request is short. */
  private static final int HTTP_THREADS = 16;

  /** Phase steps are tiny; two threads keep 5,000 zero-time jobs moving. */
  private static final int SCHEDULER_THREADS = 2;

  /** How long close() waits for its threads; they only have to notice they were interrupted. */
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

  /** How long a restart keeps trying to bind the port again, in case a connect raced it. */
  private static final Duration REBIND_TIMEOUT = Duration.ofSeconds(5);

  /** Guards {@link #server}: a restart and close() must not both stop and start servers. */
  private final Object serverLock = new Object();

  private HttpServer server;
  private final Threads threads;
  private final ExecutorService httpPool;
  private final ScheduledThreadPoolExecutor scheduler;
  private final ThreadPoolExecutor commands;
  private final Machines machines;
  private final JobStore store;

  /** What the HTTP server serves: the routes, behind the fault plan. */
  private final FaultLayer handler;

  private final DeviceLogins deviceLogins;
  private final Path scratch;

  /** The TLS setup of a lab that speaks https; null for plain http. */
  private SSLContext tls;

  /** The CA that signed a certificate the lab made at start; null otherwise. */
  private Path caFile;

  private final URI url;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong restarts = new AtomicLong();

  static {
    // The JDK server writes a response's headers and body separately; with Nagle's algorithm the
    // body then waits for the client's delayed ACK, about 40 ms a request on Linux. The switch is
    // JVM-wide and read once, so it only helps when set before the JVM's first HttpServer; an
    // embedding program that chose a value keeps it.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private Lab(LabConfig config, LabTls identity) throws IOException {
    threads = new Threads("tfleet-lab-" + LABS.incrementAndGet() + "-");
    scratch = Files.createTempDirectory("tfleet-lab-");
    httpPool = pool(HTTP_THREADS, threads.factory("http"));
    scheduler = new ScheduledThreadPoolExecutor(SCHEDULER_THREADS, threads.factory("sched"));
    scheduler.setRemoveOnCancelPolicy(true);
    // One thread per running test command; LabConfig.DEFAULT_MAX_COMMANDS says why it is bounded.
    commands =
        config.maxCommands() == 0
            ? unboundedPool(threads.factory("cmd"))
            : pool(config.maxCommands(), threads.factory("cmd"));
    store = new JobStore();
    machines = new Machines(config, store, scheduler, commands, scratch);
    ObjectMapper json = new ObjectMapper();
    Tokens tokens =
        new Tokens(
            config.clients(),
            config.tokenLifetime(),
            config.oidc().refreshLifetime(),
            Clock.systemUTC(),
            json);
    deviceLogins = new DeviceLogins(config.oidc(), tokens, Clock.systemUTC(), json);
    boolean oidc = config.oidc().required();
    Router router =
        Routes.of(
            new Guard(tokens, oidc),
            store,
            machines,
            tokens,
            scratch.resolve("uploads"),
            oidc ? deviceLogins : null);
    handler =
        new FaultLayer(
            router,
            config.faults(),
            this::later,
            config.restartAfter(),
            this::restart,
            config.latency(),
            config.latencyJitter());
    try {
      if (identity != null) {
        LabTls made =
            identity.toMake()
                ? LabCertificates.create(scratch.resolve("tls"))
                    .issue(LabCertificates.LOOPBACK_NAMES)
                : identity;
        tls = made.context();
        caFile = made.caFile().orElse(null);
      }
      server = serve(new InetSocketAddress(InetAddress.getByName(config.bind()), config.port()));
    } catch (IOException | RuntimeException e) {
      shutdown();
      throw e;
    }
    InetAddress address = server.getAddress().getAddress();
    String host =
        address.isAnyLocalAddress()
            ? "127.0.0.1"
            // The short form a person types, not 0:0:0:0:0:0:0:1.
            : address.isLoopbackAddress() && address instanceof java.net.Inet6Address
                ? "::1"
                : address.getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    url =
        URI.create(
            (tls == null ? "http://" : "https://") + host + ":" + server.getAddress().getPort());
  }

  private HttpServer serve(InetSocketAddress address) throws IOException {
    HttpServer created;
    if (tls == null) {
      created = HttpServer.create(address, /* backlog= */ 1024);
    } else {
      HttpsServer https = HttpsServer.create(address, /* backlog= */ 1024);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      created = https;
    }
    try {
      created.createContext("/", handler);
      created.setExecutor(httpPool);
      created.start();
      return created;
    } catch (RuntimeException e) {
      created.stop(0);
      throw e;
    }
  }

  /**
   * Drops every open connection by replacing the server with a new one on the same port; the jobs
   * and the threads that run them stay. Clients that connect in between are refused, as by a real
   * server restarting.
   */
  private void restart() {
    synchronized (serverLock) {
      if (closed.get()) {
        return;
      }
      InetSocketAddress address = server.getAddress();
      // Joins the old server's dispatcher thread, so a restart leaks none.
      server.stop(0);
      long deadline = System.nanoTime() + REBIND_TIMEOUT.toNanos();
      while (true) {
        try {
          server = serve(address);
          break;
        } catch (BindException e) {
          if (System.nanoTime() - deadline > 0 || !pause()) {
            LOG.log(System.Logger.Level.ERROR, "tfleet-lab: cannot serve again on " + address, e);
            return;
          }
        } catch (IOException e) {
          LOG.log(System.Logger.Level.ERROR, "tfleet-lab: cannot serve again on " + address, e);
          return;
        }
      }
      restarts.incrementAndGet();
      LOG.log(System.Logger.Level.INFO, "tfleet-lab: dropped every connection, serving again");
    }
  }

  private static boolean pause() {
    try {
      Thread.sleep(20);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs an HTTP task after a delay; the scheduler only waits, an HTTP thread does the work. */
  private boolean later(Duration delay, Runnable task) {
    try {
      scheduler.schedule(
          () -> {
            try {
              httpPool.execute(task);
            } catch (RejectedExecutionException e) {
              // The lab is closing; close() drops the connection.
            }
          },
          delay.toNanos(),
          TimeUnit.NANOSECONDS);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /** Starts a lab; with port 0 it takes any free port, which {@link #url()} tells. */
  public static Lab start(LabConfig config) throws IOException {
    return new Lab(config, null);
  }

  /**
   * Starts a lab that speaks https with {@code identity}'s certificate; {@link LabTls#madeAtStart}
   * has the lab make one (about a second: two runs of keytool), signed by a CA in {@link #caFile}.
   */
  public static Lab start(LabConfig config, LabTls identity) throws IOException {
    return new Lab(config, Objects.requireNonNull(identity, "identity"));
  }

  /** The base URL, without a trailing slash, e.g. {@code http://127.0.0.1:41234}. */
  public URI url() {
    return url;
  }

  /**
   * The CA to trust for this lab's certificate, when the lab made it ({@link LabTls#madeAtStart});
   * deleted by close().
   */
  public Optional<Path> caFile() {
    return Optional.ofNullable(caFile);
  }

  /** The lab's scratch folder, for tests that prove close() removes it. */
  Path scratch() {
    return scratch;
  }

  /** The device logins waiting on a lab with OIDC on, which a test approves, denies or expires. */
  public DeviceLogins deviceLogins() {
    return deviceLogins;
  }

  /** A snapshot of the counters. */
  public LabStats stats() {
    return new LabStats(
        store.created(),
        handler.requestCounts(),
        store.active(),
        handler.faultCounts(),
        restarts.get(),
        store.createdByQueue(),
        machines.troubleEvents());
  }

  /**
   * Waits until no job is active (waiting or held by a machine). Jobs on a queue no machine serves
   * wait forever, so a lab with such jobs is never idle.
   *
   * @return true when idle, false when the timeout passed first
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    return store.awaitIdle(timeout);
  }

  /** Stops the server, kills running test commands, ends every thread and deletes scratch files. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    synchronized (serverLock) {
      if (server != null) {
        server.stop(0);
      }
    }
    shutdown();
  }

  private void shutdown() {
    if (machines != null) {
      machines.close();
    }
    for (ExecutorService pool : new ExecutorService[] {httpPool, scheduler, commands}) {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    threads.joinAll(JOIN_TIMEOUT);
    try {
      Scratch.deleteTree(scratch);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "tfleet-lab: cannot delete " + scratch, e);
    }
  }

  private static ThreadPoolExecutor pool(int size, ThreadFactory factory) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            size, size, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
    // An idle lab holds no threads.
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** A thread for every task at once; idle threads end after a while. */
  private static ThreadPoolExecutor unboundedPool(ThreadFactory factory) {
    return new ThreadPoolExecutor(
        0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS, new SynchronousQueue<>(), factory);
  }

  /** Names the lab's threads and remembers them, so close() can prove they ended. */
  private static final class Threads {
    private final String prefix;
    private final List<Thread> started = new ArrayList<>();

    Threads(String prefix) {
      this.prefix = prefix;
    }

    ThreadFactory factory(String role) {
      AtomicInteger n = new AtomicInteger();
      return task -> {
        Thread t = new Thread(task, prefix + role + "-" + n.incrementAndGet());
        // A lab someone forgot to close must not keep the JVM alive.
        t.setDaemon(true);
        synchronized (started) {
          started.removeIf(old -> !old.isAlive());
          started.add(t);
        }
        return t;
      };
    }

    void joinAll(Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      List<Thread> all;
      synchronized (started) {
        all = new ArrayList<>(started);
      }
      for (Thread t : all) {
        if (t == Thread.currentThread()) {
          continue;
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        try {
          t.join(Math.max(1, left));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (t.isAlive()) {
          LOG.log(
              System.Logger.Level.WARNING, "tfleet-lab: thread " + t.getName() + " did not end");
        }
      }
    }
  }
}
