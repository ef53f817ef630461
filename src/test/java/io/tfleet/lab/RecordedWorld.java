package io.tfleet.lab;

import com.fasterxml.jackson.databind.JsonNode;
import io.tfleet.testing.LabHttp;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A recording of the upstream server and the lab set up like the world it was made in: which job
 * each call's {@code <uuid>} stands for, what the recorder waited for, and the few differences a
 * simulation cannot avoid.
 *
 * @param recording the recording's path under a parent folder of the project
 * @param config the lab, with the recorded world's queues
 * @param chosenIds roles whose ids the client chose (a {@code job_id} in a submission): the replay
 *     makes them up beforehand
 * @param roles which job a call is about: a role, {@code unknown} (an id nobody has) or {@code
 *     none} (no id at all); the recording keeps only placeholders, so this is read from its names
 * @param handsOut calls whose answer names the job the lab handed out for a role
 * @param waits calls the recorder made once a job had come so far: the replay waits for the same
 * @param headers headers the recording leaves out of requests whose names say what they carried
 * @param uploads calls that carry an archive, which the recording does not keep
 * @param allowed the only differences the lab may show; each must still be needed
 * @param before what happened in the recorded world before the recording began
 * @param cancelAfter roles whose jobs would wait forever, cancelled when the replay ends
 */
record RecordedWorld(
    String recording,
    LabConfig config,
    List<String> chosenIds,
    Map<String, String> roles,
    Map<String, String> handsOut,
    Map<String, Wait> waits,
    Map<String, Map<String, String>> headers,
    Set<String> uploads,
    List<Allowed> allowed,
    Consumer<LabHttp> before,
    List<String> cancelAfter) {

  /** A difference the replay tolerates in one exchange, and why. */
  record Allowed(String exchange, Set<String> differences, String reason) {}

  /** Before a call, the replay waits until the role's job's result passes {@code reached}. */
  record Wait(String role, String what, Predicate<JsonNode> reached) {}

  @Override
  public String toString() {
    return recording;
  }
}
