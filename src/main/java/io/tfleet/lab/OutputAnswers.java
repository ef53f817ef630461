package io.tfleet.lab;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
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
    Map<String, Long> unwritten = new LinkedHashMap<>(result.outputs());
    try (JsonGenerator g = generator(out)) {
      g.writeStartObject();
      for (Map.Entry<String, JsonNode> field : result.fields().properties()) {
        String name = field.getKey();
        if (name.endsWith("_status")) {
          String phase = name.substring(0, name.length() - "_status".length());
          Long size = unwritten.remove(phase);
          if (size != null) {
            writeOutput(g, store, phase, size);
          }
        }
        g.writeFieldName(name);
        g.writeTree(field.getValue());
      }
      for (Map.Entry<String, Long> output : unwritten.entrySet()) {
        writeOutput(g, store, output.getKey(), output.getValue());
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
    Map<String, List<OutputStore.Fragment>> byPhase = new LinkedHashMap<>();
    for (OutputStore.Fragment f : matched) {
      byPhase.computeIfAbsent(f.phase(), p -> new ArrayList<>()).add(f);
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
              List<OutputStore.Fragment> fragments = byPhase.getOrDefault(phase, List.of());
              g.writeNumberField(
                  "last_fragment_number",
                  fragments.isEmpty() ? -1 : fragments.get(fragments.size() - 1).number());
              g.writeFieldName("log_data");
              if (fragments.isEmpty()) {
                g.writeString("");
              } else {
                writeString(g, store.bytes(phase, fragments));
              }
              g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
          }
        });
  }

  private static void writeOutput(JsonGenerator g, OutputStore store, String phase, long size)
      throws IOException {
    g.writeFieldName(phase + "_output");
    writeText(g, store, phase, 0, size);
  }

  private static JsonGenerator generator(OutputStream out) throws IOException {
    JsonGenerator g = MAPPER.getFactory().createGenerator(out);
    // The server's stream is the caller's to close, and to flush.
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    g.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
    return g;
  }

  private static void writeText(
      JsonGenerator g, OutputStore store, String phase, long offset, long length)
      throws IOException {
    if (length == 0) {
      g.writeString("");
      return;
    }
    writeString(g, store.bytes(phase, offset, length));
  }

  /**
   * Writes the bytes as the generator's next value, a JSON string, and closes them: the generator
   * writes the separator and the quotes, {@link JsonStringBytes} what is between them.
   */
  private static void writeString(JsonGenerator g, InputStream utf8) throws IOException {
    try (utf8) {
      g.writeRawValue("\"");
      g.flush();
      JsonStringBytes.write(utf8, (OutputStream) g.getOutputTarget());
      g.writeRaw('"');
    }
  }
}
