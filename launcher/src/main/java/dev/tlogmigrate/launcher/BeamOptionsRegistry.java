package dev.tlogmigrate.launcher;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.ServiceLoader;
import java.util.Set;
import org.apache.beam.runners.direct.DirectRegistrar;
import org.apache.beam.sdk.options.DefaultPipelineOptionsRegistrar;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;

/**
 * Which of Beam's options interfaces the command line registers. Beam registers the interfaces of
 * every {@link PipelineOptionsRegistrar} on the class path when {@link PipelineOptionsFactory} is
 * first used, validating each against all those before it: with the Dataflow runner's and GCP's,
 * which the jar carries for runs on Dataflow, a good part of a small run's CPU
 * (launcher/benchmark/PROFILE.md). A run on the DirectRunner starts with Beam's defaults and the
 * DirectRunner's only; any other runner, {@code --help=...}, and an option those do not know (GCP's
 * credentials, say) get every registrar, as Beam would register them.
 */
final class BeamOptionsRegistry {
  private static final String REGISTRARS =
      "META-INF/services/" + PipelineOptionsRegistrar.class.getName();

  private BeamOptionsRegistry() {}

  /**
   * Sets Beam's registry up for a process running {@code args}: first thing, before anything else
   * uses {@link PipelineOptionsFactory} (which then finds every registrar on its own).
   */
  static void startFor(String[] args) {
    if (!onTheDirectRunner(args)) {
      return;
    }
    // Beam's registry finds the registrars through the context class loader, once, when the
    // factory is initialised: that loader, for that moment, shows it none.
    Thread current = Thread.currentThread();
    ClassLoader saved = current.getContextClassLoader();
    current.setContextClassLoader(
        new WithoutRegistrars(BeamOptionsRegistry.class.getClassLoader()));
    try {
      PipelineOptionsFactory.getRegisteredOptions();
    } finally {
      current.setContextClassLoader(saved);
    }
    register(new DefaultPipelineOptionsRegistrar());
    register(new DirectRegistrar.Options());
  }

  /**
   * Registers every registrar on the class path, as Beam does on its own.
   *
   * @return whether that registered an interface not registered before
   */
  static synchronized boolean registerAll() {
    boolean added = false;
    for (PipelineOptionsRegistrar r :
        ServiceLoader.load(
            PipelineOptionsRegistrar.class, BeamOptionsRegistry.class.getClassLoader())) {
      added |= register(r);
    }
    return added;
  }

  private static boolean register(PipelineOptionsRegistrar registrar) {
    Set<Class<? extends PipelineOptions>> known = PipelineOptionsFactory.getRegisteredOptions();
    boolean added = false;
    for (Class<? extends PipelineOptions> c : registrar.getPipelineOptions()) {
      if (!known.contains(c)) {
        PipelineOptionsFactory.register(c);
        added = true;
      }
    }
    return added;
  }

  /** No --runner, or the DirectRunner by any of the names Beam accepts. */
  private static boolean onTheDirectRunner(String[] args) {
    for (String a : args) {
      if (a.startsWith("--runner=")) {
        String runner = a.substring("--runner=".length());
        return runner.equalsIgnoreCase("DirectRunner")
            || runner.equalsIgnoreCase("direct")
            || runner.equals("org.apache.beam.runners.direct.DirectRunner");
      }
    }
    return true;
  }

  /** A class loader that hides the services files of options registrars, and nothing else. */
  private static final class WithoutRegistrars extends ClassLoader {
    WithoutRegistrars(ClassLoader parent) {
      super(parent);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      return name.equals(REGISTRARS) ? Collections.emptyEnumeration() : super.getResources(name);
    }
  }
}
