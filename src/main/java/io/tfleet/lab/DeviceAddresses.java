package io.tfleet.lab;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/**
 * The made-up address of each lab machine's device, as its agent reports it in {@code device_info}
 * and in a reservation's ssh line. Addresses come from 198.18.0.0/15, which RFC 2544 sets aside for
 * benchmarks and no network routes: a made-up address must never reach someone's real host. Each is
 * a hash of the machine's name, so a machine keeps its address from one lab to the next; the rare
 * name that hashes onto a taken address takes the next free one.
 */
final class DeviceAddresses {
  /** 198.18.0.0/15 holds 2^17 addresses. */
  private static final int RANGE = 1 << 17;

  private static final int BASE = (198 << 24) | (18 << 16);

  private final Map<String, String> byName = new HashMap<>(); // guarded by this
  private final Map<Integer, String> taken = new HashMap<>(); // guarded by this

  /** The device address of the machine named {@code name}, the same at every call. */
  synchronized String of(String name) {
    String known = byName.get(name);
    if (known != null) {
      return known;
    }
    int offset = Math.floorMod(hash(name), RANGE);
    while (taken.containsKey(offset) || !usable(offset)) {
      offset = (offset + 1) % RANGE;
    }
    taken.put(offset, name);
    String address = dotted(BASE + offset);
    byName.put(name, address);
    return address;
  }

  /** Leaves out the addresses that end in .0 or .255, which people read as network or broadcast. */
  private static boolean usable(int offset) {
    int last = offset & 0xff;
    return last != 0 && last != 255;
  }

  private static int hash(String name) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return ((digest[0] & 0xff) << 24)
          | ((digest[1] & 0xff) << 16)
          | ((digest[2] & 0xff) << 8)
          | (digest[3] & 0xff);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String dotted(int address) {
    return ((address >>> 24) & 0xff)
        + "."
        + ((address >>> 16) & 0xff)
        + "."
        + ((address >>> 8) & 0xff)
        + "."
        + (address & 0xff);
  }
}
