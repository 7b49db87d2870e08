package dev.tlogmigrate.launcher.gcp;

import com.google.api.services.dataflow.model.DataflowPackage;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.runners.dataflow.util.PackageUtil.StagedFile;
import org.apache.beam.runners.dataflow.util.Stager;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A Dataflow {@link Stager} that uploads nothing ({@code --stagerClass}): it names where each file
 * would be staged and keeps the bytes it was asked to stage in memory, so that a job can be
 * translated offline. The real one (GcsStager) uploads to {@code --stagingLocation}.
 */
public final class OfflineStager implements Stager {
  /** The last pipeline proto (or other bytes) staged in this JVM, by file name. */
  public static final java.util.Map<String, byte[]> STAGED_BYTES =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final String stagingLocation;

  private OfflineStager(String stagingLocation) {
    this.stagingLocation = stagingLocation.endsWith("/") ? stagingLocation : stagingLocation + "/";
  }

  public static OfflineStager fromOptions(PipelineOptions options) {
    return new OfflineStager(options.as(DataflowPipelineOptions.class).getStagingLocation());
  }

  @Override
  public List<DataflowPackage> stageFiles(List<StagedFile> filesToStage) {
    List<DataflowPackage> packages = new ArrayList<>();
    for (StagedFile f : filesToStage) {
      packages.add(
          new DataflowPackage()
              .setName(f.getDestination())
              .setLocation(stagingLocation + f.getDestination()));
    }
    return packages;
  }

  @Override
  public DataflowPackage stageToFile(byte[] bytes, String baseName) {
    STAGED_BYTES.put(baseName, bytes.clone());
    return new DataflowPackage().setName(baseName).setLocation(stagingLocation + baseName);
  }
}
