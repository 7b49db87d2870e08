package dev.tlogmigrate.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tlogmigrate.transforms.BuildTileLevel;
import dev.tlogmigrate.transforms.CopyIssuers;
import dev.tlogmigrate.transforms.MigrateBundles;
import dev.tlogmigrate.transforms.MigrationSpec;
import dev.tlogmigrate.transforms.format.LogFormat;
import dev.tlogmigrate.transforms.format.Tiles;
import dev.tlogmigrate.transforms.format.TreeEdge;
import dev.tlogmigrate.transforms.location.LogLocation;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a job's transforms show of the run: source, destination, format, sizes, level. */
class DisplayDataTest {
  @TempDir Path destination;

  @Test
  void everyTransformShowsTheRun() {
    MigrationSpec spec =
        MigrationSpec.create(
            LogLocation.of("http://127.0.0.1:8080/log"),
            LogLocation.of(destination.toString()),
            LogFormat.STATIC_CT,
            70_000,
            new byte[32],
            new byte[0],
            TreeEdge.of(256, level -> level == 1 ? new byte[Tiles.HASH_SIZE] : null));
    Map<String, String> run =
        Map.of(
            "source", "http://127.0.0.1:8080/log/",
            "destination", destination.toString(),
            "format", "static-ct",
            "startSize", "256",
            "treeSize", "70000");

    assertEquals(run, items(new MigrateLog(spec)));
    assertEquals(run, items(new MigrateBundles(spec)));
    assertEquals(run, items(new CopyIssuers(spec)));
    Map<String, String> level = new TreeMap<>(run);
    level.put("level", "2");
    assertEquals(level, items(new BuildTileLevel(spec, 2)));
  }

  private static Map<String, String> items(PTransform<?, ?> transform) {
    Map<String, String> items = new TreeMap<>();
    for (DisplayData.Item item : DisplayData.from(transform).items()) {
      items.put(item.getKey(), String.valueOf(item.getValue()));
    }
    return items;
  }
}
