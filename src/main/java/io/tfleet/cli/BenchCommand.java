package io.tfleet.cli;

import io.tfleet.client.ApiException;
import io.tfleet.client.TestflingerClient;
import io.tfleet.fleet.Availability;
import io.tfleet.fleet.Fleet;
import io.tfleet.fleet.FleetAbortedException;
import io.tfleet.fleet.FleetEvents;
import io.tfleet.fleet.FleetSettings;
import io.tfleet.fleet.FleetState;
import io.tfleet.fleet.Outcome;
import io.tfleet.job.InputException;
import io.tfleet.job.MachineId;
import io.tfleet.job.RenderedJob;
import io.tfleet.job.Template;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.lab.MachineSetup;
import io.tfleet.lab.Trouble;
import io.tfleet.report.Verdict;
import io.tfleet.store.Folders;
import io.tfleet.store.OutputTree;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Measures a whole fleet against an in-process lab whose jobs take no time. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Measures a whole fleet against an in-process lab, once per latency.",
      "A fleet of N machines (preflight, submit, monitor) with zero-length phases: the times, the"
          + " HTTP requests by kind and the peak heap; then a fleet one machine at a time with the"
          + " requests the original script's testflinger calls send (minus their process starts),"
          + " for the ratio."
    })
public final class BenchCommand implements Callable<Integer> {
  private static final String TEMPLATE =
      "job_queue: $CANONICAL_ID\nprovision_data:\n  distro: noble\ntest_data:\n  test_cmds: hwctl\n";

  private final Context context;

  BenchCommand(Context context) {
    this.context = context;
  }

  @Option(
      names = "--machines",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Fleet size (default: ${DEFAULT-VALUE}).")
  int machines;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "" + FleetSettings.DEFAULT_CONCURRENCY,
      description = "Requests in flight (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--poll-interval",
      paramLabel = "SECONDS",
      defaultValue = "0.2",
      description = "Longest pause between rounds (default: ${DEFAULT-VALUE}).")
  double pollInterval;

  @Option(
      names = "--sequential-machines",
      paramLabel = "N",
      description =
          "Fleet size for the one-at-a-time comparison, which takes about 0.2 s a machine at 50 ms;"
              + " 0 skips it (default: the same fleet).")
  Integer sequentialMachines;

  @Option(
      names = "--latency",
      paramLabel = "MS",
      split = ",",
      defaultValue = "0,50",
      description =
          "The lab's latency per request, in milliseconds; one measurement each (default: ${DEFAULT-VALUE}).")
  List<Double> latencies;

  @Option(
      names = "--output-size",
      paramLabel = "SIZE",
      defaultValue = "0",
      description =
          "Every machine's test prints SIZE bytes (K, M, G: powers of 1024), to measure big"
              + " outputs; the peak heap is tfleet's and the lab's together (default:"
              + " ${DEFAULT-VALUE}).")
  String outputSize;

  /** What one run measured. */
  record Measure(
      String mode,
      int machines,
      Duration submit,
      Duration total,
      Map<String, Long> requests,
      long peakHeapBytes,
      long passed,
      int archivesPacked) {
    long requestCount() {
      return requests.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * The trees the measurements wrote, deleted when all are done: on some file systems (ext4 without
   * a journal) files made soon after many were deleted take longer to create, so deleting one
   * measurement's files before the next would slow the next.
   */
  private final List<Path> made = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    try {
      return measureAll();
    } finally {
      for (Path dir : made) {
        Folders.deleteTree(dir);
      }
    }
  }

  private int measureAll() throws Exception {
    int sequential = sequentialMachines == null ? machines : sequentialMachines;
    if (machines < 1 || sequential < 0) {
      throw new InputException(
          "--machines must be at least 1 and --sequential-machines at least 0");
    }
    if (latencies.stream().anyMatch(l -> !(l >= 0) || l.isInfinite())) {
      throw new InputException("--latency values must be numbers >= 0");
    }
    Duration ceiling = Duration.ofMillis(Math.max(1, Math.round(pollInterval * 1000)));
    outputBytes = bytes(outputSize);
    PrintStream out = context.out();
    out.printf(
        "tfleet bench: %d machines, concurrency %d, max heap %d MiB, %d cores%n",
        machines,
        concurrency,
        Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors());
    List<Measure> measures = new ArrayList<>();
    for (double latencyMillis : latencies) {
      Duration latency = Duration.ofNanos(Math.round(latencyMillis * 1_000_000));
      out.printf("%n== latency %s ms ==%n", fmt(latencyMillis));
      FleetSettings settings = FleetSettings.defaults().withConcurrency(concurrency);
      Measure fast =
          measure(
              "tfleet",
              machines,
              latency,
              (client, jobs, tree) -> fleet(client, jobs, tree, settings, ceiling));
      print(fast, out);
      measures.add(fast);
      if (sequential > 0) {
        if (!latency.isZero()) {
          out.printf(
              "%n(one at a time next: about %.0f s for %d machines; --sequential-machines N for"
                  + " fewer)%n",
              sequential * 4 * latencyMillis / 1000, sequential);
        }
        Measure slow =
            measure(
                "one at a time, as the original",
                sequential,
                latency,
                (client, jobs, tree) -> {
                  OneAtATime.Pass pass = OneAtATime.run(client, jobs, tree.root(), ceiling);
                  return new Timing(pass.submit(), pass.total(), pass.passed(), 0);
                });
        print(slow, out);
        measures.add(slow);
        out.printf(
            "%nratio at %s ms, per machine: one at a time takes %.1fx as long to submit, %.1fx as"
                + " long to have every result%n",
            fmt(latencyMillis),
            perMachine(slow.submit(), slow) / perMachine(fast.submit(), fast),
            perMachine(slow.total(), slow) / perMachine(fast.total(), fast));
      }
    }
    boolean allPassed = measures.stream().allMatch(m -> m.passed() == m.machines());
    return allPassed ? ExitCodes.OK : ExitCodes.FAILURES;
  }

  /** What every machine's test prints, in bytes; 0 for the lab's own short line. */
  private long outputBytes;

  private static long bytes(String size) throws InputException {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\d{1,12})([KMG]?)").matcher(size.strip());
    if (!m.matches()) {
      throw new InputException("--output-size takes a size such as 32M, not '" + size + "'");
    }
    int shift =
        switch (m.group(2)) {
          case "K" -> 10;
          case "M" -> 20;
          case "G" -> 30;
          default -> 0;
        };
    return Long.parseLong(m.group(1)) << shift;
  }

