package io.tfleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tfleet.client.BadAnswerException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Reads one JSON object from a UTF-8 byte stream in bounded memory: the top-level string values of
 * the fields it is told to stream go to a {@link ResultSink} as they arrive, and the rest becomes a
 * tree.
 *
 * <p>Jackson's parser holds each string token whole, so a job's test output of hundreds of
 * megabytes would be held whole, once per machine being read; this reader holds one 64 K-character
 * buffer, a 64 K-byte read buffer and a small write buffer, whatever the size of the streamed
 * values, which go to the sink as UTF-8 without becoming characters on the way where they are
 * well-formed. What it keeps in the tree is limited instead: {@link #MAX_TREE_STRING_CHARS}, {@link
 * #MAX_DEPTH} and {@link #MAX_KEPT_CHARS}.
 */
public final class StreamingJson {
  /** The longest string kept in the tree, field names included. */
  public static final int MAX_TREE_STRING_CHARS = 1_000_000;

  /** The deepest nesting kept: the top-level object is level 1. */
  public static final int MAX_DEPTH = 64;

  /**
   * The most JSON text the tree is built from: everything but the streamed values' contents. A
   * result object without its outputs is a few kilobytes; this keeps a broken or hostile answer
   * from filling the heap with nodes.
   */
  public static final long MAX_KEPT_CHARS = 8_000_000;

  /** The fields whose values are a job's outputs: {@code *_output} and {@code log_data}. */
  public static final Predicate<String> OUTPUT_FIELDS =
      field -> field.endsWith("_output") || field.equals("log_data");

  /** As Jackson's default limit: longer is no number a server sends on purpose. */
  private static final int MAX_NUMBER_CHARS = 1000;

  private final JsonChars in;
  private final ResultSink sink;
  private final Predicate<String> streamed;

  /** Characters of streamed values so far, which do not count against {@link #MAX_KEPT_CHARS}. */
  private long streamedChars;

  private StreamingJson(JsonChars in, ResultSink sink, Predicate<String> streamed) {
    this.in = in;
    this.sink = sink;
    this.streamed = streamed;
  }

  /** As {@link #readObject(InputStream, ResultSink, Predicate, OutputStream)}, without a copy. */
  public static ObjectNode readObject(InputStream body, ResultSink sink, Predicate<String> streamed)
      throws IOException {
    return readObject(body, sink, streamed, OutputStream.nullOutputStream());
  }

  /**
   * Reads the one JSON object of {@code body} to its end. Each top-level field whose name {@code
   * streamed} accepts and whose value is a string has that value written to {@code sink.open(name)}
   * and is left out of the returned tree; every other value, {@code null} for such a field
   * included, is in the tree as Jackson would have read it. Every byte read is also written to
   * {@code rawCopy}, so the body can be kept exactly as the server sent it. The body is not closed.
   *
   * @throws BadAnswerException when the body is not JSON, ends early, is not an object, or has a
   *     value over the limits; other {@code IOException}s come from reading the body or from the
   *     sink
   */
  public static ObjectNode readObject(
      InputStream body, ResultSink sink, Predicate<String> streamed, OutputStream rawCopy)
      throws IOException {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(streamed, "streamed");
    Objects.requireNonNull(rawCopy, "rawCopy");
    return new StreamingJson(new JsonChars(body, rawCopy), sink, streamed).document();
  }

  private ObjectNode document() throws IOException {
    int c = in.read();
    if (c == JsonChars.BYTE_ORDER_MARK) {
      c = in.read();
    }
    c = in.skipSpace(c);
    if (c != '{') {
      throw notAnObject(c);
    }
    ObjectNode result = topObject();
    if (in.nextToken() != -1) {
      throw goesOn();
    }
    return result;
  }

  private ObjectNode topObject() throws IOException {
    ObjectNode object = JsonNodeFactory.instance.objectNode();
    int c = in.nextToken();
    if (c == '}') {
      return object;
    }
    while (true) {
      if (c != '"') {
        throw unexpected(c, "a field name");
      }
      String name = treeString(null);
      int v = afterColon();
      if (v == '"' && streamed.test(name)) {
        streamString(name);
      } else {
        object.set(name, value(v, 2, name));
      }
      checkKept();
      c = in.nextToken();
      if (c == ',') {
        c = in.nextToken();
      } else if (c == '}') {
        return object;
      } else {
        throw unexpected(c, "',' or '}'");
      }
    }
  }

  /** A value kept in the tree, whose first character {@code c} was taken. */
  private JsonNode value(int c, int depth, String field) throws IOException {
    switch (c) {
      case '{':
        return object(depth, field);
      case '[':
        return array(depth, field);
      case '"':
        return TextNode.valueOf(treeString(field));
      case 't':
        literal("rue");
        return BooleanNode.TRUE;
      case 'f':
        literal("alse");
        return BooleanNode.FALSE;
      case 'n':
        literal("ull");
        return NullNode.instance;
      default:
        if (c == '-' || isDigit(c)) {
          return number(c, field);
        }
        throw unexpected(c, "a value");
    }
  }

  private ObjectNode object(int depth, String field) throws IOException {
    checkDepth(depth);
    ObjectNode object = JsonNodeFactory.instance.objectNode();
    int c = in.nextToken();
    if (c == '}') {
      return object;
    }
    while (true) {
      if (c != '"') {
        throw unexpected(c, "a field name");
      }
      String name = treeString(field);
      object.set(name, value(afterColon(), depth + 1, field));
      checkKept();
      c = in.nextToken();
      if (c == ',') {
        c = in.nextToken();
      } else if (c == '}') {
        return object;
      } else {
        throw unexpected(c, "',' or '}'");
      }
    }
  }

  private ArrayNode array(int depth, String field) throws IOException {
    checkDepth(depth);
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    int c = in.nextToken();
    if (c == ']') {
      return array;
    }
    while (true) {
      array.add(value(c, depth + 1, field));
      checkKept();
      c = in.nextToken();
      if (c == ',') {
        c = in.nextToken();
      } else if (c == ']') {
        return array;
      } else {
        throw unexpected(c, "',' or ']'");
      }
    }
  }

  private int afterColon() throws IOException {
    int c = in.nextToken();
    if (c != ':') {
      throw unexpected(c, "':'");
    }
    return in.nextToken();
  }

  private void literal(String rest) throws IOException {
    for (int i = 0; i < rest.length(); i++) {
      int c = in.read();
      if (c != rest.charAt(i)) {
        throw unexpected(c, "'" + rest.charAt(i) + "'");
      }
    }
  }

  /** A number, whose first character {@code first} was taken, as the node Jackson would make. */
  private JsonNode number(int first, String field) throws IOException {
    StringBuilder text = new StringBuilder().append((char) first);
    int c = first;
    if (c == '-') {
      c = digit(text);
    }
    if (c != '0') {
      digits(text, field);
    }
    boolean integral = true;
    if (in.peek() == '.') {
      text.append((char) in.read());
      integral = false;
      digit(text);
      digits(text, field);
    }
    int e = in.peek();
    if (e == 'e' || e == 'E') {
      text.append((char) in.read());
      integral = false;
      int sign = in.peek();
      if (sign == '+' || sign == '-') {
        text.append((char) in.read());
      }
      digit(text);
      digits(text, field);
    }
    String number = text.toString();
    if (!integral) {
      return DoubleNode.valueOf(Double.parseDouble(number));
    }
    if (number.length() <= 18) {
      long value = Long.parseLong(number);
      return value == (int) value ? IntNode.valueOf((int) value) : LongNode.valueOf(value);
    }
    BigInteger value = new BigInteger(number);
    return value.bitLength() < Long.SIZE
        ? LongNode.valueOf(value.longValue())
        : BigIntegerNode.valueOf(value);
  }

  /** Takes the one digit that must come next. */
  private int digit(StringBuilder text) throws IOException {
    int c = in.read();
    if (!isDigit(c)) {
      throw unexpected(c, "a digit");
    }
    text.append((char) c);
    return c;
  }

  private void digits(StringBuilder text, String field) throws IOException {
    while (isDigit(in.peek())) {
      text.append((char) in.read());
      if (text.length() > MAX_NUMBER_CHARS) {
        throw BadAnswerException.wrongShape(
            "has a number of over " + MAX_NUMBER_CHARS + " digits" + in(field));
      }
    }
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  /** A string whose opening quote was taken, kept whole within the tree's limit. */
  private String treeString(String field) throws IOException {
    StringBuilder text = new StringBuilder();
    in.readString(
        new JsonChars.Text() {
          @Override
          public void put(char[] b, int off, int len) throws IOException {
            room(len);
            text.append(b, off, len);
          }

          @Override
          public void put(char c) throws IOException {
            room(1);
            text.append(c);
          }

          private void room(int len) throws IOException {
            if (text.length() + len > MAX_TREE_STRING_CHARS) {
              throw BadAnswerException.wrongShape(
                  "has a string of over " + MAX_TREE_STRING_CHARS + " characters" + in(field));
            }
          }
        });
    return text.toString();
  }

  /** A string whose opening quote was taken, written to the sink as it is read. */
  private void streamString(String field) throws IOException {
    long from = in.offset();
    OutputStream stream = sink.open(field);
    Objects.requireNonNull(stream, "the sink gave no stream for " + field);
    StreamedValue value = new StreamedValue(stream);
    try {
      in.readStringAsUtf8(value);
      value.finish();
    } catch (IOException | RuntimeException e) {
      // What came before the failure still goes to the sink, unless it is the sink that failed.
      try (stream) {
        if (!value.broken) {
          value.finish();
        }
      } catch (IOException | RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    stream.close();
    streamedChars += in.offset() - from;
  }

  private void checkDepth(int depth) throws BadAnswerException {
    if (depth > MAX_DEPTH) {
      throw BadAnswerException.wrongShape("nests its JSON deeper than " + MAX_DEPTH + " levels");
    }
  }

  private void checkKept() throws BadAnswerException {
    if (in.offset() - streamedChars > MAX_KEPT_CHARS) {
      throw BadAnswerException.wrongShape(
          "has over "
              + MAX_KEPT_CHARS
              + " characters of JSON besides its outputs, too much to keep");
    }
  }

  /**
   * Why a body that does not begin with an object is refused: well-formed JSON of another shape (an
   * array, a number) is the wrong shape; anything else, the usual HTML page, is not JSON.
   */
  private BadAnswerException notAnObject(int c) throws IOException {
    if (c == -1) {
      return BadAnswerException.empty();
    }
    JsonNode value;
    try {
      value = value(c, 1, null);
    } catch (BadAnswerException e) {
      return e.kind() == Kind.WRONG_SHAPE ? e : notJson();
    }
    if (in.nextToken() != -1) {
      return notJson();
    }
    return BadAnswerException.wrongShape(
        "is JSON but not a result object (it is " + shapeOf(value) + ")");
  }

  private static String shapeOf(JsonNode value) {
    if (value.isArray()) {
      return "an array";
    }
    if (value.isTextual()) {
      return "a string";
    }
    if (value.isNumber()) {
      return "a number";
    }
    return value.toString();
  }

  private BadAnswerException notJson() {
    return BadAnswerException.notJson(in.start());
  }

  private BadAnswerException goesOn() {
    return BadAnswerException.goesOn(in.fromLast());
  }

  private BadAnswerException unexpected(int c, String wanted) {
    return BadAnswerException.unexpected(c, wanted, in.offset());
  }

  private static String in(String field) {
    return field == null ? "" : " in \"" + BadAnswerException.quote(field) + "\"";
  }
}
