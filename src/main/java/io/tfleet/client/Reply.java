package io.tfleet.client;

import java.util.Objects;

/** What one call to the server gave: its answer, or the {@link Problem} that kept it. */
public final class Reply<T> {
  private final T value;
  private final Problem problem;

  private Reply(T value, Problem problem) {
    this.value = value;
    this.problem = problem;
  }

  public static <T> Reply<T> of(T value) {
    return new Reply<>(value, null);
  }

  public static <T> Reply<T> failed(Problem problem) {
    return new Reply<>(null, Objects.requireNonNull(problem, "problem"));
  }

  /** Whether the call gave its answer. */
  public boolean ok() {
    return problem == null;
  }

  /** The answer; only when {@link #ok()}. */
  public T value() {
    if (problem != null) {
      throw new IllegalStateException("no answer: " + problem.message());
    }
    return value;
  }

  /** The problem; only when not {@link #ok()}. */
  public Problem problem() {
    if (problem == null) {
      throw new IllegalStateException("the call was answered");
    }
    return problem;
  }

  /** A call of the API, as {@link TestflingerClient#call} runs it. */
  @FunctionalInterface
  public interface Call<T> {
    T run() throws java.io.IOException, ApiException;
  }
}
