package dev.tlogmigrate.transforms.tessera;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * A run's filling of a Tessera antispam index, as the planner checked it: the index, and where its
 * follower stood ({@code nextIdx}), from which the run writes rows and moves {@code nextIdx} on.
 */
@AutoValue
public abstract class AntispamFill implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The index; null in a stage that only produces its rows (the fetches): such a stage carries no
   * database, nor its password.
   */
  public abstract @Nullable TesseraAntispam index();

  /** {@code nextIdx} as planned: the first entry whose row the run writes. */
  public abstract long from();

  public static AntispamFill of(TesseraAntispam index, long from) {
    return new AutoValue_AntispamFill(index, from);
  }

  /** This fill for a stage that only produces its rows. */
  public AntispamFill withoutIndex() {
    return new AutoValue_AntispamFill(null, from());
  }
}
