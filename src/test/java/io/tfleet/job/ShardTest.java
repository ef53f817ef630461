package io.tfleet.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardTest {
  private static final List<MachineId> MACHINES =
      IntStream.rangeClosed(1, 1000)
          .mapToObj(i -> new MachineId("2021" + i + "-" + (i * 7), i))
          .toList();

  @Test
  void shardsCoverEveryMachineExactlyOnce() {
    for (int n : new int[] {1, 2, 3, 7, 16}) {
      List<MachineId> seen = new ArrayList<>();
      for (int k = 1; k <= n; k++) {
        seen.addAll(new Shard(k, n).of(MACHINES));
      }
      assertThat(seen).as("%d shards", n).containsExactlyInAnyOrderElementsOf(MACHINES);
    }
  }

  @Test
  void shardsAreRoughlyEven() {
    for (int k = 1; k <= 4; k++) {
      assertThat(new Shard(k, 4).of(MACHINES).size()).isBetween(180, 320);
    }
  }

  @Test
  void aMachineKeepsItsShardWhenTheFileChanges() {
    List<MachineId> reordered = new ArrayList<>(MACHINES.subList(500, 1000));
    reordered.addAll(MACHINES.subList(0, 500));
    assertThat(new Shard(2, 5).of(reordered))
        .containsExactlyInAnyOrderElementsOf(new Shard(2, 5).of(MACHINES));
  }

  @Test
  void badShardsAreRejected() {
    assertThatThrownBy(() -> Shard.parse("0/3")).hasMessageContaining("1 <= K <= N");
    assertThatThrownBy(() -> Shard.parse("4/3")).hasMessageContaining("1 <= K <= N");
    assertThatThrownBy(() -> Shard.parse("two")).hasMessageContaining("K/N");
    assertThat(Shard.parse("2/3")).isEqualTo(new Shard(2, 3));
  }
}
