package io.tfleet.report;

/**
 * How often a machine's test passed over its attempts: {@code 97/100}. Only attempts whose test ran
 * to a verdict count: lab trouble, a stop asked for by the user and an attempt still going say
 * nothing about the test, so they are left out of both numbers.
 *
 * @param passed the attempts that passed
 * @param tested the attempts that passed or whose test failed
 */
public record PassRate(int passed, int tested) {
  public PassRate {
    if (passed < 0 || tested < passed) {
      throw new IllegalArgumentException("pass rate " + passed + "/" + tested);
    }
  }

  /** {@code 97/100}. */
  public String label() {
    return passed + "/" + tested;
  }

  /** Whether any attempt counted: a rate of nothing compares with nothing. */
  public boolean known() {
    return tested > 0;
  }

  /** The rate from 0 to 1, or NaN when no attempt counted. */
  public double fraction() {
    return tested == 0 ? Double.NaN : passed / (double) tested;
  }

  /** Whether both rates are known and this one is lower than {@code other}. */
  public boolean below(PassRate other) {
    // Cross-multiplied, so that 2/3 and 4/6 are equal and no rounding decides a regression.
    return known() && other.known() && (long) passed * other.tested < (long) other.passed * tested;
  }
}
