package io.tfleet.lab;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/** The plans {@link FaultPlan}'s factories return: immutable values, equal when built alike. */
final class FaultPlans {
  private FaultPlans() {}

  static boolean isTokenRoute(String route) {
    return route.startsWith("POST /v1/oauth2/");
  }

  enum None implements FaultPlan {
    INSTANCE;

    @Override
    public Optional<Fault> faultFor(String route, long count) {
      return Optional.empty();
    }

    @Override
    public String toString() {
      return "none";
    }
  }

  record Random(double rate, List<Fault> kinds, long seed) implements FaultPlan {
    Random {
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException("fault rate must be between 0 and 1, not " + rate);
      }
      if (rate > 0 && kinds.isEmpty()) {
        throw new IllegalArgumentException("no fault kinds to pick from");
      }
      // Sorted, because a Set's order may change from one JVM to the next and the seed must not.
      List<Fault> sorted = new ArrayList<>();
      for (Fault kind : kinds) {
        Fault before = Objects.requireNonNull(kind, "fault kind").beforeHandling();
        if (!sorted.contains(before)) {
          sorted.add(before);
        }
      }
      sorted.sort(Comparator.comparing(Fault::kind).thenComparing(Fault::toString));
      kinds = List.copyOf(sorted);
    }

    @Override
    public Optional<Fault> faultFor(String route, long count) {
      if (rate == 0 || isTokenRoute(route)) {
        return Optional.empty();
      }
      // One generator per request, so concurrent requests on other routes cannot shift the draws.
      long h = new SplittableRandom(seed).nextLong() ^ route.hashCode();
      h = new SplittableRandom(h).nextLong() ^ count;
      SplittableRandom draw = new SplittableRandom(h);
      if (draw.nextDouble() >= rate) {
        return Optional.empty();
      }
      Fault fault = kinds.get(draw.nextInt(kinds.size()));
      boolean after = FaultPlan.changesState(route) && draw.nextBoolean();
      return Optional.of(after ? fault.onceHandled() : fault);
    }
  }

  record FirstN(String route, int n, Fault fault) implements FaultPlan {
    FirstN {
      Objects.requireNonNull(route, "route");
      Objects.requireNonNull(fault, "fault");
      if (n < 0) {
        throw new IllegalArgumentException("n < 0");
      }
    }

    @Override
    public Optional<Fault> faultFor(String route, long count) {
      return this.route.equals(route) && count <= n ? Optional.of(fault) : Optional.empty();
    }
  }

  record FirstOf(List<FaultPlan> plans) implements FaultPlan {
    FirstOf {
      plans = List.copyOf(plans);
    }

    @Override
    public Optional<Fault> faultFor(String route, long count) {
      for (FaultPlan plan : plans) {
        Optional<Fault> fault = plan.faultFor(route, count);
        if (fault.isPresent()) {
          return fault;
        }
      }
      return Optional.empty();
    }
  }

  /** The plan on some routes; the others pass. */
  record OnRoutes(FaultPlan plan, Set<String> routes) implements FaultPlan {
    OnRoutes {
      Objects.requireNonNull(plan, "plan");
      routes = Set.copyOf(routes);
    }

    @Override
    public Optional<Fault> faultFor(String route, long count) {
      return routes.contains(route) ? plan.faultFor(route, count) : Optional.empty();
    }
  }

  /** The routes, each checked against the lab's table and written as the table writes it. */
  static Set<String> routeSet(Collection<String> routes) {
    List<String> known = Routes.keys();
    Set<String> set = new LinkedHashSet<>();
    for (String route : routes) {
      String key = normalise(Objects.requireNonNull(route, "route"));
      if (!known.contains(key)) {
        throw new IllegalArgumentException(
            "unknown route '" + route.strip() + "'; the routes are: " + String.join(", ", known));
      }
      set.add(key);
    }
    if (set.isEmpty()) {
      throw new IllegalArgumentException("no routes given");
    }
    return set;
  }

  private static String normalise(String route) {
    String[] words = route.strip().split("\\s+", 2);
    return words.length < 2
        ? route.strip()
        : words[0].toUpperCase(Locale.ROOT) + " " + words[1].strip();
  }
}
