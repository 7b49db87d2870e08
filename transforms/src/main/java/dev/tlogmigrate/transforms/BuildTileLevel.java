package dev.tlogmigrate.transforms;

import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/** Groups the roots of full level-(L-1) tiles by their parent and builds the level-L tiles. */
public class BuildTileLevel
    extends PTransform<PCollection<KV<Long, KV<Integer, byte[]>>>, PCollectionTuple> {
  private final MigrationSpec spec;
  private final int level;

  public BuildTileLevel(MigrationSpec spec, int level) {
    this.spec = spec;
    this.level = level;
  }

  @Override
  public PCollectionTuple expand(PCollection<KV<Long, KV<Integer, byte[]>>> childRoots) {
    return childRoots
        .apply("GroupByParentTile", GroupByKey.create())
        .apply(
            "BuildAndWrite",
            ParDo.of(new BuildTileLevelFn(spec, level))
                .withOutputTags(
                    TreeOutputs.FULL_TILE_ROOTS, TupleTagList.of(TreeOutputs.EDGE_TILES)));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    spec.populateDisplayData(builder);
    builder.add(DisplayData.item("level", level).withLabel("Tile level"));
  }
}
