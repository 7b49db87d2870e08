package dev.tlogmigrate.transforms.format;

import dev.tlogmigrate.launcher.Main;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * A format class as it must never be written, for ArchitectureTest to show that its rules catch it:
 * it uses Beam and the launcher. A test fixture, never part of the main code.
 */
public final class ArchitectureViolation {
  private ArchitectureViolation() {}

  static String names() {
    return DoFn.class.getName() + Main.class.getName();
  }
}
