package io.tfleet.job;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Shard {@code k} of {@code n}: the machines whose id hashes to it. The hash depends on the id
 * alone, so a machine stays in its shard when the file is reordered or grows.
 */
public record Shard(int k, int n) {
  public Shard {
    if (n < 1 || k < 1 || k > n) {
      throw new IllegalArgumentException("shard must be K/N with 1 <= K <= N, not " + k + "/" + n);
    }
  }

  /** Parses {@code K/N}. */
  public static Shard parse(String text) {
    String[] parts = text.strip().split("/", -1);
    if (parts.length != 2 || !parts[0].matches("\\d{1,6}") || !parts[1].matches("\\d{1,6}")) {
      throw new IllegalArgumentException("shard must be K/N, such as 2/4, not '" + text + "'");
    }
    return new Shard(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
  }

  public boolean includes(MachineId machine) {
    CRC32 crc = new CRC32();
    crc.update(machine.value().getBytes(StandardCharsets.UTF_8));
    return crc.getValue() % n == k - 1;
  }

  /** The machines of this shard, in file order. */
  public List<MachineId> of(List<MachineId> machines) {
    return machines.stream().filter(this::includes).toList();
  }

  @Override
  public String toString() {
    return k + "/" + n;
  }
}
