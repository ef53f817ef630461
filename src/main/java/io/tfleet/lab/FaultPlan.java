package io.tfleet.lab;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Decides which requests the lab fails, and how.
 *
 * <p>Routes are keyed as in {@link LabStats#requests()}: {@code "POST /v1/job"}, {@code "GET
 * /v1/result/{id}"}, {@code "POST /v1/job/{id}/attachments"}, {@code "GET /v1/job/search"}, ...
 * Plans are called concurrently from the lab's HTTP threads, so they must be stateless or
 * thread-safe; every factory here returns an immutable value.
 */
@FunctionalInterface
public interface FaultPlan {

  /**
   * Returns the fault to inject into a request, or empty to answer it normally.
   *
   * @param route the route key, e.g. {@code "POST /v1/job"}
   * @param count how many requests this route has seen, this one included (1-based)
   */
  Optional<Fault> faultFor(String route, long count);

  /** Never injects a fault. */
  static FaultPlan none() {
    return FaultPlans.None.INSTANCE;
  }

  /**
   * Fails each request with probability {@code rate}, with one of {@code kinds}. Requests that
   * change state (POST a job, attachments or an action) fail before or after the lab handles them,
   * half and half. Token calls ({@code POST /v1/oauth2/...}) are never failed.
   *
   * <p>The choice depends only on the seed, the route and the request's count on that route, so the
   * same seed and the same requests per route give the same faults, however requests to different
   * routes interleave.
   *
   * @param rate 0 (never) to 1 (every request)
   * @param kinds the faults to pick from; their own timing is ignored
   */
  static FaultPlan random(double rate, Collection<? extends Fault> kinds, long seed) {
    return new FaultPlans.Random(rate, List.copyOf(kinds), seed);
  }

  /** Fails the first {@code n} requests of {@code route} with {@code fault}; later ones work. */
  static FaultPlan firstN(String route, int n, Fault fault) {
    return new FaultPlans.FirstN(route, n, fault);
  }

  /** Fails every request of {@code route} with {@code fault}, e.g. a search that answers 404. */
  static FaultPlan always(String route, Fault fault) {
    return new FaultPlans.FirstN(route, Integer.MAX_VALUE, fault);
  }

  /** Asks each plan in turn; the first that injects a fault wins. */
  static FaultPlan firstOf(FaultPlan... plans) {
    return new FaultPlans.FirstOf(List.copyOf(Arrays.asList(plans)));
  }

  /** This plan, and where it injects nothing, {@code other}. */
  default FaultPlan orElse(FaultPlan other) {
    return firstOf(this, other);
  }

  /**
   * This plan on the given routes only; requests to other routes are answered normally. Counts stay
   * per route, so on its routes the plan decides as it would alone.
   *
   * @param routes route keys as {@link #routeKeys()} lists them, e.g. {@code "GET
   *     /v1/result/{id}/artifact"}; spaces around and between method and path do not matter
   * @throws IllegalArgumentException naming a route the lab does not serve
   */
  default FaultPlan onRoutes(Collection<String> routes) {
    return new FaultPlans.OnRoutes(this, FaultPlans.routeSet(routes));
  }

  /** The keys of the routes a plan can fail, in the order the lab matches them. */
  static List<String> routeKeys() {
    return Routes.keys();
  }

  /** True for routes whose requests change the lab's state, where a fault's timing matters. */
  static boolean changesState(String route) {
    return route.startsWith("POST ") && !FaultPlans.isTokenRoute(route);
  }
}
