package dev.tlogmigrate.launcher.aws;

import dev.tlogmigrate.transforms.secret.Secret;
import dev.tlogmigrate.transforms.tessera.mysql.TesseraMySqlConfig;
import dev.tlogmigrate.transforms.testing.TestProcesses;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real MariaDB server for one test class, standing in for Tessera on AWS's Aurora MySQL: Debian's
 * {@code mariadb-server} ({@code mariadbd}, {@code mariadb-install-db}), a fresh data directory
 * under a temporary directory, listening on a free loopback port, with a user that has a password
 * (Tessera's AWS server refuses an empty one); stopped and deleted after the class. A fresh
 * database per {@link #newDatabase} call.
 *
 * <p>Without the server's programs the class is skipped, saying why; with {@value #REQUIRE}=1 (as
 * {@code .ci/run} sets it, having installed the package) it fails instead.
 *
 * <p>Use as {@code @RegisterExtension static final MariaDbServer MYSQL = new MariaDbServer();}
 */
public final class MariaDbServer implements BeforeAllCallback, AfterAllCallback {
  public static final String REQUIRE = "TLOG_MIGRATE_REQUIRE_MYSQL";
  public static final String USER = "tessera";
  public static final String PASSWORD = "test-only-password";
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private Path dir;
  private Process process;
  private Thread stopAtExit;
  private Path log;
  private int port;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Optional<Path> server = program("mariadbd");
    Optional<Path> installDb = program("mariadb-install-db");
    if (server.isEmpty() || installDb.isEmpty()) {
      String why =
          "no MariaDB server (mariadbd, mariadb-install-db; Debian package mariadb-server) on this"
              + " machine: cannot run "
              + context.getDisplayName();
      if ("1".equals(System.getenv(REQUIRE))) {
        Assertions.fail(why + ", and " + REQUIRE + "=1 forbids skipping");
      }
      System.err.println("SKIPPED: " + why); // surefire shows no reason for a class skipped here
      Assumptions.abort(why);
    }
    dir = Files.createTempDirectory("mariadb");
    log = dir.resolve("server.log");
    List<String> asUser = isRoot() ? List.of("--user=root") : List.of(); // mariadbd refuses root
    List<String> install = new ArrayList<>(List.of(installDb.get().toString(), "--no-defaults"));
    install.addAll(asUser);
    install.addAll(
        List.of(
            "--datadir=" + dir.resolve("data"),
            "--auth-root-authentication-method=normal",
            "--skip-test-db"));
    run(install, dir.resolve("install.log"));
    Path init = dir.resolve("init.sql");
    Files.writeString(
        init,
        "CREATE USER '"
            + USER
            + "'@'127.0.0.1' IDENTIFIED BY '"
            + PASSWORD
            + "';\nGRANT ALL PRIVILEGES ON *.* TO '"
            + USER
            + "'@'127.0.0.1';\n");
    port = TestProcesses.freeLoopbackPort();
    List<String> command = new ArrayList<>(List.of(server.get().toString(), "--no-defaults"));
    command.addAll(asUser);
    command.addAll(
        List.of(
            "--datadir=" + dir.resolve("data"),
            "--socket=" + dir.resolve("socket"),
            "--pid-file=" + dir.resolve("pid"),
            "--bind-address=127.0.0.1",
            "--port=" + port,
            "--skip-name-resolve",
            "--init-file=" + init,
            "--innodb-buffer-pool-size=32M",
            "--log-error=" + log));
    process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Process started = process;
    stopAtExit = new Thread(started::destroyForcibly, "stop-mariadb"); // should afterAll not run
    Runtime.getRuntime().addShutdownHook(stopAtExit);
    awaitReady();
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "mariadbd exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      try (Connection c = connect("")) {
        return;
      } catch (SQLException e) {
        last = e;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "mariadbd took no connection in 60 s: " + last + "\n" + Files.readString(log));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (process != null) {
      TestProcesses.stop(process, log, stopAtExit);
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  /** A new, empty database; its name. */
  public String newDatabase() throws SQLException {
    String name = "tessera_" + DATABASES.incrementAndGet();
    try (Connection c = connect("");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return name;
  }

  /**
   * A new database holding a copy of {@code tables} of {@code database}, rows and all; its name.
   */
  public String copyOf(String database, List<String> tables) throws SQLException {
    String copy = newDatabase();
    try (Connection c = connect(copy);
        Statement s = c.createStatement()) {
      for (String t : tables) {
        s.execute("CREATE TABLE " + t + " LIKE " + database + "." + t);
        s.execute("INSERT INTO " + t + " SELECT * FROM " + database + "." + t);
      }
    }
    return copy;
  }

  /** A connection to {@code database} ("" for none), for setting rows up and reading them. */
  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(url(database), USER, PASSWORD);
  }

  /** {@code jdbc:mariadb://127.0.0.1:PORT/DATABASE}, as --tesseraMySqlUrl takes it. */
  public String url(String database) {
    return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
  }

  /** Tessera's state in a database of this server, reached as a migration reaches it. */
  public TesseraMySqlConfig config(String database) {
    return TesseraMySqlConfig.of(
        url(database), USER, Secret.given("--tesseraMySqlPassword", PASSWORD));
  }

  public int port() {
    return port;
  }

  /** A program of the MariaDB server: on the PATH, or where Debian installs it. */
  private static Optional<Path> program(String name) {
    List<Path> candidates = new ArrayList<>();
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!d.isEmpty()) {
        candidates.add(Path.of(d, name));
      }
    }
    candidates.add(Path.of("/usr/sbin", name));
    candidates.add(Path.of("/usr/bin", name));
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void run(List<String> command, Path output) throws Exception {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(
          String.join(" ", command)
              + " failed:\n"
              + Files.readString(output, StandardCharsets.UTF_8));
    }
  }
}
