package io.tfleet.lab;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answers that carry phase outputs, a result and a log, written field by field as they are
 * sent, each output streamed from its file: a 200 MB output costs a buffer, not several copies.
 */
final class OutputAnswers {
  /** Writes the non-output fields; Jackson's defaults write what upstream writes. */
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private OutputAnswers() {}

  /** {@code GET /v1/result/<id>}: the job as it is now, its outputs to the bytes they have now. */
  static Response result(LabJob job) {
    LabJob.Result result = job.result();
    OutputStore store = job.output();
    return Response.stream(200, Response.JSON, out -> writeResult(out, result, store));
  }

  private static void writeResult(OutputStream out, LabJob.Result result, OutputStore store)
      throws IOException {
    try (JsonGenerator g = generator(out)) {
      g.writeStartObject();
      for (Map.Entry<String, JsonNode> field : result.fields().properties()) {
        String name = field.getKey();
        if (name.endsWith("_status")) {
          String phase = name.substring(0, name.length() - "_status".length());
          Long size = result.outputs().get(phase);
          if (size != null) {
            g.writeFieldName(phase + "_output");
            writeText(g, store, phase, 0, size);
          }
        }
        g.writeFieldName(name);
        g.writeTree(field.getValue());
      }
      g.writeEndObject();
    }
  }

  /**
   * {@code GET /v1/result/<id>/log/<type>}: for each phase asked for, the text of the fragments
   * that matched and the number of the last one; a phase with none has -1 and "", as upstream.
   */
  static Response log(
      String type, List<String> phases, List<OutputStore.Fragment> matched, OutputStore store) {
    Map<String, OutputStore.Fragment> first = new LinkedHashMap<>();
    Map<String, OutputStore.Fragment> last = new LinkedHashMap<>();
    for (OutputStore.Fragment f : matched) {
      first.putIfAbsent(f.phase(), f);
      last.put(f.phase(), f);
    }
    return Response.stream(
        200,
        Response.JSON,
        out -> {
          try (JsonGenerator g = generator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart(type);
            for (String phase : phases) {
              g.writeObjectFieldStart(phase);
              OutputStore.Fragment from = first.get(phase);
              OutputStore.Fragment to = last.get(phase);
              g.writeNumberField("last_fragment_number", to == null ? -1 : to.number());
              g.writeFieldName("log_data");
              if (to == null) {
                g.writeString("");
              } else {
                // A phase's fragments tile its file, so the matched ones are one range of it.
                writeText(g, store, phase, from.offset(), to.end() - from.offset());
              }
              g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
          }
        });
  }

  private static JsonGenerator generator(OutputStream out) throws IOException {
    JsonGenerator g = MAPPER.getFactory().createGenerator(out);
    // The server's stream is the caller's to close.
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    return g;
  }

  private static void writeText(
      JsonGenerator g, OutputStore store, String phase, long offset, long length)
      throws IOException {
    if (length == 0) {
      g.writeString("");
      return;
    }
    try (Reader text = store.reader(phase, offset, length)) {
      g.writeString(text, -1);
    }
  }
}