  private static double perMachine(Duration d, Measure m) {
    return seconds(d) / m.machines();
  }

  private static String fmt(double millis) {
    return millis == Math.rint(millis) ? Long.toString((long) millis) : Double.toString(millis);
  }

  /** What one way through the fleet took, before the counters are read. */
  record Timing(Duration submit, Duration total, long passed, int archivesPacked) {}

  /** One way through the fleet, against the lab's URL. */
  interface Way {
    Timing run(TestflingerClient client, List<RenderedJob> jobs, OutputTree tree)
        throws IOException,
            ApiException,
            InputException,
            FleetAbortedException,
            InterruptedException;
  }

  /** Runs {@code way} through a fleet of {@code n} machines against a new lab, and counts. */
  private Measure measure(String mode, int n, Duration latency, Way way)
      throws IOException,
          ApiException,
          InputException,
          FleetAbortedException,
          InterruptedException {
    Path dir = Files.createTempDirectory("tfleet-bench-");
    made.add(dir);
    Path templateFile = Files.writeString(dir.resolve("tf-job.yaml"), TEMPLATE);
    Template template = Template.read(templateFile, dir);
    List<RenderedJob> jobs = new ArrayList<>(n);
    Set<String> queues = new HashSet<>();
    for (int i = 1; i <= n; i++) {
      RenderedJob job = template.render(new MachineId(String.format("bench-%05d", i), i));
      jobs.add(job);
      queues.add(job.queue());
    }
    OutputTree tree = OutputTree.open(dir.resolve("out"), /* create= */ true);
    // Every queue has its machine from the start, as on a real server, so preflight sees them.
    LabConfig config =
        LabConfig.defaults()
            .withSimulate(true)
            .withPhaseTime(Duration.ZERO)
            .withQueues(queues)
            .withMaxCommands(0)
            .withLatency(latency, Duration.ZERO);
    if (outputBytes > 0) {
      Map<String, MachineSetup> setups = new java.util.HashMap<>();
      queues.forEach(q -> setups.put(q, MachineSetup.plain().withTestOutput(outputBytes)));
      config = config.withTrouble(Trouble.none().withMachines(setups));
    }
    try (Lab lab = Lab.start(config)) {
      TestflingerClient client = new TestflingerClient(lab.url(), Duration.ofSeconds(60));
      System.gc();
      resetPeakHeap();
      Timing timing = way.run(client, jobs, tree);
      return new Measure(
          mode,
          n,
          timing.submit(),
          timing.total(),
          client.requestCounts(),
          peakHeap(),
          timing.passed(),
          timing.archivesPacked());
    }
  }

  /** tfleet's way: preflight, then submit and monitor, {@code concurrency} requests at a time. */
  private static Timing fleet(
      TestflingerClient client,
      List<RenderedJob> jobs,
      OutputTree tree,
      FleetSettings settings,
      Duration ceiling)
      throws IOException, InputException, FleetAbortedException, InterruptedException {
    long start = System.nanoTime();
    try (Fleet fleet = new Fleet(client, FleetState.load(tree, jobs), FleetEvents.NONE, settings)) {
      fleet.submit(Availability.CHECK, ceiling);
      Duration submit = Duration.ofNanos(System.nanoTime() - start);
      List<Outcome> outcomes = fleet.monitor(ceiling);
      Duration total = Duration.ofNanos(System.nanoTime() - start);
      long passed = outcomes.stream().filter(o -> o.verdict() == Verdict.PASSED).count();
      return new Timing(submit, total, passed, fleet.archivesPacked());
    }
  }

  private static void print(Measure m, PrintStream out) {
    out.println();
    out.printf("%s, %d machines%n", m.mode(), m.machines());
    out.printf(
        "  checked and submitted   %8.2f s  (%.0f jobs/s)%n",
        seconds(m.submit()), m.machines() / seconds(m.submit()));
    out.printf("  all results on disk in  %8.2f s%n", seconds(m.total()));
    out.printf("  passed                  %8d%n", m.passed());
    out.printf(
        "  HTTP requests           %8d  (%.2f per job)%n",
        m.requestCount(), m.requestCount() / (double) m.machines());
    m.requests().forEach((kind, count) -> out.printf("    %-28s %8d%n", kind, count));
    out.printf("  peak heap               %8.1f MiB%n", m.peakHeapBytes() / 1048576.0);
  }

  private static double seconds(Duration d) {
    return Math.max(d.toNanos(), 1) / 1e9;
  }

  private static void resetPeakHeap() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** The sum of the heap pools' peaks: an upper bound of the heap in use at any one moment. */
  private static long peakHeap() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }
}
